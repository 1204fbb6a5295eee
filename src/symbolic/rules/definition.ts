import { key, rewrite, tidy } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { rewriteOrFail } from './rule.js';

/** Replaces a derived variable by its definition, e.g. o_i by Σ_j w_ij x_j. */
export const definition: RewriteRule = {
  id: 'definition',
  name: 'definition',
  note: 'Substitute the definition of the variable.',
  apply(e, model) {
    const next = rewrite(e, (node) => {
      if (node.kind !== 'rv') return undefined;
      const family = model.families[node.family];
      return family?.definition ? family.definition(node.indices) : undefined;
    });
    return rewriteOrFail('definition', e, tidy(next), key);
  },
};
