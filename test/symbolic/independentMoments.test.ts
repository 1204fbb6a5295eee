/**
 * The derivation's independent moments take φ′ from boundedDerivative, the bounded symbolic work a
 * custom activation was built with, never from mathjs' `derivative` with its full `simplify` (which
 * took 11-66 s on `x+x+…` with 25 terms, issue 14). The lazy mathjs module is wrapped so that a call
 * of its unbounded `derivative` is seen.
 */
import { describe, expect, it, vi } from 'vitest';

const unbounded = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/math/lazyMathjs.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/math/lazyMathjs.js')>();
  return {
    ...original,
    derivative: ((...args: unknown[]) => {
      unbounded.calls++;
      return (original.derivative as (...a: unknown[]) => unknown)(...args);
    }) as typeof original.derivative,
  };
});

const { independentMoments } = await import('../../src/symbolic/quadrature.js');
const { createCustomActivation } = await import('../../src/vocabulary/activations/custom.js');
const { resolveActivation } = await import('../../src/vocabulary/activations/registry.js');

describe('independent moments reuse the bounded φ′', () => {
  it('x+x+…+x with 25 terms: E[φ′] = 25 without mathjs’ unbounded derivative', () => {
    const activation = createCustomActivation(Array.from({ length: 25 }, () => 'x').join('+'));
    const moments = independentMoments(activation, 1);
    expect(moments.derivativeMean).toBeCloseTo(25, 12);
    expect(moments.derivativeSecondMoment).toBeCloseTo(625, 10);
    expect(unbounded.calls).toBe(0);
  });

  it('a named activation still gets φ′ from its expression, independent of its hand-written φ′', () => {
    const tanh = resolveActivation('tanh');
    const moments = independentMoments(tanh, 1);
    expect(moments.derivativeSecondMoment).toBeCloseTo(tanh.moments(1).derivativeSecondMoment, 10);
    expect(unbounded.calls).toBe(0);
  });
});
