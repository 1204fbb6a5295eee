/**
 * Registers the variance matchers with vitest's `expect` when the code runs inside vitest. vitest is
 * an optional peer of `varprop/testing` only: it is imported lazily, so the library (and this
 * module outside a test runner) never needs it at runtime.
 */
import { varianceMatchers } from './matchers.js';

/** True inside a vitest worker (vitest sets `VITEST` in the environment of its workers). */
export function insideVitest(): boolean {
  return typeof process !== 'undefined' && Boolean(process.env?.VITEST);
}

/**
 * `expect.extend(varianceMatchers)` on vitest's `expect`. Returns false (and does nothing) outside
 * vitest or when vitest cannot be imported; jest users call `expect.extend(varianceMatchers)`.
 */
export async function registerVitestMatchers(): Promise<boolean> {
  if (!insideVitest()) return false;
  let vitest: { expect?: { extend(matchers: object): void } };
  try {
    // A variable specifier keeps bundlers and the type checker from treating vitest as a hard dependency.
    const specifier = 'vitest';
    vitest = (await import(specifier)) as typeof vitest;
  } catch {
    return false;
  }
  if (!vitest.expect || typeof vitest.expect.extend !== 'function') return false;
  vitest.expect.extend(varianceMatchers);
  return true;
}
