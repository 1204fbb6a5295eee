/**
 * Matchers for two-input signal propagation (src/theory/signal.ts, src/numeric/correlation.ts):
 * - `toBeCritical`: a setting { activation, weightVar, biasVar } sits on the order-to-chaos boundary,
 *   |χ₁ − 1| ≤ τ with χ₁ = σ_w²·E[φ′(√q* z)²] (mean-field, computed, no sampling);
 * - `toPropagateCorrelation`: the c-map propagate() composes for a network is not rejected by two
 *   correlated inputs through sampled networks (the one decision procedure, Bonferroni over sites).
 *
 * @example
 * ```ts
 * import 'varprop/testing';
 * await expect({ activation: 'tanh', weightVar: 1.7609546, biasVar: 0.05 }).toBeCritical();
 * await expect({ activation: 'tanh', weightVar: 1.5, biasVar: 0.05 }).not.toBeCritical();
 * await expect({ widths: [200, 200, 200], activation: 'tanh', init: 'xavier_normal', biasStd: 0.3 }).toPropagateCorrelation({ inputCorrelation: 0.2 });
 * ```
 */
import { InputError } from '../errors.js';
import { checkCorrelation, type CorrelationCheck } from '../numeric/correlation.js';
import { signalPropagation, type SignalPropagation } from '../theory/signal.js';
import type { ActivationRef } from '../vocabulary/activation.js';
import { resolveActivation } from '../vocabulary/activations/registry.js';
import { resolveNetwork, type NetworkSpec } from '../vocabulary/network.js';
import type { MatcherContextLike, MatcherResult } from './matchers.js';

/** A mean-field setting: φ, σ_w² = n·Var[w] and σ_b² (default 0). */
export interface SignalSetting {
  activation: ActivationRef;
  weightVar: number;
  biasVar?: number;
}

export interface CriticalityOptions {
  /** τ: critical when |χ₁ − 1| ≤ τ (default 0.01). */
  tolerance?: number;
}

export interface CorrelationMatchOptions {
  /** c₀ (default 0.3). */
  inputCorrelation?: number;
  nets?: number;
  pairs?: number;
  seed?: number;
  level?: number;
}

const show = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));

function readSetting(setting: unknown): { signal: SignalPropagation; label: string } {
  if (typeof setting !== 'object' || setting === null || !('activation' in setting) || !('weightVar' in setting)) {
    throw new InputError('setting', setting, 'an object { activation, weightVar, biasVar? }');
  }
  const { activation, weightVar, biasVar = 0 } = setting as SignalSetting;
  const resolved = resolveActivation(activation, 'activation');
  return { signal: signalPropagation(resolved, weightVar, biasVar), label: `${resolved.label}, σ_w² = ${show(weightVar)}, σ_b² = ${show(biasVar)}` };
}

export const signalMatchers = {
  /** Passes when |χ₁ − 1| ≤ τ at the setting's fixed point q* (mean-field). */
  async toBeCritical(this: MatcherContextLike, setting: unknown, options: CriticalityOptions = {}): Promise<MatcherResult> {
    const tolerance = options.tolerance ?? 0.01;
    const { signal, label } = readSetting(setting);
    const pass = Math.abs(signal.chi1 - 1) <= tolerance;
    const message = () =>
      [
        `expect(setting)${this.isNot ? '.not' : ''}.toBeCritical()`,
        '',
        `Expected: ${this.isNot ? 'NOT ' : ''}|χ₁ − 1| ≤ ${show(tolerance)} (mean-field)`,
        `Received: χ₁ = ${show(signal.chi1)} (${signal.phase}) for ${label}, q* = ${show(signal.qStar)}; critical σ_w² ${signal.criticalWeightVar === null ? 'none' : `= ${show(signal.criticalWeightVar)}`}`,
      ].join('\n');
    return { pass, message, actual: signal };
  },

  /**
   * Passes when no site's E[y_a y_b] or correlation is rejected (as `varprop check`: a check passes
   * when nothing fails); `.not` passes only on a decided failure.
   */
  async toPropagateCorrelation(this: MatcherContextLike, spec: unknown, options: CorrelationMatchOptions = {}): Promise<MatcherResult> {
    const result: CorrelationCheck = checkCorrelation(resolveNetwork(spec as NetworkSpec), {
      inputCorrelation: options.inputCorrelation ?? 0.3,
      nets: options.nets ?? 10,
      pairs: options.pairs ?? 30,
      seed: options.seed ?? 1,
      level: options.level ?? 0.99,
    });
    const pass = this.isNot ? result.verdict === 'fails' : result.verdict !== 'fails';
    const failing = result.sites.filter((site) => site.verdict === 'fails');
    const message = () =>
      [
        `expect(spec)${this.isNot ? '.not' : ''}.toPropagateCorrelation()`,
        '',
        `Expected: ${this.isNot ? 'a rejected' : 'no site rejecting the'} c-map (E[y_a y_b] and c per site, intervals at ${show(result.intervalLevel * 100)}%)`,
        `Received: ${result.verdict}; ${failing.length} of ${result.sites.length} sites fail${failing.length > 0 ? `, first ${failing[0].path} (${failing[0].kind}): c predicted ${show(failing[0].predictedCorrelation)}, measured ${show(failing[0].correlation.estimate)} [${show(failing[0].correlation.ciLow)}, ${show(failing[0].correlation.ciHigh)}]` : ''}`,
      ].join('\n');
    return { pass, message, actual: result };
  },
};

export interface SignalMatchers<R = unknown> {
  /** Asserts a setting { activation, weightVar, biasVar } is on the order-to-chaos boundary: |χ₁ − 1| ≤ τ. */
  toBeCritical(options?: CriticalityOptions): Promise<R>;
  /** Asserts two correlated inputs through sampled networks do not reject the network's c-map. */
  toPropagateCorrelation(options?: CorrelationMatchOptions): Promise<R>;
}
