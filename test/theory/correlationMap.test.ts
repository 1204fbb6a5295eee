/**
 * The c-map as one more moment of the kinds' faces: the 2-D quadrature against the arc-cosine
 * kernel in closed form (Cho & Saul 2009), the activation face on both paths, and propagate()
 * carrying E[y_a y_b] through a tree, rendered and checked by the derivation.
 */
import { describe, expect, it } from 'vitest';
import type { LayerKind, ResolvedNode } from '../../src/layers/kind.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { activationCrossMoment, activationDerivativeCrossMoment } from '../../src/layers/activation.js';
import { bivariateGaussianExpectation } from '../../src/math/quadrature.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveNetworkSection } from '../../src/symbolic/networkSection.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { builtInCatalogue, resolveNetwork } from '../../src/vocabulary/network.js';

const CORRELATIONS = [-1, -0.999, -0.9, -0.5, 0, 0.3, 0.7, 0.95, 0.99, 0.9999, 0.999999, 1];

/** Cho & Saul 2009, eq. 6 (n = 1): E[relu(u) relu(v)] = √(q1 q2)(sin θ + (π − θ) cos θ)/(2π), cos θ = c. */
function arcCosine(q1: number, q2: number, c: number): number {
  const theta = Math.acos(c);
  return (Math.sqrt(q1 * q2) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta))) / (2 * Math.PI);
}

const relu = (x: number) => (x > 0 ? x : 0);

describe('bivariateGaussianExpectation', () => {
  it('matches the relu arc-cosine kernel to 1e-9 at every correlation, including ±1 and near them', () => {
    for (const [q1, q2] of [[1, 1], [0.3, 4], [9, 0.5]]) {
      for (const c of CORRELATIONS) {
        const value = bivariateGaussianExpectation(relu, relu, { q1, q2, covariance: c * Math.sqrt(q1 * q2) }, { kinksF: [0], kinksG: [0] });
        expect(Math.abs(value - arcCosine(q1, q2, c)), `q1 = ${q1}, q2 = ${q2}, c = ${c}`).toBeLessThan(1e-9);
      }
    }
  });

  it('gives E[uv] = covariance and E[u²v²] = q1q2 + 2k² (Isserlis)', () => {
    const law = { q1: 2, q2: 0.5, covariance: 0.6 };
    expect(bivariateGaussianExpectation((x) => x, (x) => x, law)).toBeCloseTo(0.6, 12);
    expect(bivariateGaussianExpectation((x) => x * x, (x) => x * x, law)).toBeCloseTo(1 + 2 * 0.36, 11);
  });

  it('refuses a covariance beyond √(q1 q2)', () => {
    expect(() => bivariateGaussianExpectation(relu, relu, { q1: 1, q2: 1, covariance: 1.01 })).toThrow(/covariance/);
  });
});

describe('the activation face of the c-map', () => {
  it('takes the closed form for relu and leaky relu, and quadrature agrees with it to 1e-9', () => {
    for (const name of ['relu', 'leaky_relu(0.2)', 'identity']) {
      const activation = resolveActivation(name.startsWith('leaky') ? { name: 'leaky_relu', slope: 0.2 } : name);
      for (const c of [-0.8, 0, 0.4, 0.97]) {
        const q = 1.7;
        const closed = activationCrossMoment(activation, q, c * q, 0, 'meanField');
        expect(closed.method).toBe('arc-cosine');
        const quadrature = bivariateGaussianExpectation(activation.phi, activation.phi, { q1: q, q2: q, covariance: c * q }, { kinksF: [0], kinksG: [0] });
        expect(Math.abs(closed.value - quadrature)).toBeLessThan(1e-9);
        const slopeClosed = activationDerivativeCrossMoment(activation, q, c * q, 0);
        const slopeQuadrature = bivariateGaussianExpectation(activation.derivative, activation.derivative, { q1: q, q2: q, covariance: c * q }, { kinksF: [0], kinksG: [0] });
        expect(Math.abs(slopeClosed.value - slopeQuadrature)).toBeLessThan(1e-9);
      }
    }
  });

  it('reduces to the q-map at c = 1 for any activation (E[φ(u)²] = m2(q))', () => {
    for (const name of ['tanh', 'gelu', 'x/(1+abs(x))', 'sigmoid']) {
      const activation = resolveActivation(name);
      const q = 0.8;
      expect(activationCrossMoment(activation, q, q, 0, 'meanField').value).toBeCloseTo(activation.moments(q).secondMoment, 10);
      expect(activationDerivativeCrossMoment(activation, q, q, 0).value).toBeCloseTo(activation.moments(q).derivativeSecondMoment, 10);
    }
  });
});

describe('propagate() with two inputs', () => {
  it('carries E[y_a y_b] per site: dense × n·σ², bias + σ_b², relu by the arc-cosine kernel', () => {
    const network = resolveNetwork({ widths: [50, 50, 50], activation: 'relu', init: 'he_normal', biasStd: 0.3 });
    const sites = propagate(network, 'meanField', { inputCorrelation: 0.25 }).sites;
    const [dense, bias, activation, dense2] = sites;
    expect(dense.output.cross).toBeCloseTo(0.25 * 2, 12);
    expect(bias.output.cross).toBeCloseTo(0.5 + 0.09, 12);
    const q = bias.output.secondMoment;
    expect(activation.output.cross).toBeCloseTo(arcCosine(q, q, 0.59 / q), 12);
    expect(dense2.output.cross).toBeCloseTo(2 * (activation.output.cross as number), 12);
    expect(dense.output.crossExact).toBe(true);
    expect(activation.output.crossExact).toBe(false);
  });

  it('leaves the single-input propagation unchanged and refuses a correlation outside [−1, 1]', () => {
    const network = resolveNetwork({ widths: [20, 20, 20], activation: 'tanh', init: 'xavier_normal' });
    const single = propagate(network).sites.map((site) => site.output.secondMoment);
    const pair = propagate(network, 'meanField', { inputCorrelation: 0.5 }).sites;
    expect(pair.map((site) => site.output.secondMoment)).toEqual(single);
    expect(propagate(network).sites.every((site) => site.output.cross === undefined)).toBe(true);
    expect(() => propagate(network, 'meanField', { inputCorrelation: 1.5 })).toThrow(/inputCorrelation.*\[-1, 1\]/);
  });

  it('drops the second input after a kind that states no c-map step (it would otherwise pass E[x_a x_b] on unchanged)', () => {
    const double: LayerKind<ResolvedNode> = {
      name: 'double',
      fields: [],
      summary: 'y = 2x',
      resolve: (_spec, context) => ({ kind: 'double', path: context.path, input: context.input, output: context.input }),
      moments: {
        forward: (_node, input) => ({ output: { ...input, secondMoment: 4 * input.secondMoment }, rule: { name: 'double', expression: '4*q', latex: '4q', values: { q: input.secondMoment }, note: '' } }),
        backward: (_node, gradient) => ({ input: gradient, rule: { name: 'double', expression: 'g', latex: 'g', values: { g: gradient.secondMoment }, note: '' } }),
      },
      numeric: builtInLayerKinds.bias.numeric,
    };
    const catalogue = { ...builtInCatalogue, layerKinds: { ...builtInLayerKinds, double } };
    const network = resolveNetwork({ input: 8, layers: [{ kind: 'dense', width: 8 }, { kind: 'double' }, { kind: 'dense', width: 8 }] }, catalogue);
    const sites = propagate(network, 'meanField', { inputCorrelation: 0.5 }).sites;
    expect(sites[0].output.cross).toBeCloseTo(0.5, 12);
    expect(sites[1].output.cross).toBeUndefined();
    expect(sites[2].output.cross).toBeUndefined();
  });

  it('renders the c-map steps in the derivation, each checked by the engine', () => {
    const network = resolveNetwork({ widths: [30, 30, 30], activation: 'tanh', init: 'xavier_normal', biasStd: 0.2 });
    const engine = createEngine();
    const propagation = propagate(network, 'meanField', { inputCorrelation: 0.4 });
    const section = deriveNetworkSection(network, engine, propagation);
    const crossSteps = section.steps.filter((step) => step.text?.startsWith('E[y_a y_b]'));
    expect(crossSteps).toHaveLength(propagation.sites.length);
    expect(crossSteps.every((step) => step.check !== undefined)).toBe(true);
    expect(section.steps.some((step) => step.text?.includes('c₀ = 0.4'))).toBe(true);
  });
});
