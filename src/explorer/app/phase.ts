/**
 * The mean-field phase diagram of a deep network with an odd, saturating activation (Poole et al.
 * 2016; Schoenholz et al. 2017): for weight variance σ_w² = n·Var[w] and bias variance σ_b², the
 * length map q ↦ σ_w²·m2(q) + σ_b² has a fixed point q*, and χ₁ = σ_w²·d2(q*) decides whether
 * perturbations (and gradients) shrink (χ₁ < 1, ordered) or grow (χ₁ > 1, chaotic) with depth.
 *
 * Everything here comes from the activation's own Gaussian moments (`Activation.moments`, the same
 * ones the predictions use); nothing is re-derived for the browser.
 */
import type { Activation } from '../../vocabulary/activation.js';

export interface PhasePoint {
  sigmaW2: number;
  sigmaB2: number;
}

/**
 * Points on the order-to-chaos line χ₁ = 1, parametrised by the fixed point q*: at q* the line needs
 * σ_w² = 1/d2(q*) and then σ_b² = q* − σ_w²·m2(q*) (solve the two equations q* = σ_w²·m2(q*) + σ_b² and
 * σ_w²·d2(q*) = 1 for σ_w², σ_b²). No root finding, and q* → 0 gives the end point (1/φ′(0)², 0).
 * Points with σ_b² outside [0, maxSigmaB2] are dropped.
 */
export function orderToChaosLine(activation: Pick<Activation, 'moments' | 'slopeAtZero'>, maxSigmaB2 = 0.5, samples = 60): PhasePoint[] {
  const points: PhasePoint[] = [{ sigmaW2: 1 / activation.slopeAtZero ** 2, sigmaB2: 0 }];
  // Geometric grid in q*: the line bends most near q* = 0.
  for (let i = 0; i < samples; i++) {
    const q = 1e-3 * Math.pow(1e4, i / (samples - 1));
    const { secondMoment, derivativeSecondMoment } = activation.moments(q);
    const sigmaW2 = 1 / derivativeSecondMoment;
    const sigmaB2 = q - sigmaW2 * secondMoment;
    if (!Number.isFinite(sigmaW2) || !Number.isFinite(sigmaB2) || sigmaB2 < 0) continue;
    if (sigmaB2 > maxSigmaB2) break;
    points.push({ sigmaW2, sigmaB2 });
  }
  return points.sort((a, b) => a.sigmaB2 - b.sigmaB2);
}

/**
 * σ_w² on the χ₁ = 1 line at a given σ_b², interpolated on {@link orderToChaosLine} (for tanh: 1 at
 * σ_b² = 0 and about 1.76 at σ_b² = 0.05, Schoenholz et al. 2017, fig. 1).
 */
export function criticalSigmaW2(line: readonly PhasePoint[], sigmaB2: number): number {
  if (line.length === 0) return NaN;
  if (sigmaB2 <= line[0].sigmaB2) return line[0].sigmaW2;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (sigmaB2 <= b.sigmaB2) {
      const t = (sigmaB2 - a.sigmaB2) / (b.sigmaB2 - a.sigmaB2);
      return a.sigmaW2 + t * (b.sigmaW2 - a.sigmaW2);
    }
  }
  return line[line.length - 1].sigmaW2;
}

/**
 * The fixed point q* of the length map and χ₁ there. For σ_b² = 0 and σ_w²·φ′(0)² ≤ 1 the only fixed
 * point is q* = 0, where χ₁ = σ_w²·φ′(0)². Otherwise q* is the root of g(q) = σ_w²·m2(q) + σ_b² − q,
 * which is positive near 0 and negative for large q (a saturating φ), found by the Illinois variant
 * of regula falsi: iterating the map itself crawls near χ₁ = 1, exactly where the diagram matters.
 */
export function fixedPoint(
  activation: Pick<Activation, 'moments' | 'slopeAtZero'>,
  sigmaW2: number,
  sigmaB2: number,
): { qStar: number; chi1: number } {
  const slope2 = activation.slopeAtZero ** 2;
  // Without bias, q = 0 is a fixed point, and the only stable one while σ_w²·φ′(0)² ≤ 1.
  if (sigmaB2 === 0 && sigmaW2 * slope2 <= 1) return { qStar: 0, chi1: sigmaW2 * slope2 };
  const g = (q: number): number => sigmaW2 * activation.moments(q).secondMoment + sigmaB2 - q;
  let lo = 1e-9;
  let glo = g(lo);
  let hi = Math.max(1, 2 * (sigmaW2 + sigmaB2));
  let ghi = g(hi);
  for (let i = 0; ghi > 0 && i < 60; i++) {
    lo = hi;
    glo = ghi;
    hi *= 2;
    ghi = g(hi);
  }
  if (!(glo > 0) || ghi > 0) return { qStar: NaN, chi1: NaN };
  let side = 0;
  let q = lo;
  for (let i = 0; i < 100; i++) {
    q = (lo * ghi - hi * glo) / (ghi - glo);
    const gq = g(q);
    if (Math.abs(gq) <= 1e-13 * Math.max(1, q) || hi - lo <= 1e-13 * Math.max(1, q)) break;
    if (gq > 0) {
      lo = q;
      glo = gq;
      if (side === 1) ghi /= 2;
      side = 1;
    } else {
      hi = q;
      ghi = gq;
      if (side === -1) glo /= 2;
      side = -1;
    }
  }
  return { qStar: q, chi1: sigmaW2 * activation.moments(q).derivativeSecondMoment };
}

/**
 * True for activations the diagram is drawn for: odd (m1 = 0) and saturating (mean-field, bounded
 * second moment growth), such as tanh, erf, or a custom x/(1+|x|).
 */
export function isTanhLike(activation: Pick<Activation, 'moments' | 'predictionKind' | 'slopeAtZero'>): boolean {
  if (activation.predictionKind !== 'meanField' || !(activation.slopeAtZero > 0)) return false;
  try {
    const small = activation.moments(1);
    const large = activation.moments(100);
    const odd = Math.abs(small.mean) < 1e-9 && Math.abs(large.mean) < 1e-9;
    // Saturating: m2 grows much slower than q (tanh: m2(100)/m2(1) ≈ 2.3, identity would give 100).
    return odd && large.secondMoment / small.secondMoment < 20;
  } catch {
    return false;
  }
}
