/**
 * How concentrated softmax attention is at initialization: the collision probability
 *   π(T, ν) = E[Σ_s P_s²],   P = softmax(z_1, …, z_T),   z_s iid N(0, ν),
 * the expected squared norm of one row of attention weights. Uniform attention has π = 1/T (the
 * output averages T value vectors); one-hot attention has π = 1. An attention output is
 * o = Σ_s P_s v_s, so E[o²] = π·E[v²] + (1 − π)·E[v_s v_{s'}]: π is the factor by which attention
 * divides the second moment of independent value vectors (src/layers/attention.ts).
 *
 * Exact for iid Gaussian logits (what the logits of one query are, to leading order in 1/d_k, after
 * the part they share cancels in the softmax), by the identity 1/S² = ∫_0^∞ u·e^{−uS} du:
 *   π = T·∫_0^∞ u·ψ(u)·φ(u)^{T−1} du,  φ(u) = E[exp(−u·e^z)],  ψ(u) = E[e^{2z}·exp(−u·e^z)],
 * because, given u, the T factors e^{−u e^{z_s}} are independent. With u = e^w the integrand
 * e^{2w}·ψ·φ^{T−1} is smooth and decays on both sides, so the trapezoid rule in w converges
 * geometrically; φ and ψ are Gaussian expectations (src/math/quadrature.ts) computed once per grid
 * point and shared by every T. Small ν: π = (1 + ν(1 − 1/T))/T + O(ν²); large T: π ≈ e^ν/T.
 */
import { gaussianExpectations } from '../math/quadrature.js';

/** Grid step in w (the integrand is smooth: the trapezoid rule is spectrally accurate). */
const STEP = 0.2;
/** Margin in w beyond the logits' ±6 standard deviations and ln T. */
const MARGIN = 20;

/** π(t, ν) for t = 1..tokens, sharing one quadrature of φ and ψ. */
export function softmaxCollisions(tokens: number, logitVariance: number): number[] {
  if (!(logitVariance > 0)) return Array.from({ length: tokens }, (_, i) => 1 / (i + 1));
  // Logits of unbounded spread: each row of attention is one-hot.
  if (!Number.isFinite(logitVariance)) return Array.from({ length: tokens }, () => 1);
  // u·S ~ 1 where the integrand lives, S between e^{min z} and T·e^{max z}: |z| ≤ 6√ν covers it.
  const spread = 6 * Math.sqrt(logitVariance);
  const start = -spread - Math.log(tokens) - MARGIN;
  const points = Math.ceil((2 * (spread + MARGIN) + Math.log(tokens)) / STEP);
  const logPhi = new Float64Array(points + 1);
  const weighted = new Float64Array(points + 1);
  for (let k = 0; k <= points; k++) {
    const w = start + k * STEP;
    const u = Math.exp(w);
    const [phi, psi] = gaussianExpectations([(z) => Math.exp(-u * Math.exp(z)), (z) => Math.exp(2 * z - u * Math.exp(z))], logitVariance);
    logPhi[k] = Math.log(phi);
    weighted[k] = Math.exp(2 * w) * psi;
  }
  // One token attends to itself alone: π = 1 exactly.
  const collisions: number[] = [1];
  for (let t = 2; t <= tokens; t++) {
    let sum = 0;
    for (let k = 0; k <= points; k++) {
      const term = weighted[k] * Math.exp((t - 1) * logPhi[k]);
      sum += k === 0 || k === points ? term / 2 : term;
    }
    collisions.push(t * sum * STEP);
  }
  return collisions;
}
