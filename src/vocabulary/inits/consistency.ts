/**
 * The self-check every resolved init must pass: the variance as a number, its formula in n_in and
 * n_out evaluated by mathjs at the same fans, and the variance of the law the weights are drawn
 * from must agree. A preset whose formula, number or sampler disagree fails it.
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { evaluate } from '../../math/lazyMathjs.js';
import type { ResolvedInit } from '../init.js';

export interface InitConsistency {
  consistent: boolean;
  variance: number;
  /** `varianceExpression` evaluated at n_in = fanIn, n_out = fanOut. */
  expressionValue: number;
  /** `distribution.variance`. */
  distributionVariance: number;
  /** Largest relative disagreement among the three (absolute when all are ~0). */
  discrepancy: number;
}

/** Compares the three faces of a resolved init's variance at the fans it was resolved for. */
export function checkInitConsistency(init: ResolvedInit, fanIn: number, fanOut: number, tolerance = 1e-12): InitConsistency {
  const raw: unknown = evaluate(init.varianceExpression, { n_in: fanIn, n_out: fanOut });
  const expressionValue = typeof raw === 'number' ? raw : Number.NaN;
  const values = [init.variance, expressionValue, init.distribution.variance];
  const scale = Math.max(...values.map(Math.abs));
  const spread = Math.max(...values) - Math.min(...values);
  const discrepancy = values.every(Number.isFinite) ? (scale > 1e-300 ? spread / scale : spread) : Number.POSITIVE_INFINITY;
  return {
    consistent: discrepancy <= tolerance,
    variance: init.variance,
    expressionValue,
    distributionVariance: init.distribution.variance,
    discrepancy,
  };
}
