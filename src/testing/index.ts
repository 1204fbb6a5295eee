/**
 * `varprop/testing`: check variance claims in your own test suite.
 *
 * ```ts
 * import 'varprop/testing'; // registers the matchers on vitest's expect
 * await expect({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' }).toPreserveForwardVariance();
 * ```
 *
 * Also exports {@link checkVariance} (the verdict object behind the matchers), {@link checkIdentity}
 * (test an algebraic identity at random points) and `varianceMatchers` for `expect.extend` in jest.
 * See docs/testing.md.
 */
// Type-only: lets the augmentation below find vitest's types; erased from the JavaScript.
import type {} from 'vitest';
import type { DepthBandMatchers } from './depthBand.js';
import type { FluctuationMatchers } from './fluctuations.js';
import type { JacobianMatchers } from './jacobian.js';
import type { VarianceMatchers } from './matchers.js';
import type { SignalMatchers } from './signal.js';
import { registerVitestMatchers } from './register.js';

export { checkVariance, resolveCheckOptions } from './variance.js';
export type { CheckVarianceOptions, LayerVarianceResult, MeasureFunction, VarianceCheckResult } from './variance.js';
export { CLAIM_SYMBOLS, describeClaim } from './claims.js';
export type { ClaimContext, ClaimFunction, VarianceClaim } from './claims.js';
export type { Verdict } from './decision.js';
export { checkIdentity } from './identity.js';
export type { IdentityAssumptions, IdentityCounterexample, IdentityResult, SymbolDomain } from './identity.js';
export { varianceMatchers, formatMatcherMessage } from './matchers.js';
export type { MatchVarianceOptions, MatcherResult, VarianceMatchers } from './matchers.js';
export { checkNearIsometry, jacobianMatchers } from './jacobian.js';
export type { IsometryOptions, IsometryResult, JacobianMatchers } from './jacobian.js';
export { signalMatchers } from './signal.js';
export type { CorrelationMatchOptions, CriticalityOptions, SignalMatchers, SignalSetting } from './signal.js';
export { checkFluctuationClaim, fluctuationMatchers } from './fluctuations.js';
export type { FluctuationMatchers, MatchFluctuationsOptions } from './fluctuations.js';
export { checkVarianceBand, depthBandMatchers } from './depthBand.js';
export type { DepthBandMatchers, VarianceBandNode, VarianceBandOptions, VarianceBandResult } from './depthBand.js';
export { registerVitestMatchers } from './register.js';
export type { LayerSpec } from './spec.js';

/** True when importing this module registered the matchers on vitest's `expect`. */
export const matchersRegistered: boolean = await registerVitestMatchers();

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: merges with vitest's own declaration, Matchers<T = any>.
  interface Matchers<T = any> extends VarianceMatchers<void>, JacobianMatchers<void>, SignalMatchers<void>, FluctuationMatchers<void>, DepthBandMatchers<void> {}
}
