/**
 * Non-integrable singularities of a custom activation: points x₀ where φ(x)² or φ′(x)² blows up so
 * fast that E[φ(√q z)²] or E[φ′(√q z)²] is infinite for every q. sqrt(abs(x)) is the example: φ is
 * finite everywhere, but φ′(x)² = 1/(4|x|), and ∫ dx/|x| diverges at 0, so its E[φ′²] is infinite
 * although a quadrature rule happily returns a finite 1.4469.
 *
 * Where singularities can be: only where a sub-expression's value is 0 and it sits under a division,
 * a root, a logarithm, abs, a power with a non-integer or negative exponent, or in tan/sec (zeros of
 * cos) and cot/csc (zeros of sin). Those points are found on [−100, 100] by sign changes (bisection)
 * and by local minima of |u| that refine to 0 (touching zeros such as x² in 1/x²), for the
 * expression of φ and of φ′ (mathjs' symbolic derivative).
 *
 * How fast f = φ² or φ′² grows there: the local exponent p in f(x₀ ± ε) ~ ε^(−p), measured between
 * ε = 1e−7 and 1e−10 on each side. f is integrable near x₀ exactly when p < 1 (∫₀ ε^(−p) dε < ∞),
 * so p ≥ 1 − 1e−3 (1/|x| has p = 1 exactly; logarithms have p → 0) is reported. An exponent just
 * below 1 (|x|^(−0.9999)) is integrable in principle but is reported too: no quadrature resolves it.
 *
 * Pure: works on mathjs nodes that the caller has already parsed (no mathjs import here, so loading
 * stays lazy, see src/math/lazyMathjs.ts).
 */
import type { MathNode } from 'mathjs';
import { InputError } from '../../errors.js';
import { bisect } from '../../math/bisect.js';

/** A point where φ² or φ′² is not integrable. */
export interface Singularity {
  /** Which function diverges: φ or φ′ (the square of it is what is not integrable). */
  of: 'φ' | 'φ′';
  /** Where. */
  at: number;
  /** The local exponent p of φ² or φ′² ~ |x − x₀|^(−p) (≥ 1: not integrable). */
  exponent: number;
}

const SEARCH_HALF_WIDTH = 100;
const SEARCH_STEPS = 4000;
/** f ~ ε^(−p) with p ≥ this is reported as not integrable. */
const NON_INTEGRABLE_EXPONENT = 1 - 1e-3;
const NEAR = 1e-7;
const NEARER = 1e-10;

type Real = (x: number) => number;

function compileReal(node: MathNode): Real {
  const compiled = node.compile();
  const scope = new Map<string, number>([['x', 0]]);
  return (x) => {
    scope.set('x', x);
    const value: unknown = compiled.evaluate(scope);
    return typeof value === 'number' ? value : Number.NaN;
  };
}

interface NodeShape {
  type: string;
  fn?: string | { name?: string };
  args?: MathNode[];
}

/** Sub-expressions u(x) whose zeros may carry a singularity of `root`. */
function suspectExpressions(root: MathNode): Real[] {
  const suspects: Real[] = [];
  root.traverse((node) => {
    const shape = node as unknown as NodeShape;
    const args = shape.args ?? [];
    if (shape.type === 'OperatorNode') {
      if (shape.fn === 'divide') suspects.push(compileReal(args[1]));
      else if (shape.fn === 'pow' && !isNonNegativeInteger(args[1])) suspects.push(compileReal(args[0]));
      return;
    }
    if (shape.type !== 'FunctionNode') return;
    const name = typeof shape.fn === 'object' ? shape.fn?.name : undefined;
    if (args.length === 0) return;
    if (name === 'pow') {
      if (!isNonNegativeInteger(args[1])) suspects.push(compileReal(args[0]));
    } else if (name === 'abs' || name === 'sqrt' || name === 'cbrt' || name === 'nthRoot' || name === 'log' || name === 'log10') {
      suspects.push(compileReal(args[0]));
    } else if (name === 'tan' || name === 'sec') {
      const u = compileReal(args[0]);
      suspects.push((x) => Math.cos(u(x)));
    } else if (name === 'cot' || name === 'csc' || name === 'coth' || name === 'csch') {
      const u = compileReal(args[0]);
      suspects.push(name === 'cot' || name === 'csc' ? (x) => Math.sin(u(x)) : u);
    }
  });
  return suspects;
}

function isNonNegativeInteger(node: MathNode): boolean {
  const value = (node as MathNode & { value?: unknown }).value;
  return node.type === 'ConstantNode' && typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Zeros of u on [−100, 100]: sign changes (bisection) and local minima of |u| that reach 0. */
function zerosOf(u: Real): number[] {
  const step = (2 * SEARCH_HALF_WIDTH) / SEARCH_STEPS;
  const xs = Array.from({ length: SEARCH_STEPS + 1 }, (_, i) => -SEARCH_HALF_WIDTH + i * step);
  xs.push(0);
  xs.sort((a, b) => a - b);
  const us = xs.map(u);
  const zeros: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (us[i] === 0) zeros.push(xs[i]);
    if (i === 0) continue;
    const [a, b, ua, ub] = [xs[i - 1], xs[i], us[i - 1], us[i]];
    if (Number.isFinite(ua) && Number.isFinite(ub) && ua * ub < 0) zeros.push(bisect(u, a, b, ua));
    if (i + 1 < xs.length && Number.isFinite(us[i]) && Math.abs(us[i]) < Math.abs(ua) && Math.abs(us[i]) <= Math.abs(us[i + 1]) && us[i] !== 0) {
      const x = goldenMinimum((t) => Math.abs(u(t)), a, xs[i + 1]);
      const scale = Math.max(Math.abs(ua), Math.abs(us[i + 1]), 1e-300);
      if (Math.abs(u(x)) <= 1e-12 * scale) zeros.push(x);
    }
  }
  return zeros;
}

/** Golden-section search for the minimum of a unimodal g on [a, b]. */
function goldenMinimum(g: Real, a: number, b: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  for (let i = 0; i < 120 && b - a > 4 * Number.EPSILON * Math.max(1, Math.abs(a)); i++) {
    if (g(c) < g(d)) b = d;
    else a = c;
    c = b - ratio * (b - a);
    d = a + ratio * (b - a);
  }
  return (a + b) / 2;
}

/** The local exponent p of f(x₀ + side·ε) ~ ε^(−p); Infinity when f is not finite right next to x₀. */
function localExponent(f: Real, x0: number, side: 1 | -1): number {
  const scale = Math.max(1, Math.abs(x0));
  const near = f(x0 + side * NEAR * scale);
  const nearer = f(x0 + side * NEARER * scale);
  if (Number.isNaN(near) || Number.isNaN(nearer)) return 0; // outside the domain: the probes of custom.ts judge that
  if (!Number.isFinite(near) || !Number.isFinite(nearer)) return Infinity;
  if (!(nearer > 0) || !(near > 0)) return nearer > 0 ? Infinity : 0;
  return Math.log(nearer / near) / Math.log(NEAR / NEARER);
}

/**
 * The first non-integrable singularity of φ² or φ′², or null when both are locally integrable
 * everywhere on [−100, 100].
 * @param node φ's expression in x
 * @param derivativeNode φ′'s expression in x
 */
export function findNonIntegrableSingularity(node: MathNode, derivativeNode: MathNode): Singularity | null {
  const candidates = new Set<number>();
  for (const root of [node, derivativeNode]) for (const u of suspectExpressions(root)) for (const x of zerosOf(u)) candidates.add(x);
  const functions: Array<[Singularity['of'], Real]> = [
    ['φ', compileReal(node)],
    ['φ′', compileReal(derivativeNode)],
  ];
  for (const x0 of [...candidates].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b)) {
    for (const [of, f] of functions) {
      const square: Real = (x) => f(x) ** 2;
      const exponent = Math.max(localExponent(square, x0, 1), localExponent(square, x0, -1));
      if (exponent >= NON_INTEGRABLE_EXPONENT) return { of, at: snap(x0), exponent };
    }
  }
  return null;
}

/**
 * Throws {@link InputError} when {@link findNonIntegrableSingularity} finds a singularity: the
 * Gaussian moments E[φ²] or E[φ′²] would be infinite, so no gain or prediction exists.
 */
export function assertGaussianIntegrable(node: MathNode, derivativeNode: MathNode, source: string, field: string): void {
  const singularity = findNonIntegrableSingularity(node, derivativeNode);
  if (!singularity) return;
  const { of, at, exponent } = singularity;
  const power = Number.isFinite(exponent) ? `~ 1/|x − ${formatPoint(at)}|^${formatExponent(exponent)}` : 'is infinite';
  const which = of === 'φ' ? 'E[φ(√q z)²]' : 'E[φ′(√q z)²]';
  throw new InputError(
    field,
    source,
    'an activation whose φ² and φ′² are integrable against a Gaussian (finite E[φ²] and E[φ′²])',
    `Near x = ${formatPoint(at)}, ${of}(x)² ${power}, which is not integrable: ${which} is infinite for every q`,
  );
}

/** Snaps to a short decimal when that is as good a zero (0 rather than 1e−17). */
function snap(x: number): number {
  const rounded = Number(x.toPrecision(10));
  return Math.abs(rounded - x) <= 1e-12 * Math.max(1, Math.abs(x)) ? rounded : x;
}

function formatPoint(x: number): string {
  return Number(x.toPrecision(6)).toString().replace(/^-/, '−');
}

function formatExponent(p: number): string {
  return Number(p.toFixed(2)).toString();
}
