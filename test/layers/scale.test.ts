/**
 * The built-in `scale` kind (y = c·x): its moment face composes c² forward and backward, exactly;
 * the Monte Carlo agrees; a deliberately wrong face (c instead of c²) is rejected; for two inputs it
 * maps E[x_a x_b] to c²·E[x_a x_b] (the c-map step), measured through the same sampled networks, and
 * a c-map step with c in place of c² is rejected; a negative factor is refused in one line naming
 * the field.
 */
import { describe, expect, it } from 'vitest';
import type { LayerKind } from '../../src/layers/kind.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { scaleKind } from '../../src/layers/scale.js';
import { checkNetwork } from '../../src/numeric/check.js';
import { checkCorrelation } from '../../src/numeric/correlation.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { builtInCatalogue, resolveNetwork } from '../../src/vocabulary/network.js';
import { inputErrorOf } from './inputError.js';

const spec = {
  input: 32,
  layers: [
    { kind: 'dense', width: 32, init: 'he_normal' },
    { kind: 'activation', activation: 'relu' },
    { kind: 'scale', factor: 3 },
    { kind: 'dense', width: 32, init: 'lecun_normal' },
  ],
};

describe('scale kind', () => {
  it('propagates c²·E[x²] forward and c²·E[(∂y)²] backward, exact', () => {
    const sites = propagate(resolveNetwork(spec)).sites;
    const scale = sites.find((s) => s.kind === 'scale')!;
    expect(scale.output.secondMoment).toBeCloseTo(9 * scale.input.secondMoment, 12);
    expect(scale.inputGradient.secondMoment).toBeCloseTo(9 * scale.gradient.secondMoment, 12);
    expect(scale.output.exact && scale.inputGradient.exact).toBe(true);
    expect(scale.forwardRule.expression).toBe('c^2*q');
  });

  it('the Monte Carlo passes; the same series with c in place of c² is rejected', async () => {
    const options = { nets: 16, batch: 128, seed: 3, dtype: 'float64' as const };
    expect((await checkNetwork(spec, options)).pass).toBe(true);
    // Per weight layer: E[h²] = 2, c²·1; E[d²] = 32·(1/32)·c²·½, 1; E[(∂W)²] = 1·E[d₁²], c²·1·1.
    const series = (c2: number) => () => ({ forward: [2, c2], backward: [c2 / 2, 1], weightGradient: [c2 / 2, c2] });
    expect((await checkNetwork(spec, { ...options, predictions: series(9) })).pass).toBe(true);
    expect((await checkNetwork(spec, { ...options, predictions: series(3) })).pass).toBe(false);
  }, 30_000);

  it('two inputs: E[y_a y_b] = c²·E[x_a x_b] with its rule; the Monte Carlo agrees, c·E[x_a x_b] is rejected', () => {
    const inputCorrelation = 0.5;
    const sites = propagate(resolveNetwork(spec), 'meanField', { inputCorrelation }).sites;
    const scale = sites.find((s) => s.kind === 'scale')!;
    expect(scale.output.cross).toBeCloseTo(9 * scale.input.cross!, 12);
    // Exact as far as its input is (after relu: mean-field, the arc-cosine kernel of Gaussian pre-activations).
    expect(scale.output.crossExact).toBe(scale.input.crossExact);
    expect(scale.crossRule).toMatchObject({ expression: 'c^2*k', values: { c: 3, k: scale.input.cross } });
    // The c-map goes on past the scale (before it had a cross rule, the second input stopped there).
    expect(sites[sites.length - 1].output.cross).toBeDefined();

    const options = { pairs: 64, nets: 12, seed: 5, inputCorrelation };
    const right = checkCorrelation(resolveNetwork(spec), options);
    expect(right.sites.map((site) => site.path)).toContain(scale.path);
    expect(right.verdict).not.toBe('fails');
    const scaleForgettingSquare: LayerKind = {
      ...scaleKind,
      moments: {
        ...scaleKind.moments,
        forward(node, input, flavour, run) {
          const result = scaleKind.moments.forward(node, input, flavour, run);
          if (input.cross === undefined || !result.crossRule) return result;
          const c = (node as { factor: number }).factor;
          return { ...result, output: { ...result.output, cross: c * input.cross }, crossRule: { ...result.crossRule, expression: 'c*k' } };
        },
      },
    };
    const wrongKinds = { ...builtInCatalogue, layerKinds: { ...builtInLayerKinds, scale: scaleForgettingSquare } };
    const wrong = checkCorrelation(resolveNetwork(spec), options, propagate(resolveNetwork(spec, wrongKinds), 'meanField', { inputCorrelation }));
    expect(wrong.sites.find((site) => site.path === scale.path)!.cross.verdict).toBe('fails');
  }, 30_000);

  it('refuses a negative or missing factor, naming the field', () => {
    expect(inputErrorOf(() => resolveNetwork({ input: 4, layers: [{ kind: 'scale', factor: -1 }] }))?.field).toBe('0.factor');
    expect(inputErrorOf(() => resolveNetwork({ input: 4, layers: [{ kind: 'scale' }] }))?.field).toBe('0.factor');
  });
});
