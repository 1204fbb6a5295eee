/**
 * The explorer's server and build folder under attack and misuse: aborted downloads must not leak
 * file descriptors, running out of them must not end the server, other Hosts are refused (DNS
 * rebinding), every answer carries a CSP and X-Frame-Options, a folder of someone else's files is
 * never deleted, and a busy port is found before the build folder is touched. Every loop is bounded
 * by a count; nothing asserts how long anything took.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startExplorer } from '../../src/cli/commands/explore.js';
import { assertOwnBuildFolder, bundleInputs, swapInBuild } from '../../src/explorer/build.js';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';

let root: string;
let server: StaticServer;
const BIG = 8 * 1024 * 1024; // far more than the socket buffers hold, so a download cannot finish by itself

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'varprop-harden-'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(path.join(root, 'worker-report.js'), Buffer.alloc(BIG, 0x20));
  server = await serveStatic(root);
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const openDescriptors = () => readdirSync('/proc/self/fd').length;
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Sends a raw request, reads `bytes` of the answer, then hangs up; resolves with what it read. */
function readAndHangUp(port: number, requestText: string, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('connect', () => socket.write(requestText));
    socket.on('data', (chunk) => {
      got += chunk.toString('latin1');
      if (got.length >= bytes) socket.destroy();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
}

const request = (port: number, pathname = '/worker-report.js', host = `127.0.0.1:${port}`) =>
  `GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`;

describe('explorer server: file descriptors', () => {
  it('200 aborted downloads leave no file open', async () => {
    const before = openDescriptors();
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 20 }, () => readAndHangUp(server.port, request(server.port), 100)));
    }
    // The server closes each file as soon as it sees the hang-up; give it a bounded number of turns.
    for (let turn = 0; turn < 500 && openDescriptors() > before + 5; turn++) await tick();
    expect(openDescriptors()).toBeLessThanOrEqual(before + 5);
  });

  it('out of descriptors (ulimit -n 64), 300 clients that read 100 bytes and leave do not end the server', async () => {
    const script = path.join(root, 'serve.mjs');
    const serverModule = path.resolve('src/explorer/server.ts');
    await writeFile(
      script,
      `import { serveStatic } from ${JSON.stringify(serverModule)};\nconst s = await serveStatic(${JSON.stringify(root)});\nconsole.log('PORT ' + s.port);\n`,
    );
    const child = spawn('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" --import tsx "${script}"`], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /PORT (\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      for (let batch = 0; batch < 6; batch++) {
        await Promise.all(Array.from({ length: 50 }, () => readAndHangUp(port, request(port), 100)));
      }
      expect(child.exitCode).toBeNull();
      // Still serving: a complete answer for the page.
      let page = '';
      for (let attempt = 0; attempt < 200 && !page.includes('<title>x</title>'); attempt++) {
        page = await readAndHangUp(port, request(port, '/index.html'), 10_000);
        if (!page.includes('<title>x</title>')) await tick();
      }
      expect(page).toContain('<title>x</title>');
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('explorer server: headers and Host', () => {
  it('every answer carries a Content-Security-Policy, X-Frame-Options DENY and nosniff', async () => {
    for (const pathname of ['/', '/missing.js']) {
      const response = await fetch(`${server.url}${pathname.slice(1)}`);
      expect(response.headers.get('content-security-policy'), pathname).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options'), pathname).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), pathname).toBe('nosniff');
    }
  });

  it('refuses a request whose Host is not its loopback address and port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1:1', '']) {
      const answer = await readAndHangUp(server.port, request(server.port, '/index.html', host), 1_000_000);
      expect(answer, host).toMatch(/^HTTP\/1\.1 421/);
      expect(answer, host).not.toContain('<title>x</title>');
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const answer = await readAndHangUp(server.port, request(server.port, '/index.html', host), 1_000_000);
      expect(answer, host).toMatch(/^HTTP\/1\.1 200/);
    }
  });
});

describe('explorer build folder', () => {
  it('explore --out-dir on a folder of someone else\'s files refuses in one line and deletes nothing', async () => {
    const victim = await mkdtemp(path.join(os.tmpdir(), 'varprop-victim-'));
    await mkdir(path.join(victim, 'sub'));
    await writeFile(path.join(victim, 'thesis.tex'), 'precious');
    const io = memoryIO();
    expect(await main(['explore', '--out-dir', victim, '--port', '0'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toMatch(/--out-dir = ".*varprop-victim-.*" is not allowed.*never deletes/);
    expect(await readFile(path.join(victim, 'thesis.tex'), 'utf8')).toBe('precious');
    expect(existsSync(path.join(victim, 'sub'))).toBe(true);
    await rm(victim, { recursive: true, force: true });
  });

  it('accepts a missing, an empty or an earlier build folder', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'varprop-own-'));
    await expect(assertOwnBuildFolder(path.join(parent, 'new'))).resolves.toBeUndefined();
    await mkdir(path.join(parent, 'empty'));
    await expect(assertOwnBuildFolder(path.join(parent, 'empty'))).resolves.toBeUndefined();
    await mkdir(path.join(parent, 'built'));
    await writeFile(path.join(parent, 'built', 'build-info.json'), JSON.stringify({ generator: 'varprop explorer', builtAt: 1, inputs: [] }));
    await writeFile(path.join(parent, 'built', 'app.js'), '');
    await expect(assertOwnBuildFolder(path.join(parent, 'built'))).resolves.toBeUndefined();
    await writeFile(path.join(parent, 'file'), 'x');
    await expect(assertOwnBuildFolder(path.join(parent, 'file'))).rejects.toThrow(/not a folder/);
    await rm(parent, { recursive: true, force: true });
  });

  it('a new build is swapped in whole: the folder always holds the old build or the new one', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'varprop-swap-'));
    const outDir = path.join(parent, 'explorer-dist');
    const staging = path.join(parent, '.staging');
    await mkdir(outDir);
    await writeFile(path.join(outDir, 'app.js'), 'old');
    await mkdir(staging);
    await writeFile(path.join(staging, 'app.js'), 'new');
    await swapInBuild(staging, outDir);
    expect(await readFile(path.join(outDir, 'app.js'), 'utf8')).toBe('new');
    expect(readdirSync(parent)).toEqual(['explorer-dist']); // neither the staging nor the old folder is left
    await rm(parent, { recursive: true, force: true });
  });

  it('a busy port is refused before the build folder is looked at or rebuilt', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'varprop-busy-'));
    const outDir = path.join(parent, 'explorer-dist');
    // A stale build (stamp 0): were the port checked last, this folder would be rebuilt first.
    await mkdir(outDir);
    await writeFile(path.join(outDir, 'build-info.json'), JSON.stringify({ generator: 'varprop explorer', builtAt: 0, inputs: [] }));
    await writeFile(path.join(outDir, 'index.html'), 'served by the first explorer');
    const io = memoryIO();
    await expect(startExplorer({ port: server.port, outDir }, io)).rejects.toThrow(/--port = \d+ is not allowed.*in use/);
    expect(io.err).not.toMatch(/building/);
    expect(await readFile(path.join(outDir, 'index.html'), 'utf8')).toBe('served by the first explorer');
    await rm(parent, { recursive: true, force: true });
  });

  it('esbuild\'s (disabled): modules are not recorded as inputs, so a build does not look stale forever', () => {
    const inputs = bundleInputs({ inputs: { '(disabled):util': {}, '(disabled):perf_hooks': {}, 'src/explorer/app/main.ts': {}, 'node_modules/x/y.js': {} } } as never);
    expect(inputs).toEqual([path.join('src', 'explorer', 'app', 'main.ts')]);
  });
});
