/**
 * `checkNetwork`: measure a network with the Monte Carlo engine and test every measured quantity
 * against its prediction. The result is exactly the `varprop check --json` contract
 * ({@link CheckReport} in src/numeric/measurement.ts).
 *
 * Decision (src/numeric/decision.ts, the procedure `varprop/testing` uses too): each replicate
 * network gives one value per quantity; per quantity, the mean over replicates gets a log-scale interval
 * (`secondMomentInterval`: the hull of Cox–t and delta-method t) (second moments are right-skewed, so a plain t interval under-covers) at the
 * simultaneous level 1 − (1 − level)/(3·L) (Bonferroni), and the quantity fails when that interval
 * lies entirely outside its band prediction·[1 − τ, 1 + τ]. Exact predictions are tested strictly
 * (τ = 0 by default), mean-field ones with τ = 5% by default (their O(1/width) bias must not fail a
 * check just because many samples were drawn). The reported `ciLow`/`ciHigh` are the intervals the
 * verdict used, so a verdict never contradicts the interval printed beside it; a correct prediction
 * fails with probability at most 1 − level.
 *
 * @example
 * ```ts
 * const report = await checkNetwork({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' });
 * report.pass; // true: He keeps relu's variance, exactly
 * ```
 */
import { InputError } from '../errors.js';
import { CHECK_DEFAULTS, MAX_REPLICATE_NETS } from './measurement.js';
import { resolveNetwork } from '../vocabulary/network.js';
import type { NetworkSpec, ResolvedNetwork } from '../vocabulary/network.js';
import type {
  CheckReport,
  LayerCheck,
  SiteCheck,
  MeasureOptions,
  QuantityCheck,
  RawMeasurement,
  ReplicateValues,
} from './measurement.js';
import { DECISION_RULE, DEFAULT_TOLERANCE, decidePrediction, decisionIntervalsNarrowEnough, simultaneousLevel } from './decision.js';
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
  /** Family confidence level: a correct prediction fails with probability at most 1 − level (default 0.99). */
  level?: number;
  /** Relative tolerance of the band around a mean-field prediction (default 0.05). */
  tolerance?: number;
  /** Relative tolerance of the band around an exact prediction (default 0: tested strictly). */
  exactTolerance?: number;
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

export { CHECK_DEFAULTS };

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
  tolerance: number;
  exactTolerance: number;
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
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE.meanField;
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance < 1)) {
    throw new InputError('tolerance', tolerance, 'a relative tolerance from 0 (inclusive) to 1, e.g. 0.05 for ±5%');
  }
  const exactTolerance = options.exactTolerance ?? DEFAULT_TOLERANCE.exact;
  if (typeof exactTolerance !== 'number' || !(exactTolerance >= 0 && exactTolerance < 1)) {
    throw new InputError('exactTolerance', exactTolerance, 'a relative tolerance from 0 (inclusive) to 1, e.g. 0 for a strict test');
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
  return { batch, nets, seed, dtype, level, tolerance, exactTolerance, relWidth, maxNets };
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
  // The family: every site's E[y²] and E[(∂y)²] plus every weight layer's E[(∂W)²] (or, for values
  // measured without sites, the 3·L quantities of the weight layers). The weight layers' h_l and d_l
  // are their pre-activation sites' checks, not second tests.
  const siteCount = network.sites.length;
  const familySize = (withSites: boolean) => (withSites ? 2 * siteCount + depth : depth * QUANTITIES.length);
  const planned = familySize(true);
  if (settings.relWidth !== undefined) {
    // Stop on the very intervals the verdict will print (not on narrower per-quantity ones).
    const relWidth = settings.relWidth;
    const stopLevel = simultaneousLevel(settings.level, 1, planned);
    measureOptions.shouldStop = (replicates: readonly ReplicateValues[]) =>
      replicates.length >= 2 && decisionIntervalsNarrowEnough(seriesOf(replicates, depth), relWidth, stopLevel);
    measureOptions.maxNets = settings.maxNets;
  }
  const raw = await measure(network, measureOptions);
  const theory = predictNetwork(network);
  const override = options.predictions?.(network);
  if (override) validateOverride(override, depth);

  const replicates = raw.replicates;
  const withSites = replicates.length > 0 && replicates.every((r) => r.sites !== undefined);
  const intervalLevel = simultaneousLevel(settings.level, 1, familySize(withSites));
  const checks: QuantityCheck[] = [];
  const decide = (values: number[], flavours: PredictionFlavours, overridden: number | undefined): QuantityCheck => {
    const check = quantityCheck(values, flavours, overridden, intervalLevel, settings);
    // The engine drops replicates that broke down, so every remaining statistic is conditional on
    // not breaking down (biased): none of them may pass.
    if (raw.breakdown) check.pass = false;
    checks.push(check);
    return check;
  };
  // A caller's override replaces the prediction at each weight layer's pre-activation site.
  const overrideAt = new Map<string, { forward: number; backward: number }>();
  network.layers.forEach((layer, l) => {
    if (override) overrideAt.set(layer.preActivationPath, { forward: override.forward[l], backward: override.backward[l] });
  });
  const siteChecks: SiteCheck[] = withSites
    ? network.sites.map((site, i) => ({
        path: site.path,
        kind: site.kind,
        ...(site.layer !== undefined ? { layer: site.layer } : {}),
        forward: decide(replicates.map((r) => r.sites!.forward[i]), theory.sites[i].forward, overrideAt.get(site.path)?.forward),
        backward: decide(replicates.map((r) => r.sites!.backward[i]), theory.sites[i].backward, overrideAt.get(site.path)?.backward),
      }))
    : [];
  const siteByPath = new Map(siteChecks.map((site) => [site.path, site]));

  const layers: LayerCheck[] = network.layers.map((layer, l) => {
    const pre = siteByPath.get(layer.preActivationPath);
    const own = (name: QuantityName) => decide(replicates.map((r) => r[name][l]), theory.layers[l][name], override?.[name][l]);
    return {
      layer: layer.index,
      path: layer.path,
      fanIn: layer.fanIn,
      fanOut: layer.fanOut,
      forward: pre?.forward ?? own('forward'),
      backward: pre?.backward ?? own('backward'),
      weightGradient: own('weightGradient'),
    };
  });
  const report: CheckReport = {
    pass: checks.every((check) => check.pass) && !raw.breakdown,
    elapsedSeconds: (performance.now() - started) / 1000,
    layers,
    ...(withSites ? { sites: siteChecks } : {}),
    decisionRule: DECISION_RULE,
    tolerance: { exact: settings.exactTolerance, meanField: settings.tolerance },
    intervalLevel,
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
  intervalLevel: number,
  settings: CheckSettings,
): QuantityCheck {
  const tested: 'exact' | 'meanField' = flavours.exact !== null ? 'exact' : 'meanField';
  let exact = flavours.exact;
  let meanField = flavours.meanField;
  if (override !== undefined) {
    if (tested === 'exact') exact = override;
    else meanField = override;
  }
  const prediction = tested === 'exact' ? (exact as number) : meanField;
  const tolerance = tested === 'exact' ? settings.exactTolerance : settings.tolerance;
  const theory = { linear: finite(flavours.linear), exact: exact === null ? null : finite(exact), meanField: finite(meanField), tested };
  const decision = decidePrediction(values, prediction, intervalLevel, tolerance);
  return {
    estimate: finite(decision.estimate),
    stderr: finite(decision.stderr),
    ciLow: finite(decision.ciLow),
    ciHigh: finite(decision.ciHigh),
    ...theory,
    z: finite(decision.z),
    tolerance,
    band: [finite(decision.band[0]), finite(decision.band[1])],
    verdict: decision.verdict,
    interval: decision.interval,
    // Fewer than two usable replicates (a breakdown) give no interval: never a pass.
    pass: decision.usable && decision.verdict !== 'fails',
  };
}
