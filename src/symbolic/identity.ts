/**
 * `checkIdentity`: test an algebraic claim such as `sqrt(6/(a+b)) == sqrt(3)*sqrt(2/(a+b))` by
 * evaluating both sides (mathjs, never `eval`) at random admissible points of their free symbols.
 *
 * @example
 * ```ts
 * checkIdentity('sqrt(6/(a+b))', 'sqrt(3)*sqrt(2/(a+b))').verdict; // 'holds'
 * checkIdentity('sqrt(6/(a+b))', 'sqrt(6)/sqrt(a)+sqrt(6)/sqrt(b)').counterexample; // { point: {...}, lhs, rhs }
 * ```
 *
 * The derivation engine's step checks (src/symbolic/check.ts) are this test at a few points.
 */
import type { EvalFunction, MathNode, MathType } from 'mathjs';
import { InputError } from '../errors.js';
// Loaded on first use (see src/math/lazyMathjs.ts).
import { mathjs, parse } from '../math/lazyMathjs.js';
import type { RandomSource } from '../math/random.js';
import { createRandom } from '../math/random.js';

/**
 * Where a symbol is drawn from:
 * - `positive`: log-uniform on [1e-2, 1e2] (the default for every symbol but fans)
 * - `integer`: a positive integer, log-uniform on [1, 4096] (the default for fans: `n`, `m`, `n_*`,
 *   `fan_*`, `fanIn`, `fanOut`, `*_in`, `*_out`)
 * - `real`: uniform on [−10, 10]
 * - `unit`: uniform on (0, 1)
 * - `[min, max]` or `{ min, max, integer? }`: uniform on that interval (integers when asked)
 * - a number: the symbol is held at that value (e.g. a constant the claim was derived at)
 */
export type SymbolDomain =
  | number
  | 'positive'
  | 'integer'
  | 'real'
  | 'unit'
  | readonly [number, number]
  | { min: number; max: number; integer?: boolean };

export interface IdentityAssumptions {
  /** Domain per symbol; symbols not listed get the default (see {@link SymbolDomain}). */
  symbols?: Record<string, SymbolDomain>;
  /** Random points to try (default 64). */
  points?: number;
  /** Seed of the point sampler (default 1). */
  seed?: number;
  /** Random source to draw points from (overrides `seed`). */
  random?: Pick<RandomSource, 'uniform'>;
  /** Relative tolerance of the comparison (default 1e-9). */
  tolerance?: number;
  /**
   * Differences up to this count as equal whatever the scale (default 0), for sides that should
   * vanish and come out as rounding noise.
   */
  absoluteTolerance?: number;
}

export interface IdentityCounterexample {
  /** The symbol values where the two sides differ. */
  point: Record<string, number>;
  lhs: number | string;
  rhs: number | string;
  /** |lhs − rhs| / max(|lhs|, |rhs|). */
  relativeError: number;
}

export interface IdentityResult {
  /**
   * `holds`: equal at every admissible point tried; `fails`: a counterexample was found;
   * `undecided`: no point was admissible (both sides undefined everywhere tried).
   */
  verdict: 'holds' | 'fails' | 'undecided';
  lhs: string;
  rhs: string;
  /** Free symbols and the domain each was drawn from. */
  symbols: Record<string, SymbolDomain>;
  /** Points where both sides were finite and compared. */
  pointsTested: number;
  /** Points skipped because both sides were undefined (outside the domain of both). */
  pointsSkipped: number;
  counterexample?: IdentityCounterexample;
  /** One sentence for a test failure message. */
  explanation: string;
}

/** Parses a user expression with mathjs; a parse failure is an {@link InputError} naming the field. */
export function parseExpression(field: string, text: unknown): MathNode {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InputError(field, text, 'a non-empty expression string (mathjs syntax)');
  }
  try {
    return parse(text);
  } catch (error) {
    throw new InputError(field, text, 'an expression mathjs can parse', (error as Error).message);
  }
}

/** Parsed and compiled sides by their text: a derivation checks the same sides for every fan. */
const compiledSides = new Map<string, { node: MathNode; code: EvalFunction }>();

function compiled(field: string, text: string): { node: MathNode; code: EvalFunction } {
  let found = compiledSides.get(text);
  if (!found) {
    const node = parseExpression(field, text);
    found = { node, code: node.compile() };
    if (compiledSides.size >= 2000) compiledSides.clear();
    compiledSides.set(text, found);
  }
  return found;
}

/**
 * Free symbols of an expression: symbol nodes that are not in function position and are not one of
 * mathjs' constants (`pi`, `e`, ...). A mathjs *function* name used as a value (`gamma^2`) is a free
 * symbol; any name listed in `declared` is free even if mathjs knows it as a constant (`phi`).
 */
export function freeSymbols(node: MathNode, declared: readonly string[] = []): string[] {
  const names = new Set<string>();
  node.traverse((child, path) => {
    if (!(child as { isSymbolNode?: boolean }).isSymbolNode || path === 'fn') return;
    const name = (child as unknown as { name: string }).name;
    const known = (mathjs() as unknown as Record<string, unknown>)[name];
    const isConstant = known !== undefined && typeof known !== 'function';
    if (!isConstant || declared.includes(name)) names.add(name);
  });
  return [...names].sort();
}

const FAN_NAME = /^(n|m|n_\w+|fan_?\w*|\w+_(in|out)|fanIn|fanOut)$/;

/** The default domain of a symbol: positive integers for fans, positive reals otherwise. */
export function defaultDomain(symbol: string): SymbolDomain {
  return FAN_NAME.test(symbol) ? 'integer' : 'positive';
}

function validateDomain(symbol: string, domain: SymbolDomain): void {
  const field = `assumptions.symbols.${symbol}`;
  if (typeof domain === 'number') {
    if (!Number.isFinite(domain)) throw new InputError(field, domain, 'a finite number, a domain name or an interval');
    return;
  }
  if (typeof domain === 'string') {
    if (!['positive', 'integer', 'real', 'unit'].includes(domain)) {
      throw new InputError(field, domain, "one of 'positive', 'integer', 'real', 'unit', a number, [min, max] or { min, max, integer }");
    }
    return;
  }
  if (domain === null || typeof domain !== 'object') {
    throw new InputError(field, domain, "one of 'positive', 'integer', 'real', 'unit', a number, [min, max] or { min, max, integer }");
  }
  const [min, max] = Array.isArray(domain)
    ? domain
    : [(domain as { min: number }).min, (domain as { max: number }).max];
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new InputError(field, domain, 'an interval [min, max] of finite numbers with min < max');
  }
}

function drawValue(domain: SymbolDomain, random: Pick<RandomSource, 'uniform'>): number {
  if (typeof domain === 'number') return domain;
  switch (domain) {
    case 'positive':
      return 10 ** (4 * random.uniform() - 2);
    case 'integer':
      return Math.max(1, Math.round(2 ** (12 * random.uniform())));
    case 'real':
      return 20 * random.uniform() - 10;
    case 'unit':
      return Math.max(Number.MIN_VALUE, random.uniform());
    default: {
      const [min, max, integer] = Array.isArray(domain)
        ? [domain[0], domain[1], false]
        : [(domain as { min: number }).min, (domain as { max: number }).max, Boolean((domain as { integer?: boolean }).integer)];
      const value = min + (max - min) * random.uniform();
      return integer ? Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(value))) : value;
    }
  }
}

/** A number, or a complex number as {re, im}, or null when the value is not numeric/finite. */
function toComparable(value: unknown): { re: number; im: number } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? { re: value, im: 0 } : null;
  if (typeof value === 'boolean') return { re: Number(value), im: 0 };
  if (value && typeof value === 'object' && 're' in value && 'im' in value) {
    const { re, im } = value as { re: number; im: number };
    return Number.isFinite(re) && Number.isFinite(im) ? { re, im } : null;
  }
  if (value && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return toComparable((value as { toNumber(): number }).toNumber());
  }
  return null;
}

function display(value: unknown): number | string {
  if (typeof value === 'number') return value;
  return mathjs().format(value as MathType, { precision: 12 });
}

/**
 * Tests `lhs == rhs` at random admissible points: both sides are parsed and evaluated with mathjs;
 * the claim holds when they agree to `tolerance` (relative) at every point where at least one side
 * is defined. A point where exactly one side is undefined is a counterexample.
 *
 * @throws {InputError} when an expression does not parse or a domain is malformed.
 */
export function checkIdentity(lhs: string, rhs: string, assumptions: IdentityAssumptions = {}): IdentityResult {
  const { node: lhsNode, code: lhsCode } = compiled('lhs', lhs);
  const { node: rhsNode, code: rhsCode } = compiled('rhs', rhs);
  const declaredDomains = assumptions.symbols ?? {};
  if (typeof declaredDomains !== 'object' || declaredDomains === null) {
    throw new InputError('assumptions.symbols', declaredDomains, 'an object mapping symbol names to domains');
  }
  const points = assumptions.points ?? 64;
  if (!Number.isInteger(points) || points < 1 || points > 100_000) {
    throw new InputError('assumptions.points', points, 'an integer from 1 to 100000');
  }
  const tolerance = assumptions.tolerance ?? 1e-9;
  if (!(tolerance > 0 && tolerance < 1)) {
    throw new InputError('assumptions.tolerance', tolerance, 'a number in (0, 1)');
  }
  const absoluteTolerance = assumptions.absoluteTolerance ?? 0;
  if (!(absoluteTolerance >= 0 && absoluteTolerance < 1)) {
    throw new InputError('assumptions.absoluteTolerance', absoluteTolerance, 'a number in [0, 1)');
  }
  const seed = assumptions.seed ?? 1;
  if (!Number.isInteger(seed)) throw new InputError('assumptions.seed', seed, 'an integer');

  const declared = Object.keys(declaredDomains);
  const names = [...new Set([...freeSymbols(lhsNode, declared), ...freeSymbols(rhsNode, declared)])].sort();
  const symbols: Record<string, SymbolDomain> = {};
  for (const name of names) {
    const domain = Object.hasOwn(declaredDomains, name) ? declaredDomains[name] : defaultDomain(name);
    validateDomain(name, domain);
    symbols[name] = domain;
  }
  const random = assumptions.random ?? createRandom(seed);

  let tested = 0;
  let skipped = 0;
  for (let i = 0; i < points; i++) {
    const point: Record<string, number> = {};
    for (const name of names) point[name] = drawValue(symbols[name], random);
    const evaluate = (code: EvalFunction): unknown => {
      try {
        return code.evaluate(new Map(Object.entries(point)));
      } catch {
        return undefined;
      }
    };
    const left = evaluate(lhsCode);
    const right = evaluate(rhsCode);
    const a = toComparable(left);
    const b = toComparable(right);
    if (a === null && b === null) {
      skipped++;
      continue;
    }
    tested++;
    const scale = a && b ? Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im)) : 1;
    const difference = a && b ? Math.hypot(a.re - b.re, a.im - b.im) : Number.POSITIVE_INFINITY;
    // Relative at every scale (a floor here would call 1e-30 equal to 0); near zero only the
    // caller's absoluteTolerance, when given, forgives rounding noise.
    const relativeError = difference === 0 ? 0 : difference / scale;
    if (difference > Math.max(tolerance * scale, absoluteTolerance)) {
      const counterexample: IdentityCounterexample = {
        point,
        lhs: a === null ? 'undefined' : display(left),
        rhs: b === null ? 'undefined' : display(right),
        relativeError,
      };
      return {
        verdict: 'fails',
        lhs,
        rhs,
        symbols,
        pointsTested: tested,
        pointsSkipped: skipped,
        counterexample,
        explanation: `${lhs} ≠ ${rhs}: at ${formatPoint(point)} the left side is ${counterexample.lhs} and the right side ${counterexample.rhs}${Number.isFinite(relativeError) ? ` (relative difference ${relativeError.toPrecision(3)})` : ''}`,
      };
    }
  }
  if (tested === 0) {
    return {
      verdict: 'undecided',
      lhs,
      rhs,
      symbols,
      pointsTested: 0,
      pointsSkipped: skipped,
      explanation: `${lhs} == ${rhs} could not be tested: neither side is defined at any of the ${points} points drawn; give the symbols a domain in assumptions.symbols`,
    };
  }
  return {
    verdict: 'holds',
    lhs,
    rhs,
    symbols,
    pointsTested: tested,
    pointsSkipped: skipped,
    explanation: `${lhs} == ${rhs} at all ${tested} random points tried (relative tolerance ${tolerance})`,
  };
}

function formatPoint(point: Record<string, number>): string {
  const entries = Object.entries(point);
  if (entries.length === 0) return 'every point (no free symbols)';
  return entries.map(([name, value]) => `${name} = ${Number.isInteger(value) ? value : value.toPrecision(6)}`).join(', ');
}
