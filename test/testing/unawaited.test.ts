/**
 * An async matcher that is not awaited must not pass silently: `import 'varprop/testing'` tracks
 * matcher runs and fails the test (afterEach) when one is still pending after the body returned.
 */
import { describe, expect, it } from 'vitest';
import type { MatcherResult } from '../../src/testing/matchers.js';
import { trackMatcherRuns } from '../../src/testing/register.js';
import type { varianceMatchers } from '../../src/testing/matchers.js';

/** Matchers that decide after `ms` of event-loop turns (no wall clock: a chain of resolved promises). */
function slowMatchers(pass: boolean): typeof varianceMatchers {
  const decide = async (): Promise<MatcherResult> => {
    for (let i = 0; i < 50; i++) await Promise.resolve();
    return { pass, message: () => (pass ? 'passed' : 'failed') };
  };
  return { toPreserveForwardVariance: decide, toPreserveBackwardVariance: decide, toMatchVariance: decide } as unknown as typeof varianceMatchers;
}

describe('not-awaited matchers fail loudly', () => {
  it('a run still pending when the test body returns is reported by name', async () => {
    const tracked = trackMatcherRuns(slowMatchers(true));
    void tracked.matchers.toPreserveForwardVariance.call({}, {});
    await expect(tracked.assertAllAwaited()).rejects.toThrow(/\.toPreserveForwardVariance\(\) was not awaited.*await expect\(spec\)\.toPreserveForwardVariance\(\)/);
    // Reported once: the tracker is clear afterwards.
    await expect(tracked.assertAllAwaited()).resolves.toBeUndefined();
  });

  it('an awaited run, passing or failing, is not reported', async () => {
    for (const pass of [true, false]) {
      const tracked = trackMatcherRuns(slowMatchers(pass));
      const result = await tracked.matchers.toMatchVariance.call({}, {}, '2*gamma2');
      expect(result.pass).toBe(pass);
      await expect(tracked.assertAllAwaited()).resolves.toBeUndefined();
    }
  });

  it('import "varprop/testing" registers the tracked matchers and the hook inside vitest', async () => {
    const { matchersRegistered } = await import('../../src/testing/index.js');
    expect(matchersRegistered).toBe(true);
  });
});
