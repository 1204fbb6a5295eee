/**
 * The chain rule for the backward pass of a dense layer o_i = Σ_j w_ij x_j with a loss L(o):
 * ∂L/∂x_j = Σ_i (∂o_i/∂x_j) ∂o_i = Σ_i w_ij ∂o_i and ∂L/∂w_ij = ∂o_i x_j. The step is checked by
 * writing the layer out at a small size and differentiating it with mathjs, then comparing with
 * the claimed gradient for every index.
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { derivative, parse } from '../math/lazyMathjs.js';
import { symbolsOf } from './check.js';
import type { DerivationStep } from './derivation.js';
import type { Engine } from './engine.js';

/** Layer size used for the explicit check (small, asymmetric so that i and j cannot be confused). */
const CHECK_FAN_IN = 3;
const CHECK_FAN_OUT = 2;

const w = (i: number, j: number) => `w_${i}_${j}`;
const x = (j: number) => `x_${j}`;
const g = (i: number) => `g_${i}`;

function layerOutput(i: number): string {
  return Array.from({ length: CHECK_FAN_IN }, (_, k) => `${w(i, k + 1)}*${x(k + 1)}`).join(' + ');
}

/** Σ_i ∂o_i/∂v · g_i, with the derivatives taken by mathjs. */
function gradientThroughOutputs(variable: string): string {
  const terms = Array.from({ length: CHECK_FAN_OUT }, (_, k) => `(${derivative(parse(layerOutput(k + 1)), variable).toString()})*${g(k + 1)}`);
  return terms.join(' + ');
}

export type GradientTarget = 'input' | 'weight';

/**
 * The chain-rule step for ∂x_j (target 'input') or ∂w_ij (target 'weight'); `claimed` gives the
 * claimed gradient as a mathjs string in w_i_j, x_j and g_i (g_i = ∂o_i) for concrete indices.
 */
export function chainRuleStep(
  engine: Engine,
  target: GradientTarget,
  presentation: { latex: string; text: string; note: string },
  claimed: (i: number, j: number) => string,
): DerivationStep {
  let last: DerivationStep | undefined;
  for (let j = 1; j <= CHECK_FAN_IN; j++) {
    for (let i = 1; i <= (target === 'weight' ? CHECK_FAN_OUT : 1); i++) {
      const variable = target === 'input' ? x(j) : w(i, j);
      const lhs = engine.memo(`chainRule:${variable}`, () => gradientThroughOutputs(variable));
      const rhs = claimed(i, j);
      last = engine.accept({ rule: 'chainRule', ...presentation, check: { lhs, rhs, symbols: symbolsOf(lhs, rhs) } });
    }
  }
  return last as DerivationStep;
}

/** The claimed input gradient Σ_i w_ij g_i. */
export function inputGradient(_i: number, j: number): string {
  return Array.from({ length: CHECK_FAN_OUT }, (_, k) => `${w(k + 1, j)}*${g(k + 1)}`).join(' + ');
}

/** The claimed weight gradient g_i x_j. */
export function weightGradient(i: number, j: number): string {
  return `${g(i)}*${x(j)}`;
}

/** One written-out case: ∂(forward)/∂(variable) must equal `claimed` (all mathjs strings). */
export interface WrittenOutCase {
  /** Identifies `forward` for the engine's memo (the derivative is taken once per engine). */
  key: string;
  /** The terms of Σ over the outputs of o·g for a layer written out at a small size, g standing for ∂o. */
  forward: readonly string[];
  variable: string;
  claimed: string;
}

/**
 * A chain-rule step for any layer kind, checked like the dense one: the kind writes its layer out
 * at a small size as Σ o·g, mathjs differentiates that with respect to each case's variable, and
 * the claimed gradient must agree at random values of every weight, input and g. (Term by term:
 * mathjs's derivative of one long sum is very slow.)
 */
export function writtenOutChainRuleStep(
  engine: Engine,
  presentation: { latex: string; text: string; note: string },
  cases: readonly WrittenOutCase[],
): DerivationStep {
  if (cases.length === 0) throw new Error('writtenOutChainRuleStep needs at least one case');
  let last: DerivationStep | undefined;
  for (const c of cases) {
    const lhs = engine.memo(`chainRule:${c.key}:${c.variable}`, () => {
      const terms = c.forward
        .map((term) => parse(term))
        // A term without the variable has derivative 0 (skipping it keeps this fast).
        .filter((term) => term.filter((node) => node.type === 'SymbolNode' && (node as unknown as { name: string }).name === c.variable).length > 0)
        .map((term) => derivative(term, c.variable).toString())
        .filter((term) => term !== '0');
      return terms.length > 0 ? terms.join(' + ') : '0';
    });
    last = engine.accept({ rule: 'chainRule', ...presentation, check: { lhs, rhs: c.claimed, symbols: symbolsOf(lhs, c.claimed) } });
  }
  return last as DerivationStep;
}
