import { expect, isRandom, key, mul, rewrite, sum, tidy, type Expr } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { rewriteOrFail } from './rule.js';

/** E[Σ X] = Σ E[X], E[X + Y] = E[X] + E[Y], E[cX] = c E[X] for a constant c. */
export const linearity: RewriteRule = {
  id: 'linearity',
  name: 'linearity of expectation',
  note: 'Expectation is linear: it passes through sums and constant factors.',
  apply(e) {
    const next = rewrite(e, (node) => (node.kind === 'E' ? distribute(node.arg) : undefined));
    return rewriteOrFail('linearity', e, tidy(next), key);
  },
};

function distribute(arg: Expr): Expr {
  if (!isRandom(arg)) return arg;
  if (arg.kind === 'add') return { kind: 'add', terms: arg.terms.map(distribute) };
  if (arg.kind === 'sum') return sum(arg.index, arg.range, distribute(arg.body));
  if (arg.kind === 'mul') {
    const constants = arg.factors.filter((f) => !isRandom(f));
    const random = arg.factors.filter(isRandom);
    if (constants.length > 0) return mul(...constants, expect(random.length === 1 ? random[0] : mul(...random)));
  }
  return expect(arg);
}
