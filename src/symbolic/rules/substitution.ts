import { equal, key, rewrite, tidy, type Expr } from '../expression.js';
import type { RuleId } from '../derivation.js';
import type { RewriteRule } from './rule.js';
import { rewriteOrFail } from './rule.js';

/**
 * Replaces known sub-expressions by equal ones, e.g. E[w²] by σ² (zero-mean weights) or E[x²] by
 * Var[x] + E[x]². The pairs are claims; the numeric check of the step verifies them in the model.
 */
export function substitution(pairs: ReadonlyArray<readonly [Expr, Expr]>, id: RuleId = 'substitution', note = 'Substitute known moments.'): RewriteRule {
  return {
    id,
    name: 'substitution',
    note,
    apply(e) {
      const next = rewrite(e, (node) => pairs.find(([from]) => equal(from, node))?.[1]);
      return rewriteOrFail(id, e, tidy(next), key);
    },
  };
}
