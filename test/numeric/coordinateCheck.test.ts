/**
 * The coordinate check (src/numeric/coordinateCheck.ts): its ∂W is the engine's, its step is a
 * descent step of the size it claims, its fitted exponents agree with the abc table's predictions
 * for SP, NTK and μP over widths 32–256, a deliberately wrong exponent or table is rejected, and its
 * slope intervals cover their target at the stated level (measured here). Fixed seeds throughout.
 */
import { describe, expect, it } from 'vitest';
import { coordinateCheck, fitExponent, measureSizes, networkAtWidth, resolveBaseNetwork, stepReplicate, type CoordinateCheckOptions } from '../../src/numeric/coordinateCheck.js';
import { measureReplicate } from '../../src/numeric/engine.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { predictWidthExponents } from '../../src/theory/widthExponents.js';
import type { NetworkSpec } from '../../src/vocabulary/network.js';
import { maximalUpdateParametrization, parametrizations, standardParametrization, type Parametrization } from '../../src/vocabulary/parametrizations.js';

/** A relu MLP 16 → 32 → 32 → 32 → 16 (base width 32). */
const mlp: NetworkSpec = { widths: [16, 32, 32, 32, 16], activation: 'relu', init: 'he_normal' };
const WIDTHS = [32, 64, 128, 256];
const options = (parametrization: Parametrization, optimizer: 'sgd' | 'adam'): CoordinateCheckOptions => ({
  parametrization,
  optimizer,
  widths: WIDTHS,
  learningRate: optimizer === 'sgd' ? 0.01 : 0.001,
  nets: 8,
  batch: 16,
  seed: 7,
});

function loss(f: Float64Array, g: Float64Array, batch: number, outputs: number): number {
  let total = 0;
  for (let b = 0; b < batch; b++) for (let j = 0; j < outputs; j++) total += f[b * outputs + j] * g[j * batch + b];
  return total;
}

describe('the step', () => {
  const base = resolveBaseNetwork(mlp);
  const roles = ['input', 'hidden', 'hidden', 'output'] as const;
  const backend = createPlainBackend('float64');

  it('forms the engine\'s weight gradient: Σ(∂W)² = E[(∂W)²]·count·batch for every layer', () => {
    const at = networkAtWidth(mlp, base, 64, predictWidthExponents(maximalUpdateParametrization, 'sgd', [...roles]), 0.01);
    const step = stepReplicate(at, 3, { optimizer: 'sgd', batch: 8, seed: 5 }, backend);
    for (const slot of at.slots) slot.mode = 'draw';
    const engine = measureReplicate(at.network, 3, { batch: 8, seed: 5, histogramBins: 64 }, backend);
    at.network.layers.forEach((layer, l) => {
      const engineSum = engine.values!.weightGradient[l] * layer.inputUnits * layer.outputUnits * 8;
      expect(step.gradientSumSquares[l]).toBeGreaterThan(0);
      expect(Math.abs(step.gradientSumSquares[l] - engineSum) / engineSum).toBeLessThan(1e-12);
    });
  });

  it('is a descent step of the first-order size: SGD ΔL ≈ −Σ η_l‖∂W_l‖², Adam ΔL ≈ −Σ η_l Σ|∂W_l| (1% at η = 1e-5)', () => {
    for (const optimizer of ['sgd', 'adam'] as const) {
      const at = networkAtWidth(mlp, base, 128, predictWidthExponents(parametrizations.sp, optimizer, [...roles]), 1e-5);
      const step = stepReplicate(at, 0, { optimizer, batch: 8, seed: 11 }, backend);
      const last = step.before.length - 1;
      const change = loss(step.after[last], step.outputGradient, 8, 16) - loss(step.before[last], step.outputGradient, 8, 16);
      const firstOrder = -step.learningRates.reduce((a, rate, l) => a + rate * (optimizer === 'sgd' ? step.gradientSumSquares[l] : step.gradientSumAbs[l]), 0);
      expect(firstOrder).toBeLessThan(0);
      expect(Math.abs(change / firstOrder - 1), optimizer).toBeLessThan(0.01);
    }
  });

  it('a step with the sign flipped would not be (the test can fail)', () => {
    const at = networkAtWidth(mlp, base, 64, predictWidthExponents(parametrizations.sp, 'sgd', [...roles]), 1e-5);
    const step = stepReplicate(at, 0, { optimizer: 'sgd', batch: 8, seed: 11 }, backend);
    const last = step.before.length - 1;
    const change = loss(step.after[last], step.outputGradient, 8, 16) - loss(step.before[last], step.outputGradient, 8, 16);
    const ascent = step.learningRates.reduce((a, rate, l) => a + rate * step.gradientSumSquares[l], 0);
    expect(Math.abs(change / ascent - 1)).toBeGreaterThan(1);
  });
});

describe('measured against predicted exponents (widths 32–256, 8 nets, 99% family-wise, band ±0.1)', () => {
  for (const name of ['sp', 'ntk', 'mup'] as const) {
    it(`${name} with SGD: no exponent fails`, () => {
      const result = coordinateCheck(mlp, options(parametrizations[name], 'sgd'));
      for (const layer of result.layers) {
        expect(layer.update.verdict, `${name} update ${layer.role} ${layer.update.exponent} vs ${layer.update.predictedExponent}`).not.toBe('fails');
        expect(layer.activation.verdict, `${name} activation ${layer.role}`).not.toBe('fails');
      }
    });
  }

  it('μP with Adam: no exponent fails, and the hidden updates are within ±0.1 of 0', () => {
    const result = coordinateCheck(mlp, options(maximalUpdateParametrization, 'adam'));
    expect(result.verdict).not.toBe('fails');
    for (const layer of result.layers.slice(0, 3)) expect(Math.abs(layer.update.exponent)).toBeLessThan(0.1);
  });

  it('SP data against μP\'s exponents is rejected: the hidden and output updates grow', () => {
    const sizes = measureSizes(mlp, options(standardParametrization, 'sgd'));
    const mup = predictWidthExponents(maximalUpdateParametrization, 'sgd', sizes.roles);
    const verdicts = sizes.roles.map((_, l) => fitExponent(sizes.widths, sizes.update[l], mup[l].update, 1 - 0.01 / 8, 0.1).verdict);
    expect(verdicts.slice(1)).toEqual(['fails', 'fails', 'fails']);
  });

  it('a deliberately wrong exponent (predicted + 0.5) is rejected for every μP update', () => {
    const sizes = measureSizes(mlp, options(maximalUpdateParametrization, 'sgd'));
    for (let l = 0; l < sizes.roles.length; l++) {
      expect(fitExponent(sizes.widths, sizes.update[l], sizes.predictions[l].update + 0.5, 1 - 0.01 / 8, 0.1).verdict).toBe('fails');
    }
  });

  it('a deliberately wrong table (μP with SP\'s output init) is rejected on μP data: output at init and hidden updates', () => {
    const sizes = measureSizes(mlp, options(maximalUpdateParametrization, 'sgd'));
    const wrong: Parametrization = { ...maximalUpdateParametrization, roles: { ...maximalUpdateParametrization.roles, output: { ...maximalUpdateParametrization.roles.output, b: 1 / 2 } } };
    const predicted = predictWidthExponents(wrong, 'sgd', sizes.roles);
    expect(fitExponent(sizes.widths, sizes.activation[3], predicted[3].activation, 1 - 0.01 / 8, 0.1).verdict).toBe('fails');
    expect(fitExponent(sizes.widths, sizes.update[1], predicted[1].update, 1 - 0.01 / 8, 0.1).verdict).toBe('fails');
  });
});

describe('coverage of the slope interval', () => {
  it('a 90% t interval from 5 replicates covers the mean slope in 81–99% of 120 disjoint groups, for every quantity (SP + SGD, relu)', () => {
    // Target: the expected per-replicate slope over these widths (not the asymptotic exponent; the
    // tolerance band is what separates the two). Truth from 400 replicates, groups from 600 others.
    const spec: NetworkSpec = { widths: [4, 8, 8, 4], activation: 'relu', init: 'he_normal' };
    const sizes = measureSizes(spec, { parametrization: standardParametrization, optimizer: 'sgd', widths: [8, 16, 32], learningRate: 0.01, nets: 1000, batch: 4, seed: 2024 });
    const slice = (rows: number[][], from: number, to: number) => rows.map((row) => row.slice(from, to));
    for (const quantity of ['activation', 'update'] as const) {
      sizes.roles.forEach((role, l) => {
        const truth = fitExponent(sizes.widths, slice(sizes[quantity][l], 0, 400), 0, 0.9, 0).exponent;
        let covered = 0;
        for (let g = 0; g < 120; g++) {
          const fit = fitExponent(sizes.widths, slice(sizes[quantity][l], 400 + 5 * g, 405 + 5 * g), 0, 0.9, 0);
          if (fit.ciLow <= truth && truth <= fit.ciHigh) covered++;
        }
        // Binomial(120, 0.9): sd 3.3; the band is ±3.3 sd.
        expect(covered / 120, `${quantity} ${role} ${l}`).toBeGreaterThanOrEqual(0.81);
        expect(covered / 120, `${quantity} ${role} ${l}`).toBeLessThanOrEqual(0.99);
      });
    }
  });
});

describe('refusals, one line each', () => {
  const check = (spec: unknown, overrides: Partial<CoordinateCheckOptions> = {}) => () => coordinateCheck(spec as NetworkSpec, { ...options(standardParametrization, 'sgd'), ...overrides });
  it('biases, residual blocks, one weight layer, widths that do not scale to whole numbers, fewer than 2 nets or widths', () => {
    expect(check({ ...mlp, biasStd: 0.1 })).toThrow('expected no bias nodes');
    expect(check({ input: 8, layers: [{ kind: 'dense', width: 8 }, { kind: 'residual', branch: [{ kind: 'dense', width: 8 }] }, { kind: 'dense', width: 2 }] })).toThrow('1.kind = "residual" is not allowed');
    expect(check({ widths: [8, 4] })).toThrow('at least 2 weight layers');
    expect(check({ widths: [8, 64, 96, 4] }, { widths: [32, 33] })).toThrow('--widths = 33 is not allowed');
    expect(check(mlp, { nets: 1 })).toThrow('--nets = 1 is not allowed');
    expect(check(mlp, { widths: [64] })).toThrow('at least 2 widths');
  });
});
