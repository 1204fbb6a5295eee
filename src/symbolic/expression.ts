/**
 * Expressions over random variables: the small algebra the derivation rules rewrite.
 *
 * Scalars (numbers, symbols such as `sigma` or `n_in`) and random variables (`w_ij`, `x_j`, `∂o_i`)
 * combine with sums, products, integer powers, index sums Σ_{j=1}^{n} and the operators E[·] and
 * Var[·]. Rules (see `rules/`) rewrite these trees; `semantics.ts` evaluates them independently so
 * every rewrite can be checked.
 */

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  /** A scalar symbol; its name is a mathjs identifier (`sigma`, `n_in`, `var_do`). */
  | { readonly kind: 'sym'; readonly name: string }
  /** A random variable of a family (`w`, `x`, `do`); no indices means "a generic member". */
  | { readonly kind: 'rv'; readonly family: string; readonly indices: readonly string[] }
  | { readonly kind: 'add'; readonly terms: readonly Expr[] }
  | { readonly kind: 'mul'; readonly factors: readonly Expr[] }
  | { readonly kind: 'pow'; readonly base: Expr; readonly exponent: number }
  /** Σ_{index=1}^{range} body, `range` a symbol name such as `n_in`. */
  | { readonly kind: 'sum'; readonly index: string; readonly range: string; readonly body: Expr }
  | { readonly kind: 'E'; readonly arg: Expr }
  | { readonly kind: 'Var'; readonly arg: Expr };

export const num = (value: number): Expr => ({ kind: 'num', value });
export const sym = (name: string): Expr => ({ kind: 'sym', name });
export const rv = (family: string, ...indices: string[]): Expr => ({ kind: 'rv', family, indices });
export const add = (...terms: Expr[]): Expr => ({ kind: 'add', terms });
export const mul = (...factors: Expr[]): Expr => ({ kind: 'mul', factors });
export const pow = (base: Expr, exponent: number): Expr => ({ kind: 'pow', base, exponent });
export const neg = (e: Expr): Expr => mul(num(-1), e);
export const sum = (index: string, range: string, body: Expr): Expr => ({ kind: 'sum', index, range, body });
export const expect = (arg: Expr): Expr => ({ kind: 'E', arg });
export const variance = (arg: Expr): Expr => ({ kind: 'Var', arg });

/** Children of a node, in order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'add':
      return e.terms;
    case 'mul':
      return e.factors;
    case 'pow':
      return [e.base];
    case 'sum':
      return [e.body];
    case 'E':
    case 'Var':
      return [e.arg];
    default:
      return [];
  }
}

/** Rebuilds a node with new children (same arity as {@link children}). */
export function withChildren(e: Expr, kids: readonly Expr[]): Expr {
  switch (e.kind) {
    case 'add':
      return { kind: 'add', terms: kids };
    case 'mul':
      return { kind: 'mul', factors: kids };
    case 'pow':
      return { kind: 'pow', base: kids[0], exponent: e.exponent };
    case 'sum':
      return { kind: 'sum', index: e.index, range: e.range, body: kids[0] };
    case 'E':
      return { kind: 'E', arg: kids[0] };
    case 'Var':
      return { kind: 'Var', arg: kids[0] };
    default:
      return e;
  }
}

/**
 * Rewrites top-down: `visit` returns a replacement (which is not visited further) or undefined to
 * descend into the node's children.
 */
export function rewrite(e: Expr, visit: (node: Expr) => Expr | undefined): Expr {
  const replaced = visit(e);
  if (replaced !== undefined) return replaced;
  const kids = children(e);
  if (kids.length === 0) return e;
  return withChildren(
    e,
    kids.map((kid) => rewrite(kid, visit)),
  );
}

/** Structural equality. */
export function equal(a: Expr, b: Expr): boolean {
  return key(a) === key(b);
}

/** A canonical string for a tree (structural identity, used for equality and maps). */
export function key(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'sym':
      return e.name;
    case 'rv':
      return `${e.family}[${e.indices.join(',')}]`;
    case 'add':
      return `(+ ${e.terms.map(key).join(' ')})`;
    case 'mul':
      return `(* ${e.factors.map(key).join(' ')})`;
    case 'pow':
      return `(^ ${key(e.base)} ${e.exponent})`;
    case 'sum':
      return `(sum ${e.index} ${e.range} ${key(e.body)})`;
    case 'E':
      return `(E ${key(e.arg)})`;
    case 'Var':
      return `(Var ${key(e.arg)})`;
  }
}

/** Every random variable occurring in `e`, outside or inside E/Var. */
export function randomVariables(e: Expr): Array<Extract<Expr, { kind: 'rv' }>> {
  const found: Array<Extract<Expr, { kind: 'rv' }>> = [];
  const walk = (node: Expr): void => {
    if (node.kind === 'rv') found.push(node);
    children(node).forEach(walk);
  };
  walk(e);
  return found;
}

/** True when `e` has a random variable that is not inside E[·] or Var[·] (so `e` is random). */
export function isRandom(e: Expr): boolean {
  if (e.kind === 'rv') return true;
  if (e.kind === 'E' || e.kind === 'Var') return false;
  return children(e).some(isRandom);
}

/** Replaces an index name everywhere in `e` (bound sums over the same name shadow it). */
export function renameIndex(e: Expr, from: string, to: string): Expr {
  return rewrite(e, (node) => {
    if (node.kind === 'rv' && node.indices.includes(from)) {
      return { kind: 'rv', family: node.family, indices: node.indices.map((i) => (i === from ? to : i)) };
    }
    if (node.kind === 'sum' && node.index === from) return node;
    return undefined;
  });
}

/** True when an index name occurs in `e` as a free index. */
export function mentionsIndex(e: Expr, index: string): boolean {
  if (e.kind === 'rv') return e.indices.includes(index);
  if (e.kind === 'sum' && e.index === index) return false;
  return children(e).some((kid) => mentionsIndex(kid, index));
}

/**
 * Light algebraic tidying that every rule applies to its output: flattens nested sums/products,
 * multiplies numeric factors, drops 0 terms and 1 factors, and collapses Σ of 0 and E of a number.
 * It never changes the value, and the numeric check of the step that uses it confirms that.
 */
export function tidy(e: Expr): Expr {
  switch (e.kind) {
    case 'num':
    case 'sym':
    case 'rv':
      return e;
    case 'add': {
      const terms = e.terms.map(tidy).flatMap((t) => (t.kind === 'add' ? t.terms : [t]));
      const kept = terms.filter((t) => !(t.kind === 'num' && t.value === 0));
      if (kept.length === 0) return num(0);
      return kept.length === 1 ? kept[0] : add(...kept);
    }
    case 'mul': {
      const factors = e.factors.map(tidy).flatMap((f) => (f.kind === 'mul' ? f.factors : [f]));
      let coefficient = 1;
      const rest: Expr[] = [];
      for (const f of factors) {
        if (f.kind === 'num') coefficient *= f.value;
        else rest.push(f);
      }
      if (coefficient === 0) return num(0);
      if (rest.length === 0) return num(coefficient);
      const all = coefficient === 1 ? rest : [num(coefficient), ...rest];
      return all.length === 1 ? all[0] : mul(...all);
    }
    case 'pow': {
      const base = tidy(e.base);
      if (e.exponent === 1) return base;
      if (e.exponent === 0) return num(1);
      if (base.kind === 'num') return num(base.value ** e.exponent);
      return pow(base, e.exponent);
    }
    case 'sum': {
      const body = tidy(e.body);
      if (body.kind === 'num' && body.value === 0) return num(0);
      return sum(e.index, e.range, body);
    }
    case 'E': {
      const arg = tidy(e.arg);
      return arg.kind === 'num' ? arg : expect(arg);
    }
    case 'Var': {
      const arg = tidy(e.arg);
      return arg.kind === 'num' ? num(0) : variance(arg);
    }
  }
}
