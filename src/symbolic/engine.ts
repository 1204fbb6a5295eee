/**
 * The engine: a checker (numeric verification of every step) and a cache of independently computed
 * activation moments, passed to every derivation function (no module-level state). A {@link Chain}
 * applies rules to an expression one step at a time and records each checked step.
 */
import type { Activation } from '../vocabulary/activation.js';
import { createNerdamerAlgebra, type Algebra } from './algebra.js';
import { createChecker, symbolsOf, type Checker, type CheckerOptions } from './check.js';
import type { AssumptionFlag, DerivationStep, RuleId } from './derivation.js';
import { children, type Expr } from './expression.js';
import type { RandomModel } from './model.js';
import { independentMoments, type IndependentMoments } from './quadrature.js';
import { printsRounded, toLatex, toText } from './render.js';
import type { RewriteRule } from './rules/index.js';
import { expandSums, meaning } from './semantics.js';

export interface EngineOptions extends CheckerOptions {
  /** Computer algebra for solving conditions (default nerdamer-prime). */
  algebra?: Algebra;
}

export interface Engine {
  readonly checker: Checker;
  readonly algebra: Algebra;
  /** Gaussian moments of `activation` at input variance q, computed independently of the registry. */
  moments(activation: Activation, q: number): IndependentMoments;
  /** Computes a value once per engine (for pure, expensive symbolic work such as derivatives). */
  memo<T>(key: string, compute: () => T): T;
  /** Checks a hand-built step (one that is not a rewrite of an expression tree) and returns it. */
  accept(step: DerivationStep): DerivationStep;
}

/**
 * The default computer algebra, one per process: solving is a pure function of the equation, and the
 * conditions' equations are symbolic in the fans (`n_in*v=1`), so every derivation asks the same few.
 * Sharing its cache across engines keeps nerdamer's ≈100 ms per solve (loaded machine, bench/derive)
 * out of every derivation after the first; each step that uses a solution is still checked numerically
 * by its own engine. An engine given its own `algebra` (tests with a faulty one) does not share it.
 */
let sharedAlgebra: Algebra | undefined;

export function createEngine(options: EngineOptions = {}): Engine {
  const checker = createChecker(options);
  const algebra = options.algebra ?? (sharedAlgebra ??= createNerdamerAlgebra());
  const cache = new Map<string, IndependentMoments>();
  const memos = new Map<string, unknown>();
  return {
    checker,
    algebra,
    moments(activation, q) {
      const id = `${activation.label}|${activation.expression}|${q}`;
      let found = cache.get(id);
      if (!found) {
        found = independentMoments(activation, q);
        cache.set(id, found);
      }
      return found;
    },
    memo<T>(key: string, compute: () => T): T {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    accept(step) {
      if (step.check) checker.assertEqual(step.check, step.rule, step.latex, step.check.at);
      return step;
    },
  };
}

export interface StepOptions {
  /** Overrides the rule's default note. */
  note?: string;
  assumptions?: AssumptionFlag[];
  prediction?: DerivationStep['prediction'];
}

/** Sizes at which summation rules are also checked against an explicit expansion of the sums. */
const EXPANSION_SIZES = [1, 2, 3];

/**
 * A chain of equalities: start from an expression, apply rules; each application becomes a step
 * `before = after`, accepted only when both sides agree numerically in the model.
 */
export class Chain {
  readonly steps: DerivationStep[] = [];
  #current: Expr;

  constructor(
    private readonly engine: Engine,
    readonly model: RandomModel,
    start: Expr,
  ) {
    this.#current = start;
  }

  get current(): Expr {
    return this.#current;
  }

  /** Applies a rewrite rule to the current expression. */
  apply(rule: RewriteRule, options: StepOptions = {}): this {
    return this.claim(rule.id, rule.apply(this.#current, this.model), { note: rule.note, ...options });
  }

  /** Records `current = next` under `rule`, after checking it. */
  claim(rule: RuleId, next: Expr, options: StepOptions & { note: string }): this {
    const before = this.#current;
    const relation = printsRounded(next) ? '\\approx' : '=';
    const latex = `${toLatex(before, this.model)} ${relation} ${toLatex(next, this.model)}`;
    const lhs = meaning(before, this.model);
    const rhs = meaning(next, this.model);
    const check = { lhs, rhs, symbols: this.engine.memo(`symbols:${lhs}=${rhs}`, () => symbolsOf(lhs, rhs)) };
    this.engine.checker.assertEqual(check, rule, latex);
    if (rule === 'iidSum' || rule === 'varianceOfSum') this.checkExpansions(rule, before, next, latex);
    const step: DerivationStep = {
      rule,
      latex,
      text: `${toText(before, this.model)} ${relation === '=' ? '=' : '≈'} ${toText(next, this.model)}`,
      note: options.note,
      check,
    };
    if (options.prediction) step.prediction = options.prediction;
    if (options.assumptions && options.assumptions.length > 0) step.assumptions = options.assumptions;
    this.steps.push(step);
    this.#current = next;
    return this;
  }

  /** A summation rule must also hold for explicitly written-out sums of 1, 2, 3 terms. */
  private checkExpansions(rule: RuleId, before: Expr, after: Expr, latex: string): void {
    const ranges = new Set<string>();
    const walk = (e: Expr): void => {
      if (e.kind === 'sum') ranges.add(e.range);
      children(e).forEach(walk);
    };
    walk(before);
    for (const range of ranges) {
      for (const n of EXPANSION_SIZES) {
        const left = expandSums(before, range, n);
        const right = expandSums(after, range, n);
        const lhs = meaning(left.expr, this.model, left.ranges);
        const rhs = meaning(right.expr, this.model, right.ranges);
        const symbols = this.engine.memo(`symbols:${lhs}=${rhs}`, () => symbolsOf(lhs, rhs));
        this.engine.checker.assertEqual({ lhs, rhs, symbols }, rule, `${latex} (written out with ${range} = ${n})`, { [range]: n });
      }
    }
  }
}
