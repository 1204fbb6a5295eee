/**
 * Assertion matchers over {@link checkVariance}, written against the jest/vitest `expect.extend`
 * protocol (no import of vitest here: registration lives in register.ts).
 *
 * @example
 * ```ts
 * import 'varprop/testing';
 * await expect({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' }).toPreserveForwardVariance();
 * ```
 */
import type { ClaimFunction, VarianceClaim } from './claims.js';
import { describeRow, formatNumber } from './explain.js';
import { checkVariance, type CheckVarianceOptions, type VarianceCheckResult } from './variance.js';

/** Options of `toMatchVariance`: the check options, and which pass a bare expression is about. */
export interface MatchVarianceOptions extends CheckVarianceOptions {
  /** A bare expression claims E[h_l²] (`forward`, default) or E[d_{l−1}²] (`backward`). */
  pass?: 'forward' | 'backward';
}

/** What a matcher returns to `expect.extend`. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/** The part of the matcher context (`this`) these matchers read; jest and vitest both provide it. */
export interface MatcherContextLike {
  isNot?: boolean;
  utils?: { matcherHint?: (name: string, received?: string, expected?: string, options?: object) => string };
}

function specSummary(spec: unknown): string {
  try {
    const text = JSON.stringify(spec);
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
  } catch {
    return String(spec);
  }
}

/** The failure message: hint line, expected claim, received measurement, why, and the spec. */
export function formatMatcherMessage(
  context: MatcherContextLike,
  matcherName: string,
  expectedText: string,
  spec: unknown,
  result: VarianceCheckResult,
): string {
  const hint = context.utils?.matcherHint
    ? context.utils.matcherHint(`${context.isNot ? '.not' : ''}.${matcherName}`, 'spec', matcherName === 'toMatchVariance' ? 'expression' : '', { isNot: context.isNot })
    : `expect(spec)${context.isNot ? '.not' : ''}.${matcherName}(...)`;
  const levelPercent = `${Number((result.intervalLevel * 100).toPrecision(4))}%`;
  const singleLayer = typeof spec === 'object' && spec !== null && 'fanIn' in spec;
  const lines = [hint, ''];
  lines.push(`Expected: ${context.isNot ? 'NOT ' : ''}${expectedText} (within ±${formatNumber(result.tolerance * 100)}%, level ${result.level})`);
  if (result.breakdown) {
    lines.push(`Received: ${result.breakdown.kind} at layer ${result.breakdown.layer} (${result.breakdown.pass} pass)`);
  } else {
    // The row that decided the verdict: the largest deviation among those with the overall verdict.
    const deviation = (ratio: number) => Math.abs(Math.log(Math.abs(ratio) || Number.MIN_VALUE));
    const candidates = result.layers.filter((row) => row.verdict === result.verdict);
    const decisive = [...(candidates.length > 0 ? candidates : result.layers)].sort((a, b) => deviation(b.ratio) - deviation(a.ratio))[0];
    if (decisive) lines.push(`Received: ${describeRow(decisive, levelPercent, singleLayer)}`);
  }
  lines.push('');
  if (result.verdict === 'undecided') lines.push('The check was UNDECIDED, which fails the assertion rather than guessing.');
  if (context.isNot && result.verdict === 'holds') lines.push('The claim HOLDS, but the assertion expected it not to.');
  // The explanation's own detail line repeats "Received"; keep its verdict and its sample line.
  const explanation = result.explanation.split('\n');
  lines.push(explanation[0]);
  if (explanation.length > 1) lines.push(explanation[explanation.length - 1].trim());
  lines.push('', `Spec: ${specSummary(spec)}`);
  return lines.join('\n');
}

async function runMatcher(
  context: MatcherContextLike,
  matcherName: string,
  expectedText: string,
  spec: unknown,
  claim: VarianceClaim,
  options: CheckVarianceOptions | undefined,
): Promise<MatcherResult> {
  const result = await checkVariance(spec as never, claim, options);
  // `.not` asserts a decided failure; an undecided run satisfies neither form of the assertion.
  const pass = context.isNot ? result.verdict !== 'fails' : result.verdict === 'holds';
  return { pass, message: () => formatMatcherMessage(context, matcherName, expectedText, spec, result), actual: result };
}

function splitMatchOptions(options: MatchVarianceOptions | undefined): [CheckVarianceOptions | undefined, 'forward' | 'backward'] {
  if (!options || typeof options !== 'object') return [options, 'forward'];
  const { pass, ...rest } = options;
  return [rest, pass ?? 'forward'];
}

/**
 * The matchers, ready for `expect.extend(varianceMatchers)` (jest, or vitest without the
 * side-effect import). All are async: `await expect(spec).toPreserveForwardVariance()`.
 */
export const varianceMatchers = {
  /** Passes when E[h_l²] = E[h_{l−1}²] at every layer within the tolerance (see checkVariance). */
  toPreserveForwardVariance(this: MatcherContextLike, spec: unknown, options?: CheckVarianceOptions): Promise<MatcherResult> {
    return runMatcher(this, 'toPreserveForwardVariance', 'E[h_l²] = E[h_{l−1}²] at every layer (forward variance preserved)', spec, 'forward-preserved', options);
  },
  /** Passes when E[d_{l−1}²] = E[d_l²] at every layer within the tolerance. */
  toPreserveBackwardVariance(this: MatcherContextLike, spec: unknown, options?: CheckVarianceOptions): Promise<MatcherResult> {
    return runMatcher(this, 'toPreserveBackwardVariance', 'E[d_{l−1}²] = E[d_l²] at every layer (backward variance preserved)', spec, 'backward-preserved', options);
  },
  /**
   * Passes when the measured second moment matches `expression` (mathjs, in n_in, n_out, sigma2,
   * sigma, sigma_b2, l, L, gamma2, q_prev, d_next) at every layer; also takes `{ forward, backward }`
   * or a claim function.
   */
  toMatchVariance(
    this: MatcherContextLike,
    spec: unknown,
    expression: string | { forward?: string; backward?: string } | ClaimFunction,
    options?: MatchVarianceOptions,
  ): Promise<MatcherResult> {
    const [checkOptions, pass] = splitMatchOptions(options);
    const claim: VarianceClaim = typeof expression === 'string' ? { [pass]: expression } : expression;
    const expectedText =
      typeof expression === 'string'
        ? `${pass === 'forward' ? 'E[h_l²]' : 'E[d_{l−1}²]'} = ${expression} at every layer`
        : typeof expression === 'function'
          ? `the custom claim ${expression.name || '(anonymous function)'}`
          : [expression?.forward && `E[h_l²] = ${expression.forward}`, expression?.backward && `E[d_{l−1}²] = ${expression.backward}`].filter(Boolean).join(' and ');
    return runMatcher(this, 'toMatchVariance', expectedText, spec, claim, checkOptions);
  },
};

/** The matcher signatures as they appear on `expect(...)`. */
export interface VarianceMatchers<R = unknown> {
  /** Asserts forward variance is preserved: E[h_l²] = E[h_{l−1}²] at every layer, within tolerance. */
  toPreserveForwardVariance(options?: CheckVarianceOptions): Promise<R>;
  /** Asserts backward variance is preserved: E[d_{l−1}²] = E[d_l²] at every layer, within tolerance. */
  toPreserveBackwardVariance(options?: CheckVarianceOptions): Promise<R>;
  /** Asserts the measured second moments match the expression at every layer, within tolerance. */
  toMatchVariance(
    expression: string | { forward?: string; backward?: string } | ClaimFunction,
    options?: MatchVarianceOptions,
  ): Promise<R>;
}
