/**
 * Predictions pinned at known values, and the two engine-free demos (matrix products, symmetry).
 */
import { describe, expect, it } from 'vitest';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { gaussianTopLyapunov, runMatrixProductDemo } from '../../src/numeric/demos/matrices.js';
import { runSymmetryDemo } from '../../src/numeric/demos/symmetry.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

describe('predictions', () => {
  it('tanh under Xavier on 1000-wide layers: mean-field 1, 0.394, 0.236, 0.167…; linear theory stays 1', () => {
    const p = predictNetwork(resolveNetwork({ widths: new Array(7).fill(1000), activation: 'tanh', init: 'xavier_normal' }));
    const meanField = p.layers.map((l) => l.forward.meanField);
    // E[tanh(z)²] = 0.3942944904 (issue 2's pinned value), then the q-map.
    expect(meanField[0]).toBeCloseTo(1, 12);
    expect(meanField[1]).toBeCloseTo(0.3942944904, 9);
    expect(meanField[2]).toBeCloseTo(0.23645, 4);
    expect(meanField[3]).toBeCloseTo(0.16666, 4);
    expect(p.layers.map((l) => l.forward.linear)).toEqual(new Array(6).fill(1).map(() => expect.closeTo(1, 12)));
    // only layer 1's forward is exact (nothing non-linear before it)
    expect(p.layers.map((l) => l.forward.exact)).toEqual([1, null, null, null, null, null]);
    expect(p.layers.every((l) => l.backward.exact === null || l.layer === 6)).toBe(true);
  });

  it('relu under He: forward 2, 2, 2 (input variance 1), backward ½·n_out σ² per layer, all exact', () => {
    const p = predictNetwork(resolveNetwork({ widths: [100, 50, 20, 10], activation: 'relu', init: 'he_normal' }));
    expect(p.layers.map((l) => l.forward.exact)).toEqual([2, 2, 2].map((v) => expect.closeTo(v, 12)));
    // backward: E[d_3²] = 1; E[d_2²] = n_3·(2/20)·½ = 0.5; E[d_1²] = 20·(2/50)·½·0.5 = 0.2
    expect(p.layers.map((l) => l.backward.exact)).toEqual([0.2, 0.5, 1].map((v) => expect.closeTo(v, 12)));
    // weight gradient: E[a²]·E[d²] with E[x²] = 1 and E[a²] = q/2 = 1
    expect(p.layers.map((l) => l.weightGradient.exact)).toEqual([0.2, 0.5, 1].map((v) => expect.closeTo(v, 12)));
    // linear theory forgets relu's ½
    expect(p.layers.map((l) => l.forward.linear)).toEqual([2, 4, 8].map((v) => expect.closeTo(v, 12)));
  });

  it('bias and input variance enter the q-map: q = n σ² m2 + σ_b²', () => {
    const p = predictNetwork(resolveNetwork({ widths: [10, 10, 10], activation: 'identity', init: 'lecun_normal', biasStd: 0.5, inputVariance: 4 }));
    expect(p.layers[0].forward.exact).toBeCloseTo(4 + 0.25, 12);
    expect(p.layers[1].forward.exact).toBeCloseTo(4.25 + 0.25, 12);
  });
});

describe('demo: product of Gaussian matrices', () => {
  it('λ₁ = ½[ln(2σ²) + ψ(N/2)] pinned: N = 4 gives 0.5579 (σ² = 1) and −0.1352 (σ² = 1/4)', () => {
    // ψ(2) = 1 − γ = 0.42278433509846713
    expect(gaussianTopLyapunov(4, 1)).toBeCloseTo(0.5 * (Math.log(2) + 0.42278433509846713), 12);
    expect(gaussianTopLyapunov(4, 0.25)).toBeCloseTo(0.5 * (Math.log(0.5) + 0.42278433509846713), 12);
  });

  it('measured growth rates contain λ₁ and N σ² (99% intervals, seed 1), and a wrong rate ½ln(Nσ²) is rejected', () => {
    const result = runMatrixProductDemo({ seed: 1 });
    for (const c of result.cases) {
      expect(c.lyapunovMeasured.ciLow).toBeLessThan(c.lyapunovPredicted);
      expect(c.lyapunovMeasured.ciHigh).toBeGreaterThan(c.lyapunovPredicted);
      expect(c.meanSquareGrowthMeasured.ciLow).toBeLessThan(c.meanSquareGrowthPredicted);
      expect(c.meanSquareGrowthMeasured.ciHigh).toBeGreaterThan(c.meanSquareGrowthPredicted);
      // the naive "log of the mean square" rate is outside the interval
      const naive = 0.5 * Math.log(c.meanSquareGrowthPredicted);
      expect(naive < c.lyapunovMeasured.ciLow || naive > c.lyapunovMeasured.ciHigh).toBe(true);
    }
    const [standard, scaled] = result.cases;
    expect(standard.productMaxEntry).toBeGreaterThan(1e15); // explodes
    expect(scaled.lyapunovPredicted).toBeLessThan(0); // typical product shrinks...
    expect(scaled.meanSquareGrowthPredicted).toBe(1); // ...while the mean square is preserved
  });
});

describe('demo: symmetry', () => {
  it('constant init: every hidden unit gets the same gradient and stays identical through SGD; random init does not', () => {
    const result = runSymmetryDemo({ seed: 3, steps: 15 });
    for (const step of result.constant.steps) {
      expect(step.gradientSpread.every((v) => v === 0)).toBe(true);
      expect(step.weightSpread.every((v) => v === 0)).toBe(true);
    }
    // the constant run did learn something (gradients were not zero)
    expect(result.constant.steps.at(-1)!.loss).toBeLessThan(result.constant.steps[0].loss);
    expect(result.random.steps.at(-1)!.weightSpread.every((v) => v > 0.1)).toBe(true);
  });

  it('`varprop demo symmetry --json` and `demo matrices --json` print the data; unknown demo exits 2', async () => {
    const io = memoryIO();
    expect(await main(['demo', 'symmetry', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out).constant.steps.length).toBe(21);
    const io2 = memoryIO();
    expect(await main(['demo', 'matrices', '--json', '--seed', '2'], io2)).toBe(0);
    expect(JSON.parse(io2.out).cases).toHaveLength(2);
    const io3 = memoryIO();
    expect(await main(['demo', 'nope'], io3)).toBe(2);
    expect(io3.err).toMatch(/demo = "nope" is not allowed: expected one of matrices, sigmoid, symmetry/);
  });
});
