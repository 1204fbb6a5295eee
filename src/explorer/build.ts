/**
 * Builds the explorer into a static folder (default `explorer-dist/`): the app bundle, the two Web
 * Worker bundles (theory and Monte Carlo: the same code Node runs), the page, its stylesheet, KaTeX's stylesheet and fonts, and
 * the tfjs wasm binaries when the engine bundles the wasm backend. The folder works from any static
 * host. Run directly with `npm run build:explorer`.
 */
import type { Metafile, Plugin } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';

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

/** Written into every build folder: what marks the folder as varprop's to replace. */
const GENERATOR = 'varprop explorer';

interface BuildInfo {
  generator?: string;
  builtAt: number;
  inputs: string[];
}

/**
 * Refuses a build folder that holds anything varprop did not build: the folder is replaced as a
 * whole, so it must be missing, empty, or marked by a previous build's build-info.json.
 *
 * @throws InputError naming `field` (the flag the folder came from).
 */
export async function assertOwnBuildFolder(outDir: string, field = '--out-dir'): Promise<void> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const allowed = 'a new or empty folder, or one varprop built the explorer into';
  if (!info.isDirectory()) throw new InputError(field, outDir, allowed, 'It is not a folder');
  const entries = await readdir(outDir);
  if (entries.length === 0) return;
  try {
    const built = JSON.parse(await readFile(path.join(outDir, BUILD_INFO), 'utf8')) as Partial<BuildInfo>;
    // Builds from before the generator field are recognised by their two fields.
    if (built.generator === GENERATOR || (typeof built.builtAt === 'number' && Array.isArray(built.inputs))) return;
  } catch {
    // no (readable) build-info.json: not ours
  }
  throw new InputError(field, outDir, allowed, `It holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} varprop did not build; varprop never deletes those`);
}

/**
 * Puts the freshly built `staging` folder in the place of `outDir` with two renames, so a server
 * reading `outDir` meanwhile sees the old build or the new one, never a half-written or wiped folder.
 * The old build (checked by {@link assertOwnBuildFolder} first) is then removed.
 */
export async function swapInBuild(staging: string, outDir: string): Promise<void> {
  const retired = sibling(outDir, 'old');
  let moved = false;
  try {
    await rename(outDir, retired);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(staging, outDir);
  if (moved) await rm(retired, { recursive: true, force: true });
}

/** A hidden sibling folder name for a build in progress (`staging`) or a build being replaced (`old`). */
function sibling(outDir: string, role: 'staging' | 'old'): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.${role}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Bundles the explorer. Throws on a bundling error (esbuild's message). */
export async function buildExplorer(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const finalDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const minify = options.minify ?? true;
  // Never wipe a folder of someone else's files; check before spending time on the build.
  await assertOwnBuildFolder(finalDir);
  await mkdir(path.dirname(finalDir), { recursive: true });
  // Build beside it and swap it in at the end: a running server keeps serving the old build.
  const outDir = sibling(finalDir, 'staging');
  await mkdir(outDir);
  try {
    await buildInto(outDir, minify, options);
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const files = await listSizes(outDir);
  await assertOwnBuildFolder(finalDir); // again: it may have changed during the build
  await swapInBuild(outDir, finalDir);
  const totalBytes = Object.values(files).reduce((a, b) => a + b, 0);
  const elapsedMs = performance.now() - started;
  options.log?.(`built ${path.relative(process.cwd(), finalDir) || '.'} (${formatKiB(totalBytes)}) in ${Math.round(elapsedMs)} ms`);
  return { outDir: finalDir, files, totalBytes, elapsedMs };
}

async function buildInto(outDir: string, minify: boolean, options: BuildOptions): Promise<void> {
  const { build } = await import('esbuild');

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
    plugins: [lazyRequireShim(), ...(options.plugins ?? [])],
  };
  // Loaded on demand (above): every other command starts without the bundler.
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

  const info: BuildInfo = { generator: GENERATOR, builtAt: Date.now(), inputs: bundleInputs(result.metafile) };
  await writeFile(path.join(outDir, BUILD_INFO), JSON.stringify(info));
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
  for (const file of [...info.inputs.filter(isSourceFile), ...appFiles, lockFile]) {
    const absolute = path.isAbsolute(file) ? file : path.join(PACKAGE_ROOT, file);
    try {
      if ((await stat(absolute)).mtimeMs > info.builtAt) return true;
    } catch {
      if (file !== lockFile) return true; // an input disappeared: rebuild (an installed package has no lock file)
    }
  }
  return false;
}

/**
 * Maps src/math/requireOnDemand.ts to its browser version (app/shims/requireOnDemand.ts), which
 * requires each lazily loaded package by its literal name so that esbuild bundles it.
 */
function lazyRequireShim(): Plugin {
  return {
    name: 'varprop-require-on-demand',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\/requireOnDemand\.js$/ }, (args) =>
        path.resolve(args.resolveDir, args.path) === path.join(PACKAGE_ROOT, 'src', 'math', 'requireOnDemand.js')
          ? { path: path.join(APP_DIR, 'shims', 'requireOnDemand.ts') }
          : undefined,
      );
    },
  };
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

/**
 * The source files a build read, relative to the package root. esbuild also lists modules from its
 * own namespaces, such as `(disabled):util` for a Node built-in a browser bundle leaves out; they are
 * no files, and once recorded they made every later build look stale.
 */
export function bundleInputs(metafile: Pick<Metafile, 'inputs'>): string[] {
  // esbuild reports inputs relative to the working directory; store them relative to the package root.
  return Object.keys(metafile.inputs)
    .filter((input) => !input.includes('node_modules') && isSourceFile(input))
    .map((input) => path.relative(PACKAGE_ROOT, path.resolve(input)));
}

/** False for esbuild's namespaced modules (`(disabled):util`, `ns:thing`); a Windows drive letter is a path. */
function isSourceFile(input: string): boolean {
  return !/^[^/\\]*:/.test(input.replace(/^[A-Za-z]:[/\\]/, ''));
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
