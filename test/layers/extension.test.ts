/**
 * The extension point: a new layer kind is one object with every face (shape, moments, numeric),
 * passed in a table (no global registry is touched), and it works in resolution, propagation,
 * derivation and the Monte Carlo alike, through the same code as the built-in kinds.
 *
 * The kind: `fixed_gain`, y = c·x (a test-only twin of the built-in `scale` kind: a fixed gain, e.g. a residual branch multiplier written as a node).
 * Its moments: E[y²] = c²·E[x²], E[(∂x)²] = c²·E[(∂y)²]. A deliberately wrong face (c instead of
 * c²) is rejected by the Monte Carlo check.
 */
import { describe, expect, it } from 'vitest';
import type { LayerKind, ResolvedNode } from '../../src/layers/kind.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { checkResolvedNetwork } from '../../src/numeric/check.js';
import { measureNetwork } from '../../src/numeric/engine.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveNetwork } from '../../src/symbolic/layer.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { requireNonNegative } from '../../src/vocabulary/fields.js';
import { builtInCatalogue, resolveNetwork } from '../../src/vocabulary/network.js';
import { allSteps, recheckStep, renderStrict } from '../symbolic/helpers.js';
import { inputErrorOf } from './inputError.js';

interface ScaleNode extends ResolvedNode {
  factor: number;
}

function scaleKind(power: number): LayerKind<ScaleNode> {
  return {
    name: 'fixed_gain',
    fields: ['factor'],
    summary: 'y = c·x: { "kind": "fixed_gain", "factor": c }',
    resolve: (spec, context) => ({
      kind: 'fixed_gain',
      path: context.path,
      input: context.input,
      output: context.input,
      factor: requireNonNegative(`${context.path}.factor`, spec.factor),
    }),
    moments: {
      forward: (node, input) => ({
        output: { ...input, secondMoment: node.factor ** power * input.secondMoment, mean: node.factor * input.mean },
        rule: { name: 'scaling', expression: `c^${power}*q`, latex: `c^{${power}}\\,\\mathbb{E}[x^2]`, values: { c: node.factor, q: input.secondMoment }, note: 'A fixed gain.' },
      }),
      backward: (node, gradient) => ({
        input: { ...gradient, secondMoment: node.factor ** power * gradient.secondMoment },
        rule: { name: 'scaling', expression: `c^${power}*g`, latex: `c^{${power}}\\,\\mathbb{E}[(\\partial y)^2]`, values: { c: node.factor, g: gradient.secondMoment }, note: 'A fixed gain.' },
      }),
    },
    numeric: {
      forward(node, input, { backend, batch }) {
        const output = backend.allocate(batch, node.output.units);
        const x = backend.view(input);
        const y = backend.view(output);
        for (let i = 0; i < y.length; i++) y[i] = node.factor * x[i];
        return { output };
      },
      backward(node, _state, _input, gradient, { backend }) {
        const g = backend.view(gradient);
        for (let i = 0; i < g.length; i++) g[i] *= node.factor;
        return { inputGradient: gradient };
      },
      keptElements: (node, batch) => batch * node.output.units,
      workingElements: () => 0,
    },
  };
}

const spec = {
  input: 32,
  layers: [
    { kind: 'dense', width: 32, init: 'he_normal' },
    { kind: 'activation', activation: 'relu' },
    { kind: 'fixed_gain', factor: 3 },
    { kind: 'dense', width: 16, init: 'lecun_normal' },
  ],
};
const table = { ...builtInLayerKinds, fixed_gain: scaleKind(2) };
const catalogue = { ...builtInCatalogue, layerKinds: table };

describe('a kind registered in a table', () => {
  const network = resolveNetwork(spec, catalogue);

  it('is resolved, and the built-in table does not know it', () => {
    expect(network.sites.map((s) => `${s.path}:${s.kind}`)).toEqual(['0:dense', '1:activation', '2:fixed_gain', '3:dense']);
    const unknown = inputErrorOf(() => resolveNetwork(spec));
    expect(unknown.field).toBe('2.kind');
    expect(unknown.allowed).toMatch(/one of dense, conv2d, bias, activation, layer_norm, rms_norm, residual, repeat, serial/);
    expect(inputErrorOf(() => resolveNetwork({ ...spec, layers: [spec.layers[0], { kind: 'fixed_gain', factor: -1 }] }, catalogue)).field).toBe('1.factor');
  });

  it('is composed by propagate(): E[y²] = c²·E[a²], exactly (relu under He)', () => {
    const sites = propagate(network).sites;
    expect(sites[2].output.secondMoment).toBeCloseTo(9 * 1, 12);
    expect(sites[3].output.secondMoment).toBeCloseTo(9, 12);
    expect(sites[3].output.exact).toBe(true);
    // Backward: the second dense gives n_out·σ² = 16/32, the scale ×9, relu ×½.
    expect(sites[0].gradient.secondMoment).toBeCloseTo((16 / 32) * 9 * 0.5, 12);
  });

  it('is derived: its own rule appears as a checked step', () => {
    const derivation = deriveNetwork(network, { engine: createEngine() });
    const steps = allSteps(derivation);
    expect(steps.some((step) => step.latex.includes('c^{2}'))).toBe(true);
    for (const step of steps) {
      recheckStep(step);
      expect(() => renderStrict(step.latex)).not.toThrow();
    }
  });

  it('runs in the Monte Carlo engine, which agrees with it; a wrong face (c instead of c²) is rejected', async () => {
    const raw = await measureNetwork(network, { batch: 32, nets: 4, seed: 1, dtype: 'float64' });
    expect(raw.replicates[0].sites!.forward).toHaveLength(4);
    const right = await checkResolvedNetwork(network, { nets: 12, batch: 32, seed: 2, dtype: 'float64' });
    expect(right.pass).toBe(true);
    const wrongNetwork = resolveNetwork(spec, { ...builtInCatalogue, layerKinds: { ...builtInLayerKinds, fixed_gain: scaleKind(1) } });
    const wrong = await checkResolvedNetwork(wrongNetwork, { nets: 12, batch: 32, seed: 2, dtype: 'float64' });
    expect(wrong.pass).toBe(false);
  });
});
