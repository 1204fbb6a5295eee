/**
 * The numeric check every step passes before it is accepted: both sides, as mathjs expressions,
 * are evaluated at several random positive values of their symbols and must agree to a relative
 * 1e-9. A wrong rule or a wrong simplification from the algebra library throws
 * {@link DerivationCheckError} instead of being printed.
 */
import type { EvalFunction, MathNode } from 'mathjs';
// Loaded on first use (see src/math/lazyMathjs.ts).
import { compile, parse } from '../math/lazyMathjs.js';
import { createRandom } from '../math/random.js';
import type { RuleId } from './derivation.js';

/** Relative agreement required between the two sides. */
export const CHECK_RELATIVE_TOLERANCE = 1e-9;
/** Absolute floor, for sides that should vanish and come out as rounding noise. */
const CHECK_ABSOLUTE_FLOOR = 1e-13;
/** mathjs names that are constants or functions, never free symbols. */
const CONSTANTS = new Set(['pi', 'e', 'E', 'PI', 'Infinity', 'NaN', 'true', 'false', 'phi', 'tau', 'LN2', 'LN10', 'SQRT2']);

export interface EqualityCheck {
  lhs: string;
  rhs: string;
  symbols: string[];
}

/** A step whose two sides disagree numerically: names the step, the rule, and where it failed. */
export class DerivationCheckError extends Error {
  override readonly name = 'DerivationCheckError';
  constructor(
    readonly rule: RuleId,
    /** LaTeX (or description) of the offending step. */
    readonly step: string,
    readonly check: EqualityCheck,
    readonly at: Readonly<Record<string, number>>,
    readonly lhsValue: number,
    readonly rhsValue: number,
  ) {
    super(
      `derivation step rejected (rule ${rule}): ${step}\n  lhs ${check.lhs} = ${lhsValue}\n  rhs ${check.rhs} = ${rhsValue}\n  at ${JSON.stringify(at)}`,
    );
  }
}

export interface CheckerOptions {
  /** Uniform [0, 1) source for the sample points; default a fixed-seed generator (reproducible). */
  uniform?: () => number;
  /** Number of random points per check (default 5). */
  points?: number;
}

export interface Checker {
  /**
   * Throws {@link DerivationCheckError} unless lhs = rhs at random positive values of the symbols.
   * `fixed` pins some symbols (e.g. n_in = 3 for an explicit expansion).
   */
  assertEqual(check: EqualityCheck, rule: RuleId, step: string, fixed?: Readonly<Record<string, number>>): void;
}

/** The free symbols of mathjs expressions (function names and constants excluded), sorted. */
export function symbolsOf(...expressions: string[]): string[] {
  const names = new Set<string>();
  for (const expression of expressions) {
    parse(expression).traverse((node: MathNode, _path: string, parent: MathNode | null) => {
      if (node.type !== 'SymbolNode') return;
      const name = (node as unknown as { name: string }).name;
      const isFunctionName = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
      if (!isFunctionName && !CONSTANTS.has(name)) names.add(name);
    });
  }
  return [...names].sort();
}

export function createChecker(options: CheckerOptions = {}): Checker {
  // Seeded, so checks are reproducible without a global RNG.
  const random = createRandom(20100513);
  const uniform = options.uniform ?? (() => random.uniform());
  const points = options.points ?? 5;
  // Derivations repeat the same symbolic steps for every fan, so compiled expressions are reused.
  const compiled = new Map<string, EvalFunction>();
  const compileOnce = (expression: string): EvalFunction => {
    let found = compiled.get(expression);
    if (!found) {
      found = compile(expression);
      compiled.set(expression, found);
    }
    return found;
  };
  return {
    assertEqual(check, rule, step, fixed = {}) {
      const lhs = compileOnce(check.lhs);
      const rhs = compileOnce(check.rhs);
      const free = check.symbols.filter((s) => !(s in fixed));
      for (let point = 0; point < points; point++) {
        const scope: Record<string, number> = { ...fixed };
        // Positive values away from 0 and 1, where coincidental agreement is least likely.
        for (const symbol of free) scope[symbol] = 0.3 + 2.7 * uniform();
        const left = Number(lhs.evaluate({ ...scope }));
        const right = Number(rhs.evaluate({ ...scope }));
        const scale = Math.max(Math.abs(left), Math.abs(right));
        const agree = Number.isFinite(left) && Number.isFinite(right) && Math.abs(left - right) <= CHECK_RELATIVE_TOLERANCE * scale + CHECK_ABSOLUTE_FLOOR;
        if (!agree) throw new DerivationCheckError(rule, step, check, scope, left, right);
      }
    },
  };
}
