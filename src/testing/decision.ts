/**
 * The decision of {@link checkVariance} is the project's one decision procedure,
 * src/numeric/decision.ts, shared with `varprop check`: per tested quantity, an interval for the
 * mean over replicate networks of measured ÷ claimed (on the log scale), at the simultaneous
 * level 1 − α/(K·m) for K looks and m quantities; the claim holds when every interval lies inside
 * [1 − τ, 1 + τ], fails when one lies entirely outside, and is undecided otherwise. Sampling looks
 * at the data at minNets, 2·minNets, 4·minNets, …, maxNets. Hence, whatever the truth,
 * P(wrong `fails`) ≤ α and P(wrong `holds`) ≤ α.
 *
 * This file keeps the testing API's names for those functions.
 */
export { bandVerdict, combineVerdicts, lookSchedule, simultaneousLevel as adjustedLevel } from '../numeric/decision.js';
export type { RatioDecision as RatioSummary, Verdict } from '../numeric/decision.js';
export { decideRatios as summariseRatios } from '../numeric/decision.js';
