import { describe, expect, it } from 'vitest';
import {
  digamma,
  holmReject,
  intervalsNarrowEnough,
  ksTest,
  ksTwoSample,
  kolmogorovSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  tInterval,
  zScore,
} from '../../src/math/statistics.js';

describe('special functions', () => {
  it('pins normal CDF and quantile values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 18);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 13);
  });

  it('pins log-gamma and digamma', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // ψ(1) = −γ (Euler–Mascheroni), ψ(2) = 1 − γ, ψ(1/2) = −γ − 2 ln 2.
    const euler = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-euler, 12);
    expect(digamma(2)).toBeCloseTo(1 - euler, 12);
    expect(digamma(0.5)).toBeCloseTo(-euler - 2 * Math.LN2, 12);
  });

  // Table values: Student t critical values (as in any t table; digits beyond the table's from scipy.stats.t.ppf).
  it.each([
    [0.975, 1, 12.706204736174698],
    [0.975, 2, 4.302652729749464],
    [0.995, 3, 5.840909309733349],
    [0.995, 7, 3.4994832973505],
    [0.975, 10, 2.2281388519862744],
    [0.95, 5, 2.0150483733330233],
    [0.995, 30, 2.749995653567001],
    [0.9995, 4, 8.610301581379522],
    [0.999, 100, 3.173739493738783],
  ])('t quantile p=%f df=%i is %f', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 9);
    expect(studentTQuantile(1 - p, df)).toBeCloseTo(-expected, 9);
    expect(studentTCdf(expected, df)).toBeCloseTo(p, 12);
  });

  it('two-sided t p-value matches the CDF', () => {
    expect(studentTTwoSidedP(2.2281388519862744, 10)).toBeCloseTo(0.05, 12);
    expect(studentTTwoSidedP(0, 4)).toBeCloseTo(1, 12);
  });

  it('Kolmogorov survival function pins known values', () => {
    // Q_KS(1.3581) ≈ 0.05 and Q_KS(1.6276) ≈ 0.01 (classic asymptotic critical values).
    expect(kolmogorovSurvival(1.3580986393225505)).toBeCloseTo(0.05, 6);
    expect(kolmogorovSurvival(1.6276236115189502)).toBeCloseTo(0.01, 6);
    // Continuous across the switch between the two series.
    expect(kolmogorovSurvival(1.18 - 1e-9)).toBeCloseTo(kolmogorovSurvival(1.18 + 1e-9), 8);
  });
});

describe('intervals, z-scores and Holm', () => {
  it('t interval of a tiny sample', () => {
    const r = tInterval([1, 2, 3, 4], 0.95);
    expect(r.estimate).toBe(2.5);
    expect(r.stderr).toBeCloseTo(Math.sqrt(5 / 3 / 4), 14);
    expect(r.ciHigh - r.estimate).toBeCloseTo(3.182446305284263 * r.stderr, 10);
  });

  it('z-scores never NaN', () => {
    expect(zScore(2, 1, 0.5)).toBe(2);
    expect(zScore(1, 1, 0)).toBe(0);
    expect(zScore(2, 1, 0)).toBe(Number.MAX_VALUE);
    expect(Number.isNaN(zScore(Infinity, Infinity, Infinity))).toBe(false);
  });

  it('Holm rejects step-down', () => {
    // alpha 0.05, m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05
    expect(holmReject([0.01, 0.04, 0.03, 0.005], 0.95)).toEqual([true, false, false, true]);
    expect(holmReject([0.01, 0.015, 0.02, 0.04], 0.95)).toEqual([true, true, true, true]);
    // a p-value below alpha but after a non-rejection is kept
    expect(holmReject([0.2, 0.012], 0.95)).toEqual([false, true]);
    expect(holmReject([0.03, 0.04], 0.95)).toEqual([false, false]);
  });

  it('relative-width rule', () => {
    expect(intervalsNarrowEnough([[1, 1.001, 0.999, 1.0005]], 0.01, 0.99)).toBe(true);
    expect(intervalsNarrowEnough([[1, 1.1, 0.9, 1.05]], 0.01, 0.99)).toBe(false);
  });
});

describe('Kolmogorov–Smirnov', () => {
  // A deterministic low-discrepancy-free stream: a simple LCG so this test does not depend on the engine.
  function lcg(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s + 0.5) / 2 ** 32;
    };
  }
  it('accepts uniforms against U(0,1) and rejects them against a wrong CDF (level 0.99)', () => {
    const next = lcg(7);
    const sample = Array.from({ length: 4000 }, next);
    expect(ksTest(sample, (x) => Math.min(1, Math.max(0, x))).pValue).toBeGreaterThan(0.01);
    expect(ksTest(sample, (x) => Math.min(1, Math.max(0, x)) ** 1.1).pValue).toBeLessThan(0.01);
  });
  it('two-sample test', () => {
    const next = lcg(11);
    const a = Array.from({ length: 3000 }, next);
    const b = Array.from({ length: 2000 }, next);
    const c = b.map((x) => x * 1.08);
    expect(ksTwoSample(a, b).pValue).toBeGreaterThan(0.01);
    expect(ksTwoSample(a, c).pValue).toBeLessThan(0.01);
  });
});
