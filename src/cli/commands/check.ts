/**
 * `varprop check`: measure a network by Monte Carlo and test every per-layer variance against its
 * prediction (exact where one exists, else mean-field), with linear theory shown alongside.
 * `--json` prints the {@link CheckReport} contract; a failed check sets exit code 1.
 */
import { type Command, Option } from 'commander';
import { InputError } from '../../errors.js';
import { DECISION_RULE, DEFAULT_TOLERANCE } from '../../numeric/decision.js';
import { CHECK_DEFAULTS, MAX_REPLICATE_NETS, type CheckReport, type MeasureOptions, type QuantityCheck, type RawMeasurement } from '../../numeric/measurement.js';
import type { NetworkSpec, ResolvedNetwork } from '../../vocabulary/network.js';
import { addNetworkOptions, parseNumberFlag, refText } from '../flags.js';
import type { CliIO } from '../io.js';
import type { NetworkFlags } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

interface CheckFlags extends NetworkFlags {
  batch: string;
  nets: string;
  seed: string;
  dtype: string;
  relWidth?: string;
  maxNets?: string;
  level: string;
  tolerance: string;
  exactTolerance: string;
  json?: boolean;
}

async function specFromFlags(flags: CheckFlags): Promise<NetworkSpec> {
  if (flags.spec === undefined && flags.widths === undefined) {
    throw new InputError('--widths', undefined, 'a comma-separated list such as 784,256,256,10', 'or pass --spec file.json');
  }
  const { networkSpecFromFlags } = await import('../networkFlags.js');
  return networkSpecFromFlags(flags);
}

/** Below this many floating-point operations (a few seconds in one thread) a run stays in-process: starting workers and their wasm backends costs more. */
const PARALLEL_THRESHOLD_FLOPS = 1e10;

/**
 * The CLI's engine: worker threads (`measureNetworkParallel`) for runs big enough to pay for
 * starting them, the in-process engine otherwise. Both draw the same numbers for a seed (float32 sums may round differently).
 */
export async function measureForCli(network: ResolvedNetwork, options: MeasureOptions): Promise<RawMeasurement> {
  const perReplicate = network.layers.reduce((sum, layer) => sum + 6 * options.batch * layer.fanIn * layer.outputUnits, 0);
  if (perReplicate * options.nets < PARALLEL_THRESHOLD_FLOPS) {
    const { measureNetwork } = await import('../../numeric/engine.js');
    return measureNetwork(network, options);
  }
  const { measureNetworkParallel } = await import('../../numeric/parallel/pool.js');
  return measureNetworkParallel(network, options);
}

const positiveInteger = (v: number) => Number.isInteger(v) && v > 0;

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  addNetworkOptions(
    program.command('check').description('Measure a network by Monte Carlo and test each layer against its predicted variances'),
  )
    .option('--batch <n>', 'examples per replicate network', String(CHECK_DEFAULTS.batch))
    .option('--nets <n>', 'replicate networks (the first round with --rel-width)', String(CHECK_DEFAULTS.nets))
    .option('--seed <n>', 'random seed', String(CHECK_DEFAULTS.seed))
    .addOption(new Option('--dtype <type>', 'arithmetic of the passes').choices(['float32', 'float64']).default(CHECK_DEFAULTS.dtype))
    .option('--rel-width <r>', 'keep sampling until every printed interval half-width is below r × |estimate|')
    .option('--max-nets <n>', 'upper bound on replicate networks with --rel-width')
    .option('--level <p>', 'family level: a correct prediction fails with probability at most 1 − level', String(CHECK_DEFAULTS.level))
    .option('--tolerance <r>', 'relative band around a mean-field prediction (its O(1/width) bias)', String(DEFAULT_TOLERANCE.meanField))
    .option('--exact-tolerance <r>', 'relative band around an exact prediction (0: tested strictly)', String(DEFAULT_TOLERANCE.exact))
    .option('--json', 'print the report as JSON (decisionRule, tolerance, intervalLevel; per quantity band, verdict, interval)')
    .addHelpText('after', `\nDecision rule: ${DECISION_RULE}\nThe band of a quantity is prediction × [1 − tolerance, 1 + tolerance]: exact predictions (identity, relu-like) use --exact-tolerance, mean-field ones --tolerance.\nQuantities per layer l: E[h²] = mean of h_l² over units and batch; E[d²] = mean of d_l² where d_l = ∂L/∂h_l for the random linear loss L = Σ_b g_b·h_L,b, g_b ~ N(0, I); E[dW²] = Σ_ij (∂L/∂W_l,ij)² / (count·batch), over the layer's weight entries.`)
    .action(async (flags: CheckFlags) => {
      const spec = await specFromFlags(flags);
      const [{ checkNetwork }, { createProgress }] = await Promise.all([import('../../numeric/check.js'), import('../progress.js')]);
      const progress = createProgress(io, { label: 'check' });
      let report: CheckReport;
      try {
        report = await checkNetwork(spec, {
          batch: parseNumberFlag('--batch', flags.batch, 'a positive integer', positiveInteger),
          nets: parseNumberFlag('--nets', flags.nets, `an integer from 2 to ${MAX_REPLICATE_NETS}`, (v) => Number.isInteger(v) && v >= 2 && v <= MAX_REPLICATE_NETS),
          seed: parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32),
          dtype: flags.dtype as 'float32' | 'float64',
          level: parseNumberFlag('--level', flags.level, 'a number strictly between 0 and 1', (v) => v > 0 && v < 1),
          tolerance: parseNumberFlag('--tolerance', flags.tolerance, 'a number from 0 (inclusive) to 1, e.g. 0.05', (v) => v >= 0 && v < 1),
          exactTolerance: parseNumberFlag('--exact-tolerance', flags.exactTolerance, 'a number from 0 (inclusive) to 1, e.g. 0', (v) => v >= 0 && v < 1),
          relWidth:
            flags.relWidth === undefined ? undefined : parseNumberFlag('--rel-width', flags.relWidth, 'a number > 0, e.g. 0.01', (v) => v > 0),
          maxNets: flags.maxNets === undefined ? undefined : parseNumberFlag('--max-nets', flags.maxNets, 'a positive integer', positiveInteger),
          onProgress: (done, total) => progress.update(done, total),
          measure: measureForCli,
        });
      } finally {
        progress.stop();
      }
      io.stdout(flags.json ? `${JSON.stringify(report, null, 1)}\n` : formatCheckReport(report, spec));
      if (!report.pass) io.exitCode = 1;
    });
};

function fmt(value: number | null): string {
  if (value === null) return '—';
  if (Math.abs(value) >= Number.MAX_VALUE) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5 ? value.toPrecision(4) : value.toExponential(3);
}

const QUANTITY_LABELS = { forward: 'E[h²]', backward: 'E[d²]', weightGradient: 'E[dW²]' } as const;

function percentText(fraction: number): string {
  return `${+(100 * fraction).toPrecision(4)}%`;
}

/** "exact ±0" or "mean-field ±5%": which prediction was tested, and its band. */
function testedText(q: QuantityCheck): string {
  return `${q.tested === 'exact' ? 'exact' : 'mean-field'} ±${percentText(q.tolerance ?? 0)}`;
}

/** A short title for the network: the widths shorthand when there is one, else the layer count. */
function networkTitle(spec: NetworkSpec, report: CheckReport): string {
  const flat = spec as { widths?: unknown; activation?: unknown; init?: unknown };
  if (Array.isArray(flat.widths)) {
    return `check ${flat.widths.join(',')}  act ${refText(flat.activation as never)}  init ${refText(flat.init as never)}`;
  }
  return `check ${report.layers.length} weight layers`;
}

/**
 * The human table: one row per layer and quantity with the three predictions, which one was tested
 * and its band, the interval the verdict used, and the verdict; then a sentence that states the rule.
 * A row passes exactly when its interval meets its band, so the table cannot contradict itself.
 */
export function formatCheckReport(report: CheckReport, spec: NetworkSpec): string {
  const header = ['layer', 'quantity', 'linear', 'exact', 'mean-field', 'tested ± band', 'measured [interval]', 'z', 'pass'];
  const rows: string[][] = [];
  const failures: string[] = [];
  const testedKinds = new Set<string>();
  const row = (where: string, label: string, q: QuantityCheck): string[] => {
    testedKinds.add(q.tested);
    return [
      where,
      label,
      fmt(q.linear),
      fmt(q.exact),
      fmt(q.meanField),
      testedText(q),
      `${fmt(q.estimate)} [${fmt(q.ciLow)}, ${fmt(q.ciHigh)}]`,
      Math.abs(q.z) >= Number.MAX_VALUE ? (q.z > 0 ? 'inf' : '-inf') : q.z.toFixed(2),
      q.pass ? 'yes' : 'NO',
    ];
  };
  for (const layer of report.layers) {
    for (const name of ['forward', 'backward', 'weightGradient'] as const) {
      const q: QuantityCheck = layer[name];
      rows.push(row(String(layer.layer), QUANTITY_LABELS[name], q));
      if (!q.pass) failures.push(`${QUANTITY_LABELS[name]} at layer ${layer.layer}`);
    }
  }
  // The other sites of the tree (activations, normalizations, residual sums, ...): a weight layer's
  // h and d are its pre-activation site's checks, already in the rows above.
  const shown = new Set(report.layers.flatMap((layer) => [layer.forward, layer.backward]));
  let quantities = report.layers.length * 3;
  for (const site of report.sites ?? []) {
    for (const [name, label] of [['forward', 'E[y²]'], ['backward', 'E[(∂y)²]']] as const) {
      const q = site[name];
      if (shown.has(q)) continue;
      quantities++;
      rows.push(row(`${site.path} ${site.kind}`, label, q));
      if (!q.pass) failures.push(`${label} at ${site.path} (${site.kind})`);
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const familyLevel = percentText(report.level ?? 0.99);
  const intervalPercent = percentText(report.intervalLevel ?? report.level ?? 0.99);
  const bands = [...testedKinds]
    .map((k) => (k === 'exact' ? `exact predictions within ±${percentText(report.tolerance?.exact ?? 0)}` : `mean-field ones within ±${percentText(report.tolerance?.meanField ?? DEFAULT_TOLERANCE.meanField)}`))
    .join(', ');
  const total = quantities;
  const samples = `${report.nets ?? '?'} nets × ${report.batch ?? '?'} examples, seed ${report.seed ?? '?'}, ${report.dtype ?? ''}`;
  // The family size the level was split over (sites and weight gradients when the engine measured sites).
  const family = report.intervalLevel !== undefined && report.level !== undefined ? Math.round((1 - report.level) / (1 - report.intervalLevel)) : total;
  const rule = `a quantity fails when its ${intervalPercent} interval (log-scale, Bonferroni over ${family}) misses its band: ${bands}`;
  let verdict: string;
  if (report.breakdown) {
    const b = report.breakdown;
    verdict = `FAIL: the run ${b.kind} at layer ${b.layer} (${b.pass} pass); replicates that broke down are dropped, so no statistic is usable.`;
  } else if (report.pass) {
    verdict = `PASS: none of the ${total} measured second moments contradicts its prediction at family level ${familyLevel}; ${rule} (${samples}).`;
  } else {
    verdict = `FAIL: ${failures.length} of ${total} measured second moments contradict their predictions at family level ${familyLevel}: ${failures.join(', ')}; ${rule} (${samples}).`;
  }
  const linearOff = linearTheoryNote(report);
  return [networkTitle(spec, report), line(header), ...rows.map(line), '', verdict, ...(linearOff ? [linearOff] : []), `(${report.elapsedSeconds.toFixed(2)} s)`, ''].join('\n');
}

/** One sentence when linear theory is far outside the interval somewhere (e.g. tanh). */
function linearTheoryNote(report: CheckReport): string | undefined {
  let worst: { layer: number; ratio: number } | undefined;
  for (const layer of report.layers) {
    const q = layer.forward;
    if (q.linear < q.ciLow || q.linear > q.ciHigh) {
      const ratio = q.linear / q.estimate;
      if (!worst || Math.abs(Math.log(ratio)) > Math.abs(Math.log(worst.ratio))) worst = { layer: layer.layer, ratio };
    }
  }
  if (!worst || !Number.isFinite(worst.ratio) || worst.ratio <= 0) return undefined;
  return `Linear theory (φ′(0)-linearisation) misses the forward variance: ${worst.ratio.toFixed(3)}× the measured value at layer ${worst.layer}.`;
}
