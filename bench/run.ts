/**
 * `npm run bench`: one table of what a user waits for, and the engine's warm throughput.
 *
 * Whole processes (what a user sees): each command of the README's tour is run as `node
 * bin/varprop.js ...` (the installed launcher, so dist/ must be built: `npm run build`) in turn with
 * its floor or reference, A B A B ..., and the ratio is taken pair by pair, so the machine's drift
 * (other work on a shared machine) cancels; the median pair ratio is printed. Start-up commands are
 * paired with `node -e ''` (the floor: Node itself); `varprop check` on the two scenarios is paired
 * with NumPy's whole process (`python3 shared/bench/reference_mc.py`, float32, same sample counts).
 * Peak RSS of each child comes from wait4()'s rusage via /usr/bin/time when it is installed.
 *
 * Warm engine: NumPy against the engine (shared/bench/reference_mc.py, float32) on the issue's
 * two scenarios, same sample counts, in one process tree and one run. Prints seconds, GFLOP/s, the
 * ratio time_numpy / time_varprop and peak RSS, and writes bench/results.json.
 *
 * Timing: NumPy's figure is its own `elapsed_s` (measured inside the script, after interpreter start
 * and `import numpy`). The engine's headline figure is likewise a run on an already started worker
 * pool ("warm": threads up, wasm compiled, network modules loaded); the cold figure (pool start
 * included) is printed next to it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNetworkParallel, WorkerPool } from '../src/numeric/parallel/pool.js';
import { deriveNetwork } from '../src/symbolic/layer.js';
import { resolveNetwork, type NetworkSpec } from '../src/vocabulary/network.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// VARPROP_REFERENCE_MC points elsewhere when the checkout is not next to shared/ (e.g. a git worktree).
const referenceScript = process.env.VARPROP_REFERENCE_MC ?? path.resolve(repoRoot, '../shared/bench/reference_mc.py');

interface Scenario {
  name: string;
  widths: number[];
  act: 'tanh' | 'relu';
  init: 'xavier_normal' | 'he_normal';
  batch: number;
  nets: number;
}

const scenarios: Scenario[] = [
  { name: 'wide', widths: Array(7).fill(1000), act: 'tanh', init: 'xavier_normal', batch: 256, nets: 4 },
  { name: 'deep', widths: Array(51).fill(256), act: 'relu', init: 'he_normal', batch: 256, nets: 8 },
];

/** FLOPs as reference_mc.py counts them: three products of 2·batch·n_in·n_out per layer and net. */
function flops(s: Scenario): number {
  let perNet = 0;
  for (let l = 0; l + 1 < s.widths.length; l++) perNet += 2 * s.batch * s.widths[l] * s.widths[l + 1] * 3;
  return perNet * s.nets;
}

interface EngineFigure {
  seconds: number;
  coldSeconds: number;
  gflops: number;
  workers: number;
  backend: string;
  firstLayerForward: number;
}

/**
 * One scenario on a fresh pool. float32: a first run (its time plus the pool start is the cold
 * figure), then the timed warm run. float64 (slow): one run on the started pool, timed as warm.
 */
async function runEngine(s: Scenario, dtype: 'float32' | 'float64', workers: number): Promise<EngineFigure> {
  const spec: NetworkSpec = { widths: s.widths, activation: s.act, init: s.init };
  const network = resolveNetwork(spec);
  const options = { batch: s.batch, nets: s.nets, seed: 1, dtype };
  const coldStart = performance.now();
  const pool = await WorkerPool.start({ workers, dtype });
  try {
    const startedSeconds = (performance.now() - coldStart) / 1000;
    if (dtype === 'float32') await measureNetworkParallel(network, options, { pool });
    const coldSeconds = (performance.now() - coldStart) / 1000;
    const warmStart = performance.now();
    const raw = await measureNetworkParallel(network, { ...options, seed: 2 }, { pool });
    const seconds = (performance.now() - warmStart) / 1000;
    return {
      seconds,
      coldSeconds: dtype === 'float32' ? coldSeconds : startedSeconds + seconds,
      gflops: flops(s) / seconds / 1e9,
      workers,
      backend: pool.backendName,
      firstLayerForward: raw.replicates[0].forward[0],
    };
  } finally {
    await pool.close();
  }
}

interface NumpyFigure {
  seconds: number;
  gflops: number;
  peakRssMiB: number;
  firstLayerForward: number;
}

function runNumpy(s: Scenario): NumpyFigure {
  // Run the script through runpy so the child can report its own peak RSS (ru_maxrss, KiB on Linux).
  const wrapper = [
    'import resource, runpy, sys',
    'sys.argv = sys.argv[1:]',
    'try:',
    '    runpy.run_path(sys.argv[0], run_name="__main__")',
    'finally:',
    '    sys.stderr.write("PEAK_RSS_KIB %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)',
  ].join('\n');
  const args = [
    '-c',
    wrapper,
    referenceScript,
    '--widths',
    s.widths.join(','),
    '--act',
    s.act,
    '--init',
    s.init,
    '--batch',
    String(s.batch),
    '--nets',
    String(s.nets),
    '--seed',
    '1',
    '--dtype',
    'float32',
    '--json',
  ];
  const result = spawnSync('python3', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`reference_mc.py failed: ${result.stderr || result.error}`);
  const out = JSON.parse(result.stdout) as { elapsed_s: number; gflops: number; forward: { mean: number }[] };
  const rss = /PEAK_RSS_KIB (\d+)/.exec(result.stderr);
  return { seconds: out.elapsed_s, gflops: out.gflops, peakRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, firstLayerForward: out.forward[0].mean };
}

/** One timed child process: wall seconds and peak RSS (MiB, NaN when /usr/bin/time is missing). */
interface ProcessRun {
  seconds: number;
  peakRssMiB: number;
  status: number | null;
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

function runProcess(argv: string[]): ProcessRun {
  // /usr/bin/time -f %M prints the child's peak RSS in KiB (from wait4's rusage) as the last line of stderr.
  const command = hasTime ? [TIME, '-f', 'PEAK_RSS_KIB %M', ...argv] : argv;
  const started = performance.now();
  const result = spawnSync(command[0], command.slice(1), { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /PEAK_RSS_KIB (\d+)/.exec(result.stderr ?? '');
  return { seconds, peakRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, status: result.status };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface PairedFigure {
  label: string;
  reference: string;
  varpropSeconds: number;
  referenceSeconds: number;
  /** Median over pairs of time(varprop) / time(reference): how many floors a command costs. */
  medianRatio: number;
  varpropPeakRssMiB: number;
  referencePeakRssMiB: number;
  pairs: number;
  goal: string;
  met: boolean | null;
}

/**
 * Runs `varprop` and its reference in turn, one warm-up pair then `pairs` counted pairs, and keeps
 * the median of the pair ratios (drift on a loaded machine hits both runs of a pair alike).
 */
function paired(label: string, args: string[], reference: { label: string; argv: string[] }, pairs: number, goal: { text: string; test: (f: PairedFigure) => boolean }): PairedFigure {
  const varprop = ['node', 'bin/varprop.js', ...args];
  const mine: ProcessRun[] = [];
  const theirs: ProcessRun[] = [];
  for (let i = 0; i <= pairs; i++) {
    const a = runProcess(varprop);
    const b = runProcess(reference.argv);
    if (a.status !== 0 && a.status !== 1) throw new Error(`${varprop.join(' ')} exited with ${a.status}`);
    if (b.status !== 0) throw new Error(`${reference.argv.join(' ')} exited with ${b.status}`);
    if (i > 0) {
      mine.push(a);
      theirs.push(b);
    }
  }
  const figure: PairedFigure = {
    label,
    reference: reference.label,
    varpropSeconds: median(mine.map((r) => r.seconds)),
    referenceSeconds: median(theirs.map((r) => r.seconds)),
    medianRatio: median(mine.map((r, i) => r.seconds / theirs[i].seconds)),
    varpropPeakRssMiB: Math.max(...mine.map((r) => r.peakRssMiB)),
    referencePeakRssMiB: Math.max(...theirs.map((r) => r.peakRssMiB)),
    pairs,
    goal: goal.text,
    met: null,
  };
  figure.met = goal.test(figure);
  return figure;
}

function numpyArgv(s: Scenario): string[] {
  return ['python3', referenceScript, '--widths', s.widths.join(','), '--act', s.act, '--init', s.init, '--batch', String(s.batch), '--nets', String(s.nets), '--seed', '1', '--dtype', 'float32'];
}

/** The newest modification time under a folder (for "is dist/ older than src/?"). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath ?? dir, entry.name)).mtimeMs);
  }
  return newest;
}

function cell(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((text, c) => (c === 0 ? text.padEnd(widths[c]) : text.padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** Warm `deriveNetwork` (issue #13 goal 3): median ms of `runs` calls after a warm-up, for a depth. */
function deriveWarm(layers: number, runs = 7): number {
  const network = resolveNetwork({ widths: Array(layers + 1).fill(256), activation: 'tanh', init: 'xavier_normal' });
  deriveNetwork(network);
  const times = Array.from({ length: runs }, () => {
    const started = performance.now();
    deriveNetwork(network);
    return performance.now() - started;
  });
  return median(times);
}

/** Worker start-up: median ms from `WorkerPool.start` to a pool ready to measure (threads up, wasm compiled). */
async function workerStartup(workers: number, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const pool = await WorkerPool.start({ workers, dtype: 'float32' });
    times.push(performance.now() - started);
    await pool.close();
  }
  return median(times);
}

/** `--float32-only` skips the (slow) float64 runs; `--pairs N` sets the start-up pairs (default 5). */
const float32Only = process.argv.includes('--float32-only');
const pairsFlag = process.argv.indexOf('--pairs');
const startupPairs = pairsFlag >= 0 ? Number(process.argv[pairsFlag + 1]) : 5;
/** `--no-engine` skips the warm-engine rows; `--no-startup` skips the whole-process rows. */
const withEngine = !process.argv.includes('--no-engine');
const withStartup = !process.argv.includes('--no-startup');

async function main(): Promise<void> {
  const workers = Math.max(1, Math.min(2, os.availableParallelism()));
  const load = os.loadavg()[0];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${load.toFixed(2)} at start`;
  console.log(`varprop bench: ${machine}`);
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (the whole-process rows run the installed launcher)');
  if (newestMtime(path.join(repoRoot, 'src')) > newestMtime(path.join(repoRoot, 'dist'))) {
    console.log('note: src/ is newer than dist/; the whole-process rows time the last build (`npm run build` to refresh)');
  }

  const floor = { label: "node -e ''", argv: ['node', '-e', ''] };
  const startup: PairedFigure[] = [];
  const wholeCheck: PairedFigure[] = [];
  if (withStartup) {
    // The goals (#13): --help ≤ 0.2 s, gain/fans/sample ≤ 0.4 s, derive ≤ 0.6 s, on a quiet machine.
    const commands: Array<[string, string[], number]> = [
      ['varprop --help', ['--help'], 0.2],
      ['varprop gain tanh', ['gain', 'tanh'], 0.4],
      ['varprop fans --shape 64,16,3,3', ['fans', '--shape', '64,16,3,3'], 0.4],
      ['varprop sample --shape 20,25', ['sample', '--init', 'xavier_uniform', '--shape', '20,25', '--seed', '3', '--json'], 0.4],
      ['varprop derive 784→256 tanh', ['derive', '--fan-in', '784', '--fan-out', '256', '--act', 'tanh'], 0.6],
    ];
    for (const [label, args, goal] of commands) {
      startup.push(paired(label, args, floor, startupPairs, { text: `≤ ${goal} s`, test: (f) => f.varpropSeconds <= goal }));
    }
    for (const s of scenarios) {
      const args = ['check', '--widths', s.widths.join(','), '--act', s.act, '--init', s.init, '--batch', String(s.batch), '--nets', String(s.nets), '--seed', '1', '--dtype', 'float32'];
      wholeCheck.push(
        paired(`varprop check ${s.name} (${s.widths.length}×${s.widths[0]})`, args, { label: 'numpy reference_mc.py', argv: numpyArgv(s) }, 3, {
          text: 'numpy/varprop ≥ 1',
          test: (f) => 1 / f.medianRatio >= 1,
        }),
      );
    }
  }

  const derive = { tenLayersMs: deriveWarm(10), twentyLayersMs: deriveWarm(20), perAdditionalLayerMs: 0 };
  derive.perAdditionalLayerMs = (derive.twentyLayersMs - derive.tenLayersMs) / 10;
  const workerStartMs = await workerStartup(workers);

  const results: Record<string, unknown>[] = [];
  if (withEngine) {
    for (const s of scenarios) {
      const numpy = runNumpy(s);
      const f32 = await runEngine(s, 'float32', workers);
      const f64 = float32Only ? null : await runEngine(s, 'float64', workers);
      results.push({
        scenario: s.name,
        widths: `${s.widths.length} × ${s.widths[0]}`,
        activation: s.act,
        init: s.init,
        batch: s.batch,
        nets: s.nets,
        gflop: flops(s) / 1e9,
        numpy,
        varpropFloat32: f32,
        varpropFloat64: f64,
        ratioFloat32: numpy.seconds / f32.seconds,
        ratioFloat32Cold: numpy.seconds / f32.coldSeconds,
        ratioFloat64: f64 ? numpy.seconds / f64.seconds : null,
        float64SlowdownVsFloat32: f64 ? f64.seconds / f32.seconds : null,
      });
    }
  }

  // One table: whole processes (ratio = median of paired ratios), then the warm engine.
  const rows: string[][] = [['what', 'varprop s', 'against', 'its s', 'ratio', 'GFLOP/s', 'peak MiB', 'goal', 'met']];
  for (const f of startup) {
    rows.push([f.label, cell(f.varpropSeconds), f.reference, cell(f.referenceSeconds), `${cell(f.medianRatio, 1)}× floor`, '', cell(f.varpropPeakRssMiB, 0), f.goal, f.met ? 'yes' : 'no']);
  }
  for (const [k, f] of wholeCheck.entries()) {
    const s = scenarios[k];
    rows.push([
      f.label,
      cell(f.varpropSeconds),
      f.reference,
      cell(f.referenceSeconds),
      `numpy/varprop ${cell(1 / f.medianRatio)}`,
      cell(flops(s) / f.varpropSeconds / 1e9, 1),
      `${cell(f.varpropPeakRssMiB, 0)} (${cell(f.referencePeakRssMiB, 0)})`,
      f.goal,
      f.met ? 'yes' : 'no',
    ]);
  }
  rows.push(['deriveNetwork 10 layers (warm, in-process)', cell(derive.tenLayersMs / 1000, 3), '', '', '', '', '', '≤ 0.1 s', derive.tenLayersMs <= 100 ? 'yes' : 'no']);
  rows.push(['  per additional layer (20 vs 10)', cell(derive.perAdditionalLayerMs / 1000, 3), '', '', '', '', '', '≤ 0.05 s', derive.perAdditionalLayerMs <= 50 ? 'yes' : 'no']);
  rows.push([`worker pool start (${workers} workers, float32)`, cell(workerStartMs / 1000, 3), '', '', '', '', '', '', '']);
  for (const r of results) {
    const numpy = r.numpy as NumpyFigure;
    const f32 = r.varpropFloat32 as EngineFigure;
    const f64 = r.varpropFloat64 as EngineFigure | null;
    rows.push([`warm engine ${r.scenario} float32 ${f32.backend}`, cell(f32.seconds), 'numpy float32 (in-process)', cell(numpy.seconds), `numpy/varprop ${cell(r.ratioFloat32 as number)}`, `${cell(f32.gflops, 1)} (${cell(numpy.gflops, 1)})`, '', 'numpy/varprop ≥ 1', (r.ratioFloat32 as number) >= 1 ? 'yes' : 'no']);
    rows.push([`  cold (pool start included)`, cell(f32.coldSeconds), '', '', `numpy/varprop ${cell(r.ratioFloat32Cold as number)}`, '', '', '', '']);
    if (f64) rows.push([`warm engine ${r.scenario} float64 ${f64.backend}`, cell(f64.seconds), 'numpy float32', cell(numpy.seconds), `numpy/varprop ${cell(r.ratioFloat64 as number)}`, cell(f64.gflops, 1), '', '', '']);
  }
  printTable(rows);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  if (withEngine) console.log(`peak RSS of the warm-engine process (all its workers): ${peakRssMiB.toFixed(0)} MiB (goal ≤ 1024)`);
  console.log(`ratios are medians of paired runs (A B A B ...); seconds are medians; on a shared machine read the ratios (load average ${load.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at the end).`);

  const file = path.join(repoRoot, 'bench', 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, memoryGiB: os.totalmem() / 2 ** 30, loadAverageAtStart: load, node: process.version },
        node: process.version,
        cpus: os.cpus().length,
        workers,
        peakRssMiB: withEngine ? peakRssMiB : null,
        loadAverageAtEnd: os.loadavg()[0],
        derive,
        workerStartMs,
        wholeProcess: [...startup, ...wholeCheck],
        scenarios: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
