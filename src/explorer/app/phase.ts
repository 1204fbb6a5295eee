/**
 * The mean-field phase diagram of a deep network with an odd, saturating activation (Poole et al.
 * 2016; Schoenholz et al. 2017): for weight variance σ_w² = n·Var[w] and bias variance σ_b², the
 * length map q ↦ σ_w²·m2(q) + σ_b² has a fixed point q*, and χ₁ = σ_w²·d2(q*) decides whether
 * perturbations (and gradients) shrink (χ₁ < 1, ordered) or grow (χ₁ > 1, chaotic) with depth.
 *
 * The math lives in src/theory/criticality.ts (shared with `varprop signal --critical` and docs/); this
 * file adapts it to the explorer. Nothing is re-derived for the browser.
 */
import type { Activation } from '../../vocabulary/activation.js';
import { criticalPoint, hasOrderToChaosLine, lengthFixedPoint, orderToChaosLine as lineOfCriticality, type PhasePoint } from '../../theory/criticality.js';

export type { PhasePoint } from '../../theory/criticality.js';

type LineActivation = Pick<Activation, 'moments' | 'predictionKind' | 'slopeAtZero' | 'label'>;

/** Points on the order-to-chaos line χ₁ = 1 for the diagram (src/theory/criticality.ts). */
export function orderToChaosLine(activation: LineActivation, maxSigmaB2 = 0.5, samples = 60): PhasePoint[] {
  return lineOfCriticality(activation, maxSigmaB2, samples);
}

/**
 * σ_w² on the χ₁ = 1 line at a given σ_b², solved by the root finder of src/theory/criticality.ts to
 * 1e-8 relative (for tanh: 1 at σ_b² = 0 and 1.7609546 at σ_b² = 0.05, Schoenholz et al. 2017, fig. 1).
 */
export function criticalSigmaW2(activation: LineActivation, sigmaB2: number): number {
  return criticalPoint(activation, sigmaB2).criticalWeightVar;
}

/** The fixed point q* of the length map and χ₁ there (src/theory/criticality.ts). */
export function fixedPoint(activation: Pick<Activation, 'moments' | 'slopeAtZero'>, sigmaW2: number, sigmaB2: number): { qStar: number; chi1: number } {
  return lengthFixedPoint(activation, sigmaW2, sigmaB2);
}

/**
 * True for activations the diagram is drawn for: odd (m1 = 0) and saturating (mean-field, bounded
 * second moment growth), such as tanh, erf, or a custom x/(1+|x|).
 */
export function isTanhLike(activation: Pick<Activation, 'moments' | 'predictionKind' | 'slopeAtZero'>): boolean {
  return hasOrderToChaosLine(activation);
}
