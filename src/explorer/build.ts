/**
 * Builds the explorer into a static folder (default `explorer-dist/`): the app bundle, the two Web
 * Worker bundles (theory and Monte Carlo: the same code Node runs), the page, its stylesheet, KaTeX's stylesheet and fonts, and
 * the tfjs wasm binaries when the engine bundles the wasm backend. The folder works from any static
 * host. Run directly with `npm run build:explorer`.
 */
import type { Metafile, Plugin } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, from either src/explorer/ (tsx) or dist/explorer/ (compiled). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_OUT_DIR = path.join(PACKAGE_ROOT, 'explorer-dist');
const APP_DIR = path.join(PACKAGE_ROOT, 'src', 'explorer', 'app');
const BUILD_INFO = 'build-info.json';

export interface BuildOptions {
  outDir?: string;
  /** Minify the bundles (default true). */
  minify?: boolean;
  /** Write messages here (default: silent). */
  log?: (line: string) => void;
  /** Extra esbuild plugins (e.g. to point an import elsewhere during development). */
  plugins?: Plugin[];
}

export interface BuildResult {
  outDir: string;
  /** Bytes per emitted file, relative path → size. */
  files: Record<string, number>;
  totalBytes: number;
  elapsedMs: number;
}

interface BuildInfo {
  builtAt: number;
  inputs: string[];
}

/** Bundles the explorer. Throws on a bundling error (esbuild's message). */
export async function buildExplorer(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  // Loaded on demand: every other command starts without the bundler.
  const { build } = await import('esbuild');
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const minify = options.minify ?? true;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const common = {
    bundle: true,
    platform: 'browser' as const,
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify,
    // Source maps only for development builds: they would triple what a static host serves.
    sourcemap: minify ? false : ('linked' as const),
    metafile: true,
    legalComments: 'linked' as const,
    logLevel: 'silent' as const,
    // Node built-ins some dependencies mention behind feature checks; the browser never reaches them.
    external: ['fs', 'path', 'crypto', 'worker_threads', 'os', 'node:*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: options.plugins ?? [],
  };
  // The page is an ES module; the workers are classic scripts, which every browser can start.
  const [page, worker] = await Promise.all([
    build({ ...common, entryPoints: { app: path.join(APP_DIR, 'main.ts') }, outdir: outDir, format: 'esm' }),
    build({
      ...common,
      entryPoints: {
        'worker-theory': path.join(APP_DIR, 'worker-theory.ts'),
        'worker-monte-carlo': path.join(APP_DIR, 'worker-monte-carlo.ts'),
      },
      outdir: outDir,
      format: 'iife',
    }),
  ]);
  // The report worker runs src/report/ as is; its few node:fs/module/path calls (KaTeX's stylesheet
  // and fonts) are answered by small shims over files the worker fetches from this folder.
  const version = (JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const report = await build({
    ...common,
    entryPoints: { 'worker-report': path.join(APP_DIR, 'worker-report.ts') },
    outdir: outDir,
    format: 'iife',
    define: { ...common.define, VARPROP_VERSION: JSON.stringify(version) },
    plugins: [...common.plugins, nodeShims()],
  });
  const result = { metafile: mergeMetafiles(mergeMetafiles(page.metafile!, worker.metafile!), report.metafile!) };

  await copyFile(path.join(APP_DIR, 'index.html'), path.join(outDir, 'index.html'));
  await copyFile(path.join(APP_DIR, 'style.css'), path.join(outDir, 'style.css'));
  await copyKatexAssets(outDir);
  if (usesWasmBackend(result.metafile)) await copyWasmBinaries(outDir);

  const info: BuildInfo = { builtAt: Date.now(), inputs: bundleInputs(result.metafile) };
  await writeFile(path.join(outDir, BUILD_INFO), JSON.stringify(info));
  const files = await listSizes(outDir);
  const totalBytes = Object.values(files).reduce((a, b) => a + b, 0);
  const elapsedMs = performance.now() - started;
  options.log?.(`built ${path.relative(process.cwd(), outDir) || '.'} (${formatKiB(totalBytes)}) in ${Math.round(elapsedMs)} ms`);
  return { outDir, files, totalBytes, elapsedMs };
}

/**
 * True when the folder is missing, or any file the last build read (sources, page, stylesheet,
 * dependencies) changed after it.
 */
export async function needsBuild(outDir = DEFAULT_OUT_DIR): Promise<boolean> {
  let info: BuildInfo;
  try {
    info = JSON.parse(await readFile(path.join(outDir, BUILD_INFO), 'utf8')) as BuildInfo;
  } catch {
    return true;
  }
  // Every source file the bundle read, everything in the app folder (a new page or stylesheet
  // counts), and the lock file (dependencies are not listed one by one).
  const appFiles = (await readdir(APP_DIR, { recursive: true })).map((name) => path.join(APP_DIR, name));
  const lockFile = path.join(PACKAGE_ROOT, 'package-lock.json');
  for (const file of [...info.inputs, ...appFiles, lockFile]) {
    const absolute = path.isAbsolute(file) ? file : path.join(PACKAGE_ROOT, file);
    try {
      if ((await stat(absolute)).mtimeMs > info.builtAt) return true;
    } catch {
      if (file !== lockFile) return true; // an input disappeared: rebuild (an installed package has no lock file)
    }
  }
  return false;
}

/** Builds when {@link needsBuild} says so; returns whether it built. */
export async function ensureBuilt(options: BuildOptions = {}): Promise<boolean> {
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  if (!(await needsBuild(outDir))) return false;
  await buildExplorer({ ...options, outDir });
  return true;
}

/** Maps node:fs, node:module and node:path to the browser shims in app/shims/. */
function nodeShims(): Plugin {
  const shims: Record<string, string> = { fs: 'fs.ts', module: 'module.ts', path: 'path.ts' };
  return {
    name: 'varprop-node-shims',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^(node:)?(fs|module|path)$/ }, (args) => ({
        path: path.join(APP_DIR, 'shims', shims[args.path.replace(/^node:/, '')]),
      }));
    },
  };
}

function mergeMetafiles(a: Metafile, b: Metafile): Metafile {
  return { inputs: { ...a.inputs, ...b.inputs }, outputs: { ...a.outputs, ...b.outputs } };
}

function bundleInputs(metafile: Metafile): string[] {
  // esbuild reports inputs relative to the working directory; store them relative to the package root.
  return Object.keys(metafile.inputs)
    .filter((input) => !input.includes('node_modules'))
    .map((input) => path.relative(PACKAGE_ROOT, path.resolve(input)));
}

function usesWasmBackend(metafile: Metafile): boolean {
  return Object.keys(metafile.inputs).some((input) => input.includes('tfjs-backend-wasm'));
}

async function copyKatexAssets(outDir: string): Promise<void> {
  const katexDist = path.join(PACKAGE_ROOT, 'node_modules', 'katex', 'dist');
  await mkdir(path.join(outDir, 'katex', 'fonts'), { recursive: true });
  await copyFile(path.join(katexDist, 'katex.min.css'), path.join(outDir, 'katex', 'katex.min.css'));
  // Browsers take the first format they support; every current one supports woff2, so the .woff and
  // .ttf fallbacks the stylesheet also names are never requested.
  for (const font of await readdir(path.join(katexDist, 'fonts'))) {
    if (font.endsWith('.woff2')) await copyFile(path.join(katexDist, 'fonts', font), path.join(outDir, 'katex', 'fonts', font));
  }
}

async function copyWasmBinaries(outDir: string): Promise<void> {
  const wasmDist = path.join(PACKAGE_ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  await mkdir(path.join(outDir, 'wasm'), { recursive: true });
  // The engine runs tfjs single-threaded (one backend per worker), so the threaded binary is never
  // fetched: the SIMD build, and the plain one for browsers without wasm SIMD.
  for (const file of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']) {
    await copyFile(path.join(wasmDist, file), path.join(outDir, 'wasm', file));
  }
}

async function listSizes(dir: string, prefix = ''): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(sizes, await listSizes(path.join(dir, entry.name), relative));
    else sizes[relative] = (await stat(path.join(dir, entry.name))).size;
  }
  return sizes;
}

export function formatKiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

// `tsx src/explorer/build.ts` (npm run build:explorer) builds and prints the sizes.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildExplorer({ log: (line) => console.log(line) });
  for (const [file, size] of Object.entries(result.files).sort((a, b) => b[1] - a[1])) {
    if (/\.(js|css|html|wasm)$/.test(file)) console.log(`  ${file.padEnd(28)} ${formatKiB(size)}`);
  }
  if (!existsSync(path.join(result.outDir, 'index.html'))) process.exitCode = 1;
}
