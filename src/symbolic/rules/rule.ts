/**
 * What a rewrite rule is: a named, reusable step from one expression to an equal one, valid under
 * the model's stated assumptions. The engine checks every application numerically, so a rule only
 * has to be right, not trusted.
 */
import type { RuleId } from '../derivation.js';
import type { Expr } from '../expression.js';
import type { RandomModel } from '../model.js';

export interface RewriteRule {
  readonly id: RuleId;
  /** English name, e.g. `linearity of expectation` (report catalogues translate by id). */
  readonly name: string;
  /** Default one-sentence justification for a step made with this rule. */
  readonly note: string;
  /** Rewrites every place the rule applies; throws {@link RuleNotApplicableError} when none does. */
  apply(e: Expr, model: RandomModel): Expr;
}

/** A rule was asked to rewrite an expression it does not apply to (a bug in the derivation). */
export class RuleNotApplicableError extends Error {
  override readonly name = 'RuleNotApplicableError';
  constructor(readonly rule: RuleId, detail: string) {
    super(`rule ${rule} does not apply: ${detail}`);
  }
}

/** Runs a top-down rewrite and fails loudly when it changed nothing. */
export function rewriteOrFail(rule: RuleId, e: Expr, rewritten: Expr, key: (e: Expr) => string): Expr {
  if (key(rewritten) === key(e)) throw new RuleNotApplicableError(rule, 'nothing to rewrite');
  return rewritten;
}
