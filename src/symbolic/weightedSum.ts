/**
 * The core of every layer derivation: the mean and the variance of a weighted sum of independent
 * terms, Σ_j w_ij x_j (forward) or Σ_i w_ij ∂o_i (backward), as chains of rule applications.
 */
import type { DerivationStep } from './derivation.js';
import { Chain, type Engine } from './engine.js';
import { expect, rv, variance, type Expr } from './expression.js';
import type { RandomModel } from './model.js';
import { rewriteRules as r } from './rules/index.js';

/** E[v] = … = 0 for a variable v defined as a zero-mean weighted sum. */
export function meanOfWeightedSum(engine: Engine, model: RandomModel, variable: Expr, weightNote: string): DerivationStep[] {
  return new Chain(engine, model, expect(variable))
    .apply(r.definition)
    .apply(r.linearity)
    .apply(r.independence, { note: 'The weights are independent of the other factor, so E[XY] = E[X]E[Y].' })
    .apply(r.zeroMean, { note: weightNote }).steps;
}

/**
 * Var[v] = Var[Σ …] = Σ Var[…] = Σ (E[(·)²] − E[·]²) = Σ E[w²]E[·²] = n E[w²]E[·²], leaving the
 * chain at the last expression for the caller to substitute moments into.
 */
export function varianceOfWeightedSum(engine: Engine, model: RandomModel, variable: string, indices: string[]): Chain {
  return new Chain(engine, model, variance(rv(variable, ...indices)))
    .apply(r.definition)
    .apply(r.varianceOfSum)
    .apply(r.varianceDefinition)
    .apply(r.independence, { note: 'Each weight is independent of the factor it multiplies, so the expectations of their products factor.' })
    .apply(r.zeroMean, { note: 'E[w] = 0: the weights are drawn with mean zero, so every term with E[w] vanishes, whatever the other factor’s mean.' })
    .apply(r.iidSum);
}
