/**
 * Leading-order width exponents of a coordinate check, derived from a parametrization's abc table
 * (src/vocabulary/parametrizations.ts): for an MLP h_1 = W_1 ξ, h_l = W_l φ(h_{l−1}), the size of a
 * coordinate of each pre-activation h_l at initialization, and of its change Δh_l after one SGD or
 * Adam step on a batch, as powers of the width n (input and output dimensions fixed).
 *
 * The calculus is the one of Tensor Programs IV (Yang & Hu 2021, §3 and Appendix H) and of the mup
 * README's table: a sum of n terms is Θ(√n) when the terms are independent and zero-mean (an iid
 * matrix times a vector: central limit), and Θ(n) when they are correlated (a weight update, an outer
 * product of vectors, times a vector it was built from: law of large numbers). With k_in, k_out = 1
 * when a fan grows with n (0 for the fixed input and output dimensions), v_l the effective variance
 * exponent −2(a + b) and λ_l the effective learning-rate exponent (see `effectiveExponents`):
 *
 *   forward   r_0 = 0 (data),              r_l = ½·k_in + ½·v_l + r_{l−1}
 *   backward  g_L = 0 (∂L/∂f = Θ(1)),      g_{l−1} = g_l + ½·k_out(l) + ½·v_l
 *   ΔW_l·x    SGD: λ_l + g_l + k_in + 2·r_{l−1}      (ΔW = −η·Σ_b ∂h_b x_bᵀ, times x: x·x is Θ(n^{k_in}))
 *             Adam: λ_l + k_in + r_{l−1}             (ΔW = −η·sign(∂W), its entries Θ(1) whatever ∂W)
 *   W_l·Δx    ½·k_in + ½·v_l + u_{l−1}     (hidden: Δx is nearly independent of a row of W_l)
 *             k_in + ½·v_l + u_{l−1}       (output, fan-out fixed: every part of Δx_L was built by
 *                                           backpropagating through the few rows of W_{L+1}, so the
 *                                           sum is correlated; TP4's Δf ∝ n^{1−(a_{L+1}+b_{L+1})}·Δx_L)
 *   update    u_l = max(ΔW_l·x, W_l·Δx)
 *
 * Every rule is leading order: the prefactors are Θ(1) and do not cancel (true generically), the
 * activation passes exponents through (exact for relu and identity; for any φ with Θ(1)
 * pre-activations, which SP, NTK and μP all have at initialization in hidden layers), and the step
 * is small enough that Δφ(h) ≈ φ′(h)·Δh. Adam's first step is −η·g/(|g| + ε) with the moments
 * bias-corrected, i.e. −η·sign(g) while ε ≪ |g|.
 */
import type { EffectiveExponents, OptimizerName, Parametrization, WeightRole } from '../vocabulary/parametrizations.js';
import { effectiveExponents } from '../vocabulary/parametrizations.js';

/** The predicted exponents of one weight layer's pre-activation h_l. */
export interface LayerExponents {
  role: WeightRole;
  effective: EffectiveExponents;
  /** RMS of h_l at initialization ∝ n^{activation}. */
  activation: number;
  /** RMS of ∂L/∂h_l at initialization ∝ n^{gradient}. */
  gradient: number;
  /** RMS of Δh_l after one step ∝ n^{update} = n^{max(weightTerm, propagatedTerm)}. */
  update: number;
  /** Exponent of ΔW_l·x_{l−1}: the layer's own weight update. */
  weightTerm: number;
  /** Exponent of W_l·Δx_{l−1}: the update of the layers below, carried through W_l (−∞ for the first layer). */
  propagatedTerm: number;
}

const grows = (fixed: boolean): number => (fixed ? 0 : 1);

/** The roles of the weight layers of an MLP with `depth` ≥ 2 weight layers: input, hidden…, output. */
export function mlpRoles(depth: number): WeightRole[] {
  if (!Number.isInteger(depth) || depth < 2) throw new RangeError(`an MLP has at least 2 weight layers (input and output), got ${depth}`);
  return Array.from({ length: depth }, (_, l) => (l === 0 ? 'input' : l === depth - 1 ? 'output' : 'hidden'));
}

/** The exponents of every weight layer of an MLP whose weight layers have the given roles, in order. */
export function predictWidthExponents(parametrization: Parametrization, optimizer: OptimizerName, roles: readonly WeightRole[]): LayerExponents[] {
  const effective = roles.map((role) => effectiveExponents(parametrization.roles[role], optimizer));
  const kIn = roles.map((role) => grows(role === 'input'));
  const kOut = roles.map((role) => grows(role === 'output'));
  const depth = roles.length;

  const activation: number[] = [];
  roles.forEach((_, l) => activation.push(kIn[l] / 2 + effective[l].initVariance / 2 + (l > 0 ? activation[l - 1] : 0)));

  const gradient = new Array<number>(depth);
  gradient[depth - 1] = 0;
  for (let l = depth - 1; l > 0; l--) gradient[l - 1] = gradient[l] + kOut[l] / 2 + effective[l].initVariance / 2;

  const result: LayerExponents[] = [];
  roles.forEach((role, l) => {
    const below = l > 0 ? activation[l - 1] : 0;
    const weightTerm =
      optimizer === 'sgd' ? effective[l].learningRate + gradient[l] + kIn[l] + 2 * below : effective[l].learningRate + kIn[l] + below;
    // A fixed fan-out (the output layer) makes W_l·Δx_{l−1} a correlated sum: Θ(n^{k_in}), not Θ(n^{k_in/2}).
    const sumExponent = kOut[l] === 0 ? kIn[l] : kIn[l] / 2;
    const propagatedTerm = l > 0 ? sumExponent + effective[l].initVariance / 2 + result[l - 1].update : Number.NEGATIVE_INFINITY;
    result.push({
      role,
      effective: effective[l],
      activation: activation[l],
      gradient: gradient[l],
      update: Math.max(weightTerm, propagatedTerm),
      weightTerm,
      propagatedTerm,
    });
  });
  return result;
}
