import { describe, expect, it } from 'vitest';
import { DerivationCheckError, createChecker } from '../../src/symbolic/check.js';
import type { Algebra } from '../../src/symbolic/algebra.js';
import { createNerdamerAlgebra } from '../../src/symbolic/algebra.js';
import { solveConditions } from '../../src/symbolic/conditions.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { expect as E, mul, pow, rv, sum, sym, variance } from '../../src/symbolic/expression.js';
import { denseLayerModel, zeroMeanInput } from '../../src/symbolic/models.js';
import { RuleNotApplicableError, rewriteRules as r, substitution } from '../../src/symbolic/rules/index.js';
import { meaning } from '../../src/symbolic/semantics.js';
import { varianceOfWeightedSum } from '../../src/symbolic/weightedSum.js';
import { compile } from 'mathjs';

const model = denseLayerModel(zeroMeanInput);
const at = (expression: string, scope: Record<string, number>) => Number(compile(expression).evaluate(scope));

describe('semantics (the independent meaning every step is checked against)', () => {
  it('gives Var[o_i] = n_in σ² γ² by brute-force expansion, cross terms included', () => {
    const value = at(meaning(variance(rv('o', 'i')), model), { n_in: 7, sigma: 0.3, gamma: 1.7 });
    expect(value).toBeCloseTo(7 * 0.09 * 1.7 ** 2, 12);
  });

  it('counts coincident indices: E[(Σ_j x_j)²] = n E[x²] + n(n−1) E[x]² for non-zero-mean x', () => {
    const shifted = denseLayerModel({ mean: 'mu', secondMoment: 'm2', zeroMean: false });
    const square = E(pow(sum('j', 'n_in', rv('x', 'j')), 2));
    const value = at(meaning(square, shifted), { n_in: 5, mu: 0.4, m2: 1.3 });
    expect(value).toBeCloseTo(5 * 1.3 + 5 * 4 * 0.16, 12);
  });
});

describe('the engine rejects wrong steps', () => {
  it('accepts the correct iid-sum rule', () => {
    const chain = varianceOfWeightedSum(createEngine(), model, 'o', ['i']);
    expect(chain.steps.at(-1)?.rule).toBe('iidSum');
  });

  it('rejects an injected iid-sum rule that gives n² σ² γ² instead of n σ² γ²', () => {
    const engine = createEngine();
    const chain = varianceOfWeightedSum(engine, model, 'o', ['i']);
    const wrong = mul(pow(sym('n_in'), 2), pow(sym('sigma'), 2), pow(sym('gamma'), 2));
    expect(() => chain.claim('iidSum', wrong, { note: 'deliberately wrong' })).toThrow(DerivationCheckError);
    try {
      chain.claim('iidSum', wrong, { note: 'deliberately wrong' });
    } catch (error) {
      expect((error as DerivationCheckError).rule).toBe('iidSum');
      expect((error as DerivationCheckError).message).toContain('n_\\text{in}^{2}');
    }
  });

  it('the iid-sum rule refuses random terms (expectations must be taken first)', () => {
    const random = sum('j', 'n_in', mul(rv('w', 'i', 'j'), rv('x', 'j')));
    expect(() => r.iidSum.apply(random, model)).toThrow(RuleNotApplicableError);
  });

  it('rejects a substitution that assumes a zero mean the model does not have (E[x²] = γ² for shifted x)', () => {
    const shifted = denseLayerModel({ mean: 'mu', secondMoment: 'gamma^2 + mu^2', zeroMean: false });
    const chain = varianceOfWeightedSum(createEngine(), shifted, 'o', ['i']);
    const wrongly = substitution([
      [E(pow(rv('w'), 2)), pow(sym('sigma'), 2)],
      [E(pow(rv('x'), 2)), pow(sym('gamma'), 2)],
    ]);
    expect(() => chain.apply(wrongly)).toThrow(DerivationCheckError);
  });

  it('rules refuse to apply where their precondition fails', () => {
    // Var[Σ_j w_ij x] with one shared x: the terms are not independent.
    const shared = variance(sum('j', 'n_in', mul(rv('w', 'i', 'j'), rv('x', 'k'))));
    expect(() => r.varianceOfSum.apply(shared, model)).toThrow(RuleNotApplicableError);
    expect(() => r.linearity.apply(sym('sigma'), model)).toThrow(RuleNotApplicableError);
  });

  it('a checker compares at random positive points with relative tolerance 1e-9', () => {
    const checker = createChecker();
    expect(() => checker.assertEqual({ lhs: '(a+b)^2', rhs: 'a^2+2*a*b+b^2', symbols: ['a', 'b'] }, 'simplify', 'ok')).not.toThrow();
    expect(() => checker.assertEqual({ lhs: 'a*(1+1e-8)', rhs: 'a', symbols: ['a'] }, 'simplify', 'off by 1e-8')).toThrow(DerivationCheckError);
  });

  it('catches a wrong simplification from the algebra system (nerdamer 1.1.13’s 8× error)', () => {
    const real = createNerdamerAlgebra();
    // nerdamer 1.1.13 simplified (1/2)(n+m)^(-1) sqrt(8n+8m) to a value 8× too large.
    const faulty: Algebra = {
      solve(equation, variable) {
        const solutions = real.solve(equation, variable);
        return variable === 's' && equation.startsWith('(1/2)*(n_in+n_out)') ? solutions.map((s) => `8*(${s})`) : solutions;
      },
    };
    const engine = createEngine({ algebra: faulty });
    expect(() => solveConditions(784, 256, undefined, { engine })).toThrow(DerivationCheckError);
    expect(() => solveConditions(784, 256)).not.toThrow();
  });
});
