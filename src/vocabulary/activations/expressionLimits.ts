/**
 * Bounds on the symbolic work a user's expression may cause. mathjs' `simplify` (which its
 * `derivative` runs by default) is exponential in ways a short text does not show: φ′ of
 * `x+x+…` with 25 terms took 11–66 s, 16 factors `x*x*…*x` did not finish in minutes, 20 terms
 * `abs(x-k)` took 38 s. So the text and its tree have stated size limits, and φ′ is simplified only
 * as far as its size keeps that cheap: fully when small, by one bounded clean-up pass when medium,
 * and not at all when large (it is then correct but not pretty). Every limit is a count, never a clock.
 */
import type { MathNode } from 'mathjs';
import { InputError } from '../../errors.js';
import { mathjs } from '../../math/lazyMathjs.js';

/** Longest expression text accepted (the longest activation in the literature is under 100). */
export const MAX_EXPRESSION_CHARS = 500;
/** Most nodes (numbers, x, operators, function calls) in the parsed expression. */
export const MAX_EXPRESSION_NODES = 120;
/**
 * φ′ gets mathjs' full `simplify` only when it has at most this many nodes and the expression has
 * no sum or product of more than {@link FULL_SIMPLIFY_MAX_CHAIN} terms (collecting like terms
 * across a long chain is where simplify blows up). Measured: `x*tanh(log(1+exp(x)))` (φ′ 39 nodes)
 * 0.14 s; `x+…+x` with 16 terms 0.2 s, 22 terms 1.9 s, 25 terms 11 s. mathjs' lighter
 * `simplifyCore` is no safe middle: it took 9 s on the 49 nodes of `1+1+…+1`.
 */
export const FULL_SIMPLIFY_MAX_NODES = 40;
export const FULL_SIMPLIFY_MAX_CHAIN = 8;

export function countNodes(node: MathNode): number {
  let count = 0;
  node.traverse(() => {
    count++;
  });
  return count;
}

/**
 * Refuses a text longer than {@link MAX_EXPRESSION_CHARS}, before parsing it, and a `#`: mathjs
 * reads it as the start of a comment, so `tanh(x) # anything` would be accepted as tanh(x) while the
 * whole text became the activation's label in reports.
 */
export function assertTextSize(source: string, field: string, allowed: string): void {
  if (source.length > MAX_EXPRESSION_CHARS) {
    throw new InputError(field, source, allowed, `It is ${source.length} characters long; at most ${MAX_EXPRESSION_CHARS} are allowed`);
  }
  if (source.includes('#')) throw new InputError(field, source, allowed, 'It contains #, which would start a comment; comments are not allowed');
}

/** Refuses a parsed expression of more than {@link MAX_EXPRESSION_NODES} nodes. */
export function assertTreeSize(node: MathNode, source: string, field: string, allowed: string): void {
  const nodes = countNodes(node);
  if (nodes > MAX_EXPRESSION_NODES) {
    throw new InputError(
      field,
      source,
      allowed,
      `It has ${nodes} numbers, symbols and operations; at most ${MAX_EXPRESSION_NODES} are allowed, since symbolic differentiation grows too fast beyond that`,
    );
  }
}

/** The most operands of one sum or product (`a+b-c+d` has 4), counting through nested + − or * /. */
export function longestChain(node: MathNode): number {
  let longest = 1;
  const operands = (n: MathNode, family: string): number => {
    const op = n as MathNode & { isOperatorNode?: boolean; fn?: string; args?: MathNode[] };
    if (op.isOperatorNode && op.args?.length === 2 && familyOf(op.fn) === family) return op.args.reduce((sum, arg) => sum + operands(arg, family), 0);
    return 1;
  };
  node.traverse((n) => {
    const op = n as MathNode & { isOperatorNode?: boolean; fn?: string };
    const family = op.isOperatorNode ? familyOf(op.fn) : undefined;
    if (family) longest = Math.max(longest, operands(n, family));
  });
  return longest;
}

function familyOf(fn: string | undefined): string | undefined {
  if (fn === 'add' || fn === 'subtract') return 'sum';
  if (fn === 'multiply' || fn === 'divide') return 'product';
  return undefined;
}

/** φ′ already formed, by expression text: the derivation's independent moments reuse the activation's own φ′. */
const derivatives = new Map<string, MathNode>();
const MAX_REMEMBERED_DERIVATIVES = 256;

/**
 * φ′ by mathjs' `derivative`, simplified only when that is known to be cheap (see above). Every
 * caller gets it from here (custom activations, src/symbolic/quadrature.ts), so the bound holds
 * everywhere and one expression is differentiated once per process.
 */
export function boundedDerivative(node: MathNode, variable = 'x'): MathNode {
  const key = `${variable}:${node.toString()}`;
  const known = derivatives.get(key);
  if (known) return known;
  const math = mathjs();
  const raw = math.derivative(node, variable, { simplify: false });
  const derivative = countNodes(raw) <= FULL_SIMPLIFY_MAX_NODES && longestChain(node) <= FULL_SIMPLIFY_MAX_CHAIN ? math.simplify(raw) : raw;
  if (derivatives.size >= MAX_REMEMBERED_DERIVATIVES) derivatives.clear();
  derivatives.set(key, derivative);
  return derivative;
}
