/**
 * `checkNetwork`: measure a network with the Monte Carlo engine and test every measured quantity
 * against its prediction. The result is exactly the `varprop check --json` contract
 * ({@link CheckReport} in src/numeric/measurement.ts).
 *
 * Statistics (src/math/statistics.ts): each replicate network gives one value per quantity;
 * across replicates the estimate is the mean with a t interval at `level`; the z-score compares the
 * tested prediction (exact where one exists, else mean-field); two-sided t p-values of all 3·L
 * quantities are tested together with Holm's step-down procedure, so a passing network's family-wise
 * false-failure rate is at most 1 − level. The reported `ciLow`/`ciHigh` are the plain per-quantity
 * intervals at `level` (what a reader expects to see); `pass` is the Holm decision, which is more
 * lenient per quantity, so a prediction just outside its interval can still pass.
 *
 * @example
 * ```ts
 * const report = await checkNetwork({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' });
 * report.pass; // true: He keeps relu's variance, exactly
 * ```
 */
import { InputError } from '../errors.js';
import { MAX_REPLICATE_NETS } from './measurement.js';
import { resolveNetwork } from '../vocabulary/network.js';
import type { NetworkSpec, ResolvedNetwork } from '../vocabulary/network.js';
import type {
  CheckReport,
  LayerCheck,
  MeasureOptions,
  QuantityCheck,
  RawMeasurement,
  ReplicateValues,
} from './measurement.js';
import { holmReject, relativeWidthStopRule, studentTTwoSidedP, tInterval, zScore } from '../math/statistics.js';
import { predictNetwork, type PredictionFlavours, type PredictionSeries } from '../symbolic/predict.js';

/** The engine entry point a check runs; injectable so tests and the explorer can pass their own. */
export type MeasureFunction = (network: ResolvedNetwork, options: MeasureOptions) => Promise<RawMeasurement>;

export interface CheckOptions {
  /** Examples per replicate network (default 256). */
  batch?: number;
  /** Replicate networks (default 8; at least 2 for an interval). With `relWidth`, the first round. */
  nets?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
  /** Confidence level of intervals and of the Holm family test (default 0.99). */
  level?: number;
  /** Keep sampling, in rounds (planned by the engine), until every interval half-width / |estimate| < relWidth. */
  relWidth?: number;
  /** Upper bound on replicates with `relWidth` (default max(nets, 256)). */
  maxNets?: number;
  histogramBins?: number;
  onProgress?: (done: number, total: number) => void;
  /** The engine; default `measureNetwork` from src/numeric/engine.ts. */
  measure?: MeasureFunction;
  /**
   * A caller-supplied formula to test instead of the theory (e.g. a deliberately wrong one, or a
   * user's own claim). Its values replace the prediction in the slot `tested` names, so the report
   * keeps the contract's shape; `linear` and the other flavour stay the theory's.
   */
  predictions?: (network: ResolvedNetwork) => PredictionSeries;
}

/** Defaults of {@link CheckOptions}, shared with the CLI's help text. */
export const CHECK_DEFAULTS = { batch: 256, nets: 8, seed: 1, dtype: 'float32', level: 0.99 } as const;

const QUANTITIES = ['forward', 'backward', 'weightGradient'] as const;
type QuantityName = (typeof QUANTITIES)[number];

/** Resolves `spec` (validating it) and runs {@link checkResolvedNetwork}. */
export async function checkNetwork(spec: NetworkSpec | unknown, options: CheckOptions = {}): Promise<CheckReport> {
  const settings = validateCheckOptions(options);
  const network = resolveNetwork(spec as NetworkSpec);
  return runCheck(network, settings, options);
}

/** The check for an already resolved network. */
export async function checkResolvedNetwork(network: ResolvedNetwork, options: CheckOptions = {}): Promise<CheckReport> {
  return runCheck(network, validateCheckOptions(options), options);
}

interface CheckSettings {
  batch: number;
  nets: number;
  seed: number;
  dtype: 'float32' | 'float64';
  level: number;
  relWidth?: number;
  maxNets?: number;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** Validates the numeric options and fills defaults; throws {@link InputError} naming the field. */
export function validateCheckOptions(options: CheckOptions): CheckSettings {
  const batch = options.batch ?? CHECK_DEFAULTS.batch;
  if (!isPositiveInteger(batch)) throw new InputError('batch', batch, 'a positive integer');
  const nets = options.nets ?? CHECK_DEFAULTS.nets;
  if (!isPositiveInteger(nets) || nets < 2 || nets > MAX_REPLICATE_NETS) {
    throw new InputError('nets', nets, `an integer from 2 to ${MAX_REPLICATE_NETS}`, 'A confidence interval needs at least two replicate networks');
  }
  const seed = options.seed ?? CHECK_DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new InputError('seed', seed, 'an integer from 0 to 4294967295');
  }
  const dtype = options.dtype ?? CHECK_DEFAULTS.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') throw new InputError('dtype', dtype, 'float32 or float64');
  const level = options.level ?? CHECK_DEFAULTS.level;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new InputError('level', level, 'a number strictly between 0 and 1, e.g. 0.99');
  }
  const relWidth = options.relWidth;
  if (relWidth !== undefined && (typeof relWidth !== 'number' || !(relWidth > 0) || !Number.isFinite(relWidth))) {
    throw new InputError('relWidth', relWidth, 'a positive number, e.g. 0.01 for 1%');
  }
  let maxNets = options.maxNets;
  if (maxNets !== undefined && (!isPositiveInteger(maxNets) || maxNets < nets || maxNets > MAX_REPLICATE_NETS)) {
    throw new InputError('maxNets', maxNets, `an integer from nets (${nets}) to ${MAX_REPLICATE_NETS}`);
  }
  if (relWidth !== undefined && maxNets === undefined) maxNets = Math.max(nets, 256);
  return { batch, nets, seed, dtype, level, relWidth, maxNets };
}

async function defaultMeasure(network: ResolvedNetwork, options: MeasureOptions): Promise<RawMeasurement> {
  const { measureNetwork } = await import('./engine.js');
  return measureNetwork(network, options);
}

/** Per-quantity series over replicates: [layer0.forward, layer0.backward, layer0.weightGradient, layer1...]. */
function seriesOf(replicates: readonly ReplicateValues[], depth: number): number[][] {
  const series: number[][] = [];
  for (let l = 0; l < depth; l++) {
    for (const quantity of QUANTITIES) series.push(replicates.map((r) => r[quantity][l]));
  }
  return series;
}

/** Finite stand-in for a non-finite number so the report never holds NaN (JSON would say null). */
function finite(value: number): number {
  if (Number.isNaN(value)) return Number.MAX_VALUE;
  return Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, value));
}

async function runCheck(network: ResolvedNetwork, settings: CheckSettings, options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const depth = network.layers.length;
  const measure = options.measure ?? defaultMeasure;
  const measureOptions: MeasureOptions = {
    batch: settings.batch,
    nets: settings.nets,
    seed: settings.seed,
    dtype: settings.dtype,
    histogramBins: options.histogramBins,
    onProgress: options.onProgress,
  };
  if (settings.relWidth !== undefined) {
    measureOptions.shouldStop = relativeWidthStopRule((replicates: readonly ReplicateValues[]) => seriesOf(replicates, depth), {
      relWidth: settings.relWidth,
      level: settings.level,
    });
    measureOptions.maxNets = settings.maxNets;
  }
  const raw = await measure(network, measureOptions);
  const theory = predictNetwork(network);
  const override = options.predictions?.(network);
  if (override) validateOverride(override, depth);

  const replicates = raw.replicates;
  const draft: { layer: number; name: QuantityName; check: QuantityCheck; p: number }[] = [];
  for (let l = 0; l < depth; l++) {
    for (const name of QUANTITIES) {
      const values = replicates.map((r) => r[name][l]);
      const flavours = theory.layers[l][name];
      const check = quantityCheck(values, flavours, override?.[name][l], settings.level);
      const df = Math.max(1, values.length - 1);
      const p = Math.abs(check.z) < Number.MAX_VALUE ? studentTTwoSidedP(check.z, df) : 0;
      draft.push({ layer: l, name, check, p });
    }
  }
  const rejected = holmReject(
    draft.map((d) => d.p),
    settings.level,
  );
  draft.forEach((d, i) => {
    // An interval-less quantity (stderr set to MAX_VALUE after a breakdown) never passes.
    d.check.pass = !rejected[i] && d.check.stderr < Number.MAX_VALUE;
  });
  if (raw.breakdown) {
    // The engine drops replicates that broke down, so every remaining statistic is conditional on
    // not breaking down (biased): none of them may pass.
    for (const d of draft) d.check.pass = false;
  }

  const layers: LayerCheck[] = network.layers.map((layer, l) => {
    const of = (name: QuantityName) => draft.find((d) => d.layer === l && d.name === name)!.check;
    return {
      layer: layer.index,
      fanIn: layer.fanIn,
      fanOut: layer.fanOut,
      forward: of('forward'),
      backward: of('backward'),
      weightGradient: of('weightGradient'),
    };
  });
  const report: CheckReport = {
    pass: draft.every((d) => d.check.pass) && !raw.breakdown,
    elapsedSeconds: (performance.now() - started) / 1000,
    layers,
    level: settings.level,
    nets: replicates.length,
    batch: settings.batch,
    seed: settings.seed,
    dtype: settings.dtype,
    distributions: raw.distributions,
  };
  if (raw.breakdown) report.breakdown = raw.breakdown;
  return report;
}

function validateOverride(override: PredictionSeries, depth: number): void {
  for (const name of QUANTITIES) {
    const values = override[name];
    if (!Array.isArray(values) || values.length !== depth || !values.every((v) => typeof v === 'number' && !Number.isNaN(v))) {
      throw new InputError(`predictions.${name}`, values, `an array of ${depth} numbers, one per weight layer`);
    }
  }
}

function quantityCheck(
  values: number[],
  flavours: PredictionFlavours,
  override: number | undefined,
  level: number,
): QuantityCheck {
  const tested: 'exact' | 'meanField' = flavours.exact !== null ? 'exact' : 'meanField';
  let exact = flavours.exact;
  let meanField = flavours.meanField;
  if (override !== undefined) {
    if (tested === 'exact') exact = override;
    else meanField = override;
  }
  const prediction = tested === 'exact' ? (exact as number) : meanField;
  const theory = { linear: finite(flavours.linear), exact: exact === null ? null : finite(exact), meanField: finite(meanField), tested };
  const usable = values.length >= 2 && values.every(Number.isFinite);
  if (!usable) {
    // A breakdown left fewer than two replicates: no interval; the caller marks the quantity failed.
    const finiteValues = values.filter(Number.isFinite);
    const estimate = finiteValues.length > 0 ? finiteValues.reduce((a, b) => a + b, 0) / finiteValues.length : 0;
    return { estimate: finite(estimate), stderr: Number.MAX_VALUE, ciLow: -Number.MAX_VALUE, ciHigh: Number.MAX_VALUE, ...theory, z: 0, pass: false };
  }
  const interval = tInterval(values, level);
  return {
    estimate: finite(interval.estimate),
    stderr: finite(interval.stderr),
    ciLow: finite(interval.ciLow),
    ciHigh: finite(interval.ciHigh),
    ...theory,
    z: zScore(interval.estimate, prediction, interval.stderr),
    pass: false,
  };
}
