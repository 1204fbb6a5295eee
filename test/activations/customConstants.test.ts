/**
 * Constants in a custom expression stay exact through φ′: mathjs' default tolerances (absTol 1e-15,
 * relTol 1e-12) made `simplify` read 1e-30 as 0 and 2.0000000000002 as 2 (issue 14).
 */
import { describe, expect, it } from 'vitest';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';

describe('custom expressions keep their constants', () => {
  it('1 + 1e-30*x has slope 1e-30 everywhere, not 0', () => {
    const activation = resolveActivation({ expression: '1 + 1e-30*x' });
    expect(activation.slopeAtZero).toBe(1e-30);
    expect(activation.derivative(0.7)).toBe(1e-30);
    expect(activation.moments(1).derivativeSecondMoment).toBeCloseTo(1e-60, 72);
  });

  it('1e-300*x keeps its slope 1e-300 (the smallest constants a double holds with full precision)', () => {
    expect(resolveActivation({ expression: '1e-300*x' }).derivative(-2)).toBe(1e-300);
  });

  it('a constant is not rounded to a nearby one: φ′ of 1.0000000000001·x² at 1 is 2.0000000000002', () => {
    expect(resolveActivation({ expression: '1.0000000000001*x^2' }).derivative(1)).toBe(2.0000000000002);
  });
});
