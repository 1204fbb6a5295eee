import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { HISTOGRAM_SAMPLE_LIMIT, coarsenCounts, describeSummary, mergeSummaries, summarizeTensor, validateHistogramBins, type TensorSummary } from '../../src/numeric/tensorSummary.js';

/** Independent binning of `values` on [−2^exponent, 2^exponent] with `bins` bins (no clamping needed in these tests). */
function binDirectly(values: ArrayLike<number>, exponent: number, bins: number): number[] {
  const range = 2 ** exponent;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.floor(((values[i] + range) / (2 * range)) * bins);
    expect(bin).toBeGreaterThanOrEqual(0);
    expect(bin).toBeLessThan(bins);
    counts[bin]++;
  }
  return counts;
}

function normals(seed: number, n: number, std: number): Float64Array {
  const out = new Float64Array(n);
  createRandom(seed).fillNormal(out, 0, std);
  return out;
}

function summary(values: Float64Array, bins = 16): TensorSummary {
  const result = summarizeTensor(values, bins);
  if (!('summary' in result)) throw new Error('unexpected breakdown');
  return result.summary;
}

describe('tensor summaries', () => {
  it('sums in float64 and picks the smallest power-of-two range ≥ 4·rms', () => {
    const values = Float64Array.from([1, -2, 3, -4]);
    const s = summary(values);
    expect([s.sum, s.sumSquares, s.sumFourth]).toEqual([-2, 30, 1 + 16 + 81 + 256]);
    // rms = √7.5 ≈ 2.74, 4·rms ≈ 10.95 → 2^4 = 16.
    expect(s.exponent).toBe(4);
    const d = describeSummary(s);
    expect(d.histogram.edges).toHaveLength(17);
    expect(d.histogram.edges[0]).toBe(-16);
    expect(d.secondMoment).toBe(7.5);
  });

  it('flags non-finite tensors as exploded and all-zero ones as vanished', () => {
    expect(summarizeTensor([1, Infinity], 16)).toEqual({ breakdown: 'exploded' });
    expect(summarizeTensor([1, Number.NaN], 16)).toEqual({ breakdown: 'exploded' });
    expect(summarizeTensor([1e200, 1], 16)).toEqual({ breakdown: 'exploded' }); // x⁴ overflows float64
    expect(summarizeTensor(new Float32Array(8), 16)).toEqual({ breakdown: 'vanished' });
  });

  it('coarsening to a wider range equals binning directly at that range', () => {
    const values = normals(1, 5000, 1);
    const s = summary(values, 32);
    const direct = binDirectly(values, s.exponent + 2, 32);
    expect(coarsenCounts(s.counts, s.exponent, s.exponent + 2)).toEqual(direct);
    // A wrong merge (bins shifted by one) would not match.
    const shifted = coarsenCounts(s.counts, s.exponent, s.exponent + 2);
    shifted.unshift(shifted.pop()!);
    expect(shifted).not.toEqual(direct);
  });

  it('merging replicates of different spread equals binning all data at the widest range', () => {
    const a = normals(2, 3000, 0.3);
    const b = normals(3, 3000, 2.5);
    const merged = mergeSummaries([summary(a, 64), summary(b, 64)]);
    const all = new Float64Array([...a, ...b]);
    expect(merged.counts).toEqual(binDirectly(all, merged.exponent, 64));
    expect(merged.count).toBe(6000);
  });

  it('bins large tensors at an even stride, while the moments use every value', () => {
    const values = normals(4, 100_000, 1);
    const s = summary(values, 64);
    const stride = Math.ceil(100_000 / HISTOGRAM_SAMPLE_LIMIT);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(Math.ceil(100_000 / stride));
    expect(s.count).toBe(100_000);
    const strided = values.filter((_, i) => i % stride === 0);
    expect(s.counts).toEqual(binDirectly(strided, s.exponent, 64));
  });

  it('accepts bin counts divisible by 4 only', () => {
    expect(validateHistogramBins(64)).toBe(64);
    expect(() => validateHistogramBins(30)).toThrow(/histogramBins = 30/);
    expect(() => validateHistogramBins(0)).toThrow(/histogramBins/);
  });
});
