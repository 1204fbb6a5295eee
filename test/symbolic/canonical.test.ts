import { describe, expect, it } from 'vitest';
import {
  boundFormula,
  boundLatex,
  canonicalVariance,
  NotCanonicalisableError,
  rationalApproximation,
  stdFormula,
  stdLatex,
  varianceFormula,
} from '../../src/symbolic/canonical.js';
import { solveConditions } from '../../src/symbolic/conditions.js';

describe('canonical forms', () => {
  it('turns nerdamer’s shapes into σ² = k/(a n_in + b n_out)', () => {
    const xavier = canonicalVariance('-2*(-n_in-n_out)^(-1)');
    expect(varianceFormula(xavier)).toBe('2/(n_in+n_out)');
    expect(stdFormula(xavier)).toBe('sqrt(2/(n_in+n_out))');
    expect(boundFormula(xavier)).toBe('sqrt(6/(n_in+n_out))');
    expect(stdLatex(xavier)).toBe('\\sqrt{\\frac{2}{n_\\text{in}+n_\\text{out}}}');
    expect(boundLatex(xavier)).toBe('\\sqrt{\\frac{6}{n_\\text{in}+n_\\text{out}}}');
    // The σ solution nerdamer prints for Xavier, squared, is the same variance.
    expect(varianceFormula(canonicalVariance('((1/2)*(n_in+n_out)^(-1)*sqrt(8*n_in+8*n_out))^2'))).toBe('2/(n_in+n_out)');
    expect(stdFormula(canonicalVariance('2*n_in^(-1)'))).toBe('sqrt(2/n_in)');
    expect(stdFormula(canonicalVariance('n_out^(-1)'))).toBe('sqrt(1/n_out)');
    expect(varianceFormula(canonicalVariance('4/(2*n_in+4*n_out)'))).toBe('2/(n_in+2*n_out)');
    expect(varianceFormula(canonicalVariance('c^(-1)*n_in^(-1)', { c: 0.5 }))).toBe('2/n_in');
  });

  it('keeps irrational scales at full precision and rejects other shapes', () => {
    const tanh = canonicalVariance('c^(-1)*n_in^(-1)', { c: 0.3942944903978 });
    expect(Number(varianceFormula(tanh).split('/')[0])).toBeCloseTo(1 / 0.3942944903978, 12);
    expect(() => canonicalVariance('1/(n_in*n_out)')).toThrow(NotCanonicalisableError);
    expect(() => canonicalVariance('1/(n_in+1)')).toThrow(NotCanonicalisableError);
    expect(rationalApproximation(20000 / 10001, 100)).toBeUndefined();
    expect(rationalApproximation(0.75)).toEqual({ p: 3, q: 4 });
  });

  it('solves the four classical conditions to the textbook forms', () => {
    const { conditions } = solveConditions(784, 256);
    const byId = Object.fromEntries(conditions.map((c) => [c.id, c]));
    expect(byId.forward.stdFormula).toBe('sqrt(1/n_in)');
    expect(byId.backward.stdFormula).toBe('sqrt(1/n_out)');
    expect(byId.compromise.stdFormula).toBe('sqrt(2/(n_in+n_out))');
    expect(byId.compromise.boundFormula).toBe('sqrt(6/(n_in+n_out))');
    expect(byId.he.stdFormula).toBe('sqrt(2/n_in)');
    // Xavier (784, 256): std 0.0438529, bound 0.0759555.
    expect(byId.compromise.std).toBeCloseTo(0.0438529, 7);
    expect(byId.compromise.bound).toBeCloseTo(0.0759555, 7);
    expect(byId.he.std).toBeCloseTo(Math.sqrt(2 / 784), 15);
  });
});
