import { key, num, rewrite, tidy } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { rewriteOrFail } from './rule.js';

/** E[X] = 0 for a variable the model assumes zero-mean; products and sums with it collapse. */
export const zeroMean: RewriteRule = {
  id: 'zeroMean',
  name: 'zero mean',
  note: 'The variable has mean zero, so every term containing its expectation vanishes.',
  apply(e, model) {
    const next = rewrite(e, (node) => {
      if (node.kind !== 'E' || node.arg.kind !== 'rv') return undefined;
      return model.families[node.arg.family]?.zeroMean ? num(0) : undefined;
    });
    return rewriteOrFail('zeroMean', e, tidy(next), key);
  },
};
