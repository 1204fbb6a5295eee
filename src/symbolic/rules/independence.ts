import { expect, isRandom, key, mul, pow, randomVariables, rewrite, tidy, type Expr } from '../expression.js';
import type { RewriteRule } from './rule.js';
import { RuleNotApplicableError, rewriteOrFail } from './rule.js';

/**
 * E[XY] = E[X] E[Y] for independent X and Y. Factors are grouped by the random variables they
 * share (members of different families, or of one family with different indices, are independent
 * in the model); a power of a product is split first, (XY)^k = X^k Y^k.
 */
export const independence: RewriteRule = {
  id: 'independence',
  name: 'independence',
  note: 'The factors are independent, so the expectation of their product is the product of expectations.',
  apply(e) {
    const next = rewrite(e, (node) => (node.kind === 'E' ? factorise(node.arg) : undefined));
    return rewriteOrFail('independence', e, tidy(next), key);
  },
};

function factors(arg: Expr): Expr[] {
  if (arg.kind === 'mul') return arg.factors.flatMap(factors);
  if (arg.kind === 'pow' && arg.base.kind === 'mul') return arg.base.factors.flatMap((f) => factors(pow(f, arg.exponent)));
  return [arg];
}

function factorise(arg: Expr): Expr {
  const parts = factors(arg);
  if (parts.length < 2) return expect(arg);
  if (parts.some((p) => !isRandom(p))) throw new RuleNotApplicableError('independence', 'take constants out with linearity first');
  // Union-find over factors sharing a random variable.
  const groups: Expr[][] = [];
  const members: Array<Set<string>> = [];
  for (const part of parts) {
    const ids = new Set(randomVariables(part).map((v) => `${v.family}[${v.indices.join(',')}]`));
    const joined = members.map((m, i) => ([...ids].some((id) => m.has(id)) ? i : -1)).filter((i) => i >= 0);
    const group = [part, ...joined.flatMap((i) => groups[i])];
    const set = new Set([...ids, ...joined.flatMap((i) => [...members[i]])]);
    for (const i of joined.reverse()) {
      groups.splice(i, 1);
      members.splice(i, 1);
    }
    groups.push(group);
    members.push(set);
  }
  if (groups.length < 2) return expect(arg);
  // Keep the written order of the factors.
  const order = (g: Expr[]) => Math.min(...g.map((p) => parts.indexOf(p)));
  groups.sort((a, b) => order(a) - order(b));
  return mul(...groups.map((g) => expect(g.length === 1 ? g[0] : mul(...g.sort((a, b) => parts.indexOf(a) - parts.indexOf(b))))));
}
