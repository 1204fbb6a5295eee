/**
 * The three-way decision of {@link checkVariance}: an equivalence test with an indifference band.
 *
 * For each tested quantity the per-replicate ratio ρ = measured ÷ claimed is averaged over the
 * replicate networks, with a Student-t interval. With relative tolerance τ:
 * - the quantity **holds** when the interval lies inside [1 − τ, 1 + τ];
 * - it **fails** when the interval lies entirely outside that band;
 * - otherwise it is not decided yet, and more replicate networks are drawn.
 *
 * Sampling looks at the data only at a fixed schedule of replicate counts (minNets, 2·minNets,
 * 4·minNets, …, maxNets: K looks), and every interval is taken at the Bonferroni level
 * 1 − α/(K·m) for m tested quantities. Hence, whatever the truth, P(wrong `fails`) ≤ α and
 * P(wrong `holds`) ≤ α, where α = 1 − level (up to the t approximation for the replicate mean).
 */
import { tInterval, zScore } from '../math/statistics.js';

export type Verdict = 'holds' | 'fails' | 'undecided';

/** The replicate counts at which the data are looked at: minNets·2^k, then maxNets. */
export function lookSchedule(minNets: number, maxNets: number): number[] {
  const looks: number[] = [];
  for (let n = minNets; n < maxNets; n *= 2) looks.push(n);
  looks.push(maxNets);
  return looks;
}

/** The per-interval confidence level after the Bonferroni split over looks and quantities. */
export function adjustedLevel(level: number, looks: number, quantities: number): number {
  return 1 - (1 - level) / (looks * Math.max(1, quantities));
}

/** Statistics of one quantity's ratio at one look. */
export interface RatioSummary {
  /** Mean of the per-replicate ratios measured ÷ claimed. */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  stderr: number;
  /** (ratio − 1)/stderr. */
  z: number;
  verdict: Verdict;
}

/** Band verdict of an interval [low, high] for the ratio, tolerance τ. */
export function bandVerdict(low: number, high: number, tolerance: number): Verdict {
  if (low >= 1 - tolerance && high <= 1 + tolerance) return 'holds';
  if (high < 1 - tolerance || low > 1 + tolerance) return 'fails';
  return 'undecided';
}

/** Summarises one series of ratios at the (already adjusted) level. */
export function summariseRatios(ratios: readonly number[], level: number, tolerance: number): RatioSummary {
  if (ratios.length < 2) {
    const ratio = ratios[0] ?? Number.NaN;
    return { ratio, ratioLow: -Infinity, ratioHigh: Infinity, stderr: Infinity, z: 0, verdict: 'undecided' };
  }
  const { estimate, stderr, ciLow, ciHigh } = tInterval(ratios, level);
  // A zero spread (degenerate case, e.g. all replicates identical) gives a point interval.
  const low = Number.isFinite(ciLow) ? ciLow : estimate;
  const high = Number.isFinite(ciHigh) ? ciHigh : estimate;
  return { ratio: estimate, ratioLow: low, ratioHigh: high, stderr, z: zScore(estimate, 1, stderr), verdict: bandVerdict(low, high, tolerance) };
}

/** Combines per-quantity verdicts: any failure fails, all holding holds, else undecided. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fails')) return 'fails';
  if (verdicts.length > 0 && verdicts.every((v) => v === 'holds')) return 'holds';
  return 'undecided';
}
