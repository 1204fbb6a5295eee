/** Shared helpers for the symbolic tests: a KaTeX renderer in strict mode and an independent re-check. */
import katex from 'katex';
import { createChecker } from '../../src/symbolic/check.js';
import { createRandom } from '../../src/math/random.js';
import type { Derivation, DerivationStep } from '../../src/symbolic/derivation.js';

/** Renders like reports will: throwOnError and strict 'error' (any non-standard input throws). */
export function renderStrict(latex: string): string {
  return katex.renderToString(latex, { throwOnError: true, strict: 'error', displayMode: true });
}

/** A checker with a different seed from the engine's: re-verifies recorded checks at fresh points. */
const fresh = createRandom(987654321);
const recheck = createChecker({ points: 3, uniform: () => fresh.uniform() });

export function recheckStep(step: DerivationStep): void {
  if (step.check) recheck.assertEqual(step.check, step.rule, step.latex, step.check.at);
}

export function allSteps(d: Derivation): DerivationStep[] {
  return d.sections.flatMap((s) => s.steps);
}
