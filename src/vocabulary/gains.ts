/**
 * Gains: the factor g in Var[w] = g²/fan that keeps a signal's scale through an activation, compared
 * with PyTorch's `torch.nn.init.calculate_gain`.
 *
 * At input variance q (z ~ N(0, 1), x = √q z), a dense layer with Var[w] = g²/n maps q to
 * g²·E[φ(x)²] in the forward pass and multiplies gradient variance by g²·E[φ′(x)²] in the backward
 * pass. So:
 * - forward gain √(q/m2(q)) keeps q fixed (1/√m2(1) at q = 1; √2 for relu at every q);
 * - backward gain 1/√d2(q) keeps gradient variance fixed;
 * - centred gain √(q/Var[φ(x)]) keeps the variance of the centred activation fixed (1/sd(φ(z)) at q = 1).
 *
 * @example
 * ```ts
 * computeGains(resolveActivation('tanh')).forwardGain; // 1.5925374...
 * ```
 */
import { InputError } from '../errors.js';
import type { Activation } from './activation.js';
import { assertVariance } from './activations/kind.js';

/** Gains of one activation at one q. Field names are the `varprop gain --json` contract. */
export interface GainReport {
  /** The activation's label, e.g. `tanh`, `leaky_relu(0.01)` or a custom expression. */
  activation: string;
  q: number;
  /** m1(q) = E[φ(√q z)] */
  mean: number;
  /** m2(q) = E[φ(√q z)²] */
  secondMoment: number;
  /** d2(q) = E[φ′(√q z)²] */
  derivativeSecondMoment: number;
  /** √(q/m2(q)); 1/√m2(1) at q = 1. */
  forwardGain: number;
  /** 1/√d2(q). */
  backwardGain: number;
  /** √(q/Var[φ(√q z)]); 1/sd(φ(z)) at q = 1. */
  centeredGain: number;
  /** `torch.nn.init.calculate_gain` for this activation, or null where PyTorch has none. */
  pytorchGain: number | null;
  /** True when the moments came from closed forms, false when from quadrature. */
  closedForm: boolean;
  /** One line where PyTorch's value differs from the forward gain, else null. */
  explanation: string | null;
}

/** PyTorch's value counts as "the same" when within this relative distance of the forward gain. */
const SAME_GAIN_TOLERANCE = 1e-9;

/**
 * Computes the forward, backward and centred gains of `activation` at input variance `q` (default 1).
 * @throws InputError for q ≤ 0 or not finite, or an activation whose moments make a gain infinite
 *   (zero output or zero derivative).
 */
export function computeGains(activation: Activation, q = 1): GainReport {
  assertVariance(q);
  const moments = activation.moments(q);
  const variance = moments.secondMoment - moments.mean * moments.mean;
  const forwardGain = Math.sqrt(q / moments.secondMoment);
  const backwardGain = 1 / Math.sqrt(moments.derivativeSecondMoment);
  const centeredGain = Math.sqrt(q / variance);
  for (const [name, value] of [
    ['forward gain', forwardGain],
    ['backward gain', backwardGain],
    ['centred gain', centeredGain],
  ] as const) {
    if (!Number.isFinite(value)) {
      throw new InputError('activation', activation.label, `an activation whose ${name} is finite`, `At q = ${q} it is ${value}: the activation's output or derivative vanishes`);
    }
  }
  const pytorchGain = activation.pytorchGain;
  const differs = pytorchGain !== null && Math.abs(pytorchGain - forwardGain) > SAME_GAIN_TOLERANCE * forwardGain;
  const explanation = differs
    ? `${activation.pytorchGainNote ?? `PyTorch's calculate_gain gives ${formatGain(pytorchGain)} for ${activation.label}`}; ` +
      `the variance-preserving gain (keeping E[φ(√q z)²] = q at q = ${q}) is ${formatGain(forwardGain)}.`
    : null;
  return {
    activation: activation.label,
    q,
    mean: moments.mean,
    secondMoment: moments.secondMoment,
    derivativeSecondMoment: moments.derivativeSecondMoment,
    forwardGain,
    backwardGain,
    centeredGain,
    pytorchGain,
    closedForm: moments.closedForm,
    explanation,
  };
}

function formatGain(value: number): string {
  return Number(value.toFixed(4)).toString();
}
