/**
 * `toBeNearIsometric`: a network's input–output Jacobian is near-isometric when its squared singular
 * values all sit near one — their mean within ±τ of 1 and their spread Var[λ]/m₁² below τ
 * (Pennington, Schoenholz & Ganguli 2017). Measured by src/numeric/jacobian.ts on replicate networks,
 * with intervals from the one decision procedure (Bonferroni over the two quantities).
 *
 * @example
 * ```ts
 * import 'varprop/testing';
 * await expect({ widths: [64, 64, 64, 64], activation: 'identity', init: 'orthogonal' }).toBeNearIsometric();
 * await expect({ widths: [64, 64, 64, 64], activation: 'relu', init: 'he_normal' }).not.toBeNearIsometric();
 * ```
 */
import { bandVerdict, simultaneousLevel, type Verdict } from '../numeric/decision.js';
import { JACOBIAN_DEFAULTS, measureJacobianSpectrum } from '../numeric/jacobian.js';
import { secondMomentInterval } from '../math/statistics.js';
import { resolveNetwork, type NetworkSpec } from '../vocabulary/network.js';
import type { MatcherContextLike, MatcherResult } from './matchers.js';

export interface IsometryOptions {
  /** τ: the mean must lie within [1 − τ, 1 + τ] and Var[λ]/m₁² below τ (default 0.1). */
  tolerance?: number;
  /** Replicate networks (default 20). */
  nets?: number;
  inputsPerNet?: number;
  seed?: number;
  /** Family level over both quantities (default 0.99). */
  level?: number;
}

export interface IsometryResult {
  verdict: Verdict;
  tolerance: number;
  intervalLevel: number;
  /** m₁ = tr(JᵀJ)/n_0: mean over networks and its interval. */
  mean: { estimate: number; ciLow: number; ciHigh: number; verdict: Verdict };
  /** Var[λ]/m₁² per network: mean and interval. */
  spread: { estimate: number; ciLow: number; ciHigh: number; verdict: Verdict };
}

/** Measures and decides near-isometry of `spec`'s Jacobian. */
export function checkNearIsometry(spec: NetworkSpec, options: IsometryOptions = {}): IsometryResult {
  const tolerance = options.tolerance ?? 0.1;
  const level = options.level ?? JACOBIAN_DEFAULTS.level;
  const intervalLevel = simultaneousLevel(level, 1, 2);
  const measurement = measureJacobianSpectrum(resolveNetwork(spec), {
    nets: options.nets ?? JACOBIAN_DEFAULTS.nets,
    inputsPerNet: options.inputsPerNet ?? JACOBIAN_DEFAULTS.inputs,
    seed: options.seed ?? JACOBIAN_DEFAULTS.seed,
    keepSpectra: 0,
  });
  const means = measurement.replicates.map((r) => r.meanSquaredSingularValue);
  const spreads = measurement.replicates.map((r) => r.varianceSquaredSingularValue / r.meanSquaredSingularValue ** 2);
  const meanInterval = secondMomentInterval(means, intervalLevel, 1);
  const spreadInterval = secondMomentInterval(spreads, intervalLevel, tolerance);
  const mean = { estimate: meanInterval.estimate, ciLow: meanInterval.ciLow, ciHigh: meanInterval.ciHigh, verdict: bandVerdict(meanInterval.ciLow, meanInterval.ciHigh, tolerance) };
  // A one-sided claim, spread ≤ τ: holds when the whole interval is below τ, fails when all of it is above.
  const spreadVerdict: Verdict = spreadInterval.ciHigh <= tolerance ? 'holds' : spreadInterval.ciLow > tolerance ? 'fails' : 'undecided';
  const spread = { estimate: spreadInterval.estimate, ciLow: spreadInterval.ciLow, ciHigh: spreadInterval.ciHigh, verdict: spreadVerdict };
  const verdict: Verdict = mean.verdict === 'fails' || spread.verdict === 'fails' ? 'fails' : mean.verdict === 'holds' && spread.verdict === 'holds' ? 'holds' : 'undecided';
  return { verdict, tolerance, intervalLevel, mean, spread };
}

const show = (x: number) => Number(x.toPrecision(4)).toString();

export const jacobianMatchers = {
  /** Passes when the Jacobian's squared singular values have mean within 1 ± τ and Var[λ]/m₁² below τ. */
  async toBeNearIsometric(this: MatcherContextLike, spec: unknown, options?: IsometryOptions): Promise<MatcherResult> {
    const result = checkNearIsometry(spec as NetworkSpec, options);
    // As the variance matchers: `.not` asserts a decided failure; undecided satisfies neither form.
    const pass = this.isNot ? result.verdict !== 'fails' : result.verdict === 'holds';
    const message = () =>
      [
        `expect(spec)${this.isNot ? '.not' : ''}.toBeNearIsometric()`,
        '',
        `Expected: ${this.isNot ? 'NOT ' : ''}squared singular values with mean in [${show(1 - result.tolerance)}, ${show(1 + result.tolerance)}] and Var[λ]/m₁² ≤ ${show(result.tolerance)}`,
        `Received: mean ${show(result.mean.estimate)} [${show(result.mean.ciLow)}, ${show(result.mean.ciHigh)}] (${result.mean.verdict}), Var[λ]/m₁² ${show(result.spread.estimate)} [${show(result.spread.ciLow)}, ${show(result.spread.ciHigh)}] (${result.spread.verdict}), intervals at ${show(result.intervalLevel * 100)}%`,
        ...(result.verdict === 'undecided' ? ['', 'The check was UNDECIDED, which fails the assertion rather than guessing.'] : []),
      ].join('\n');
    return { pass, message, actual: result };
  },
};

export interface JacobianMatchers<R = unknown> {
  /** Asserts the input–output Jacobian is near-isometric: mean squared singular value within 1 ± τ, Var[λ]/m₁² ≤ τ. */
  toBeNearIsometric(options?: IsometryOptions): Promise<R>;
}
