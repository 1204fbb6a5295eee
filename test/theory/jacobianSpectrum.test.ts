/**
 * The Jacobian spectrum (issue 10 §2): the prediction is read from propagate(), the extra moment μ₂
 * is right, and Monte Carlo agrees with the prediction on linear, tanh near criticality and relu
 * networks, Gaussian and orthogonal, while deliberately wrong formulas are rejected by the same
 * decision procedure. Statistical tests: fixed seeds, level 0.99, 24 replicate networks of width 128.
 */
import { describe, expect, it } from 'vitest';
import { decidePrediction } from '../../src/numeric/decision.js';
import { decideJacobianSpectrum, measureJacobianSpectrum, squaredSingularValues, type JacobianMeasurement } from '../../src/numeric/jacobian.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { criticalPoint } from '../../src/theory/criticality.js';
import {
  derivativeFourthMoment,
  exactLinearGaussianVariance,
  isometryProfile,
  linearGaussianSpectrumMoments,
  predictJacobianSpectrum,
} from '../../src/theory/jacobian.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { resolveNetwork, type WidthsNetworkSpec } from '../../src/vocabulary/network.js';

const WIDTH = 128;
const DEPTH = 4;
const NETS = 24;
const widths = new Array(DEPTH + 1).fill(WIDTH);

/** tanh on its critical line at σ_b² = 1e-3, the input at the fixed point q* so every layer sits there. */
function criticalTanh(init: 'orthogonal' | 'xavier_normal'): WidthsNetworkSpec {
  const biasVar = 1e-3;
  const { criticalWeightVar, qStar } = criticalPoint(resolveActivation('tanh'), biasVar);
  return { widths, activation: 'tanh', init: { name: init, gain: Math.sqrt(criticalWeightVar) }, biasStd: Math.sqrt(biasVar), inputVariance: (qStar - biasVar) / criticalWeightVar };
}

const settings: Record<string, WidthsNetworkSpec> = {
  linearGaussian: { widths, activation: 'identity', init: 'xavier_normal' },
  linearOrthogonal: { widths, activation: 'identity', init: 'orthogonal' },
  tanhOrthogonal: criticalTanh('orthogonal'),
  tanhGaussian: criticalTanh('xavier_normal'),
  reluGaussian: { widths, activation: 'relu', init: 'he_normal' },
  reluOrthogonal: { widths, activation: 'relu', init: { name: 'orthogonal', gain: Math.SQRT2 } },
};

const measured = new Map<string, JacobianMeasurement>();
function measure(name: string): JacobianMeasurement {
  if (!measured.has(name)) measured.set(name, measureJacobianSpectrum(resolveNetwork(settings[name]), { nets: NETS, seed: 7 }));
  return measured.get(name)!;
}

function decide(name: string, override: { mean?: number; variance?: number } = {}) {
  const prediction = predictJacobianSpectrum(resolveNetwork(settings[name]));
  const variance = prediction.varianceSquaredSingularValue!;
  return decideJacobianSpectrum(measure(name), {
    mean: { value: override.mean ?? prediction.meanSquaredSingularValue.value, label: prediction.meanSquaredSingularValue.label },
    variance: { value: override.variance ?? variance.value, label: variance.label },
  });
}

describe('the prediction', () => {
  it('is the product of propagate()’s backward factors, and propagate’s input gradient', () => {
    const network = resolveNetwork(settings.tanhGaussian);
    const prediction = predictJacobianSpectrum(network);
    const product = prediction.factors.reduce((p, f) => p + Math.log(f.factor), 0);
    expect(Math.exp(product)).toBeCloseTo(prediction.meanSquaredSingularValue.value, 12);
    expect(prediction.meanSquaredSingularValue.value).toBe(propagate(network).sites[0].inputGradient.secondMoment);
    expect(prediction.meanSquaredSingularValue.label).toBe('meanField');
    expect(prediction.varianceSquaredSingularValue?.label).toBe('leadingOrder');
  });

  it('at the critical point every layer multiplies by σ_w² μ₁ = 1: (σ_w² μ₁)^L with L activations and L + 1 weights', () => {
    const { criticalWeightVar } = criticalPoint(resolveActivation('tanh'), 1e-3);
    const prediction = predictJacobianSpectrum(resolveNetwork(settings.tanhOrthogonal));
    // DEPTH dense layers, DEPTH − 1 activations between them: one σ_w² is left over.
    expect(prediction.meanSquaredSingularValue.value).toBeCloseTo(criticalWeightVar, 8);
  });

  it('μ₂ = E[φ′⁴]: 1 for identity, 1/2 for relu, and tanh’s by quadrature below μ₁', () => {
    expect(derivativeFourthMoment(resolveActivation('identity'), 1)).toBeCloseTo(1, 14);
    expect(derivativeFourthMoment(resolveActivation('relu'), 3)).toBeCloseTo(0.5, 14);
    const tanh = resolveActivation('tanh');
    expect(derivativeFourthMoment(tanh, 1)).toBeLessThan(tanh.moments(1).derivativeSecondMoment);
    expect(derivativeFourthMoment(tanh, 1e-12)).toBeCloseTo(1, 9);
  });

  it('evaluates its own rules: the mathjs expressions give the stated values', async () => {
    const { evaluate } = await import('mathjs');
    const prediction = predictJacobianSpectrum(resolveNetwork(settings.reluGaussian));
    for (const rule of [prediction.meanSquaredSingularValue.rule, prediction.varianceSquaredSingularValue!.rule]) {
      const value = evaluate(rule.expression, { ...rule.values });
      expect(value).toBeCloseTo(rule === prediction.meanSquaredSingularValue.rule ? prediction.meanSquaredSingularValue.value : prediction.varianceSquaredSingularValue!.value, 10);
    }
    // relu + Gaussian: m₁ = 2 (three relu at μ₁ = 1/2, four He layers at σ_w² = 2); Var = m₁²·(4·1 + 3·1).
    expect(prediction.varianceSquaredSingularValue!.value).toBeCloseTo(4 * 7, 10);
  });

  it('says why there is no variance prediction for a non-square or normalized network', () => {
    expect(predictJacobianSpectrum(resolveNetwork({ widths: [64, 32, 64], activation: 'relu', init: 'he_normal' })).varianceUnavailable).toMatch(/0 is 64→32/);
    const normalized = resolveNetwork({ input: 32, layers: [{ kind: 'dense', width: 32 }, { kind: 'layer_norm' }] });
    expect(predictJacobianSpectrum(normalized).varianceUnavailable).toMatch(/1 is a layer_norm/);
  });

  it('dynamical isometry: tanh’s per-layer growth with orthogonal weights → 0 as σ_b² → 0; relu’s stays 1', () => {
    const tanh = resolveActivation('tanh');
    const spreads = [0.05, 1e-2, 1e-3, 1e-4].map((b) => isometryProfile(tanh, b).perLayerVariance.orthogonal);
    for (let i = 1; i < spreads.length; i++) expect(spreads[i]).toBeLessThan(spreads[i - 1]);
    expect(spreads[3]).toBeLessThan(0.02);
    expect(isometryProfile(resolveActivation('relu'), 0).perLayerVariance.orthogonal).toBeCloseTo(1, 12);
    expect(isometryProfile(resolveActivation('relu'), 0).perLayerVariance.gaussian).toBeCloseTo(2, 12);
    expect(() => isometryProfile(resolveActivation('sigmoid'), 0)).toThrow(/activation = "sigmoid" is not allowed/);
  });

  it('an activation whose E[φ′⁴] diverges is refused in words', () => {
    expect(() => derivativeFourthMoment(resolveActivation('exp(x^2)'), 1)).toThrow(/E\[φ′\(h\)⁴\] is finite/);
  });
});

describe('exact finite-width moments of a linear Gaussian chain', () => {
  it('one layer: E[Var λ] = 1 + 1/n − 2/n² (Wishart), against Marchenko–Pastur’s 1', () => {
    for (const n of [3, 10, 128]) expect(linearGaussianSpectrumMoments(n, [{ outputUnits: n, variance: 1 / n }]).variance).toBeCloseTo(1 + 1 / n - 2 / n ** 2, 12);
  });

  it('a 2×2 one-layer case agrees with direct eigenvalues by Monte Carlo (exact, strict band)', () => {
    const network = resolveNetwork({ widths: [2, 2], init: 'xavier_normal' });
    const run = measureJacobianSpectrum(network, { nets: 4000, seed: 3 });
    const decision = decidePrediction(run.replicates.map((r) => r.varianceSquaredSingularValue), exactLinearGaussianVariance(network)!, 0.99, 0);
    expect(decision.verdict).not.toBe('fails');
  });
});

describe('Monte Carlo against the prediction (width 128, depth 4, 24 networks, level 0.99)', () => {
  for (const name of Object.keys(settings)) {
    it(`${name}: neither the mean nor the variance of the squared singular values fails`, () => {
      const decided = decide(name);
      expect(decided.meanSquaredSingularValue.verdict).not.toBe('fails');
      expect(decided.varianceSquaredSingularValue.verdict).not.toBe('fails');
    });
  }

  it('linear Gaussian: the exact finite-width variance is not rejected with a zero-width band either', () => {
    const network = resolveNetwork(settings.linearGaussian);
    const exact = exactLinearGaussianVariance(network)!;
    expect(exact / predictJacobianSpectrum(network).varianceSquaredSingularValue!.value - 1).toBeGreaterThan(0.01);
    const values = measure('linearGaussian').replicates.map((r) => r.varianceSquaredSingularValue);
    expect(decidePrediction(values, exact, 0.995, 0).verdict).not.toBe('fails');
  });

  it('tanh near criticality with orthogonal weights is close to isometric: normalized variance below 0.2, Gaussian above 3', () => {
    const orthogonal = decide('tanhOrthogonal');
    const gaussian = decide('tanhGaussian');
    expect(orthogonal.varianceSquaredSingularValue.ciHigh / orthogonal.meanSquaredSingularValue.estimate ** 2).toBeLessThan(0.2);
    expect(gaussian.varianceSquaredSingularValue.ciLow / gaussian.meanSquaredSingularValue.estimate ** 2).toBeGreaterThan(3);
  });
});

describe('deliberately wrong formulas are rejected', () => {
  it('μ₁ squared in the mean, (σ_w² μ₁²)^L, fails on tanh', () => {
    const prediction = predictJacobianSpectrum(resolveNetwork(settings.tanhGaussian));
    const wrong = prediction.factors.reduce((p, f) => p * (f.kind === 'activation' ? f.factor ** 2 : f.factor), 1);
    expect(decide('tanhGaussian', { mean: wrong }).meanSquaredSingularValue.verdict).toBe('fails');
  });

  it('s₁ with its sign flipped (+1 for Gaussian weights) fails on relu and on linear networks', () => {
    for (const name of ['reluGaussian', 'linearGaussian']) {
      const prediction = predictJacobianSpectrum(resolveNetwork(settings[name]));
      const m1 = prediction.meanSquaredSingularValue.value;
      const wrong = m1 ** 2 * prediction.factors.reduce((sum, f) => sum + (f.kind === 'dense' ? -1 : (f.spread as number)), 0);
      expect(decide(name, { variance: wrong }).varianceSquaredSingularValue.verdict, name).toBe('fails');
    }
  });

  it('orthogonal weights taken as Gaussian (s₁ = −1 instead of 0) fails on tanh near criticality', () => {
    const prediction = predictJacobianSpectrum(resolveNetwork(settings.tanhOrthogonal));
    const m1 = prediction.meanSquaredSingularValue.value;
    const wrong = m1 ** 2 * prediction.factors.reduce((sum, f) => sum + (f.kind === 'dense' ? 1 : (f.spread as number)), 0);
    expect(decide('tanhOrthogonal', { variance: wrong }).varianceSquaredSingularValue.verdict).toBe('fails');
  });

  it('a variance predicted 0 for a Gaussian linear chain fails; for the orthogonal one it holds', () => {
    expect(decide('linearGaussian', { variance: 0 }).varianceSquaredSingularValue.verdict).toBe('fails');
    expect(decide('linearOrthogonal').varianceSquaredSingularValue.verdict).toBe('holds');
  });
});

describe('squared singular values', () => {
  it('of a 2×3 matrix: the eigenvalues of JᵀJ, with the zero the wide matrix adds', () => {
    // J = [[3, 0, 0], [0, 4, 0]]: singular values 3, 4 and a zero column.
    expect([...squaredSingularValues(new Float64Array([3, 0, 0, 0, 4, 0]), 2, 3)]).toEqual([0, 9, 16]);
    expect([...squaredSingularValues(new Float64Array([1, 1, 0, 1]), 2, 2)].map((v) => Number(v.toFixed(12)))).toEqual([
      Number(((3 - Math.sqrt(5)) / 2).toFixed(12)),
      Number(((3 + Math.sqrt(5)) / 2).toFixed(12)),
    ]);
  });
});
