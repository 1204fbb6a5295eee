/**
 * Random architectures (depth 1–8, widths 16–512, mixed exact activations, random presets, gains,
 * biases and input variances): the symbolic exact prediction and the Monte Carlo measurement agree
 * within the interval at the stated level, with the number of disagreements consistent with that
 * level, and the same cases reject a formula that is 10% wrong (the interval is not loose).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/numeric/check.js';
import { studentTQuantile } from '../../src/math/statistics.js';
import { predictNetwork, type PredictionFlavours } from '../../src/symbolic/predict.js';
import { exactArchitecture } from './arbitraries.js';

const LEVEL = 0.99;
const CASES = 80;
const OPTIONS = { batch: 32, nets: 16, dtype: 'float64' as const, level: LEVEL };

/** log P(X = k) for X ~ Binomial(n, p). */
function logBinomialPmf(k: number, n: number, p: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
  return logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** The smallest k with P(X > k) ≤ alpha for X ~ Binomial(n, p): more than k is not chance. */
function binomialUpperBound(n: number, p: number, alpha: number): number {
  let tail = 1;
  for (let k = 0; k <= n; k++) {
    tail -= Math.exp(logBinomialPmf(k, n, p));
    if (tail <= alpha) return k;
  }
  return n;
}

const cases = fc.sample(exactArchitecture, { seed: 20240605, numRuns: CASES });
const tested = (flavours: PredictionFlavours) => flavours.exact ?? flavours.meanField;

describe(`symbolic exact predictions vs Monte Carlo on ${CASES} random architectures`, () => {
  it('binomial bound helper', () => {
    // Bin(10, 1/2): P(X > 8) = 11/1024 ≤ 0.05 < P(X > 7) = 56/1024.
    expect(binomialUpperBound(10, 0.5, 0.05)).toBe(8);
    expect(binomialUpperBound(10, 0.5, 0.01)).toBe(9);
  });

  it(`disagree no more often than chance at level ${LEVEL}, and reject the same formula 10% off`, async () => {
    let failures = 0;
    let wrongPasses = 0;
    let quantities = 0;
    let outside = 0;
    const failed: string[] = [];
    for (const [index, spec] of cases.entries()) {
      const seed = 1000 + index;
      const report = await checkNetwork(spec, { ...OPTIONS, seed });
      for (const layer of report.layers) expect(layer.forward.tested).toBe('exact'); // identity/relu/leaky relu
      if (!report.pass) {
        failures++;
        failed.push(JSON.stringify(spec));
      }
      // Per-quantity calibration: |z| beyond the two-sided 99% t quantile should happen ~1% of the time.
      const cut = studentTQuantile(0.995, (report.nets ?? OPTIONS.nets) - 1);
      for (const layer of report.layers) {
        for (const q of [layer.forward, layer.backward, layer.weightGradient]) {
          quantities++;
          if (Math.abs(q.z) > cut) outside++;
        }
      }
      const wrong = await checkNetwork(spec, {
        ...OPTIONS,
        seed,
        predictions: (network) => {
          const theory = predictNetwork(network).layers;
          return {
            forward: theory.map((l) => tested(l.forward) * 1.1),
            backward: theory.map((l) => tested(l.backward)),
            weightGradient: theory.map((l) => tested(l.weightGradient)),
          };
        },
      });
      if (wrong.pass) wrongPasses++;
    }
    // Holm controls each case's family-wise false-failure rate at 1 − LEVEL.
    const bound = binomialUpperBound(CASES, 1 - LEVEL, 1e-3);
    expect(failures, `failed cases:\n${failed.join('\n')}`).toBeLessThanOrEqual(bound);
    // The interval is not loose: per quantity, the 99% interval misses about 1% of the time
    // (not 0%), within a generous band for correlated quantities.
    const rate = outside / quantities;
    expect(quantities).toBeGreaterThan(400);
    expect(rate).toBeGreaterThan(0.001);
    expect(rate).toBeLessThan(0.03);
    // And a 10% error in E[h_l²] is caught in the large majority of the same cases.
    expect(wrongPasses / CASES).toBeLessThan(0.2);
    console.info(`architectures: ${failures}/${CASES} false failures (bound ${bound}), ${outside}/${quantities} quantities outside their 99% interval, 10%-wrong formula passed ${wrongPasses}/${CASES}`);
  });
});
