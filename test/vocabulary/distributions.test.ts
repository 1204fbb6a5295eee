import { describe, expect, it } from 'vitest';
import { evaluate } from 'mathjs';
import { InputError } from '../../src/errors.js';
import type { WeightDistribution } from '../../src/vocabulary/distribution.js';
import { constantDistribution } from '../../src/vocabulary/distributions/constant.js';
import { normalDistribution } from '../../src/vocabulary/distributions/normal.js';
import { orthogonalDistribution, sampleOrthogonal } from '../../src/vocabulary/distributions/orthogonal.js';
import { createDistribution, distributionNames } from '../../src/vocabulary/distributions/registry.js';
import {
  KERAS_TRUNCATED_STD_FACTOR,
  TRUNCATED_FOURTH_MOMENT_FACTOR,
  TRUNCATED_STD_FACTOR,
  TRUNCATED_VARIANCE_FACTOR,
  erfSeries,
  truncatedNormalDistribution,
  truncatedNormalWithVariance,
} from '../../src/vocabulary/distributions/truncatedNormal.js';
import { uniformDistribution } from '../../src/vocabulary/distributions/uniform.js';
import { createRandom } from '../../src/math/random.js';

/**
 * z-score of the sample mean of f(x) against `expected`, with the standard error estimated from the
 * same sample: (mean − expected)/(sd/√N). For iid samples it is ≈ N(0, 1) when `expected` is right.
 */
function zScore(values: ArrayLike<number>, f: (x: number) => number, expected: number): number {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const y = f(values[i]);
    sum += y;
    sumSquares += y * y;
  }
  const n = values.length;
  const mean = sum / n;
  const variance = Math.max(sumSquares / n - mean * mean, 0) * (n / (n - 1));
  const standardError = Math.sqrt(variance / n);
  return standardError === 0 ? (mean === expected ? 0 : Number.POSITIVE_INFINITY) : (mean - expected) / standardError;
}

/** Two-sided level of each moment check: |z| < 5, p ≈ 5.7e-7 under the null. */
const Z_LIMIT = 5;

function momentZScores(distribution: WeightDistribution, samples: Float64Array) {
  return {
    mean: zScore(samples, (x) => x, distribution.mean),
    variance: zScore(samples, (x) => (x - distribution.mean) ** 2, distribution.variance),
    fourth: zScore(samples, (x) => x ** 4, distribution.fourthMoment),
  };
}

describe('truncated normal at ±2σ', () => {
  it("Keras' constant 0.87962566103423978 is √(1 − 4φ(2)/(2Φ(2) − 1)) computed from the pdf and cdf", () => {
    expect(Math.abs(KERAS_TRUNCATED_STD_FACTOR - TRUNCATED_STD_FACTOR)).toBeLessThan(1e-15);
    expect(Math.abs(KERAS_TRUNCATED_STD_FACTOR ** 2 - TRUNCATED_VARIANCE_FACTOR)).toBeLessThan(1e-15);
    // Independent pins: erf(√2) = P(|Z| < 2) = 0.9544997361036416 (DLMF 7.2), E[Z²||Z|<2] = 0.7737413035499232.
    expect(erfSeries(Math.SQRT2)).toBeCloseTo(0.9544997361036416, 15);
    expect(TRUNCATED_VARIANCE_FACTOR).toBeCloseTo(0.7737413035499232, 14);
  });

  it('the variance factor closed form agrees with direct Simpson integration of z²φ and z⁴φ over (−2, 2)', () => {
    const steps = 20000;
    const h = 4 / steps;
    let mass = 0;
    let second = 0;
    let fourth = 0;
    for (let i = 0; i <= steps; i++) {
      const z = -2 + i * h;
      const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
      const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      mass += weight * pdf;
      second += weight * z * z * pdf;
      fourth += weight * z ** 4 * pdf;
    }
    expect(second / mass).toBeCloseTo(TRUNCATED_VARIANCE_FACTOR, 12);
    expect(fourth / mass).toBeCloseTo(TRUNCATED_FOURTH_MOMENT_FACTOR, 12);
  });

  it('reports the pre-truncation σ and the actual std; the Keras convention hits the target variance', () => {
    const law = truncatedNormalDistribution(0.1);
    expect(law.params.std).toBe(0.1);
    expect(law.params.actualStd).toBeCloseTo(0.08796256610342398, 15);
    expect(law.notes[0]).toMatch(/pre-truncation σ = 0\.1, actual std = 0\.08796/);
    const keras = truncatedNormalWithVariance(0.01);
    expect(keras.params.std).toBeCloseTo(0.1 / 0.87962566103423978, 15);
    expect(keras.variance).toBeCloseTo(0.01, 16);
  });

  it('its varianceExpression, evaluated by mathjs, equals its variance', () => {
    const law = truncatedNormalDistribution(0.3);
    expect(evaluate(law.varianceExpression, { sigma: 0.3 })).toBeCloseTo(law.variance, 15);
  });
});

describe('moments against large samples (seed 20240601, N = 200000, |z| < 5)', () => {
  const laws: WeightDistribution[] = [
    normalDistribution(0.7),
    uniformDistribution(0.25),
    truncatedNormalDistribution(1.3),
  ];
  for (const law of laws) {
    it(`${law.label}: mean, variance and fourth moment`, () => {
      const samples = new Float64Array(200_000);
      law.sample(createRandom(20240601), samples, 400, 500);
      const z = momentZScores(law, samples);
      expect(Math.abs(z.mean)).toBeLessThan(Z_LIMIT);
      expect(Math.abs(z.variance)).toBeLessThan(Z_LIMIT);
      expect(Math.abs(z.fourth)).toBeLessThan(Z_LIMIT);
    });
  }

  it('the same check rejects wrong formulas: uniform variance a²/2, truncated normal variance σ² (truncation ignored)', () => {
    const samples = new Float64Array(200_000);
    uniformDistribution(0.25).sample(createRandom(7), samples, 1, samples.length);
    expect(Math.abs(zScore(samples, (x) => x * x, 0.25 ** 2 / 2))).toBeGreaterThan(Z_LIMIT);
    truncatedNormalDistribution(1.3).sample(createRandom(8), samples, 1, samples.length);
    expect(Math.abs(zScore(samples, (x) => x * x, 1.3 ** 2))).toBeGreaterThan(Z_LIMIT);
    // and the fourth moment of a normal taken as σ⁴ instead of 3σ⁴
    normalDistribution(0.7).sample(createRandom(9), samples, 1, samples.length);
    expect(Math.abs(zScore(samples, (x) => x ** 4, 0.7 ** 4))).toBeGreaterThan(Z_LIMIT);
  });

  it('uniform: variance a²/3 and fourth moment a⁴/5; constant: variance 0', () => {
    const law = uniformDistribution(0.3);
    expect(law.variance).toBeCloseTo(0.03, 16);
    expect(law.fourthMoment).toBeCloseTo(0.3 ** 4 / 5, 16);
    expect(evaluate(law.varianceExpression, { a: 0.3 })).toBeCloseTo(0.03, 16);
    const constant = constantDistribution(0.2);
    const out = new Float32Array(5);
    constant.sample(createRandom(1), out, 1, 5);
    expect([...out]).toEqual(new Array(5).fill(Math.fround(0.2)));
    expect(constant.variance).toBe(0);
  });
});

describe('orthogonal', () => {
  function gram(w: Float64Array, rows: number, cols: number, side: 'columns' | 'rows'): number {
    // Largest |(WᵀW or WWᵀ) − g²I| entry, divided out by g² outside.
    const size = side === 'columns' ? cols : rows;
    let worst = 0;
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) {
        let dot = 0;
        if (side === 'columns') for (let i = 0; i < rows; i++) dot += w[i * cols + a] * w[i * cols + b];
        else for (let j = 0; j < cols; j++) dot += w[a * cols + j] * w[b * cols + j];
        worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
      }
    }
    return worst;
  }

  it('tall: WᵀW = g²I; wide: WWᵀ = g²I; square: both; to 1e-10', () => {
    const gain = 1.7;
    for (const [rows, cols] of [
      [300, 100],
      [100, 300],
      [120, 120],
      [1, 5],
      [5, 1],
    ]) {
      const w = new Float64Array(rows * cols);
      sampleOrthogonal(createRandom(rows * 1000 + cols), w, rows, cols, gain);
      const unit = w.map((x) => x / gain);
      if (rows >= cols) expect(gram(unit, rows, cols, 'columns'), `${rows}×${cols}`).toBeLessThan(1e-10);
      if (rows <= cols) expect(gram(unit, rows, cols, 'rows'), `${rows}×${cols}`).toBeLessThan(1e-10);
    }
  });

  it('per-entry variance is g²/max(rows, cols) exactly (the sum of squares is g²·min(rows, cols))', () => {
    const law = orthogonalDistribution(2, 64, 16);
    expect(law.variance).toBe(4 / 64);
    const w = new Float64Array(64 * 16);
    law.sample(createRandom(3), w, 64, 16);
    const meanSquare = w.reduce((sum, x) => sum + x * x, 0) / w.length;
    expect(meanSquare).toBeCloseTo(law.variance, 12);
    expect(evaluate(law.varianceExpression, { gain: 2, rows: 64, cols: 16 })).toBe(law.variance);
  });

  it('Haar law: E[w] = 0 and E[w⁴] = 3g⁴/(N(N+2)) over 3000 draws of 12×5 (|z| < 5; per-draw averages are iid)', () => {
    const law = orthogonalDistribution(1.5, 12, 5);
    const draws = 3000;
    const topLeft = new Float64Array(draws);
    const fourth = new Float64Array(draws);
    const w = new Float64Array(60);
    const random = createRandom(11);
    for (let d = 0; d < draws; d++) {
      law.sample(random, w, 12, 5);
      topLeft[d] = w[0];
      fourth[d] = w.reduce((sum, x) => sum + x ** 4, 0) / w.length;
    }
    // Without torch's sign correction, Householder QR makes w[0][0] = −|x0|/‖x‖ < 0 always.
    expect(Math.abs(zScore(topLeft, (x) => x, 0))).toBeLessThan(Z_LIMIT);
    expect(Math.abs(zScore(fourth, (x) => x, law.fourthMoment))).toBeLessThan(Z_LIMIT);
    // A Gaussian-entry claim 3σ⁴ = 3g⁴/N² is rejected at this sample size.
    expect(Math.abs(zScore(fourth, (x) => x, (3 * 1.5 ** 4) / 144))).toBeGreaterThan(Z_LIMIT);
  });

  it('samples a 1000×1000 orthogonal matrix with unit columns (speed is in bench/, not here)', () => {
    const w = new Float32Array(1000 * 1000);
    sampleOrthogonal(createRandom(5), w, 1000, 1000, 1);
    let columnNorm = 0;
    for (let i = 0; i < 1000; i++) columnNorm += w[i * 1000 + 7] ** 2;
    expect(columnNorm).toBeCloseTo(1, 5);
  });

  it('refuses to sample a shape it was not built for', () => {
    const law = orthogonalDistribution(1, 4, 3);
    expect(() => law.sample(createRandom(1), new Float64Array(10), 2, 5)).toThrow(InputError);
  });
});

describe('distribution registry', () => {
  it('builds every law by name and rejects bad names, parameters and values with the field named', () => {
    expect(distributionNames).toEqual(['normal', 'uniform', 'truncated_normal', 'orthogonal', 'constant']);
    expect(createDistribution('uniform', { bound: 0.3 }).variance).toBeCloseTo(0.03, 16);
    expect(createDistribution('orthogonal', { rows: 4, cols: 8 }).variance).toBe(1 / 8);
    expect(() => createDistribution('laplace')).toThrow(/distribution = "laplace" is not allowed: expected one of normal/);
    expect(() => createDistribution('normal', { sigma: 1 })).toThrow(/distribution\.sigma/);
    expect(() => createDistribution('normal', {})).toThrow(/distribution\.std/);
    expect(() => normalDistribution(-1)).toThrow(/std = -1 is not allowed/);
    expect(() => uniformDistribution(Number.NaN)).toThrow(/bound = NaN is not allowed/);
    expect(() => constantDistribution(Number.POSITIVE_INFINITY)).toThrow(InputError);
  });
});
