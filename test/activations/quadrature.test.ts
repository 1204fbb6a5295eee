import { describe, expect, it } from 'vitest';
import { compareWithQuadrature, gaussianExpectation, gaussLegendreRule } from '../../src/math/quadrature.js';
import { erf, erfc, erfcx, normalCdf } from '../../src/vocabulary/activations/erf.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import type { ActivationRef } from '../../src/vocabulary/activation.js';

const QS = [0.01, 0.5, 1, 4, 25];

describe('Gauss–Legendre rule', () => {
  it('integrates polynomials of degree ≤ 2n − 1 exactly on [−1, 1]', () => {
    const { nodes, weights } = gaussLegendreRule(7);
    for (let degree = 0; degree <= 13; degree++) {
      let sum = 0;
      for (let i = 0; i < nodes.length; i++) sum += weights[i] * nodes[i] ** degree;
      const exact = degree % 2 === 1 ? 0 : 2 / (degree + 1);
      expect(Math.abs(sum - exact)).toBeLessThan(1e-14);
    }
  });
});

describe('gaussianExpectation', () => {
  it('pins E[tanh(z)²], E[sech⁴ z], E[σ(z)²], E[σ′(z)²] to 10 digits', () => {
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(gaussianExpectation((x) => Math.tanh(x) ** 2, 1)).toBeCloseTo(0.3942944904, 10);
    expect(gaussianExpectation((x) => Math.cosh(x) ** -4, 1)).toBeCloseTo(0.4644029024, 10);
    expect(gaussianExpectation((x) => sigmoid(x) ** 2, 1)).toBeCloseTo(0.2933790359, 10);
    expect(gaussianExpectation((x) => (sigmoid(x) * (1 - sigmoid(x))) ** 2, 1)).toBeCloseTo(0.0448362414, 10);
  });

  it('gets Gaussian moments and exponentially growing integrands right at every q', () => {
    for (const q of QS) {
      expect(gaussianExpectation((x) => x * x, q) / q).toBeCloseTo(1, 13);
      expect(gaussianExpectation((x) => x ** 4, q) / (3 * q * q)).toBeCloseTo(1, 12);
      // E[e^{2x}] = e^{2q}: the integrand peaks at z = 2√q = 10 for q = 25, outside the core range.
      expect(gaussianExpectation((x) => Math.exp(2 * x), q) / Math.exp(2 * q)).toBeCloseTo(1, 11);
    }
  });

  it('splits at kinks away from 0: E[max(0, z − 1)] = ϕ(1) − (1 − Φ(1))', () => {
    const exact = Math.exp(-0.5) / Math.sqrt(2 * Math.PI) - (1 - normalCdf(1));
    expect(gaussianExpectation((x) => Math.max(0, x - 1), 1, { kinks: [1] })).toBeCloseTo(exact, 14);
  });
});

describe('erf, erfc, erfcx (Cody)', () => {
  it('match reference values', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 13);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 15);
    expect(erfcx(0.3)).toBeCloseTo(Math.exp(0.09) * erfc(0.3), 15);
    // erfcx(x) ~ 1/(x√π)·(1 − 1/(2x²) + 3/(4x⁴)) for large x.
    const x = 30;
    expect(erfcx(x) / ((1 - 1 / (2 * x * x) + 3 / (4 * x ** 4)) / (x * Math.sqrt(Math.PI)))).toBeCloseTo(1, 8);
  });
});

/** Every closed-form moment of every activation that has them, against quadrature of its own φ, φ′. */
const CLOSED_FORM_ACTIVATIONS: ActivationRef[] = [
  'identity',
  'relu',
  'leaky_relu',
  { name: 'leaky_relu', slope: 0.2 },
  { name: 'leaky_relu', slope: -0.5 },
  'erf',
  'gelu',
  'elu',
  { name: 'elu', alpha: 0.5 },
  { name: 'elu', alpha: 2 },
  'selu',
];

describe('closed forms agree with quadrature to 1e-9 at q = 0.01, 0.5, 1, 4, 25', () => {
  for (const ref of CLOSED_FORM_ACTIVATIONS) {
    const activation = resolveActivation(ref);
    it(activation.label, () => {
      expect(activation.moments(1).closedForm).toBe(true);
      const options = { kinks: activation.kinks };
      const checks = {
        mean: compareWithQuadrature((q) => activation.moments(q).mean, activation.phi, QS, options),
        secondMoment: compareWithQuadrature((q) => activation.moments(q).secondMoment, (x) => activation.phi(x) ** 2, QS, options),
        derivativeSecondMoment: compareWithQuadrature(
          (q) => activation.moments(q).derivativeSecondMoment,
          (x) => activation.derivative(x) ** 2,
          QS,
          options,
        ),
      };
      for (const [moment, check] of Object.entries(checks)) {
        expect(check.worst.error, `${activation.label} ${moment} at q = ${check.worst.q}`).toBeLessThan(1e-9);
        expect(check.agrees).toBe(true);
      }
    });
  }

  it('rejects deliberately wrong closed forms', () => {
    const erfSquared = (x: number) => erf(x) ** 2;
    // Williams' arcsine with the factor 2 dropped inside: arcsin(q/(1+q)) instead of arcsin(2q/(1+2q)).
    const wrongErf = compareWithQuadrature((q) => (2 / Math.PI) * Math.asin(q / (1 + q)), erfSquared, QS);
    expect(wrongErf.agrees).toBe(false);
    // GELU's m2 without the Stein cross term.
    const gelu = resolveActivation('gelu');
    const wrongGelu = compareWithQuadrature(
      (q) => q * (0.25 + Math.asin(q / (1 + q)) / (2 * Math.PI)),
      (x) => gelu.phi(x) ** 2,
      QS,
    );
    expect(wrongGelu.agrees).toBe(false);
    // A relu mean off by a relative 1e-7 (1/√(2π) rounded to 7 digits) is still caught.
    const relu = resolveActivation('relu');
    const wrongRelu = compareWithQuadrature((q) => 0.3989423 * Math.sqrt(q), relu.phi, QS, { kinks: [0] });
    expect(wrongRelu.agrees).toBe(false);
    expect(wrongRelu.worst.error).toBeGreaterThan(1e-9);
  });
});
