/**
 * Where an assumption of the linear, zero-mean theory fails for the chosen activation, as flags
 * attached to the step that uses the assumption (tanh is only linear near 0; sigmoid's mean is ½;
 * relu halves the second moment).
 */
import type { Activation } from '../vocabulary/activation.js';
import type { AssumptionFlag } from './derivation.js';
import { formatSignificant } from '../math/significant.js';

/** Flag when φ(h), h ~ N(0, q), is not zero-mean, so E[x²] ≠ Var[x]. */
export function zeroMeanFlag(activation: Activation | undefined, q: number): AssumptionFlag[] {
  if (!activation) return [];
  const { mean } = activation.moments(q);
  if (Math.abs(mean) < 1e-12) return [];
  return [
    {
      id: 'zeroMean',
      holds: false,
      note: `${activation.label} outputs are not zero-mean (E[x] = ${formatSignificant(mean, 4)} at q = ${formatSignificant(q, 4)}), so E[x²] = Var[x] + E[x]² is larger than Var[x] (He et al. 2015, eq. 7).`,
    },
  ];
}

/** Flag when the activation is treated as linear but is only linear near 0. */
export function linearNearZeroFlag(activation: Activation | undefined): AssumptionFlag[] {
  if (!activation || activation.predictionKind === 'exact') return [];
  return [
    {
      id: 'linearNearZero',
      holds: false,
      note: `${activation.label} is only linear near 0 (slope φ′(0) = ${formatSignificant(activation.slopeAtZero, 4)}); the linear theory holds for small pre-activations, the Gaussian moments are a mean-field approximation beyond.`,
    },
  ];
}

/** Flag for homogeneous activations that scale the second moment (relu keeps half of it). */
export function secondMomentFlag(activation: Activation | undefined): AssumptionFlag[] {
  if (activation?.predictionKind !== 'exact') return [];
  const factor = activation.moments(1).secondMoment;
  if (Math.abs(factor - 1) < 1e-12) return [];
  return [
    {
      id: factor === 0.5 ? 'halvesSecondMoment' : 'scalesSecondMoment',
      holds: false,
      note: `${activation.label} keeps E[φ(h)²] = ${formatSignificant(factor, 4)}·Var[h] exactly (positive homogeneity), so each layer multiplies the variance by ${formatSignificant(factor, 4)} unless σ² is scaled by ${formatSignificant(1 / factor, 4)} (He et al. 2015).`,
    },
  ];
}

/** All flags that matter where E[x²] of the layer input is replaced by γ². */
export function inputFlags(activation: Activation | undefined, q: number): AssumptionFlag[] {
  return [...zeroMeanFlag(activation, q), ...linearNearZeroFlag(activation), ...secondMomentFlag(activation)];
}
