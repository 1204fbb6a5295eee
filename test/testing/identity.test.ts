import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkIdentity, defaultDomain, freeSymbols, parseExpression } from '../../src/testing/identity.js';

describe('checkIdentity', () => {
  it('confirms the Xavier bound identity sqrt(6/(a+b)) = sqrt(3)·sqrt(2/(a+b))', () => {
    const result = checkIdentity('sqrt(6/(a+b))', 'sqrt(3)*sqrt(2/(a+b))');
    expect(result.verdict).toBe('holds');
    expect(result.pointsTested).toBe(64);
    expect(result.symbols).toEqual({ a: 'positive', b: 'positive' });
  });

  it('finds a counterexample to a wrong simplification (the nerdamer 1.1.13 8× bug)', () => {
    // simplify((1/2)*(n+m)^(-1)*sqrt(8*n+8*m)) is sqrt(2)/sqrt(n+m); nerdamer 1.1.13 printed 8x that.
    const right = checkIdentity('(1/2)*(n+m)^(-1)*sqrt(8*n+8*m)', 'sqrt(2)/sqrt(n+m)');
    expect(right.verdict).toBe('holds');
    const wrong = checkIdentity('(1/2)*(n+m)^(-1)*sqrt(8*n+8*m)', '8*sqrt(2)/sqrt(n+m)');
    expect(wrong.verdict).toBe('fails');
    expect(wrong.counterexample!.relativeError).toBeCloseTo(7 / 8, 12);
    const { n, m } = wrong.counterexample!.point;
    expect(Number.isInteger(n) && Number.isInteger(m)).toBe(true); // fans are drawn as integers
    expect(wrong.explanation).toMatch(/≠.*at m = \d+, n = \d+ the left side is 0\.\d+ and the right side \d\.\d+ \(relative difference 0\.875\)/);
  });

  it('rejects an identity that only holds at some points (|x| = x needs x ≥ 0)', () => {
    expect(checkIdentity('abs(x)', 'x').verdict).toBe('holds'); // positive reals by default
    const result = checkIdentity('abs(x)', 'x', { symbols: { x: 'real' } });
    expect(result.verdict).toBe('fails');
    expect(result.counterexample!.point.x).toBeLessThan(0);
  });

  it('treats a point where only one side is defined as a counterexample, and skips points where neither is', () => {
    const oneSided = checkIdentity('log(x)', '0*x', { symbols: { x: [-1, -0.5] } });
    // log of a negative is complex in mathjs, 0*x is 0: they differ.
    expect(oneSided.verdict).toBe('fails');
    const neither = checkIdentity('1/(x-x)', '2/(x-x)');
    expect(neither.verdict).toBe('undecided');
    expect(neither.pointsSkipped).toBe(64);
  });

  it('knows fans from other symbols, constants from free symbols, and function names from values', () => {
    expect(defaultDomain('n_in')).toBe('integer');
    expect(defaultDomain('fan_out')).toBe('integer');
    expect(defaultDomain('sigma')).toBe('positive');
    expect(freeSymbols(parseExpression('e', 'pi*sqrt(gamma^2)*e + sigma'))).toEqual(['gamma', 'sigma']);
    expect(freeSymbols(parseExpression('e', 'phi + x'), ['phi'])).toEqual(['phi', 'x']);
  });

  it('is reproducible: the same seed tries the same points', () => {
    const a = checkIdentity('x^2', 'x^2 + 1e-3*x', { seed: 7 });
    const b = checkIdentity('x^2', 'x^2 + 1e-3*x', { seed: 7 });
    expect(a.counterexample).toEqual(b.counterexample);
  });

  it('rejects bad input with an InputError naming the field', () => {
    expect(() => checkIdentity('sqrt(6/(a+b)', 'x')).toThrow(InputError);
    expect(() => checkIdentity('sqrt(6/(a+b)', 'x')).toThrow(/^lhs = "sqrt\(6\/\(a\+b\)" is not allowed: expected an expression mathjs can parse/);
    expect(() => checkIdentity('x', '')).toThrow(/^rhs = "" is not allowed/);
    expect(() => checkIdentity('x', 'x', { points: 0 })).toThrow(/assumptions.points = 0/);
    expect(() => checkIdentity('x', 'x', { tolerance: -1 })).toThrow(/assumptions.tolerance = -1/);
    expect(() => checkIdentity('x', 'x', { symbols: { x: [2, 1] } })).toThrow(/assumptions.symbols.x = \[2,1\]/);
    expect(() => checkIdentity('x', 'x', { symbols: { x: 'complex' as never } })).toThrow(/assumptions.symbols.x = "complex"/);
  });

  it('never evaluates JavaScript from the expression text', () => {
    // mathjs has no access to the JS runtime: these parse as symbols/calls that do not exist.
    const result = checkIdentity('constructor', 'constructor');
    expect(result.verdict).not.toBe('fails');
    const call = checkIdentity('process.exit(1)', '1');
    expect(call.verdict).toBe('fails');
    expect(call.counterexample!.lhs).toBe('undefined'); // a symbol named process, not Node's
    expect(() => checkIdentity('[1,2].map(x => x)', '1')).toThrow(InputError); // not mathjs syntax
  });
});
