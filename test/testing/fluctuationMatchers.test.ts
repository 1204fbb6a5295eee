/**
 * toMatchFluctuations (src/testing/fluctuations.ts) through vitest's expect, as a user's suite
 * calls it: the theory's prediction holds on a narrow relu network, a deliberately wrong claim
 * (κ instead of κ − 1 per relu) is rejected, and the failure message names the site.
 */
import { describe, expect, it } from 'vitest';
import '../../src/testing/index.js';
import { fluctuationMatchers } from '../../src/testing/fluctuations.js';
import type { SiteFluctuation } from '../../src/theory/fluctuations.js';

const spec = { widths: [10, 10, 10, 10], activation: 'relu', init: 'he_normal' };

/** The wrong factor 1 + κ/n (κ = 6) in place of 1 + (κ − 1)/n at every relu up to the site. */
function wrongClaim(): (site: SiteFluctuation) => number {
  let extra = 1;
  return (site) => {
    if (site.kind === 'activation') extra *= (1 + 6 / site.units) / (1 + 5 / site.units);
    return site.secondMomentRatio * extra;
  };
}

describe('toMatchFluctuations', () => {
  it('holds for the exact relu product and rejects κ instead of κ − 1', async () => {
    await expect(spec).toMatchFluctuations();
    await expect(spec).not.toMatchFluctuations({ expected: wrongClaim() });
  });

  it('names the failing site, the interval and the claim', async () => {
    const result = await fluctuationMatchers.toMatchFluctuations.call({ isNot: false }, spec, { expected: wrongClaim() });
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/Received: E\[M²\]\/E\[M\]² at 1 \(activation, n = 10\): measured [\d.]+, interval \[[\d.]+, [\d.]+\], claimed 1\.92 \(exact\): fails/);
  });
});
