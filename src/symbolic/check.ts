/**
 * The numeric check every step passes before it is accepted: both sides, as mathjs expressions,
 * are evaluated at several random positive values of their symbols and must agree to a relative
 * 1e-9 at every scale ({@link checkIdentity} at a few points). A wrong rule or a wrong simplification from the
 * algebra library throws {@link DerivationCheckError} instead of being printed.
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { parse } from '../math/lazyMathjs.js';
import { createRandom } from '../math/random.js';
import type { RuleId } from './derivation.js';
import { checkIdentity, freeSymbols, type SymbolDomain } from './identity.js';

/**
 * Relative agreement required between the two sides. There is no absolute floor: a step's sides
 * scale with the user's constants (σ² = 1e-20/n_in for an activation 1e10·x), and a floor of
 * 1e-13 accepted σ² = 0/n_in there. Sides that are both exactly 0 agree.
 */
export const CHECK_RELATIVE_TOLERANCE = 1e-9;

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
  return [...new Set(expressions.flatMap((expression) => freeSymbols(parse(expression))))].sort();
}

/** Positive values away from 0 and 1, where coincidental agreement is least likely. */
const CHECK_DOMAIN: SymbolDomain = [0.3, 3];

export function createChecker(options: CheckerOptions = {}): Checker {
  // Seeded, so checks are reproducible without a global RNG.
  const random = createRandom(20100513);
  const uniform = options.uniform ?? (() => random.uniform());
  const points = options.points ?? 5;
  return {
    assertEqual(check, rule, step, fixed = {}) {
      const symbols: Record<string, SymbolDomain> = { ...fixed };
      for (const symbol of check.symbols) if (!(symbol in fixed)) symbols[symbol] = CHECK_DOMAIN;
      const result = checkIdentity(check.lhs, check.rhs, {
        symbols,
        points,
        random: { uniform },
        tolerance: CHECK_RELATIVE_TOLERANCE,
      });
      if (result.verdict !== 'holds') {
        const at = result.counterexample?.point ?? { ...fixed };
        throw new DerivationCheckError(rule, step, check, at, Number(result.counterexample?.lhs), Number(result.counterexample?.rhs));
      }
    },
  };
}
