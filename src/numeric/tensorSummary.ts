/**
 * Summary of a measured tensor (a layer's h or d in one replicate): float64 sums of x, x², x⁴ over
 * every value, and a histogram (of an evenly strided subset for large tensors) that merges exactly
 * across replicates.
 *
 * Mergeable histograms: the range is symmetric, [−2^e, 2^e], with e the smallest integer such that
 * 2^e ≥ 4·rms of the data (so the range spans 4 to 8 rms; values beyond are counted in the end
 * bins). With a bin count divisible by 4, doubling the range maps every pair of adjacent bins onto
 * one bin of the wider histogram and the old range onto its middle half, so histograms of different
 * replicates merge without approximation: coarsen each to the largest e, then add counts.
 */
import { InputError } from '../errors.js';
import type { Histogram } from './measurement.js';

/** Default number of histogram bins. */
export const DEFAULT_HISTOGRAM_BINS = 64;
/**
 * Values binned per tensor: larger tensors are binned at an even stride (units are exchangeable in
 * a randomly initialised layer, so a strided subset has the same marginal law). Binning costs ~3 ns
 * a value in JavaScript, as much as a deep net's whole moment pass; 16384 values per tensor and
 * replicate are plenty for a 64-bin plot. Moments always use every value.
 */
export const HISTOGRAM_SAMPLE_LIMIT = 16384;

export interface TensorSummary {
  /** Values in the moments (all of them). */
  count: number;
  sum: number;
  sumSquares: number;
  sumFourth: number;
  /** The histogram covers [−2^exponent, 2^exponent]. */
  exponent: number;
  /** Histogram counts of at most {@link HISTOGRAM_SAMPLE_LIMIT} evenly strided values. */
  counts: number[];
}

/** Either a summary, or why the tensor is unusable: non-finite (exploded) or all zero (vanished). */
export type SummaryResult = { summary: TensorSummary } | { breakdown: 'exploded' | 'vanished' };

/** Throws InputError unless `bins` is a usable histogram bin count. */
export function validateHistogramBins(bins: number): number {
  if (!Number.isInteger(bins) || bins < 4 || bins > 4096 || bins % 4 !== 0) {
    throw new InputError('histogramBins', bins, 'a multiple of 4 between 4 and 4096 (so histograms merge exactly)');
  }
  return bins;
}

/**
 * Sums, breakdown check and histogram of `values`. With `mask`, first multiplies `values` by it in
 * place (values[i] *= mask[i]) in the same pass: the backward pass's d = (d·Wᵀ) ⊙ φ′(h).
 */
export function summarizeTensor(
  values: Float32Array | Float64Array | number[],
  bins: number,
  mask?: ArrayLike<number>,
): SummaryResult {
  let sum = 0;
  let sumSquares = 0;
  let sumFourth = 0;
  const n = values.length;
  if (mask) {
    for (let i = 0; i < n; i++) {
      // Read back the stored value so float32 statistics describe the float32 tensor.
      values[i] *= mask[i];
      const x = values[i];
      const square = x * x;
      sum += x;
      sumSquares += square;
      sumFourth += square * square;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = values[i];
      const square = x * x;
      sum += x;
      sumSquares += square;
      sumFourth += square * square;
    }
  }
  // Any Inf or NaN element makes these sums non-finite; so do finite values too large to square.
  if (!Number.isFinite(sum) || !Number.isFinite(sumSquares) || !Number.isFinite(sumFourth)) return { breakdown: 'exploded' };
  if (sumSquares === 0) return { breakdown: 'vanished' };
  const rms = Math.sqrt(sumSquares / n);
  let exponent = Math.ceil(Math.log2(4 * rms));
  if (2 ** exponent < 4 * rms) exponent++;
  const range = 2 ** exponent;
  const scale = bins / (2 * range);
  const offset = range * scale;
  // Int32Array counts: the increment is a plain integer store (a JS array here costs ~2× more).
  const binCounts = new Int32Array(bins);
  const last = bins - 1;
  const stride = Math.ceil(n / HISTOGRAM_SAMPLE_LIMIT);
  for (let i = 0; i < n; i += stride) {
    // Truncation equals floor here: values below −range give negative numbers, clamped to bin 0.
    const position = values[i] * scale + offset;
    const bin = position < 0 ? 0 : position >= last ? last : position | 0;
    binCounts[bin]++;
  }
  const counts = Array.from(binCounts);
  return { summary: { count: n, sum, sumSquares, sumFourth, exponent, counts } };
}

/** The summary of `count` values that are all exactly 0 (a structural zero, src/numeric/structuralZeros.ts). */
export function zeroSummary(count: number, bins: number): TensorSummary {
  const counts = new Array<number>(bins).fill(0);
  // Every value sits at 0, the lower edge of the middle bin of any symmetric range.
  counts[bins / 2] = Math.min(count, HISTOGRAM_SAMPLE_LIMIT);
  return { count, sum: 0, sumSquares: 0, sumFourth: 0, exponent: -1074, counts };
}

/** Counts of `summary`'s histogram seen at a range 2^target ≥ 2^exponent (exact pairwise merge). */
export function coarsenCounts(counts: readonly number[], exponent: number, target: number): number[] {
  let current = counts.slice();
  const bins = counts.length;
  for (let e = exponent; e < target; e++) {
    const next = new Array<number>(bins).fill(0);
    const offset = bins / 4;
    for (let i = 0; i < bins; i++) next[offset + (i >> 1)] += current[i];
    current = next;
  }
  return current;
}

/** Totals of several summaries of the same quantity (e.g. one per replicate), merged in order. */
export function mergeSummaries(summaries: readonly TensorSummary[]): TensorSummary {
  if (summaries.length === 0) throw new RangeError('mergeSummaries needs at least one summary');
  const exponent = Math.max(...summaries.map((s) => s.exponent));
  const bins = summaries[0].counts.length;
  const merged: TensorSummary = { count: 0, sum: 0, sumSquares: 0, sumFourth: 0, exponent, counts: new Array<number>(bins).fill(0) };
  for (const s of summaries) {
    merged.count += s.count;
    merged.sum += s.sum;
    merged.sumSquares += s.sumSquares;
    merged.sumFourth += s.sumFourth;
    const counts = coarsenCounts(s.counts, s.exponent, exponent);
    for (let i = 0; i < bins; i++) merged.counts[i] += counts[i];
  }
  return merged;
}

/** Mean, moments and histogram (edges and counts) of a summary. */
export function describeSummary(summary: TensorSummary): {
  mean: number;
  secondMoment: number;
  fourthMoment: number;
  histogram: Histogram;
} {
  const bins = summary.counts.length;
  const range = 2 ** summary.exponent;
  const edges = Array.from({ length: bins + 1 }, (_, i) => -range + (2 * range * i) / bins);
  return {
    mean: summary.sum / summary.count,
    secondMoment: summary.sumSquares / summary.count,
    fourthMoment: summary.sumFourth / summary.count,
    histogram: { edges, counts: summary.counts.slice() },
  };
}
