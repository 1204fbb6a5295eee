import { isRandom, key, mul, randomVariables, rewrite, sym, tidy, type Expr } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { RuleNotApplicableError, rewriteOrFail } from './rule.js';

/**
 * Σ_{j=1}^{n} f_j = n·f when the terms are moments of identically distributed variables: each
 * term has the same value, so the sum is n copies of one (written without the index).
 */
export const iidSum: RewriteRule = {
  id: 'iidSum',
  name: 'sum of identically distributed terms',
  note: 'The terms are identically distributed, so the sum of n of them is n times one term.',
  apply(e) {
    const next = rewrite(e, (node) => (node.kind === 'sum' ? mul(sym(node.range), dropIndex(node.body, node.index)) : undefined));
    return rewriteOrFail('iidSum', e, tidy(next), key);
  },
};

function dropIndex(body: Expr, index: string): Expr {
  if (isRandom(body)) throw new RuleNotApplicableError('iidSum', 'the terms are random; take expectations first');
  return rewrite(body, (node) => {
    if (node.kind !== 'E' && node.kind !== 'Var') return undefined;
    const members = randomVariables(node.arg);
    // One member per family inside each moment, so writing a generic member loses nothing.
    const perFamily = new Map<string, string>();
    for (const m of members) {
      const id = m.indices.join(',');
      if (perFamily.has(m.family) && perFamily.get(m.family) !== id) throw new RuleNotApplicableError('iidSum', `two different members of ${m.family} in one moment`);
      perFamily.set(m.family, id);
    }
    return rewrite(node, (inner) => (inner.kind === 'rv' && inner.indices.includes(index) ? { kind: 'rv', family: inner.family, indices: [] } : undefined));
  });
}
