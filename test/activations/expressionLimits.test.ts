/**
 * Symbolic work on a user's expression is bounded by counts: the text and its tree have stated size
 * limits, refused in words, and φ′ is fully simplified only when that is known to be cheap (mathjs'
 * simplify took minutes on `x+x+…` with 25 terms). No assertion here looks at a clock.
 */
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { createCustomActivation } from '../../src/vocabulary/activations/custom.js';
import { FULL_SIMPLIFY_MAX_CHAIN, longestChain, MAX_EXPRESSION_CHARS, MAX_EXPRESSION_NODES } from '../../src/vocabulary/activations/expressionLimits.js';
import { parse } from '../../src/math/lazyMathjs.js';

const sum = (n: number, term = (_: number) => 'x') => Array.from({ length: n }, (_, i) => term(i)).join('+');

describe('size limits on custom expressions', () => {
  it('a 5000-term expression is refused in one line naming the length limit (was exit 70)', async () => {
    const io = memoryIO();
    expect(await main(['gain', sum(5000)], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain(`at most ${MAX_EXPRESSION_CHARS} are allowed`);
    expect(io.err).toMatch(/\(9999 characters\)/); // the echo is cut, not 10 KB on one line
  });

  it('a short text with too many nodes is refused naming the node limit', () => {
    const text = sum(70, () => 'x^2'); // 279 characters, 209 nodes
    expect(text.length).toBeLessThanOrEqual(MAX_EXPRESSION_CHARS);
    expect(() => createCustomActivation(text)).toThrow(new RegExp(`at most ${MAX_EXPRESSION_NODES} are allowed`));
  });
});

describe('φ′ is simplified only when that is cheap', () => {
  it('x+x+…+x with 25 terms derives without simplify (took 66 s in mathjs simplify)', () => {
    const activation = createCustomActivation(sum(25));
    expect(activation.derivativeLatex).toMatch(/^1\+1\+1/);
    expect(activation.derivative(0.3)).toBe(25);
  });

  it('20 terms abs(x-k) (was 38 s) and 16 factors x*…*x (did not finish) derive', () => {
    const abs = createCustomActivation(sum(20, (k) => `abs(x-${k})`));
    expect(abs.derivative(100.5)).toBe(20);
    const power = createCustomActivation(Array.from({ length: 16 }, () => 'x').join('*'));
    expect(power.derivative(1)).toBeCloseTo(16, 9);
  });

  it('everyday activations keep their simplified φ′', () => {
    expect(createCustomActivation('x/(1+abs(x))').derivativeLatex).toBe('\\frac{1}{{\\left(\\left| x\\right|+1\\right)}^{2}}');
    expect(createCustomActivation('x^3').derivativeLatex).toBe('3\\cdot{ x}^{2}');
  });

  it('longestChain counts operands through nested sums and products', () => {
    expect(longestChain(parse('x+x-x+x'))).toBe(4);
    expect(longestChain(parse('x*tanh(log(1+exp(x)))'))).toBe(2);
    expect(longestChain(parse(sum(FULL_SIMPLIFY_MAX_CHAIN + 1)))).toBe(FULL_SIMPLIFY_MAX_CHAIN + 1);
  });
  // derive's independent moments reuse this bounded φ′: test/symbolic/independentMoments.test.ts.
});
