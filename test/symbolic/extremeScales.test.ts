/**
 * The derivation at extreme scales (issue 14): σ² = 1e-20/n_in is printed and checked as such, a
 * step claiming 0 there is rejected, and a gain condition whose moment underflows is refused in words.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { canonicalVariance, rationalApproximation, varianceFormula, varianceLatex } from '../../src/symbolic/canonical.js';
import { createChecker, DerivationCheckError } from '../../src/symbolic/check.js';
import { solveConditions } from '../../src/symbolic/conditions.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';

describe('derivations at extreme scales', () => {
  it('a small scale is not the rational 0/1: σ² = 1e-20/n_in stays 1e-20/n_in', () => {
    expect(rationalApproximation(1e-20)).toBeUndefined();
    expect(rationalApproximation(0.25)).toEqual({ p: 1, q: 4 });
    const tiny = canonicalVariance('c^(-1)*n_in^(-1)', { c: 1e20 });
    expect(varianceFormula(tiny)).toBe('1e-20/n_in');
    expect(varianceLatex(tiny)).toBe('\\frac{1 \\times 10^{-20}}{n_\\text{in}}');
  });

  it('the step checker compares relatively at every scale: 0/n_in is not 1e-20/n_in', () => {
    const checker = createChecker();
    const claim = { lhs: '1e-20/n_in', rhs: '0/n_in', symbols: ['n_in'] };
    expect(() => checker.assertEqual(claim, 'simplify', 'σ² = 0/n_in')).toThrow(DerivationCheckError);
    expect(() => checker.assertEqual({ ...claim, rhs: '1e-20*n_in^(-1)' }, 'simplify', 'σ² = 1e-20/n_in')).not.toThrow();
    expect(() => checker.assertEqual({ lhs: '1e-40*n_in', rhs: '1.0001e-40*n_in', symbols: ['n_in'] }, 'simplify', 'off by 1e-4')).toThrow(DerivationCheckError);
  });

  it('solves the gain conditions of 1e10·x and 1e-30·x', () => {
    // E[φ(z)²] = 1e20 by quadrature, to its last few bits: the scale is 1e-20 to 1e-12 relative.
    const steep = solveConditions(8, 16, resolveActivation('1e10*x')).conditions.find((c) => c.id === 'gain');
    expect(steep?.formula).toMatch(/^[\d.]+e-2[01]\/n_in$/);
    expect((steep?.variance ?? 0) / (1e-20 / 8)).toBeCloseTo(1, 12);
    const flat = solveConditions(8, 16, resolveActivation('1e-30*x')).conditions.find((c) => c.id === 'gainBackward');
    expect((flat?.variance ?? 0) / (1e60 / 16)).toBeCloseTo(1, 12);
  });

  it('refuses a gain condition whose moment is 0 in double precision, naming the moment', () => {
    const attempt = () => solveConditions(2, 2 ** 31, resolveActivation('1e-300*x'));
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/E\[φ\(z\)²\] = 0 in double precision/);
  });
});
