/**
 * Canonical forms for solved conditions. Computer algebra returns equal but unreadable shapes
 * (nerdamer: `(1/2)*(n_in+n_out)^(-1)*sqrt(8*n_in+8*n_out)`); the report wants
 * σ = √(2/(n_in+n_out)) and a = √(6/(n_in+n_out)). Every variance condition here solves to
 * σ² = k / (a·n_in + b·n_out); the canonicaliser recovers k, a, b from any expression of that shape
 * by evaluating it (1/σ² is linear in the fans), verifies the shape at random points, and prints the
 * normal form. Callers check the printed form against the original numerically.
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { compile } from '../math/lazyMathjs.js';
import { numberLatex } from '../vocabulary/inits/options.js';

/** σ² = scale / (fanInWeight·n_in + fanOutWeight·n_out), weights coprime non-negative integers. */
export interface CanonicalVariance {
  scale: number;
  fanInWeight: number;
  fanOutWeight: number;
}

/** Raised when an expression is not of the form k / (a·n_in + b·n_out). */
export class NotCanonicalisableError extends Error {
  override readonly name = 'NotCanonicalisableError';
}

/**
 * Best rational p/q with q ≤ maxDenominator within a relative 1e-12, or undefined. Relative for
 * every size: 1e-20 is not 0/1 (an activation 1e10·x has σ² = 1e-20/n_in, which printed as 0/n_in).
 */
export function rationalApproximation(value: number, maxDenominator = 1000): { p: number; q: number } | undefined {
  if (!Number.isFinite(value)) return undefined;
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let x = value;
  for (let iteration = 0; iteration < 40; iteration++) {
    const a = Math.floor(x);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > maxDenominator) return undefined;
    if (Math.abs(h1 / k1 - value) <= 1e-12 * Math.abs(value)) return { p: h1, q: k1 };
    const fraction = x - a;
    if (fraction < 1e-15) return undefined;
    x = 1 / fraction;
  }
  return undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Reads σ² (a mathjs expression in n_in, n_out and symbols bound in `scope`) as k / (a·n_in + b·n_out).
 */
export function canonicalVariance(expression: string, scope: Readonly<Record<string, number>> = {}): CanonicalVariance {
  const compiled = compile(expression);
  const inverse = (nIn: number, nOut: number) => 1 / Number(compiled.evaluate({ ...scope, n_in: nIn, n_out: nOut }));
  const base = inverse(1, 1);
  const perFanIn = inverse(2, 1) - base;
  const perFanOut = inverse(1, 2) - base;
  const constant = base - perFanIn - perFanOut;
  const linear = (nIn: number, nOut: number) => constant + perFanIn * nIn + perFanOut * nOut;
  const tolerance = 1e-9;
  for (const [nIn, nOut] of [[3.7, 11.2], [250, 17], [0.6, 4.1]]) {
    const actual = inverse(nIn, nOut);
    if (!(Math.abs(actual - linear(nIn, nOut)) <= tolerance * Math.abs(actual))) throw new NotCanonicalisableError(`${expression} is not k/(a·n_in + b·n_out)`);
  }
  if (Math.abs(constant) > tolerance * (Math.abs(perFanIn) + Math.abs(perFanOut)) || perFanIn < -tolerance || perFanOut < -tolerance) {
    throw new NotCanonicalisableError(`${expression} is not k/(a·n_in + b·n_out) with a, b ≥ 0`);
  }
  const inOnly = Math.abs(perFanOut) <= tolerance * Math.abs(perFanIn);
  const outOnly = Math.abs(perFanIn) <= tolerance * Math.abs(perFanOut);
  if (inOnly) return { scale: 1 / perFanIn, fanInWeight: 1, fanOutWeight: 0 };
  if (outOnly) return { scale: 1 / perFanOut, fanInWeight: 0, fanOutWeight: 1 };
  const ratio = rationalApproximation(perFanOut / perFanIn);
  if (!ratio) throw new NotCanonicalisableError(`${expression}: the fans' weights are not in a small rational ratio`);
  const divisor = gcd(ratio.q, ratio.p);
  const [a, b] = [ratio.q / divisor, ratio.p / divisor];
  return { scale: a / perFanIn, fanInWeight: a, fanOutWeight: b };
}

function denominator(c: CanonicalVariance, latex: boolean): { text: string; compound: boolean } {
  const part = (weight: number, name: string) => (weight === 1 ? name : latex ? `${weight}${name}` : `${weight}*${name}`);
  const names = latex ? ['n_\\text{in}', 'n_\\text{out}'] : ['n_in', 'n_out'];
  const parts: string[] = [];
  if (c.fanInWeight) parts.push(part(c.fanInWeight, names[0]));
  if (c.fanOutWeight) parts.push(part(c.fanOutWeight, names[1]));
  return { text: parts.join('+'), compound: parts.length > 1 || parts.some((p) => p.includes('*')) };
}

/** `k/D` in mathjs syntax with k exact when rational (e.g. `2/(n_in+n_out)`), full precision otherwise. */
function fractionFormula(scale: number, c: CanonicalVariance): string {
  const d = denominator(c, false);
  const r = rationalApproximation(scale);
  const wrapped = d.compound ? `(${d.text})` : d.text;
  if (!r) return `${String(scale)}/${wrapped}`;
  return r.q === 1 ? `${r.p}/${wrapped}` : `${r.p}/(${r.q}*${wrapped})`;
}

function fractionLatex(scale: number, c: CanonicalVariance): string {
  const d = denominator(c, true).text;
  const r = rationalApproximation(scale);
  if (!r) return `\\frac{${numberLatex(Number(scale.toPrecision(6)))}}{${d}}`;
  return r.q === 1 ? `\\frac{${numberLatex(r.p)}}{${d}}` : `\\frac{${numberLatex(r.p)}}{${r.q}(${d})}`;
}

export const varianceFormula = (c: CanonicalVariance): string => fractionFormula(c.scale, c);
export const stdFormula = (c: CanonicalVariance): string => `sqrt(${fractionFormula(c.scale, c)})`;
/** The uniform bound a = √3 σ = √(3k/D). */
export const boundFormula = (c: CanonicalVariance): string => `sqrt(${fractionFormula(3 * c.scale, c)})`;
export const varianceLatex = (c: CanonicalVariance): string => fractionLatex(c.scale, c);
export const stdLatex = (c: CanonicalVariance): string => `\\sqrt{${fractionLatex(c.scale, c)}}`;
export const boundLatex = (c: CanonicalVariance): string => `\\sqrt{${fractionLatex(3 * c.scale, c)}}`;
