/**
 * The meaning of an expression, computed independently of the rules: a scalar expression (all
 * randomness inside E[·] / Var[·]) becomes a mathjs expression in the model's moment symbols.
 *
 * E[·] is evaluated by brute force: expand the argument into monomials (substituting definitions
 * such as o_i = Σ_j w_ij x_j), then for every way the bound indices of the same range can coincide
 * with each other or with fixed indices (set partitions), count the index tuples
 * (n(n−1)… falling factorials) and multiply the raw moments of the now-distinct independent
 * variables. That is exactly what E means under the model's independence and identical-distribution
 * assumptions, with no rule shortcut, so it can judge every rule's rewrite.
 */
import { isRandom, renameIndex, type Expr } from './expression.js';
import type { RandomModel } from './model.js';

interface Atom {
  family: string;
  indices: string[];
}

interface Monomial {
  /** Scalar factors as mathjs strings. */
  coef: string[];
  /** Bound (summed) index names with their range symbols. */
  bound: Array<{ name: string; range: string }>;
  atoms: Atom[];
}

interface Env {
  model: RandomModel;
  /** Index names with a fixed (but arbitrary) value, with their ranges. Distinct names = distinct values. */
  fixed: Map<string, string>;
  fresh: { next: number };
}

/** Raised when an expression has no meaning in the model (unknown family, missing moment, …). */
export class SemanticsError extends Error {
  override readonly name = 'SemanticsError';
}

/**
 * The value of a scalar expression as a mathjs expression string.
 * @param extraRanges ranges of index names not in the model (e.g. `j_1` from an explicit expansion).
 */
export function meaning(e: Expr, model: RandomModel, extraRanges: Readonly<Record<string, string>> = {}): string {
  if (isRandom(e)) throw new SemanticsError('a random expression has no scalar value; take E[·] or Var[·] of it');
  const env: Env = { model, fixed: new Map(), fresh: { next: 0 } };
  for (const index of freeIndices(e)) {
    const range = extraRanges[index] ?? model.ranges[index];
    if (range === undefined) throw new SemanticsError(`index ${index} has no range in the model`);
    env.fixed.set(index, range);
  }
  return scalar(e, env);
}

function freeIndices(e: Expr, bound: ReadonlySet<string> = new Set()): Set<string> {
  const found = new Set<string>();
  const walk = (node: Expr, inner: ReadonlySet<string>): void => {
    if (node.kind === 'rv') node.indices.filter((i) => !inner.has(i)).forEach((i) => found.add(i));
    else if (node.kind === 'sum') walk(node.body, new Set([...inner, node.index]));
    else if (node.kind === 'add') node.terms.forEach((t) => walk(t, inner));
    else if (node.kind === 'mul') node.factors.forEach((f) => walk(f, inner));
    else if (node.kind === 'pow') walk(node.base, inner);
    else if (node.kind === 'E' || node.kind === 'Var') walk(node.arg, inner);
  };
  walk(e, bound);
  return found;
}

function freshName(env: Env): string {
  return `_k${env.fresh.next++}`;
}

function product(factors: string[]): string {
  return factors.length === 0 ? '1' : factors.map((f) => `(${f})`).join('*');
}

function scalar(e: Expr, env: Env): string {
  switch (e.kind) {
    case 'num':
      return `(${String(e.value)})`;
    case 'sym':
      return e.name;
    case 'rv':
      throw new SemanticsError(`${e.family} is random here; take E[·] of it`);
    case 'add':
      return `(${e.terms.map((t) => scalar(t, env)).join(' + ')})`;
    case 'mul':
      return product(e.factors.map((f) => scalar(f, env)));
    case 'pow':
      return `(${scalar(e.base, env)})^(${e.exponent})`;
    case 'E':
      return expectation(e.arg, env);
    case 'Var':
      return `(${expectation({ kind: 'pow', base: e.arg, exponent: 2 }, env)} - (${expectation(e.arg, env)})^2)`;
    case 'sum': {
      // Σ_j f(j) with f scalar: f depends on j only through whether j equals a fixed index of the
      // same range that f mentions; all other values of j give the same term.
      const sameRange = [...freeIndices(e.body, new Set([e.index]))].filter((i) => env.fixed.get(i) === e.range && i !== e.index);
      const name = freshName(env);
      const generic = withFixed(env, name, e.range, () => scalar(renameIndex(e.body, e.index, name), env));
      const coincident = sameRange.map((i) => scalar(renameIndex(e.body, e.index, i), env));
      return `((${sameRange.length === 0 ? e.range : `${e.range} - ${sameRange.length}`})*${generic}${coincident.map((c) => ` + ${c}`).join('')})`;
    }
  }
}

function withFixed<T>(env: Env, name: string, range: string, body: () => T): T {
  env.fixed.set(name, range);
  try {
    return body();
  } finally {
    env.fixed.delete(name);
  }
}

function expand(e: Expr, env: Env): Monomial[] {
  if (!isRandom(e)) return [{ coef: [scalar(e, env)], bound: [], atoms: [] }];
  switch (e.kind) {
    case 'rv': {
      const family = env.model.families[e.family];
      if (!family) throw new SemanticsError(`unknown random variable family ${e.family}`);
      if (family.definition) return expand(family.definition(e.indices), env);
      return [{ coef: [], bound: [], atoms: [{ family: e.family, indices: [...e.indices] }] }];
    }
    case 'add':
      return e.terms.flatMap((t) => expand(t, env));
    case 'mul':
      return e.factors.reduce<Monomial[]>(
        (acc, factor) => {
          const expanded = expand(factor, env);
          return acc.flatMap((left) => expanded.map((right) => combine(left, right)));
        },
        [{ coef: [], bound: [], atoms: [] }],
      );
    case 'pow': {
      if (!Number.isInteger(e.exponent) || e.exponent < 0) throw new SemanticsError('only non-negative integer powers of random expressions');
      // Each copy expands separately, so bound indices are renamed apart.
      return expand({ kind: 'mul', factors: Array.from({ length: e.exponent }, () => e.base) }, env);
    }
    case 'sum': {
      const name = freshName(env);
      return expand(renameIndex(e.body, e.index, name), env).map((m) => ({ ...m, bound: [...m.bound, { name, range: e.range }] }));
    }
    default:
      throw new SemanticsError(`cannot expand ${e.kind}`);
  }
}

function combine(a: Monomial, b: Monomial): Monomial {
  return { coef: [...a.coef, ...b.coef], bound: [...a.bound, ...b.bound], atoms: [...a.atoms, ...b.atoms] };
}

/** E[e] as a mathjs string. */
function expectation(e: Expr, env: Env): string {
  const terms = expand(e, env).map((m) => expectMonomial(m, env));
  return terms.length === 0 ? '0' : `(${terms.join(' + ')})`;
}

/** A way to identify bound indices: each bound name maps to a block label (a fixed index or a new value). */
type Assignment = Map<string, string>;

function expectMonomial(m: Monomial, env: Env): string {
  const ranges = [...new Set(m.bound.map((b) => b.range))];
  // For each range: all ways to merge its bound indices, and counts of the index tuples.
  let choices: Array<{ assignment: Assignment; count: string[] }> = [{ assignment: new Map(), count: [] }];
  for (const range of ranges) {
    const names = m.bound.filter((b) => b.range === range).map((b) => b.name);
    const fixedHere = [...new Set(m.atoms.flatMap((a) => a.indices))].filter((i) => env.fixed.get(i) === range && !names.includes(i));
    const options = identifications(names, fixedHere, range);
    choices = choices.flatMap((c) => options.map((o) => ({ assignment: new Map([...c.assignment, ...o.assignment]), count: [...c.count, ...o.count] })));
  }
  const terms = choices.map(({ assignment, count }) => {
    const multiplicity = new Map<string, { family: string; power: number }>();
    for (const atom of m.atoms) {
      const indices = atom.indices.map((i) => assignment.get(i) ?? i);
      const id = `${atom.family}[${indices.join(',')}]`;
      const entry = multiplicity.get(id) ?? { family: atom.family, power: 0 };
      entry.power += 1;
      multiplicity.set(id, entry);
    }
    const moments = [...multiplicity.values()].map(({ family, power }) => momentOf(env.model, family, power));
    return product([...m.coef, ...count, ...moments]);
  });
  return terms.length === 1 ? terms[0] : `(${terms.join(' + ')})`;
}

function momentOf(model: RandomModel, family: string, power: number): string {
  const spec = model.families[family];
  const moment = spec?.moments?.[power];
  if (moment === undefined) throw new SemanticsError(`the model gives no E[${family}^${power}]`);
  return moment;
}

/**
 * Every way bound indices `names` (one range) can coincide: set partitions of the names, each block
 * either equal to one of the fixed indices (injectively) or a new value distinct from everything
 * else. The count of index tuples for a choice with b new blocks is (n−F)(n−F−1)…(n−F−b+1).
 */
function identifications(names: string[], fixed: string[], range: string): Array<{ assignment: Assignment; count: string[] }> {
  const out: Array<{ assignment: Assignment; count: string[] }> = [];
  for (const blocks of setPartitions(names)) {
    for (const targets of injections(blocks.length, fixed)) {
      const assignment: Assignment = new Map();
      const count: string[] = [];
      let fresh = 0;
      blocks.forEach((block, b) => {
        const target = targets[b] ?? `${range}#${block[0]}`;
        if (targets[b] === undefined) {
          count.push(fixed.length + fresh === 0 ? range : `${range} - ${fixed.length + fresh}`);
          fresh += 1;
        }
        block.forEach((name) => assignment.set(name, target));
      });
      out.push({ assignment, count });
    }
  }
  return out;
}

function setPartitions(items: string[]): string[][][] {
  if (items.length === 0) return [[]];
  const [first, ...rest] = items;
  return setPartitions(rest).flatMap((partition) => [
    [[first], ...partition],
    ...partition.map((_, i) => partition.map((block, j) => (i === j ? [first, ...block] : block))),
  ]);
}

/** For each block, a fixed index or undefined (a new value); fixed indices used at most once. */
function injections(blocks: number, fixed: string[]): Array<Array<string | undefined>> {
  if (blocks === 0) return [[]];
  return injections(blocks - 1, fixed).flatMap((prefix) => [
    [...prefix, undefined],
    ...fixed.filter((f) => !prefix.includes(f)).map((f) => [...prefix, f]),
  ]);
}

/**
 * Replaces every Σ over `range` by its explicit expansion with `n` terms (indices `j_1`, `j_2`, …),
 * for checking a summation rule against a small concrete case. Returns the ranges of the new indices.
 */
export function expandSums(e: Expr, range: string, n: number): { expr: Expr; ranges: Record<string, string> } {
  const ranges: Record<string, string> = {};
  const walk = (node: Expr): Expr => {
    switch (node.kind) {
      case 'sum': {
        const body = walk(node.body);
        if (node.range !== range) return { ...node, body };
        const terms = Array.from({ length: n }, (_, k) => {
          const concrete = `${node.index}_${k + 1}`;
          ranges[concrete] = range;
          return renameIndex(body, node.index, concrete);
        });
        return { kind: 'add', terms };
      }
      case 'add':
        return { kind: 'add', terms: node.terms.map(walk) };
      case 'mul':
        return { kind: 'mul', factors: node.factors.map(walk) };
      case 'pow':
        return { kind: 'pow', base: walk(node.base), exponent: node.exponent };
      case 'E':
        return { kind: 'E', arg: walk(node.arg) };
      case 'Var':
        return { kind: 'Var', arg: walk(node.arg) };
      default:
        return node;
    }
  };
  return { expr: walk(e), ranges };
}

