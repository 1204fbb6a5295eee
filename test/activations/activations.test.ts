import katex from 'katex';
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import type { Activation } from '../../src/vocabulary/activation.js';
import { quadratureMoments } from '../../src/vocabulary/activations/kind.js';
import { activationNames, resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { SELU_ALPHA, SELU_LAMBDA } from '../../src/vocabulary/activations/selu.js';

const CUSTOM_EXPRESSIONS = ['x/(1+abs(x))', 'x*tanh(log(1+exp(x)))', 'tanh(x)', 'abs(x - 0.5)', 'sin(x) + x^3/10', '2x*exp(-x^2)'];
const everyActivation = (): Activation[] => [
  ...activationNames.map((name) => resolveActivation(name)),
  resolveActivation({ name: 'leaky_relu', slope: 0.2 }),
  resolveActivation({ name: 'elu', alpha: 0.5 }),
  ...CUSTOM_EXPRESSIONS.map((expression) => resolveActivation(expression)),
];
/** Probe points, avoiding exact kinks (finite differences straddle them). */
const PROBES = Array.from({ length: 81 }, (_, i) => -8 + i * 0.2 + 0.013);

/** Largest |φ′ − central difference| / max(1, |φ′|) over the probes. */
function derivativeMismatch(phi: (x: number) => number, derivative: (x: number) => number, kinks: readonly number[] = []): number {
  let worst = 0;
  for (const x of PROBES) {
    const h = 1e-5;
    if (kinks.some((kink) => Math.abs(kink - x) < 2 * h)) continue;
    const numeric = (phi(x + h) - phi(x - h)) / (2 * h);
    const symbolic = derivative(x);
    worst = Math.max(worst, Math.abs(numeric - symbolic) / Math.max(1, Math.abs(symbolic)));
  }
  return worst;
}

describe('pinned Gaussian moments at q = 1', () => {
  it('tanh: E[tanh(z)²] = 0.3942944904, E[sech⁴ z] = 0.4644029024', () => {
    const m = resolveActivation('tanh').moments(1);
    expect(m.mean).toBe(0);
    expect(m.secondMoment).toBeCloseTo(0.3942944904, 10);
    expect(m.derivativeSecondMoment).toBeCloseTo(0.4644029024, 10);
    expect(m.closedForm).toBe(false);
  });

  it('sigmoid: E[σ(z)²] = 0.2933790359, E[σ′(z)²] = 0.0448362414, E[σ(z)] = 1/2', () => {
    const m = resolveActivation('sigmoid').moments(1);
    expect(m.mean).toBe(0.5);
    expect(m.secondMoment).toBeCloseTo(0.2933790359, 10);
    expect(m.derivativeSecondMoment).toBeCloseTo(0.0448362414, 10);
  });

  it('forward gains 1/√E[φ(z)²]: tanh, sigmoid, relu, elu, gelu, silu, selu', () => {
    const gain = (name: string) => 1 / Math.sqrt(resolveActivation(name).moments(1).secondMoment);
    expect(gain('tanh')).toBeCloseTo(1.59253742, 8);
    expect(gain('sigmoid')).toBeCloseTo(1.84622855, 8);
    expect(gain('relu')).toBeCloseTo(Math.SQRT2, 14);
    expect(gain('elu')).toBeCloseTo(1.2451983, 8);
    expect(gain('gelu')).toBeCloseTo(1.53353044, 8);
    expect(gain('silu')).toBeCloseTo(1.67653247, 8);
    expect(gain('selu')).toBeCloseTo(1, 12);
  });

  it("SELU's constants (Klambauer et al. 2017) give E[φ(z)] = 0 and E[φ(z)²] = 1", () => {
    expect(SELU_LAMBDA).toBe(1.0507009873554805);
    expect(SELU_ALPHA).toBe(1.6732632423543772);
    const m = resolveActivation('selu').moments(1);
    expect(Math.abs(m.mean)).toBeLessThan(1e-12);
    expect(Math.abs(m.secondMoment - 1)).toBeLessThan(1e-12);
    // The same from quadrature of φ itself, independently of the erfcx closed form.
    const numeric = quadratureMoments(resolveActivation('selu'), 1);
    expect(Math.abs(numeric.mean)).toBeLessThan(1e-12);
    expect(Math.abs(numeric.secondMoment - 1)).toBeLessThan(1e-12);
  });

  it('gelu m2(1) = 1/4 + 1/12 + 1/(2π√3) and m1(1) = 1/(2√π)', () => {
    const m = resolveActivation('gelu').moments(1);
    expect(m.secondMoment).toBeCloseTo(0.25 + 1 / 12 + 1 / (2 * Math.PI * Math.sqrt(3)), 15);
    expect(m.mean).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 15);
  });

  it('homogeneous activations scale exactly: m2(q) = q·m2(1), d2 constant', () => {
    for (const name of ['identity', 'relu', 'leaky_relu']) {
      const activation = resolveActivation(name);
      expect(activation.predictionKind).toBe('exact');
      for (const q of [0.01, 3, 25]) {
        expect(activation.moments(q).secondMoment).toBeCloseTo(q * activation.moments(1).secondMoment, 12);
        expect(activation.moments(q).derivativeSecondMoment).toBe(activation.moments(1).derivativeSecondMoment);
      }
    }
    for (const name of ['tanh', 'sigmoid', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'erf']) {
      expect(resolveActivation(name).predictionKind).toBe('meanField');
    }
  });
});

describe('every activation', () => {
  for (const activation of everyActivation()) {
    describe(activation.label, () => {
      it('φ′ agrees with central finite differences', () => {
        expect(derivativeMismatch(activation.phi, activation.derivative, activation.kinks)).toBeLessThan(1e-6);
      });

      it('slopeAtZero = φ′(0), the right derivative at a kink', () => {
        expect(activation.slopeAtZero).toBeCloseTo(activation.derivative(0), 9);
        const h = 1e-7;
        expect(activation.slopeAtZero).toBeCloseTo((activation.phi(h) - activation.phi(0)) / h, 5);
      });

      it('applyInPlace / derivativeInPlace equal φ / φ′ elementwise (Float64, Float32, aliased)', () => {
        const input = Float64Array.from(PROBES.concat([0, -40, 40, -800, 800]));
        const out = new Float64Array(input.length);
        activation.applyInPlace(input, out);
        input.forEach((x, i) => expect(out[i]).toBe(activation.phi(x)));
        activation.derivativeInPlace(input, out);
        input.forEach((x, i) => expect(out[i]).toBe(activation.derivative(x)));
        const single = Float32Array.from(PROBES);
        activation.applyInPlace(single, single);
        PROBES.forEach((x, i) => expect(single[i]).toBe(Math.fround(activation.phi(Math.fround(x)))));
      });

      it('is finite everywhere it is probed, and its moments are finite at several q', () => {
        for (const x of [-800, -40, -1, 0, 1, 40, 800]) {
          if (Math.abs(x) > 40 && activation.name === 'custom') continue; // custom: probed on [−20, 20] at construction
          expect(Number.isFinite(activation.phi(x))).toBe(true);
          expect(Number.isFinite(activation.derivative(x))).toBe(true);
        }
        for (const q of [0.01, 1, 25]) {
          const m = activation.moments(q);
          expect([m.mean, m.secondMoment, m.derivativeSecondMoment].every(Number.isFinite)).toBe(true);
          expect(m.secondMoment).toBeGreaterThan(0);
          expect(m.q).toBe(q);
        }
      });

      it('renders its LaTeX with KaTeX (throwOnError)', () => {
        expect(() => katex.renderToString(activation.latex, { throwOnError: true })).not.toThrow();
        expect(() => katex.renderToString(activation.derivativeLatex, { throwOnError: true })).not.toThrow();
      });

      it('its mathjs expression evaluates to φ', () => {
        for (const x of [-3.3, -0.7, 0.4, 2.9]) {
          expect(evaluate(activation.expression, { x }) as number).toBeCloseTo(activation.phi(x), 12);
        }
      });
    });
  }

  it('the finite-difference check rejects a wrong derivative', () => {
    // d tanh/dx written as 1 − tanh(x) (a dropped square).
    expect(derivativeMismatch(Math.tanh, (x) => 1 - Math.tanh(x))).toBeGreaterThan(0.1);
    // sigmoid′ off by the 1/4 slope: σ(1 − σ)·1.0001.
    const sigmoid = resolveActivation('sigmoid');
    expect(derivativeMismatch(sigmoid.phi, (x) => 1.0001 * sigmoid.derivative(x))).toBeGreaterThan(1e-6);
  });
});

describe('custom activations', () => {
  it('an expression that spells a built-in has the built-in’s moments', () => {
    const spelled: Array<[string, string]> = [
      ['tanh(x)', 'tanh'],
      ['1/(1+exp(-x))', 'sigmoid'],
      ['x/(1+exp(-x))', 'silu'],
      ['log(1+exp(x))', 'softplus'],
      ['(x + abs(x))/2', 'relu'],
      ['x', 'identity'],
    ];
    for (const [expression, name] of spelled) {
      const custom = resolveActivation(expression);
      const builtIn = resolveActivation(name);
      expect(custom.name).toBe('custom');
      for (const q of [0.5, 1, 4]) {
        const a = custom.moments(q);
        const b = builtIn.moments(q);
        expect(a.closedForm).toBe(false);
        expect(Math.abs(a.mean - b.mean), `${expression} mean at q = ${q}`).toBeLessThan(1e-12);
        expect(Math.abs(a.secondMoment - b.secondMoment)).toBeLessThan(1e-12);
        expect(Math.abs(a.derivativeSecondMoment - b.derivativeSecondMoment)).toBeLessThan(1e-12);
      }
    }
  });

  it('finds kinks at the zeros of abs() arguments and takes the right derivative there', () => {
    expect(resolveActivation('x/(1+abs(x))').kinks).toEqual([0]);
    expect(resolveActivation('abs(x - 0.5)').kinks).toEqual([0.5]);
    expect(resolveActivation('abs(x^2 - 4)').kinks).toEqual([-2, 2]);
    expect(resolveActivation('abs(x)').derivative(0)).toBe(1);
    expect(resolveActivation('abs(x)').moments(1).secondMoment).toBeCloseTo(1, 13);
  });

  it('carries LaTeX from mathjs toTex, its symbolic derivative, and a mathjs expression', () => {
    const softsign = resolveActivation('x/(1+abs(x))');
    expect(softsign.label).toBe('x/(1+abs(x))');
    expect(softsign.latex).toContain('\\frac');
    expect(softsign.derivativeLatex).toContain('\\left|');
    expect(softsign.pytorchGain).toBeNull();
    expect(softsign.predictionKind).toBe('meanField');
  });
});
