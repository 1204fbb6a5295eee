import { key, randomVariables, rewrite, sum, tidy, variance } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { RuleNotApplicableError, rewriteOrFail } from './rule.js';

/**
 * Var[Σ_j X_j] = Σ_j Var[X_j] when the terms are independent: every random variable in X_j carries
 * the summation index, so different j share no variable.
 */
export const varianceOfSum: RewriteRule = {
  id: 'varianceOfSum',
  name: 'variance of a sum of independent terms',
  note: 'The terms are independent (no two share a variable), so the variance of their sum is the sum of their variances.',
  apply(e) {
    const next = rewrite(e, (node) => {
      if (node.kind !== 'Var' || node.arg.kind !== 'sum') return undefined;
      const { index, range, body } = node.arg;
      const shared = randomVariables(body).filter((v) => !v.indices.includes(index));
      if (shared.length > 0) throw new RuleNotApplicableError('varianceOfSum', `${shared[0].family} does not depend on ${index}, so the terms are not independent`);
      return sum(index, range, variance(body));
    });
    return rewriteOrFail('varianceOfSum', e, tidy(next), key);
  },
};
