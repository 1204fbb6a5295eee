/**
 * custom: an activation given as an expression in x, e.g. `x/(1+abs(x))` or `x*tanh(log(1+exp(x)))`.
 *
 * The text is parsed with mathjs and checked against an allow-list (the symbol x, numeric constants,
 * + − * / ^ and the functions mathjs can differentiate); φ′ comes from mathjs' symbolic `derivative`;
 * both are evaluated through mathjs' compiled expressions (never `eval`/`Function` on user text);
 * LaTeX comes from mathjs' `toTex`. At construction φ and φ′ are probed on [−20, 20]: they must be
 * finite reals and φ′ must match finite differences, so an expression that cannot work fails here,
 * with an {@link InputError}, rather than as NaN in a report.
 */
import type { EvalFunction, MathNode } from 'mathjs';
// Loaded on first use: named activations never need mathjs (see src/math/lazyMathjs.ts).
import { parse } from '../../math/lazyMathjs.js';
import { InputError } from '../../errors.js';
import { bisect } from '../../math/bisect.js';
import type { Activation } from '../activation.js';
import { gaussianExpectations } from '../../math/quadrature.js';
import { quadratureMoments } from './kind.js';
import { assertGaussianIntegrable } from './singularities.js';
import { assertTextSize, assertTreeSize, boundedDerivative } from './expressionLimits.js';

/** The functions mathjs' `derivative` supports (mathjs function/algebra/derivative.js). */
const DIFFERENTIABLE_FUNCTIONS = new Set([
  'abs', 'sqrt', 'cbrt', 'nthRoot', 'exp', 'log', 'log10', 'pow',
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'asin', 'acos', 'atan', 'asec', 'acsc', 'acot',
  'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth', 'asinh', 'acosh', 'atanh', 'asech', 'acsch', 'acoth',
]);
/** mathjs' numeric constants. */
const CONSTANTS = new Set(['pi', 'PI', 'e', 'E', 'tau', 'phi', 'LN2', 'LN10', 'LOG2E', 'LOG10E', 'SQRT2', 'SQRT1_2']);
/** Arithmetic operators, by mathjs' function name. */
const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

const ALLOWED = 'an expression in x such as x/(1+abs(x)) or x*tanh(log(1+exp(x))), built from numbers, pi, e, + - * / ^ and mathjs functions it can differentiate';
const FUNCTION_LIST = `the allowed functions are ${[...DIFFERENTIABLE_FUNCTIONS].join(', ')}`;

/** Probe points for validation: [−20, 20] offset from round numbers so a probe rarely sits on a kink. */
const PROBES = Array.from({ length: 321 }, (_, i) => -20 + i * 0.125 + 0.0123456789);
/** Input variances at which Stein's identity is checked, and its relative tolerance (see assertResolvedByQuadrature). */
const STEIN_VARIANCES = [1, 100];
const STEIN_TOLERANCE = 1e-3;
/** Kinks (zeros of abs arguments) are searched for on this range. */
const KINK_SEARCH_HALF_WIDTH = 100;
const KINK_SEARCH_STEPS = 4000;

/**
 * Builds a custom activation from an expression in x.
 * @param text the expression, in mathjs syntax
 * @param field the field name used in error messages (default `activation`)
 * @throws InputError for text that does not parse, uses anything but x and mathjs functions/constants,
 *   cannot be differentiated, or is not a finite real function of x.
 */
export function createCustomActivation(text: string, field = 'activation'): Activation {
  if (typeof text !== 'string' || text.trim() === '') throw new InputError(field, text, ALLOWED);
  const source = text.trim();
  assertTextSize(source, field, ALLOWED);
  let node: MathNode;
  try {
    node = parse(source);
  } catch (error) {
    throw new InputError(field, source, ALLOWED, `It does not parse: ${(error as Error).message}`);
  }
  checkAllowed(node, source, field);
  assertTreeSize(node, source, field, ALLOWED);
  let derivativeNode: MathNode;
  try {
    // Simplified only as far as is cheap: mathjs' full simplify can take minutes on short input.
    derivativeNode = boundedDerivative(node, 'x');
  } catch (error) {
    throw new InputError(field, source, ALLOWED, `It cannot be differentiated symbolically: ${(error as Error).message}`);
  }
  const phi = realFunction(node.compile());
  const rawDerivative = realFunction(derivativeNode.compile());
  // mathjs writes d|u|/dx as |u|/u, which is 0/0 at u = 0: take the right derivative there.
  const derivative = (x: number): number => {
    const value = rawDerivative(x);
    return Number.isFinite(value) ? value : rawDerivative(x + 1e-9 * Math.max(1, Math.abs(x)));
  };
  checkFiniteAndDifferentiable(phi, derivative, source, field);
  assertGaussianIntegrable(node, derivativeNode, source, field);
  const kinks = findKinks(node);
  assertResolvedByQuadrature(phi, derivative, kinks, source, field);

  const activation: Activation = {
    name: 'custom',
    label: source,
    params: Object.freeze({}),
    latex: node.toTex(),
    derivativeLatex: derivativeNode.toTex(),
    expression: node.toString(),
    kinks,
    predictionKind: 'meanField',
    slopeAtZero: derivative(0),
    phi,
    derivative,
    applyInPlace(input, out) {
      for (let i = 0, n = input.length; i < n; i++) out[i] = phi(input[i]);
    },
    derivativeInPlace(input, out) {
      for (let i = 0, n = input.length; i < n; i++) out[i] = derivative(input[i]);
    },
    moments: (q) => quadratureMoments(activation, q),
    pytorchGain: null,
    assumptionNote: 'A custom activation: its moments come from quadrature and the q-map is a mean-field (infinite-width) prediction.',
  };
  return activation;
}

/** Rejects every node that is not x, a constant, arithmetic or a differentiable mathjs function. */
function checkAllowed(root: MathNode, source: string, field: string): void {
  let mentionsX = false;
  root.traverse((node, path, parent) => {
    switch (node.type) {
      case 'ConstantNode': {
        const value = (node as MathNode & { value: unknown }).value;
        if (typeof value !== 'number') throw new InputError(field, source, ALLOWED, `${JSON.stringify(value)} is not a number`);
        return;
      }
      case 'ParenthesisNode':
        return;
      case 'SymbolNode': {
        const name = (node as MathNode & { name: string }).name;
        if (parent?.type === 'FunctionNode' && path === 'fn') return; // the function's own name, checked below
        if (name === 'x') mentionsX = true;
        else if (!CONSTANTS.has(name)) {
          throw new InputError(field, source, ALLOWED, `Unknown symbol "${name}": only x and the constants ${[...CONSTANTS].join(', ')} are allowed`);
        }
        return;
      }
      case 'OperatorNode': {
        const fn = (node as MathNode & { fn: string; op: string }).fn;
        if (!OPERATORS.has(fn)) {
          throw new InputError(field, source, ALLOWED, `The operator "${(node as MathNode & { op: string }).op}" is not allowed`);
        }
        return;
      }
      case 'FunctionNode': {
        const fnNode = (node as MathNode & { fn: MathNode }).fn;
        const name = fnNode.type === 'SymbolNode' ? (fnNode as MathNode & { name: string }).name : '';
        if (!DIFFERENTIABLE_FUNCTIONS.has(name)) {
          throw new InputError(
            field,
            source,
            ALLOWED,
            `${name || 'This call'}() cannot be differentiated symbolically${name === 'max' ? '; write max(0, x) as (x + abs(x))/2' : ''}; ${FUNCTION_LIST}`,
          );
        }
        return;
      }
      default:
        throw new InputError(field, source, ALLOWED, `${withArticle(node.type.replace(/Node$/, '').toLowerCase())} is not allowed`);
    }
  });
  if (!mentionsX) throw new InputError(field, source, ALLOWED, 'It does not depend on x');
}

/** Wraps a compiled expression as a real function of x; non-real results become NaN. */
function realFunction(compiled: EvalFunction): (x: number) => number {
  const scope = new Map<string, number>([['x', 0]]);
  return (x: number): number => {
    scope.set('x', x);
    const value: unknown = compiled.evaluate(scope);
    return typeof value === 'number' ? value : Number.NaN;
  };
}

function checkFiniteAndDifferentiable(
  phi: (x: number) => number,
  derivative: (x: number) => number,
  source: string,
  field: string,
): void {
  for (const x of [0, ...PROBES]) {
    if (!Number.isFinite(phi(x))) {
      throw new InputError(field, source, ALLOWED, `φ(${formatProbe(x)}) is ${describe(phi(x))}; φ must be a finite real number for every real x`);
    }
    if (!Number.isFinite(derivative(x))) {
      throw new InputError(field, source, ALLOWED, `φ′(${formatProbe(x)}) is ${describe(derivative(x))}; φ′ must be finite for every real x`);
    }
  }
  // The symbolic derivative must agree with central differences (catches a wrong simplification).
  for (const x of PROBES) {
    const h = 1e-5 * Math.max(1, Math.abs(x));
    const numeric = (phi(x + h) - phi(x - h)) / (2 * h);
    const symbolic = derivative(x);
    const scale = Math.max(1, Math.abs(symbolic), Math.abs(phi(x)) / Math.max(1, Math.abs(x)));
    if (Math.abs(numeric - symbolic) > 1e-4 * scale && Math.abs(phi(x + h) - 2 * phi(x) + phi(x - h)) < 1e-3 * scale * h) {
      throw new InputError(
        field,
        source,
        ALLOWED,
        `Its symbolic derivative (${symbolic}) disagrees with finite differences (${numeric}) at x = ${formatProbe(x)}`,
      );
    }
  }
}

/**
 * Refuses φ whose slope lives on a scale the moments' quadrature cannot see. Stein's identity
 * E[x·φ(x)] = q·E[φ′(x)] for x ~ N(0, q) and absolutely continuous φ (Stein 1981, Lemma 1) is
 * checked with the same rule the moments use: E[xφ] is smooth in φ's jumps, E[φ′] only sees φ′ at
 * the nodes. tanh(1e6·x) has its whole slope within 1e-6 of 0, between nodes, so E[φ′(z)²] came out
 * 0 instead of ≈ 5.3e5 (issue 14); at q = 100 a spike out at x = 30 is seen too.
 */
function assertResolvedByQuadrature(
  phi: (x: number) => number,
  derivative: (x: number) => number,
  kinks: readonly number[],
  source: string,
  field: string,
): void {
  for (const q of STEIN_VARIANCES) {
    const [left, right, leftSize, rightSize] = gaussianExpectations(
      [(x) => (x * phi(x)) / q, derivative, (x) => Math.abs(x * phi(x)) / q, (x) => Math.abs(derivative(x))],
      q,
      { kinks },
    );
    const size = Math.max(leftSize, rightSize);
    // Moments that diverge at this q are refused where they are computed, with their own words.
    if (!Number.isFinite(left) || !Number.isFinite(right) || !Number.isFinite(size) || size === 0) continue;
    if (Math.abs(left - right) > STEIN_TOLERANCE * size) {
      throw new InputError(
        field,
        source,
        ALLOWED,
        `φ is too steep for its moments' quadrature (Stein: E[xφ]/q = ${formatProbe(left)} ≠ E[φ′] = ${formatProbe(right)} at q = ${q})`,
      );
    }
  }
}

/** Zeros of the arguments of abs() (where φ′ jumps), found by sign changes and bisection. */
function findKinks(root: MathNode): number[] {
  const kinks: number[] = [];
  const absArguments = root.filter(
    (node) => node.type === 'FunctionNode' && (node as MathNode & { fn: { name?: string } }).fn.name === 'abs',
  ) as Array<MathNode & { args: MathNode[] }>;
  for (const call of absArguments) {
    const u = realFunction(call.args[0].compile());
    const step = (2 * KINK_SEARCH_HALF_WIDTH) / KINK_SEARCH_STEPS;
    let left = -KINK_SEARCH_HALF_WIDTH;
    let uLeft = u(left);
    for (let i = 1; i <= KINK_SEARCH_STEPS; i++) {
      const right = -KINK_SEARCH_HALF_WIDTH + i * step;
      const uRight = u(right);
      if (uLeft === 0) kinks.push(left);
      else if (Number.isFinite(uLeft) && Number.isFinite(uRight) && uLeft * uRight < 0) kinks.push(kinkBetween(u, left, right, uLeft));
      left = right;
      uLeft = uRight;
    }
  }
  return [...new Set(kinks)].sort((a, b) => a - b);
}

/** {@link bisect}'s zero of u, snapped to a short decimal when that is an exact zero. */
function kinkBetween(u: (x: number) => number, a: number, b: number, ua: number): number {
  const root = bisect(u, a, b, ua, 1e-15);
  // Snap to a short decimal when that is an exact zero (abs(x) → 0, abs(x − 0.5) → 0.5).
  const rounded = Number(root.toPrecision(12));
  return u(rounded) === 0 ? rounded : root;
}

function formatProbe(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

function describe(value: number): string {
  return Number.isNaN(value) ? 'not a real number' : String(value);
}

/** "an accessor", "an array", "a block": the article the word takes (words starting with a vowel letter). */
function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'An' : 'A'} ${word}`;
}
