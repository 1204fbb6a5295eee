/**
 * `checkVariance`: does a network (or one layer) keep its variances as claimed? Runs the seeded
 * Monte Carlo engine, sampling replicate networks until the claim can be decided at the requested
 * level and tolerance, and explains the verdict.
 *
 * @example
 * ```ts
 * const result = await checkVariance({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' }, 'forward-preserved');
 * result.verdict; // 'holds'
 * ```
 */
import { InputError, NumericalBreakdownError } from '../errors.js';
import type { MeasureFunction } from '../numeric/check.js';
import type { MeasureOptions, RawMeasurement, ReplicateValues } from '../numeric/measurement.js';
import { secondMomentInterval } from '../math/statistics.js';
import type { NetworkSpec, ResolvedNetwork } from '../vocabulary/network.js';
import { resolveNetwork } from '../vocabulary/network.js';
import { claimTargets, describeClaim, type ClaimTarget, type Pass, type VarianceClaim } from './claims.js';
import { combineVerdicts, decideRatios, lookSchedule, simultaneousLevel, type RatioDecision, type Verdict } from '../numeric/decision.js';
import { explainResult } from './explain.js';
import { toNetworkSpec, type LayerSpec } from './spec.js';

export type { MeasureFunction };

/** The project's engine, loaded on first use (it pulls in the compute kernels). */
async function defaultMeasure(network: ResolvedNetwork, options: MeasureOptions): Promise<RawMeasurement> {
  const { measureNetwork } = await import('../numeric/engine.js');
  return measureNetwork(network, options);
}

export interface CheckVarianceOptions {
  /** Confidence level; 1 − level bounds both the false-failure and the false-pass rate (default 0.99). */
  level?: number;
  /** Relative tolerance τ: the claim holds when measured/claimed is inside [1 − τ, 1 + τ] (default 0.05). */
  tolerance?: number;
  /** Seed of the Monte Carlo run (default 1): the same seed gives the same verdict. */
  seed?: number;
  /** Inputs per replicate network (default 32: the spread between replicates comes mostly from the weights, so larger batches cost more than they buy). */
  batch?: number;
  /** Replicate networks at the first look (default 8). */
  minNets?: number;
  /** Budget: replicate networks at most (default 1024); `undecided` when still unresolved. */
  maxNets?: number;
  /** Arithmetic of the forward/backward passes (default float64). */
  dtype?: 'float32' | 'float64';
  /** The Monte Carlo engine (default: the project's `measureNetwork`). */
  measure?: MeasureFunction;
}

/** One tested quantity of one layer: its ratio statistics (measured ÷ claimed) and what they were of. */
export interface LayerVarianceResult extends RatioDecision {
  /** 1-based weight layer (for a single-layer spec: 1). */
  layer: number;
  pass: Pass;
  /** Notation of the measured quantity, e.g. `E[h₃²]`. */
  quantity: string;
  /** What it was claimed to equal, e.g. `E[h₂²]` or the expression. */
  claimed: string;
  /** Mean over replicate networks of the measured quantity, and its interval. */
  measured: number;
  measuredLow: number;
  measuredHigh: number;
  /** Mean over replicate networks of the claimed value. */
  predicted: number;
}

export interface VarianceCheckResult {
  verdict: Verdict;
  /** The claim in words. */
  claim: string;
  level: number;
  tolerance: number;
  /** Level of each printed interval after the Bonferroni split over looks and quantities. */
  intervalLevel: number;
  samples: {
    /** Replicate networks used. */
    nets: number;
    batch: number;
    /** Replicate counts at which the data were (or would have been) looked at. */
    looks: number[];
    /** maxNets. */
    budget: number;
  };
  seed: number;
  dtype: 'float32' | 'float64';
  layers: LayerVarianceResult[];
  /** Set when the run overflowed or underflowed. */
  breakdown?: { kind: 'exploded' | 'vanished'; layer: number; pass: 'forward' | 'backward' };
  /** Why: which layer, by how much, in which direction (or what would decide it). */
  explanation: string;
  elapsedSeconds: number;
}

interface ResolvedOptions {
  level: number;
  tolerance: number;
  seed: number;
  batch: number;
  minNets: number;
  maxNets: number;
  dtype: 'float32' | 'float64';
  measure: MeasureFunction;
}

const OPTION_KEYS = ['level', 'tolerance', 'seed', 'batch', 'minNets', 'maxNets', 'dtype', 'measure'];

/** Validates options, naming the field, the bad value and what is allowed. */
export function resolveCheckOptions(options: CheckVarianceOptions | undefined): ResolvedOptions {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new InputError('options', options, 'an options object');
  }
  const given = options ?? {};
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.includes(key)) throw new InputError(`options.${key}`, (given as Record<string, unknown>)[key], `one of the options ${OPTION_KEYS.join(', ')}`);
  }
  const level = given.level ?? 0.99;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new InputError('options.level', level, 'a number strictly between 0 and 1, e.g. 0.99');
  const tolerance = given.tolerance ?? 0.05;
  if (typeof tolerance !== 'number' || !(tolerance > 0 && tolerance < 1)) throw new InputError('options.tolerance', tolerance, 'a relative tolerance strictly between 0 and 1, e.g. 0.05');
  const seed = given.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError('options.seed', seed, 'a non-negative integer');
  const batch = given.batch ?? 32;
  if (!Number.isInteger(batch) || batch < 1 || batch > 1_000_000) throw new InputError('options.batch', batch, 'an integer from 1 to 1000000');
  const minNets = given.minNets ?? 8;
  if (!Number.isInteger(minNets) || minNets < 2 || minNets > 100_000) throw new InputError('options.minNets', minNets, 'an integer from 2 to 100000 (an interval needs 2 replicates)');
  const maxNets = given.maxNets ?? Math.max(1024, minNets);
  if (!Number.isInteger(maxNets) || maxNets < 2 || maxNets > 100_000) throw new InputError('options.maxNets', maxNets, 'an integer from 2 to 100000');
  if (maxNets < minNets) throw new InputError('options.maxNets', maxNets, `at least options.minNets (${minNets})`, 'The budget cannot be smaller than the first look');
  const dtype = given.dtype ?? 'float64';
  if (dtype !== 'float32' && dtype !== 'float64') throw new InputError('options.dtype', dtype, "'float32' or 'float64'");
  const measure = given.measure ?? defaultMeasure;
  if (typeof measure !== 'function') throw new InputError('options.measure', measure, 'a function (network, options) => Promise<RawMeasurement>');
  return { level, tolerance, seed, batch, minNets, maxNets, dtype, measure };
}

function summarise(
  targets: readonly ClaimTarget[],
  replicates: readonly ReplicateValues[],
  intervalLevel: number,
  tolerance: number,
): LayerVarianceResult[] {
  return targets.map((target) => {
    const measuredValues = replicates.map((r) => target.measured(r));
    const claimedValues = replicates.map((r) => target.claim(r));
    const ratios = measuredValues.map((value, i) => value / claimedValues[i]);
    const summary = decideRatios(ratios, intervalLevel, tolerance);
    // The measured values get the same kind of interval as the ratios (log scale, never below 0).
    const usable = measuredValues.length >= 2 && measuredValues.every((v) => Number.isFinite(v) && v >= 0);
    const measuredInterval = usable ? secondMomentInterval(measuredValues, intervalLevel, 1) : undefined;
    const measured = measuredInterval?.estimate ?? measuredValues[0];
    return {
      layer: target.layer,
      pass: target.pass,
      quantity: target.quantity,
      claimed: target.claimed,
      measured,
      measuredLow: measuredInterval?.ciLow ?? measured,
      measuredHigh: measuredInterval?.ciHigh ?? measured,
      predicted: claimedValues.reduce((a, b) => a + b, 0) / claimedValues.length,
      ...summary,
    };
  });
}

function allFinite(replicate: ReplicateValues): boolean {
  return replicate.forward.every(Number.isFinite) && replicate.backward.every(Number.isFinite);
}

/**
 * Checks a variance claim on a network or a single layer by Monte Carlo.
 *
 * **What "variance preserved" means.** h_l is the pre-activation of weight layer l
 * (h_1 = x W_1, h_l = φ(h_{l−1}) W_l) and d_l = ∂loss/∂h_l, with an upstream gradient
 * d_L ~ N(0, 1). *Forward variance is preserved* when E[h_l²] = E[h_{l−1}²] for every
 * l = 2..L, i.e. every pre-activation has the second moment of the first one, E[h_1²]; the first
 * layer only sets that scale (its input x is not passed through φ). *Backward variance is
 * preserved* when E[d_{l−1}²] = E[d_l²] for l = 2..L: every gradient has the second moment of the
 * upstream one. Second moments, not variances, because relu outputs are not zero-mean
 * (He et al. 2015, eq. 7). A single layer `{ fanIn, fanOut, activation, init }` is checked as the
 * second layer of a two-layer network whose first layer feeds it φ(h) with h ≈ N(0, 1).
 *
 * **Decision** (src/numeric/decision.ts, shared with `varprop check`). Per replicate network the
 * ratio measured ÷ claimed is taken, averaged over replicates with a log-scale interval
 * (src/math/statistics.ts `secondMomentInterval`) (right-skewed second moments make a plain t interval under-cover); the claim holds when every interval lies inside
 * [1 − tolerance, 1 + tolerance], fails when one lies entirely outside, and otherwise more
 * replicates are drawn (doubling) up to `maxNets`, then the verdict is `undecided`. Intervals are
 * Bonferroni-corrected over looks and quantities, so `fails` on a true claim (and `holds` on a
 * claim off by more than the tolerance) each happen with probability at most 1 − level.
 *
 * @throws {InputError} for an invalid spec, claim or option.
 */
export async function checkVariance(
  spec: NetworkSpec | LayerSpec,
  claim: VarianceClaim,
  options?: CheckVarianceOptions,
): Promise<VarianceCheckResult> {
  const started = performance.now();
  const resolvedOptions = resolveCheckOptions(options);
  const { level, tolerance, seed, batch, minNets, maxNets, dtype, measure } = resolvedOptions;
  const { network: networkSpec, singleLayer } = toNetworkSpec(spec);
  const network = resolveNetwork(networkSpec);
  const targets = claimTargets(network, claim, singleLayer ? 2 : 1);
  const looks = lookSchedule(minNets, maxNets);
  const intervalLevel = simultaneousLevel(level, looks.length, targets.length);

  // The engine calls shouldStop after rounds of its own size; look at the data the first time the
  // count reaches each scheduled look (skipped looks only make the Bonferroni split conservative).
  // The last scheduled look is the final evaluation after the run.
  let nextLook = 0;
  const decided = (replicates: readonly ReplicateValues[]): boolean => {
    if (!replicates.every(allFinite)) return true;
    if (nextLook >= looks.length - 1 || replicates.length < looks[nextLook]) return false;
    while (nextLook < looks.length - 1 && replicates.length >= looks[nextLook]) nextLook++;
    const verdict = combineVerdicts(summarise(targets, replicates, intervalLevel, tolerance).map((r) => r.verdict));
    return verdict !== 'undecided';
  };

  let raw: RawMeasurement | undefined;
  let breakdown: VarianceCheckResult['breakdown'];
  try {
    raw = await measure(network, { batch, nets: minNets, seed, dtype, shouldStop: decided, maxNets });
    breakdown = raw.breakdown;
  } catch (error) {
    if (!(error instanceof NumericalBreakdownError)) throw error;
    breakdown = { kind: error.kind, layer: error.layer, pass: error.pass };
  }

  const replicates = (raw?.replicates ?? []).filter(allFinite);
  if (!breakdown && replicates.length < (raw?.replicates.length ?? 0)) {
    // The engine should have reported this; do not let Inf/NaN reach the statistics.
    const bad = raw!.replicates.find((r) => !allFinite(r))!;
    const index = bad.forward.findIndex((v) => !Number.isFinite(v));
    breakdown = { kind: 'exploded', layer: (index >= 0 ? index : bad.backward.findIndex((v) => !Number.isFinite(v))) + 1, pass: index >= 0 ? 'forward' : 'backward' };
  }
  if (!breakdown) {
    // Underflow to zero makes a ratio undefined: that is "vanished", not a number.
    for (const target of targets) {
      if (replicates.some((r) => !(target.measured(r) > 0) || !(target.claim(r) > 0))) {
        breakdown = { kind: 'vanished', layer: target.layer, pass: target.pass };
        break;
      }
    }
  }
  const layers = breakdown ? [] : summarise(targets, replicates, intervalLevel, tolerance);
  const verdict: Verdict = breakdown ? 'fails' : combineVerdicts(layers.map((r) => r.verdict));
  if (singleLayer) for (const layer of layers) relabelSingleLayer(layer);
  const result: VarianceCheckResult = {
    verdict,
    claim: describeClaim(claim),
    level,
    tolerance,
    intervalLevel,
    samples: { nets: raw?.replicates.length ?? 0, batch, looks, budget: maxNets },
    seed,
    dtype,
    layers,
    ...(breakdown ? { breakdown: singleLayer ? { ...breakdown, layer: Math.max(1, breakdown.layer - 1) } : breakdown } : {}),
    explanation: '',
    elapsedSeconds: (performance.now() - started) / 1000,
  };
  result.explanation = explainResult(result, { singleLayer });
  return result;
}

/** A single layer is layer 2 of its two-layer harness: name its quantities in/out instead. */
function relabelSingleLayer(layer: LayerVarianceResult): void {
  const names: Record<string, string> = { 'E[h₁²]': 'E[h_in²]', 'E[h₂²]': 'E[h_out²]', 'E[d₁²]': 'E[d_in²]', 'E[d₂²]': 'E[d_out²]' };
  layer.layer = 1;
  layer.quantity = names[layer.quantity] ?? layer.quantity;
  layer.claimed = names[layer.claimed] ?? layer.claimed;
}
