/** Shared helpers for the symbolic tests: a KaTeX renderer in strict mode and an independent re-check. */
import katex from 'katex';
import { createChecker } from '../../src/symbolic/check.js';
import type { Derivation, DerivationStep } from '../../src/symbolic/derivation.js';

/** Renders like reports will: throwOnError and strict 'error' (any non-standard input throws). */
export function renderStrict(latex: string): string {
  return katex.renderToString(latex, { throwOnError: true, strict: 'error', displayMode: true });
}

/** A checker with a different seed from the engine's: re-verifies recorded checks at fresh points. */
const recheck = createChecker({ points: 3, uniform: mulberry(987654321) });

function mulberry(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function recheckStep(step: DerivationStep): void {
  if (step.check) recheck.assertEqual(step.check, step.rule, step.latex, step.check.at);
}

export function allSteps(d: Derivation): DerivationStep[] {
  return d.sections.flatMap((s) => s.steps);
}
