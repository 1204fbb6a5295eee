/**
 * src/theory/signal.ts: the c-map, its fixed point and slope, the depth scales and the order-to-chaos
 * boundary for any activation, checked against closed forms, finite differences, Stein's lemma and
 * against propagate() itself (the theory reads the activation face's own c-map step).
 */
import { describe, expect, it } from 'vitest';
import { gaussianExpectation } from '../../src/math/quadrature.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { criticalPoint } from '../../src/theory/criticality.js';
import {
  boundaryPoint,
  correlationMapSlope,
  correlationMapStep,
  lengthMapSlope,
  orderToChaosBoundary,
  signalNetworkSpec,
  signalPropagation,
} from '../../src/theory/signal.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

const tanh = resolveActivation('tanh');
const relu = resolveActivation('relu');

describe('the c-map', () => {
  it('is propagate()\'s own c_l: iterating the step equals the network propagation layer by layer', () => {
    const signal = signalPropagation(tanh, 2.5, 0.05);
    const network = resolveNetwork(signalNetworkSpec('tanh', 2.5, 0.05, 64, 6, signal.qStar));
    const sites = propagate(network, 'meanField', { inputCorrelation: 0.9 }).sites;
    let state = { q: signal.qStar, c: (0.9 * network.inputVariance * 2.5 + 0.05) / signal.qStar };
    for (const layer of network.layers.slice(1)) {
      state = correlationMapStep(tanh, 2.5, 0.05, state.q, state.c);
      const site = sites.find((s) => s.path === layer.preActivationPath)!;
      expect(site.output.secondMoment).toBeCloseTo(state.q, 12);
      expect((site.output.cross as number) / site.output.secondMoment).toBeCloseTo(state.c, 12);
    }
  });

  it('has slope χ_c at c* equal to a central finite difference of the map', () => {
    for (const [activation, weightVar, biasVar] of [[tanh, 2.5, 0.05], [resolveActivation('erf'), 3, 0.2], [relu, 1.8, 0.05]] as const) {
      const s = signalPropagation(activation, weightVar, biasVar);
      const c = s.cStar === 1 ? 0.999 : s.cStar;
      const h = 1e-5;
      const difference = (correlationMapStep(activation, weightVar, biasVar, s.qStar, c + h).c - correlationMapStep(activation, weightVar, biasVar, s.qStar, c - h).c) / (2 * h);
      expect(correlationMapSlope(activation, weightVar, biasVar, s.qStar, c)).toBeCloseTo(difference, 6);
    }
  });

  it('gives ξ_q from the length map\'s slope, which is χ₁ + σ_w²·E[φ″φ] (Schoenholz et al. 2017, eq. 7)', () => {
    const q = signalPropagation(tanh, 1.5, 0.05).qStar;
    const phiSecond = (x: number) => -2 * Math.tanh(x) * Math.cosh(x) ** -2;
    const paper = 1.5 * tanh.moments(q).derivativeSecondMoment + 1.5 * gaussianExpectation((x) => phiSecond(x) * Math.tanh(x), q);
    expect(lengthMapSlope(tanh, 1.5, q)).toBeCloseTo(paper, 12);
  });
});

describe('signalPropagation', () => {
  it('tanh, ordered: c* = 1, χ_c = χ₁, ξ_c = ξ_∇ = −1/log χ₁', () => {
    const s = signalPropagation(tanh, 1.5, 0.05);
    expect(s.phase).toBe('ordered');
    expect(s.cStar).toBe(1);
    expect(s.chiC).toBe(s.chi1);
    expect(s.xiC).toBeCloseTo(-1 / Math.log(s.chi1), 12);
    expect(s.xiGrad).toBeCloseTo(s.xiC, 12);
    expect(s.trainableDepth).toBeCloseTo(6 * s.xiC, 12);
    expect(s.criticalWeightVar).toBeCloseTo(1.7609546396, 8);
  });

  it('tanh, chaotic: c* < 1 is a fixed point of the c-map, χ_c < 1 < χ₁, ξ_∇ < 0 (gradients grow)', () => {
    const s = signalPropagation(tanh, 2.5, 0.05);
    expect(s.phase).toBe('chaotic');
    expect(s.cStar).toBeGreaterThan(0);
    expect(s.cStar).toBeLessThan(1);
    expect(correlationMapStep(tanh, 2.5, 0.05, s.qStar, s.cStar).c).toBeCloseTo(s.cStar, 10);
    expect(s.chiC).toBeLessThan(1);
    expect(s.xiGrad).toBeLessThan(0);
    // Without bias an odd φ maps c = 0 to itself.
    expect(signalPropagation(tanh, 4, 0).cStar).toBe(0);
  });

  it('relu in closed form: q* = σ_b²/(1 − σ_w²/2), χ₁ = σ_w²/2; He init without bias is critical', () => {
    const s = signalPropagation(relu, 1.8, 0.05);
    expect(s.qStar).toBeCloseTo(0.05 / (1 - 0.9), 12);
    expect(s.chi1).toBeCloseTo(0.9, 12);
    expect(s.xiC).toBeCloseTo(-1 / Math.log(0.9), 10);
    const he = signalPropagation(relu, 2, 0);
    expect(he.phase).toBe('critical');
    expect(he.xiC).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses σ_w² ≤ 0 and a setting whose variance grows without bound', () => {
    expect(() => signalPropagation(tanh, 0, 0.05)).toThrow(/weight variance σ_w² = 0 is not allowed/);
    expect(() => signalPropagation(tanh, -1, 0.05)).toThrow(/a finite number > 0/);
    expect(() => signalPropagation(relu, 2.5, 0.05)).toThrow(/grows without bound/);
  });
});

describe('the order-to-chaos boundary χ₁ = 1 for any activation', () => {
  it('agrees with criticalPoint for tanh and is 1/d2 for relu-like activations', () => {
    for (const biasVar of [0, 0.05, 0.3]) expect(boundaryPoint(tanh, biasVar).criticalWeightVar).toBe(criticalPoint(tanh, biasVar).criticalWeightVar);
    expect(boundaryPoint(relu, 0.1).criticalWeightVar).toBe(2);
    expect(boundaryPoint(resolveActivation({ name: 'leaky_relu', slope: 0.2 }), 0).criticalWeightVar).toBeCloseTo(2 / 1.04, 12);
  });

  it('puts χ₁ = 1 on the curve for a custom expression and for sigmoid (solved by scan + Brent)', () => {
    for (const name of ['x/(1+abs(x))', 'sigmoid']) {
      const activation = resolveActivation(name);
      for (const point of orderToChaosBoundary(activation, [0.05, 0.2])) {
        expect(signalPropagation(activation, point.criticalWeightVar, point.biasVar).chi1).toBeCloseTo(1, 7);
      }
    }
  });
});
