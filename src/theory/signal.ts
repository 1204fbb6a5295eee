/**
 * Signal propagation of two inputs in the mean-field limit: the correlation map, its fixed point c*
 * and slope χ_c, and the depth scales over which a deep network forgets the length of its input
 * (ξ_q), the correlation of two inputs (ξ_c) and the size of its gradients (ξ_∇) (Poole et al. 2016,
 * "Exponential expressivity in deep neural networks through transient chaos", eqs. 3–5; Schoenholz
 * et al. 2017, "Deep information propagation", eqs. 2–9 and §5).
 *
 * A layer h_{l+1} = W φ(h_l) + b with σ_w² = n·Var[w] and bias variance σ_b² maps, for two inputs
 * a and b, the second moment q and the covariance q·c of their pre-activations by
 *   q ↦ σ_w²·E[φ(u)²] + σ_b²,           c ↦ (σ_w²·E[φ(u_a)φ(u_b)] + σ_b²) / (σ_w²·E[φ(u)²] + σ_b²),
 * (u_a, u_b) jointly Gaussian with second moments q and covariance q·c. The activation's step is the
 * very function the activation kind's moment face uses (`activationCrossMoment`,
 * src/layers/activation.ts: the arc-cosine kernel for relu-like φ, 2-D quadrature otherwise), so
 * `propagate()` over a network of such layers gives the same c_l (tested).
 *
 * Near the fixed points the distances shrink geometrically:
 *   |q_l − q*| ∝ e^{−l/ξ_q},  ξ_q = −1/log(σ_w²·E[φ(u)φ′(u)u]/q*)   (= χ₁ + σ_w²·E[φ″φ] by Stein's lemma),
 *   |c_l − c*| ∝ e^{−l/ξ_c},  ξ_c = −1/log χ_c,  χ_c = σ_w²·E[φ′(u_a)φ′(u_b)] at (q*, c*),
 *   E[(∂h_l)²] ∝ e^{−l/ξ_∇}, ξ_∇ = −1/log χ₁,   χ₁ = σ_w²·E[φ′(u)²] at q*.
 * χ₁ < 1: ordered (c* = 1, χ_c = χ₁); χ₁ > 1: chaotic (c* < 1, the stable root of the c-map);
 * χ₁ = 1: critical, ξ_c = ∞. ξ_∇ < 0 in the chaotic phase: gradients grow over |ξ_∇| layers.
 * Schoenholz et al. find networks trainable up to a depth of about 6ξ_c (§5, fig. 5).
 *
 * Every value here is mean-field: exact as width → ∞, with O(1/width) corrections.
 *
 * @example
 * ```ts
 * signalPropagation(resolveActivation('tanh'), 1.5, 0.05); // { qStar, cStar: 1, chi1 < 1, phase: 'ordered', ... }
 * ```
 */
import { InputError } from '../errors.js';
import { activationCrossMoment, activationDerivativeCrossMoment } from '../layers/activation.js';
import { gaussianExpectation } from '../math/quadrature.js';
import type { Activation } from '../vocabulary/activation.js';
import { brentRoot, criticalPoint, hasOrderToChaosLine, lengthFixedPoint, Q_NEAR_ZERO } from './criticality.js';

export type Phase = 'ordered' | 'critical' | 'chaotic';

/** |χ₁ − 1| within which a setting is called critical (the tolerance of the critical-point solver). */
export const CRITICAL_BAND = 1e-8;

/** Schoenholz et al. 2017, §5: random networks train up to a depth of about 6ξ_c. */
export const TRAINABLE_DEPTH_PER_XI_C = 6;

/** One (σ_w², σ_b²) setting's mean-field signal propagation; ∞ where a depth scale diverges. */
export interface SignalPropagation {
  activation: string;
  weightVar: number;
  biasVar: number;
  /** Fixed point of the length map (0 when the signal collapses). */
  qStar: number;
  /** Stable fixed point of the correlation map: 1 in the ordered and critical phases. */
  cStar: number;
  /** χ₁ = σ_w²·E[φ′(√q* z)²]. */
  chi1: number;
  /** Slope of the c-map at c*. */
  chiC: number;
  xiQ: number;
  xiC: number;
  xiGrad: number;
  phase: Phase;
  /** σ_w² with χ₁ = 1 at this σ_b² (null when the activation has none). */
  criticalWeightVar: number | null;
  /** About 6ξ_c (Schoenholz et al. 2017, §5). */
  trainableDepth: number;
}

/** The activation's side of the functions here (a resolved activation). */
export type SignalActivation = Activation;

/** −1/log(slope): the number of layers over which a distance shrinks by e; ∞ at slope 1, 0 at slope 0. */
export function depthScale(slope: number): number {
  // Within rounding of 1 (a relu-like map at σ_b² = 0 is linear: its slope is 1 up to 1e-16).
  if (Math.abs(slope - 1) <= 1e-12) return Number.POSITIVE_INFINITY;
  if (!(slope > 0)) return 0;
  return -1 / Math.log(slope);
}

export function phaseOf(chi1: number): Phase {
  if (Math.abs(chi1 - 1) <= CRITICAL_BAND) return 'critical';
  return chi1 > 1 ? 'chaotic' : 'ordered';
}

function requireWeightVar(weightVar: number): void {
  if (typeof weightVar !== 'number' || !Number.isFinite(weightVar) || !(weightVar > 0)) {
    throw new InputError('weight variance σ_w²', weightVar, 'a finite number > 0 (σ_w² = n·Var[w])');
  }
}

function requireBiasVar(biasVar: number): void {
  if (typeof biasVar !== 'number' || !Number.isFinite(biasVar) || biasVar < 0) {
    throw new InputError('bias variance σ_b²', biasVar, 'a finite number ≥ 0');
  }
}

/** The q the slopes are taken at: q*, or its q → 0 limit when the signal collapses. */
const slopeQ = (qStar: number) => (qStar > 0 ? qStar : Q_NEAR_ZERO);

/**
 * One layer of the two-input map: (q, c) ↦ (q′, c′) with q′ = σ_w²·E[φ(u)²] + σ_b² and
 * c′ = (σ_w²·E[φ(u_a)φ(u_b)] + σ_b²)/q′.
 */
export function correlationMapStep(activation: SignalActivation, weightVar: number, biasVar: number, q: number, c: number): { q: number; c: number } {
  const next = weightVar * activation.moments(q).secondMoment + biasVar;
  const cross = weightVar * activationCrossMoment(activation, q, c * q, 0, 'meanField').value + biasVar;
  return { q: next, c: cross / next };
}

/** The slope of the c-map in c at (q, c): σ_w²·q·E[φ′(u_a)φ′(u_b)]/q′ (Price's theorem); χ_c at (q*, c*). */
export function correlationMapSlope(activation: SignalActivation, weightVar: number, biasVar: number, q: number, c: number): number {
  const next = weightVar * activation.moments(q).secondMoment + biasVar;
  return (weightVar * q * activationDerivativeCrossMoment(activation, q, c * q, 0).value) / next;
}

/** The slope of the length map at q: σ_w²·E[φ(u)φ′(u)·u]/q, u ~ N(0, q) (d/dq of E[φ(√q z)²] by the chain rule). */
export function lengthMapSlope(activation: SignalActivation, weightVar: number, q: number): number {
  return (weightVar * gaussianExpectation((u) => activation.phi(u) * activation.derivative(u) * u, q, { kinks: activation.kinks })) / q;
}

/**
 * The stable fixed point c* of the c-map at q*: 1 unless χ₁ > 1; then the root in [0, 1) of
 * C(c) − c, which is ≥ 0 at c = 0 (C(0) = (σ_w²·E[φ]² + σ_b²)/q*) and < 0 just below 1 (slope χ₁ > 1
 * there); C is convex on [0, 1] (a power series in c with non-negative coefficients), so the root is
 * unique. Solved with Brent's method.
 */
export function correlationFixedPoint(activation: SignalActivation, weightVar: number, biasVar: number, qStar: number, chi1: number): number {
  if (phaseOf(chi1) !== 'chaotic') return 1;
  const q = slopeQ(qStar);
  const gap = (c: number) => correlationMapStep(activation, weightVar, biasVar, q, c).c - c;
  // An odd φ without bias maps c = 0 to itself (up to quadrature rounding): c* = 0.
  if (gap(0) <= 1e-14) return 0;
  let below = 1e-2;
  while (!(gap(1 - below) < 0) && below > 1e-9) below /= 10;
  if (!(gap(1 - below) < 0)) return 1;
  return brentRoot(gap, 0, 1 - below, 1e-12);
}

/** Throws the activation's own InputError for moments that diverge, or one naming a non-finite result. */
function requireFiniteMoments(activation: SignalActivation, values: readonly number[], where: string): void {
  if (values.every(Number.isFinite)) return;
  throw new InputError('activation', activation.label, `an activation whose Gaussian moments are finite ${where}`, 'E[φ(√q z)²] or E[φ′(√q z)²] diverges or overflows');
}

/**
 * q*, c*, χ₁, χ_c, ξ_q, ξ_c, ξ_∇, the phase and the critical σ_w² of one setting.
 * @throws InputError for σ_w² ≤ 0, σ_b² < 0, an activation whose moments diverge, or a setting whose
 *   length map has no finite fixed point (the variance grows without bound).
 */
export function signalPropagation(activation: SignalActivation, weightVar: number, biasVar: number): SignalPropagation {
  requireWeightVar(weightVar);
  requireBiasVar(biasVar);
  const { qStar, chi1 } = lengthFixedPoint(activation, weightVar, biasVar);
  if (!Number.isFinite(qStar)) {
    throw new InputError('weight variance σ_w²', weightVar, `a σ_w² for which the length map of ${activation.label} has a finite fixed point at σ_b² = ${biasVar}`, 'The variance grows without bound with depth');
  }
  const q = slopeQ(qStar);
  const cStar = correlationFixedPoint(activation, weightVar, biasVar, qStar, chi1);
  const chiC = cStar === 1 && qStar > 0 ? chi1 : correlationMapSlope(activation, weightVar, biasVar, q, cStar);
  const qSlope = lengthMapSlope(activation, weightVar, q);
  requireFiniteMoments(activation, [chi1, chiC, qSlope], `at q* = ${qStar}`);
  const phase = phaseOf(chi1);
  const xiC = phase === 'critical' ? Number.POSITIVE_INFINITY : depthScale(chiC);
  return {
    activation: activation.label,
    weightVar,
    biasVar,
    qStar,
    cStar,
    chi1,
    chiC,
    xiQ: depthScale(qSlope),
    xiC,
    xiGrad: phase === 'critical' ? Number.POSITIVE_INFINITY : depthScale(chi1),
    phase,
    criticalWeightVar: criticalWeightVarOrNull(activation, biasVar),
    trainableDepth: TRAINABLE_DEPTH_PER_XI_C * xiC,
  };
}

/** A point of the order-to-chaos boundary χ₁ = 1. */
export interface BoundaryPoint {
  biasVar: number;
  criticalWeightVar: number;
  /** q* there (∞ for a relu-like φ with σ_b² > 0: its length map has no fixed point at χ₁ = 1). */
  qStar: number;
}

/** Geometric scan of σ_w² for a sign change of χ₁ − 1 (activations without a closed parametrisation). */
const SCAN_FROM = 1e-2;
const SCAN_TO = 1e4;
const SCAN_RATIO = 1.25;

/**
 * The σ_w² with χ₁ = 1 at bias variance σ_b², for any activation:
 * - odd saturating φ (tanh, erf, …): {@link criticalPoint}, exact along its parametrisation by q*;
 * - positively homogeneous φ (relu, leaky relu, identity): χ₁ = σ_w²·d2 does not depend on q, so
 *   σ_w² = 1/d2 (relu: 2, He et al. 2015);
 * - any other φ (gelu, sigmoid, a custom expression): Brent's method on σ_w² ↦ χ₁(σ_w², σ_b²) − 1,
 *   bracketed by a geometric scan from σ_w² = 0.01 up to 10⁴.
 * @throws InputError when χ₁ never reaches 1 while the length map has a finite fixed point.
 */
export function boundaryPoint(activation: SignalActivation, biasVar: number): BoundaryPoint {
  requireBiasVar(biasVar);
  if (hasOrderToChaosLine(activation)) {
    const point = criticalPoint(activation, biasVar);
    return { biasVar, criticalWeightVar: point.criticalWeightVar, qStar: point.qStar };
  }
  if (activation.predictionKind === 'exact') {
    const d2 = activation.moments(1).derivativeSecondMoment;
    return { biasVar, criticalWeightVar: 1 / d2, qStar: biasVar === 0 ? 0 : Number.POSITIVE_INFINITY };
  }
  const excess = (weightVar: number) => lengthFixedPoint(activation, weightVar, biasVar).chi1 - 1;
  let lo = SCAN_FROM;
  let low = excess(lo);
  for (let hi = lo * SCAN_RATIO; hi <= SCAN_TO && Number.isFinite(low); hi *= SCAN_RATIO) {
    const high = excess(hi);
    if (low < 0 && high >= 0) {
      const criticalWeightVar = brentRoot(excess, lo, hi, 1e-12);
      return { biasVar, criticalWeightVar, qStar: lengthFixedPoint(activation, criticalWeightVar, biasVar).qStar };
    }
    if (low < 0 && Number.isNaN(high)) {
      const edge = divergenceEdge(excess, lo, hi);
      if (Math.abs(excess(edge.finite)) < EDGE_CHI1_TOLERANCE) return { biasVar, criticalWeightVar: edge.finite, qStar: edge.qStar(activation, biasVar) };
      break;
    }
    lo = hi;
    low = high;
  }
  throw new InputError(
    'activation',
    activation.label,
    `an activation whose χ₁ reaches 1 at σ_b² = ${biasVar} for some σ_w² in [${SCAN_FROM}, ${SCAN_TO}] with a finite q*`,
    'Its stable fixed point q* disappears (the variance then grows without bound) before χ₁ reaches 1',
  );
}

/**
 * |χ₁ − 1| at the last σ_w² with a finite q* below which the divergence edge counts as the boundary.
 * A φ that grows linearly at both ends (gelu, elu, softplus, silu: slopes a, b at ±∞) has
 * lim m2(q)/q = lim d2(q) = (a² + b²)/2, so χ₁ → 1 exactly where q* runs off to ∞ (relu's σ_w² = 2),
 * or, without bias, where q* = 0 loses stability (gelu: σ_w²·φ′(0)² = 1); near the edge q* is huge
 * and χ₁ approaches 1 slowly.
 */
const EDGE_CHI1_TOLERANCE = 1e-3;

/** Bisects [lo, hi] (finite q* at lo, none at hi) for the edge, to 1e-9 relative. */
function divergenceEdge(excess: (weightVar: number) => number, lo: number, hi: number) {
  let finite = lo;
  let infinite = hi;
  while (infinite - finite > 1e-9 * infinite) {
    const middle = (finite + infinite) / 2;
    if (Number.isNaN(excess(middle))) infinite = middle;
    else finite = middle;
  }
  return {
    finite,
    qStar: (activation: SignalActivation, biasVar: number) => (biasVar === 0 ? lengthFixedPoint(activation, finite, biasVar).qStar : Number.POSITIVE_INFINITY),
  };
}

function criticalWeightVarOrNull(activation: SignalActivation, biasVar: number): number | null {
  try {
    return boundaryPoint(activation, biasVar).criticalWeightVar;
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

/** The order-to-chaos boundary χ₁ = 1 as a curve over σ_b² (one {@link boundaryPoint} per value). */
export function orderToChaosBoundary(activation: SignalActivation, biasVars: readonly number[]): BoundaryPoint[] {
  return biasVars.map((biasVar) => boundaryPoint(activation, biasVar));
}

/** The trainable depth ≈ 6ξ_c over a range of σ_w² at one σ_b² (∞ at the boundary), for drawing. */
export function trainableDepthCurve(activation: SignalActivation, biasVar: number, weightVars: readonly number[]): { weightVar: number; trainableDepth: number; phase: Phase }[] {
  return weightVars.map((weightVar) => {
    const signal = signalPropagation(activation, weightVar, biasVar);
    return { weightVar, trainableDepth: signal.trainableDepth, phase: signal.phase };
  });
}

/**
 * The network the mean-field recursion describes, as a description (src/vocabulary/network.ts):
 * `depth` layers of dense (Gaussian weights, Var[w] = σ_w²/n, Keras' variance_scaling with an
 * untruncated normal), bias (σ_b²) and φ, then a last dense + bias, at width n; the input variance
 * is chosen so that the first pre-activation has second moment q* (γ² = (q* − σ_b²)/σ_w²; 1 when the
 * signal collapses), so that the c-map acts at its fixed q* from the first layer on.
 */
export function signalNetworkSpec(activation: string, weightVar: number, biasVar: number, width: number, depth: number, qStar: number) {
  const init = { name: 'variance_scaling', scale: weightVar, mode: 'fan_in', distribution: 'untruncated_normal' };
  const preActivation = [{ kind: 'dense', width, init }, ...(biasVar > 0 ? [{ kind: 'bias', std: Math.sqrt(biasVar) }] : [])];
  const layers: Record<string, unknown>[] = [];
  for (let l = 0; l < depth; l++) layers.push(...preActivation, { kind: 'activation', activation });
  layers.push(...preActivation);
  const inputVariance = qStar > biasVar ? (qStar - biasVar) / weightVar : 1;
  return { input: width, inputVariance, layers };
}
