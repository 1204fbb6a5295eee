import { add, expect, key, neg, pow, rewrite, tidy } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { rewriteOrFail } from './rule.js';

/** Var[X] = E[X²] − E[X]². */
export const varianceDefinition: RewriteRule = {
  id: 'varianceDefinition',
  name: 'definition of variance',
  note: 'Variance is the second moment minus the squared mean: Var[X] = E[X²] − E[X]².',
  apply(e) {
    const next = rewrite(e, (node) => (node.kind === 'Var' ? add(expect(pow(node.arg, 2)), neg(pow(expect(node.arg), 2))) : undefined));
    return rewriteOrFail('varianceDefinition', e, tidy(next), key);
  },
};
