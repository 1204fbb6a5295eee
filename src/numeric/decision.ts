/**
 * The one decision procedure: whether a measured second moment agrees with what was predicted or
 * claimed. `varprop check` (src/numeric/check.ts) and `varprop/testing` (src/testing/variance.ts)
 * both decide through this file, so they answer "does the prediction hold" the same way.
 *
 * Per tested quantity, each replicate network gives one ratio ρ = measured ÷ predicted (a claim may
 * depend on the replicate's own previous layer, so the ratio is taken per replicate). The mean of ρ
 * gets an interval at the *simultaneous* level 1 − α/(m·K) for m quantities and K looks at the data
 * (Bonferroni), α = 1 − level: a log-scale interval (`secondMomentInterval` in
 * src/math/statistics.ts), because per-replicate second moments are right-skewed. With a relative
 * tolerance τ the band is [1 − τ, 1 + τ] and the quantity
 * - **fails** when its interval lies entirely outside the band,
 * - **holds** when its interval lies inside the band,
 * - is **undecided** otherwise.
 * Whatever the truth inside the band, P(some quantity fails) ≤ α (each interval covers with
 * probability ≥ 1 − α/(mK); the union bound over quantities and looks); a truth outside the band
 * by more than the interval width is caught with the power the docs measure.
 *
 * Tolerance: an exact prediction (identity, relu-like) holds in expectation at any width and is
 * tested strictly (τ = 0: the band is the single point 1, so "holds" is never shown and the check
 * passes when nothing fails). A mean-field prediction carries an O(1/width) bias, so a fixed τ
 * (default 5%) keeps it from failing just because many samples were drawn. The rule and the
 * tolerances are stated in `check --help` and in the JSON (`decisionRule`, `tolerance`, per-quantity
 * `band`).
 */
import { secondMomentInterval, type IntervalMethod } from '../math/statistics.js';

export type Verdict = 'holds' | 'fails' | 'undecided';

/** Default relative tolerances per kind of prediction. */
export const DEFAULT_TOLERANCE = { exact: 0, meanField: 0.05 } as const;

/** The decision rule in one sentence, as `check --help` and the JSON state it. */
export const DECISION_RULE =
  'Per quantity, an interval for the mean over replicate networks of measured ÷ predicted (on the log scale: the hull of Cox–t and delta-method t; ' +
  'plain t clamped at 0 if a replicate is exactly 0) at the simultaneous level 1 − (1 − level)/(quantities × looks) (Bonferroni). ' +
  'It fails when that interval lies entirely outside the band [1 − tolerance, 1 + tolerance], holds when it lies inside, ' +
  'and is undecided otherwise. A check passes when no quantity fails, so a correct prediction fails with probability at most 1 − level.';

/** The replicate counts at which the data are looked at: minNets·2^k, then maxNets. */
export function lookSchedule(minNets: number, maxNets: number): number[] {
  const looks: number[] = [];
  for (let n = minNets; n < maxNets; n *= 2) looks.push(n);
  looks.push(maxNets);
  return looks;
}

/** The per-interval confidence level after the Bonferroni split over looks and quantities. */
export function simultaneousLevel(level: number, looks: number, quantities: number): number {
  return 1 - (1 - level) / (Math.max(1, looks) * Math.max(1, quantities));
}

/** Band verdict of an interval [low, high] for the ratio, relative tolerance τ ≥ 0. */
export function bandVerdict(low: number, high: number, tolerance: number): Verdict {
  if (high < 1 - tolerance || low > 1 + tolerance) return 'fails';
  if (low >= 1 - tolerance && high <= 1 + tolerance) return 'holds';
  return 'undecided';
}

/** The statistics and verdict of one quantity's ratio measured ÷ predicted. */
export interface RatioDecision {
  /** Mean of the per-replicate ratios. */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  /** Standard error on the interval's scale (log scale for 'log-t'). */
  stderr: number;
  /** Studentized distance of the ratio from 1 on the interval's scale (ln ρ̄-estimate / stderr for 'log-t'). */
  z: number;
  verdict: Verdict;
  /** How the interval was taken. */
  interval: IntervalMethod;
}

/** Decides one series of per-replicate ratios at the (already simultaneous) `level`, tolerance τ. */
export function decideRatios(ratios: readonly number[], level: number, tolerance: number): RatioDecision {
  if (ratios.length < 2 || !ratios.every((r) => Number.isFinite(r) && r >= 0)) {
    const finite = ratios.filter(Number.isFinite);
    const ratio = finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
    return { ratio, ratioLow: -Infinity, ratioHigh: Infinity, stderr: Infinity, z: 0, verdict: 'undecided', interval: 't' };
  }
  const { estimate, stderr, ciLow, ciHigh, method, z } = secondMomentInterval(ratios, level, 1);
  return { ratio: estimate, ratioLow: ciLow, ratioHigh: ciHigh, stderr, z, verdict: bandVerdict(ciLow, ciHigh, tolerance), interval: method };
}

/** Combines per-quantity verdicts: any failure fails, all holding holds, else undecided. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fails')) return 'fails';
  if (verdicts.length > 0 && verdicts.every((v) => v === 'holds')) return 'holds';
  return 'undecided';
}

/** The decision fields of one measured quantity against one fixed prediction (a `QuantityCheck`'s statistics). */
export interface PredictionDecision {
  /** Mean over replicates of the measured value. */
  estimate: number;
  stderr: number;
  ciLow: number;
  ciHigh: number;
  z: number;
  tolerance: number;
  band: [number, number];
  verdict: Verdict;
  interval: IntervalMethod;
  /** False when fewer than two finite replicates were left (no interval). */
  usable: boolean;
}

/**
 * Decides per-replicate `values` against a fixed `prediction` with relative tolerance τ, at the
 * (already simultaneous) `level`: the ratio decision of {@link decideRatios} on values ÷ prediction,
 * reported on the scale of the values. A prediction that is 0, negative or not finite has no ratio:
 * it fails unless the interval of the values contains it.
 */
export function decidePrediction(values: readonly number[], prediction: number, level: number, tolerance: number): PredictionDecision {
  const band: [number, number] = [prediction * (1 - tolerance), prediction * (1 + tolerance)];
  const finiteValues = values.filter(Number.isFinite);
  const average = finiteValues.length > 0 ? finiteValues.reduce((a, b) => a + b, 0) / finiteValues.length : 0;
  if (values.length < 2 || finiteValues.length < values.length || values.some((v) => v < 0)) {
    return { estimate: average, stderr: Number.MAX_VALUE, ciLow: 0, ciHigh: Number.MAX_VALUE, z: 0, tolerance, band, verdict: 'undecided', interval: 't', usable: false };
  }
  if (prediction > 0 && Number.isFinite(prediction)) {
    const ratios = values.map((v) => v / prediction);
    const decision = decideRatios(ratios, level, tolerance);
    return {
      estimate: average,
      stderr: decision.stderr,
      ciLow: decision.ratioLow * prediction,
      ciHigh: decision.ratioHigh * prediction,
      z: decision.z,
      tolerance,
      band,
      verdict: decision.verdict,
      interval: decision.interval,
      usable: true,
    };
  }
  // A structural zero (an α = 0 branch's gradient, a zero-initialized layer's output): predicted
  // exactly 0 and measured exactly 0 in every replicate is an identity, not a sample: it holds.
  if (prediction === 0 && values.every((v) => v === 0)) {
    return { estimate: 0, stderr: 0, ciLow: 0, ciHigh: 0, z: 0, tolerance, band, verdict: 'holds', interval: 't', usable: true };
  }
  const interval = secondMomentInterval(values, level, 1);
  const inside = prediction >= interval.ciLow && prediction <= interval.ciHigh;
  const z = inside ? 0 : prediction < interval.ciLow ? Number.MAX_VALUE : -Number.MAX_VALUE;
  return { estimate: average, stderr: interval.stderr, ciLow: interval.ciLow, ciHigh: interval.ciHigh, z, tolerance, band, verdict: inside ? 'undecided' : 'fails', interval: interval.method, usable: true };
}

/**
 * The `--rel-width r` stopping rule on the intervals the decision uses: true once, for every series of
 * per-replicate values, the interval at the (simultaneous) `level` has (high − low)/2 < r·|mean|.
 */
export function decisionIntervalsNarrowEnough(series: readonly (readonly number[])[], relWidth: number, level: number): boolean {
  for (const values of series) {
    if (values.length < 2 || !values.every((v) => Number.isFinite(v) && v >= 0)) return false;
    const { estimate, ciLow, ciHigh } = secondMomentInterval(values, level, 1);
    if (!(estimate > 0) || !((ciHigh - ciLow) / 2 / estimate < relWidth)) return false;
  }
  return true;
}
