/**
 * Registers the variance matchers with vitest's `expect` when the code runs inside vitest. vitest is
 * an optional peer of `varprop/testing` only: it is imported lazily, so the library (and this
 * module outside a test runner) never needs it at runtime.
 *
 * The matchers are asynchronous. A matcher that is not awaited (`test('x', () => { expect(net)
 * .toPreserveForwardVariance() })`) would otherwise pass silently: the test body returns before the
 * Monte Carlo run decides, and vitest 4 only warns. So every matcher run is tracked, and an
 * `afterEach` hook fails the test when one is still running after the test body returned.
 */
import { depthBandMatchers } from './depthBand.js';
import { fluctuationMatchers } from './fluctuations.js';
import { jacobianMatchers } from './jacobian.js';
import { varianceMatchers, type MatcherResult } from './matchers.js';
import { signalMatchers } from './signal.js';

/** True inside a vitest worker (vitest sets `VITEST` in the environment of its workers). */
export function insideVitest(): boolean {
  return typeof process !== 'undefined' && Boolean(process.env?.VITEST);
}

type MatcherTable = Record<string, (this: unknown, ...args: never[]) => Promise<MatcherResult>>;

/** Matchers that record their runs, and the check that fails on runs still pending. */
export interface TrackedMatchers<M = typeof varianceMatchers> {
  matchers: M;
  /** Throws (after letting them finish) when matcher runs are still pending: they were not awaited. */
  assertAllAwaited(): Promise<void>;
}

/** Wraps `matchers` so that each run is recorded until it settles (no module-level state: one tracker per registration). */
export function trackMatcherRuns<M extends object = typeof varianceMatchers>(matchers: M = varianceMatchers as M): TrackedMatchers<M> {
  const pending = new Map<Promise<MatcherResult>, string>();
  const wrapped: MatcherTable = {};
  for (const [name, matcher] of Object.entries(matchers as unknown as MatcherTable)) {
    wrapped[name] = function (this: unknown, ...args: never[]) {
      const run = matcher.apply(this, args);
      pending.set(run, name);
      const settle = () => void pending.delete(run);
      run.then(settle, settle);
      return run;
    };
  }
  return {
    matchers: wrapped as unknown as M,
    async assertAllAwaited() {
      if (pending.size === 0) return;
      const names = [...new Set(pending.values())];
      const runs = [...pending.keys()];
      pending.clear();
      await Promise.allSettled(runs);
      throw new Error(
        `${names.map((n) => `.${n}()`).join(', ')} was not awaited: the test ended before the Monte Carlo check decided, ` +
          `so it could not fail. Write \`await expect(spec).${names[0]}()\` inside an async test.`,
      );
    },
  };
}

/**
 * `expect.extend(...)` on vitest's `expect`, with the not-awaited check as an `afterEach` hook.
 * Returns false (and does nothing) outside vitest or when vitest cannot be imported; jest users call
 * `expect.extend(varianceMatchers)`.
 */
export async function registerVitestMatchers(): Promise<boolean> {
  if (!insideVitest()) return false;
  let vitest: { expect?: { extend(matchers: object): void }; afterEach?: (hook: () => Promise<void>) => void };
  try {
    // A variable specifier keeps bundlers and the type checker from treating vitest as a hard dependency.
    const specifier = 'vitest';
    vitest = (await import(specifier)) as typeof vitest;
  } catch {
    return false;
  }
  if (!vitest.expect || typeof vitest.expect.extend !== 'function') return false;
  const tracked = trackMatcherRuns({ ...varianceMatchers, ...jacobianMatchers, ...signalMatchers, ...fluctuationMatchers, ...depthBandMatchers });
  vitest.expect.extend(tracked.matchers);
  vitest.afterEach?.(() => tracked.assertAllAwaited());
  return true;
}
