/**
 * A fresh project installs varprop from a local tarball and uses `import 'varprop/testing'` in its
 * own vitest suite. The package is staged the way `npm pack` would ship it (package.json, bin,
 * README, and dist compiled from src; esbuild transpiles here because it takes a second where a full
 * tsc emit takes half a minute; the types are checked by the project's own typecheck), packed with
 * `npm pack`, and installed with `npm install <tarball>` from the npm cache. vitest itself is linked
 * from this repository (it is an optional peer of the testing export only).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'varprop-install-'));
const stage = join(work, 'stage');
const project = join(work, 'project');

function run(command: string, args: string[], cwd: string, timeout = 90_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false' } });
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (path === join(root, 'src/explorer/app')) continue; // the browser app is built separately
      files.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Stages and packs the package; returns the tarball path. */
function packTarball(): string {
  mkdirSync(stage, { recursive: true });
  for (const file of ['package.json', 'README.md']) cpSync(join(root, file), join(stage, file));
  cpSync(join(root, 'bin'), join(stage, 'bin'), { recursive: true });
  const compiled = buildSync({
    entryPoints: sourceFiles(join(root, 'src')),
    outdir: join(stage, 'dist'),
    outbase: join(root, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  expect(compiled.errors).toEqual([]);
  const packed = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], stage);
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = join(work, packed.stdout.trim().split('\n').pop()!);
  expect(existsSync(tarball)).toBe(true);
  return tarball;
}

/**
 * `npm install <tarball>` from the cache; when that is impossible (no cache, no network), unpack the
 * tarball by hand and link its dependencies from this repository's node_modules.
 */
function installTarball(tarball: string): 'npm' | 'unpacked' {
  const installed = run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], project);
  if (installed.status === 0) return 'npm';
  const target = join(project, 'node_modules/varprop');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const unpacked = run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], project);
  expect(unpacked.status, unpacked.stderr).toBe(0);
  const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(join(root, 'node_modules', name), link, 'dir');
  }
  return 'unpacked';
}

const USER_TEST = `
import { expect, test } from 'vitest';
import 'varprop/testing';
import { checkIdentity, checkVariance, matchersRegistered } from 'varprop/testing';

test('He keeps relu variance; Xavier does not', async () => {
  expect(matchersRegistered).toBe(true);
  await expect({ widths: [64, 64, 64], activation: 'relu', init: 'he_normal' }).toPreserveForwardVariance({ tolerance: 0.1 });
  await expect({ widths: [64, 64, 64], activation: 'relu', init: 'xavier_normal' }).not.toPreserveForwardVariance();
  await expect({ widths: [64, 64, 64], activation: 'relu', init: 'he_normal' }).toMatchVariance('2*gamma2', { tolerance: 0.1 });
  expect((await checkVariance({ fanIn: 64, fanOut: 64, activation: 'identity', init: 'lecun_normal' }, 'forward-preserved')).verdict).toBe('holds');
  expect(checkIdentity('sqrt(6/(a+b))', 'sqrt(3)*sqrt(2/(a+b))').verdict).toBe('holds');
});

test('a wrong claim fails with the layer and the interval', async () => {
  await expect({ widths: [64, 64, 64], activation: 'relu', init: 'xavier_normal' }).toPreserveForwardVariance();
});
`;

describe('varprop installed from a local tarball into a fresh project', () => {
  let how: 'npm' | 'unpacked';
  beforeAll(() => {
    const tarball = packTarball();
    mkdirSync(join(project, 'test'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    how = installTarball(tarball);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('loads varprop/testing without vitest installed (vitest is an optional peer)', () => {
    expect(existsSync(join(project, 'node_modules/varprop/dist/testing/index.js')), `installed via ${how}`).toBe(true);
    const plain = run(process.execPath, ['--input-type=module', '-e', "const t = await import('varprop/testing'); console.log('registered:', t.matchersRegistered)"], project);
    expect(plain.stderr).toBe('');
    expect(plain.stdout.trim()).toBe('registered: false');
  });

  it('runs a user suite with import "varprop/testing" (matchers pass, and fail with a readable message)', () => {
    symlinkSync(join(root, 'node_modules/vitest'), join(project, 'node_modules/vitest'), 'dir');
    writeFileSync(join(project, 'test/user.test.ts'), USER_TEST);
    const suite = run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose', '--color=false'], project);
    const output = stripVTControlCharacters(suite.stdout + suite.stderr);
    expect(output).toMatch(/✓ .*He keeps relu variance; Xavier does not/);
    expect(output).toMatch(/× .*a wrong claim fails with the layer and the interval/);
    expect(output).toMatch(/Expected: E\[h_l²\] = E\[h_\{l−1\}²\] at every layer/);
    expect(output).toMatch(/Received: layer 2 \(forward\): measured E\[h₂²\] = [\d.]+ \[[\d.]+, [\d.]+\]/);
    expect(output).toMatch(/Tests +1 failed \| 1 passed/);
    expect(suite.status).toBe(1);
  }, 120_000);

  it('loads the main entry and runs the bin with only the runtime dependencies installed', () => {
    // Fails while a module reachable from src/index.ts or the CLI imports a devDependency at load
    // time (found: src/explorer/build.ts imports esbuild eagerly, via cli/commands/explore.ts).
    const library = run(process.execPath, ['--input-type=module', '-e', "const v = await import('varprop'); console.log(typeof v.checkNetwork)"], project);
    expect(library.stderr.split('\n').find((line) => /Error/.test(line)) ?? '').toBe('');
    expect(library.stdout.trim()).toBe('function');
    const bin = run(process.execPath, [join(project, 'node_modules/varprop/bin/varprop.js'), 'fans', '--shape', '64,3,3,3', '--json'], project);
    expect(bin.stderr.split('\n').find((line) => /Error/.test(line)) ?? '').toBe('');
    expect(JSON.parse(bin.stdout)).toMatchObject({ fanIn: 27, fanOut: 576 });
  });
});
