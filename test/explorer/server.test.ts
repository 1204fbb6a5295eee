import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';
import { parsePort } from '../../src/cli/commands/explore.js';

let root: string;
let server: StaticServer;

/** A raw request, so paths like /../x reach the server unnormalised. */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'varprop-serve-'));
  root = path.join(parent, 'site');
  await mkdir(path.join(root, 'wasm'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(path.join(root, 'app.js'), 'export {}');
  await writeFile(path.join(root, 'wasm', 'a.wasm'), Buffer.from([0, 97, 115, 109]));
  await writeFile(path.join(parent, 'secret.txt'), 'outside the root');
  server = await serveStatic(root);
});

afterAll(async () => {
  await server.close();
  await rm(path.dirname(root), { recursive: true, force: true });
});

describe('static server', () => {
  it('listens on 127.0.0.1 on a port the OS chose, and serves index.html for /', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    const page = await get('/?L=3&act=relu');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>x</title>');
  });

  it('sends JavaScript and wasm with their content types', async () => {
    expect((await get('/app.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get('/wasm/a.wasm')).type).toBe('application/wasm');
  });

  it('never serves files outside the root', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/wasm/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await get(attempt);
      expect(response.body, attempt).not.toContain('outside the root');
      expect([403, 404], attempt).toContain(response.status);
    }
  });

  it('answers 404 for missing files, 405 for other methods, HEAD without a body', async () => {
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/wasm')).status).toBe(404);
    expect((await get('/app.js', 'POST')).status).toBe(405);
    const head = await get('/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('a port already in use is an InputError naming --port', async () => {
    const { startExplorer } = await import('../../src/cli/commands/explore.js');
    const io = { stdout: () => undefined, stderr: () => undefined, isTTY: false };
    // An up-to-date build folder is not needed to hit the port check: use the test root with a stamp.
    await writeFile(path.join(root, 'build-info.json'), JSON.stringify({ builtAt: Date.now() + 60_000, inputs: [] }));
    await expect(startExplorer({ port: server.port, outDir: root }, io)).rejects.toThrow(/--port = \d+ is not allowed: expected a free port.*in use/);
  });

  it('parses --port', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('8080')).toBe(8080);
    expect(() => parsePort('http')).toThrow(/--port = "http" is not allowed: expected an integer from 0 to 65535/);
    expect(() => parsePort('70000')).toThrow(/--port/);
  });
});

describe('varprop explore', () => {
  it('serves an up-to-date build folder on 127.0.0.1 and prints the address', async () => {
    const { spawn } = await import('node:child_process');
    // A build stamp newer than every source: the command must serve without rebuilding.
    await writeFile(path.join(root, 'build-info.json'), JSON.stringify({ builtAt: Date.now() + 3_600_000, inputs: [] }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/explorer/run.ts', '--out-dir', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /varprop explorer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>x</title>');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('static server caching and compression', () => {
  it('answers a matching ETag with 304 and gzips text when asked', async () => {
    const first = await fetch(`${server.url}app.js`, { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await fetch(`${server.url}app.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const zipped = await get('/app.js');
    expect(zipped.status).toBe(200);
    const raw = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/app.js', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.encoding).toBe('gzip');
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(raw.bytes).toString()).toBe('export {}');
  });
});
