/**
 * `npm run bench`: the engine against NumPy (shared/bench/reference_mc.py, float32) on the issue's
 * two scenarios, same sample counts, in one process tree and one run. Prints seconds, GFLOP/s, the
 * ratio time_numpy / time_varprop and peak RSS, and writes bench/results.json.
 *
 * Timing: NumPy's figure is its own `elapsed_s` (measured inside the script, after interpreter start
 * and `import numpy`). The engine's headline figure is likewise a run on an already started worker
 * pool ("warm": threads up, wasm compiled, network modules loaded); the cold figure (pool start
 * included) is printed next to it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNetworkParallel, WorkerPool } from '../src/numeric/parallel/pool.js';
import { resolveNetwork, type NetworkSpec } from '../src/vocabulary/network.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const referenceScript = path.resolve(repoRoot, '../shared/bench/reference_mc.py');

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

function format(value: number, digits = 2): string {
  return value.toFixed(digits).padStart(8);
}

/** `--float32-only` skips the (slow) float64 runs, for quick looks. */
const float32Only = process.argv.includes('--float32-only');

async function main(): Promise<void> {
  const workers = Math.max(1, Math.min(2, os.availableParallelism()));
  const results: Record<string, unknown>[] = [];
  console.log(`varprop bench: ${workers} worker(s), ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log('scenario  engine                  seconds (cold)    GFLOP/s  numpy/varprop');
  for (const s of scenarios) {
    const numpy = runNumpy(s);
    const f32 = await runEngine(s, 'float32', workers);
    const f64 = float32Only ? null : await runEngine(s, 'float64', workers);
    const line = (label: string, seconds: number, cold: number | null, gflops: number, ratio: number | null) =>
      console.log(
        `${s.name.padEnd(9)} ${label.padEnd(22)} ${format(seconds)} ${cold === null ? '        ' : `(${format(cold).trim()})`.padStart(8)} ${format(gflops, 1)}  ${ratio === null ? '' : format(ratio)}`,
      );
    line('numpy float32', numpy.seconds, null, numpy.gflops, null);
    line(`varprop float32 ${f32.backend}`, f32.seconds, f32.coldSeconds, f32.gflops, numpy.seconds / f32.seconds);
    if (f64) line(`varprop float64 ${f64.backend}`, f64.seconds, f64.coldSeconds, f64.gflops, numpy.seconds / f64.seconds);
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
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const numpyPeak = Math.max(...results.map((r) => (r.numpy as NumpyFigure).peakRssMiB));
  console.log(`peak RSS: varprop process (all workers) ${peakRssMiB.toFixed(0)} MiB, numpy ${numpyPeak.toFixed(0)} MiB`);
  const goal = results.every((r) => (r.ratioFloat32 as number) >= 0.5) && peakRssMiB < 1024;
  console.log(`goal (numpy/varprop ≥ 0.5 on both, peak RSS < 1 GiB): ${goal ? 'met' : 'not met'}`);
  const file = path.join(repoRoot, 'bench', 'results.json');
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, workers, peakRssMiB, goalMet: goal, scenarios: results }, null, 2) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
