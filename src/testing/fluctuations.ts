/**
 * `toMatchFluctuations`: asserts that per-network fluctuations of a network match theory. At every
 * site, E[M²]/E[M]² (M = ‖y‖²/n across independently sampled networks) is measured by
 * src/numeric/fluctuations.ts and decided against src/theory/fluctuations.ts (exact sites strictly,
 * leading-order ones within a tolerance) or against your own claim.
 *
 * @example
 * ```ts
 * import 'varprop/testing';
 * await expect({ widths: [10, 10, 10], activation: 'relu', init: 'he_normal' }).toMatchFluctuations();
 * // Your own formula per site: Hanin's relu factor 1 + 5/n after each relu.
 * await expect(spec).toMatchFluctuations({ expected: (site) => mySecondMomentRatio(site) });
 * ```
 */
import { InputError } from '../errors.js';
import { DEFAULT_FLUCTUATION_NETS, decideFluctuations, sampleFluctuations, type FluctuationReport } from '../numeric/fluctuations.js';
import { predictFluctuations, type SiteFluctuation } from '../theory/fluctuations.js';
import { resolveNetwork } from '../vocabulary/network.js';
import type { MatcherContextLike, MatcherResult } from './matchers.js';

export interface MatchFluctuationsOptions {
  /** Networks sampled (default 4000: the interval holds its level from about there). */
  nets?: number;
  seed?: number;
  /** Family level over the sites (default 0.99). */
  level?: number;
  /** Band of leading-order predictions (default 0.05). */
  tolerance?: number;
  /** A claim of your own per site, instead of the theory's prediction (tested strictly). */
  expected?: (site: SiteFluctuation) => number;
}

function describeSite(site: FluctuationReport['sites'][number]): string {
  const r = site.secondMomentRatio;
  const round = (x: number) => Number(x.toPrecision(4));
  return `E[M²]/E[M]² at ${site.path} (${site.kind}, n = ${site.units}): measured ${round(r.estimate)}, interval [${round(r.ciLow)}, ${round(r.ciHigh)}], claimed ${round(r.predicted)} (${site.label === 'exact' ? 'exact' : `leading order ±${round(site.tolerance * 100)}%`}): ${site.verdict}`;
}

/** Runs the fluctuation check of `spec` (a network description) and its verdict. */
export function checkFluctuationClaim(spec: unknown, options: MatchFluctuationsOptions = {}): FluctuationReport {
  if (options.expected !== undefined && typeof options.expected !== 'function') throw new InputError('expected', options.expected, 'a function (site) => E[M²]/E[M]²');
  const network = resolveNetwork(spec);
  const prediction = predictFluctuations(network);
  const settings = { nets: options.nets ?? DEFAULT_FLUCTUATION_NETS, seed: options.seed ?? 1, level: options.level, tolerance: options.tolerance };
  const sample = sampleFluctuations(network, settings);
  if (!options.expected) return decideFluctuations(sample, prediction, settings);
  const claim = options.expected;
  const claimed = new Map(prediction.sites.map((site) => [site.path, claim(site)]));
  // A claim of one's own is tested strictly: every site as exact.
  const strict = { ...prediction, sites: prediction.sites.map((site) => ({ ...site, state: { ...site.state, label: 'exact' as const } })) };
  return decideFluctuations(sample, strict, settings, (path) => claimed.get(path)!);
}

export const fluctuationMatchers = {
  /**
   * Passes when no site's E[M²]/E[M]² is shown to differ from the prediction (or `expected`); with
   * `.not`, when some site is. A correct exact prediction fails with probability about 1 − level.
   */
  async toMatchFluctuations(this: MatcherContextLike, spec: unknown, options?: MatchFluctuationsOptions): Promise<MatcherResult> {
    const report = checkFluctuationClaim(spec, options);
    const failing = report.sites.filter((site) => site.verdict === 'fails');
    const shown = failing.length > 0 ? failing : report.sites.slice(-1);
    const message = () =>
      [
        `expect(spec)${this.isNot ? '.not' : ''}.toMatchFluctuations(...)`,
        '',
        `Expected: ${this.isNot ? 'some site to differ from' : 'every site to agree with'} ${options?.expected ? 'the claimed' : 'the predicted'} E[M²]/E[M]² (family level ${report.level}, ${report.nets} networks)`,
        ...shown.map((site) => `Received: ${describeSite(site)}`),
      ].join('\n');
    // `.not` inverts: it passes when some site fails.
    return { pass: report.pass, message, actual: report };
  },
};

/** The matcher's signature on `expect(...)`. */
export interface FluctuationMatchers<R = unknown> {
  /** Asserts that E[M²]/E[M]² at every site agrees with theory (or `options.expected`). */
  toMatchFluctuations(options?: MatchFluctuationsOptions): Promise<R>;
}
