/**
 * Criticality of deep networks in the mean-field limit: the length map's fixed point q* and the
 * order-to-chaos line χ₁ = 1 (Poole et al. 2016, "Exponential expressivity in deep neural networks
 * through transient chaos", eqs. 3 and 7; Schoenholz et al. 2017, "Deep information propagation",
 * eqs. 2–5 and fig. 1).
 *
 * A dense layer with σ_w² = n·Var[w] and bias variance σ_b² maps the pre-activation variance
 *   q ↦ σ_w²·m2(q) + σ_b²,   m2(q) = E[φ(√q z)²],  z ~ N(0, 1),
 * and multiplies the size of a small perturbation (and of a gradient) by
 *   χ₁ = σ_w²·d2(q*),         d2(q) = E[φ′(√q z)²],
 * at the map's fixed point q*. χ₁ < 1 is the ordered phase, χ₁ > 1 the chaotic one.
 *
 * Pure math on an activation's Gaussian moments (the same `Activation.moments` the predictions use):
 * no I/O, so the CLI, the docs and the explorer's worker all call it. The correlation map, its
 * fixed point c* and the depth scales are in src/theory/signal.ts.
 *
 * @example
 * ```ts
 * criticalPoint(resolveActivation('tanh'), 0.05); // { criticalWeightVar: 1.7609546…, qStar: …, chi1: 1 }
 * ```
 */
import { InputError } from '../errors.js';
import type { Activation } from '../vocabulary/activation.js';

/** What the functions here need of an activation. */
export type MomentSource = Pick<Activation, 'moments' | 'slopeAtZero'>;

export interface FixedPoint {
  /** The stable fixed point of the length map (0 when the signal collapses). */
  qStar: number;
  /** χ₁ = σ_w²·E[φ′(√q* z)²]. */
  chi1: number;
}

export interface CriticalPoint {
  /** σ_b² the point was solved for. */
  biasVar: number;
  /** σ_w² = n·Var[w] on the order-to-chaos line at this σ_b². */
  criticalWeightVar: number;
  /** The length map's fixed point there. */
  qStar: number;
  /** χ₁ at (σ_w², q*): 1 up to the solver's tolerance. */
  chi1: number;
}

export interface PhasePoint {
  sigmaW2: number;
  sigmaB2: number;
}

/** Relative tolerance of {@link criticalPoint} on σ_w² (and of the fixed point on q*). */
export const CRITICAL_RELATIVE_TOLERANCE = 1e-8;

/**
 * A bracketing root finder: Brent's method (Brent 1973, "Algorithms for Minimization without
 * Derivatives", ch. 4; the `zeroin` algorithm), which keeps a sign change and falls back to
 * bisection whenever inverse quadratic / secant steps do not shrink the bracket fast enough.
 * `f(a)` and `f(b)` must have opposite signs (or one be 0). Stops when the bracket is narrower
 * than `tolerance`·max(|x|, tiny).
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, tolerance = 1e-14, maxIterations = 200): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (!(Math.sign(fa) !== Math.sign(fb))) throw new RangeError(`brentRoot: no sign change on [${a}, ${b}]`);
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIterations; i++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tolerance * Math.max(Math.abs(b), 1e-300);
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}

/** A q small enough that the moments there are their q → 0 limits to ~1e-10 relative. */
export const Q_NEAR_ZERO = 1e-10;

/**
 * Whether q = 0 is a fixed point of the length map at σ_b² = 0 (φ(0) = 0, so m2(q) → 0 with q), and
 * the map's slope there, σ_w²·lim m2(q)/q (σ_w²·φ′(0)² for a smooth φ, σ_w²·m2(1) for a positively
 * homogeneous one). Read from the moments alone: m2 doubles with q near 0 exactly when φ(0) = 0.
 */
function originOfLengthMap(activation: MomentSource, sigmaW2: number): { fixed: boolean; slope: number } {
  const near = activation.moments(Q_NEAR_ZERO).secondMoment;
  const twice = activation.moments(2 * Q_NEAR_ZERO).secondMoment;
  const fixed = near === 0 || Math.abs(twice / near - 2) < 1e-2;
  return { fixed, slope: (sigmaW2 * near) / Q_NEAR_ZERO };
}

/**
 * lim d2(q) as q → 0: φ′(0)² for a φ smooth at 0 (taken exactly from `slopeAtZero`), and the
 * constant d2 of a φ with a kink at 0 (relu: 1/2, not φ′(0)² = 1).
 */
function derivativeMomentAtOrigin(activation: MomentSource): number {
  const near = activation.moments(Q_NEAR_ZERO).derivativeSecondMoment;
  const slope2 = activation.slopeAtZero ** 2;
  return Math.abs(near - slope2) <= 1e-6 * Math.max(slope2, 1e-300) ? slope2 : near;
}

/**
 * The stable fixed point q* of q ↦ σ_w²·m2(q) + σ_b² and χ₁ there. When σ_b² = 0 and φ(0) = 0, q = 0
 * is a fixed point; it is the stable one when the map's slope there is at most 1 (σ_w²·φ′(0)² ≤ 1 for
 * a smooth φ; σ_w²·m2(1) ≤ 1 for relu-like φ, whose map is linear: at equality every q is fixed and
 * q* = 0 is reported), and χ₁ = σ_w²·lim d2(q) as q → 0. Otherwise q* is the root of
 * g(q) = σ_w²·m2(q) + σ_b² − q, positive near 0 and negative for large q (a saturating φ); iterating
 * the map itself would crawl near χ₁ = 1, exactly where it matters. Returns NaNs when g keeps a
 * positive sign (the map has no finite fixed point, e.g. relu with σ_w² ≥ 2 and σ_b² > 0).
 */
export function lengthFixedPoint(activation: MomentSource, sigmaW2: number, sigmaB2: number): FixedPoint {
  if (sigmaB2 === 0) {
    const origin = originOfLengthMap(activation, sigmaW2);
    if (origin.fixed && origin.slope <= 1 + 1e-9) return { qStar: 0, chi1: sigmaW2 * derivativeMomentAtOrigin(activation) };
  }
  const g = (q: number): number => sigmaW2 * activation.moments(q).secondMoment + sigmaB2 - q;
  // The first sign change on a doubling grid from small q: the stable fixed point a small signal
  // reaches (gelu with σ_w² > 2 has a small stable one below a large unstable one).
  let lo = sigmaB2 > 0 ? Math.min(1e-9, sigmaB2 / 2) : 1e-9;
  let glo = g(lo);
  let hi = 2 * lo;
  let ghi = g(hi);
  for (let i = 0; glo > 0 && ghi > 0 && i < 160; i++) {
    lo = hi;
    glo = ghi;
    hi *= 2;
    ghi = g(hi);
  }
  if (!(glo > 0) || !(ghi <= 0)) return { qStar: NaN, chi1: NaN };
  const qStar = brentRoot(g, lo, hi, 1e-14);
  return { qStar, chi1: sigmaW2 * activation.moments(qStar).derivativeSecondMoment };
}

/**
 * The point of the order-to-chaos line whose fixed point is q: solving q = σ_w²·m2(q) + σ_b² and
 * σ_w²·d2(q) = 1 gives σ_w² = 1/d2(q) and σ_b² = q − m2(q)/d2(q). Exact (no root finding).
 */
export function lineAtFixedPoint(activation: MomentSource, qStar: number): PhasePoint {
  const { secondMoment, derivativeSecondMoment } = activation.moments(qStar);
  const sigmaW2 = 1 / derivativeSecondMoment;
  return { sigmaW2, sigmaB2: qStar - sigmaW2 * secondMoment };
}

/**
 * True for activations with an order-to-chaos line in the (σ_w², σ_b²) plane: odd (m1 = 0), with
 * φ′(0) > 0, and saturating (m2 grows much slower than q), such as tanh, erf or x/(1+|x|). For
 * relu-like activations χ₁ = σ_w²·d2 does not depend on q and the line degenerates.
 */
export function hasOrderToChaosLine(activation: Pick<Activation, 'moments' | 'predictionKind' | 'slopeAtZero'>): boolean {
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

/** The largest q* searched for a critical point (tanh reaches σ_b² = 10 near q* ≈ 30). */
const MAX_Q_STAR = 1e6;

/**
 * The critical weight variance σ_w² on the order-to-chaos line χ₁ = 1 at bias variance σ_b², and
 * the fixed point q* there, to {@link CRITICAL_RELATIVE_TOLERANCE} relative. Solves
 * σ_b²(q) = q − m2(q)/d2(q) = σ_b² for q* with {@link brentRoot} (the line is monotone in q* for
 * odd saturating φ), then σ_w² = 1/d2(q*). At σ_b² = 0 the line ends at (1/φ′(0)², q* = 0).
 *
 * For tanh at σ_b² = 0.05: σ_w² = 1.76095…, Schoenholz et al. 2017, fig. 1.
 * @throws InputError for a σ_b² that is negative or not finite, an activation without an
 *   order-to-chaos line ({@link hasOrderToChaosLine}), or a σ_b² the line does not reach.
 */
export function criticalPoint(
  activation: Pick<Activation, 'moments' | 'predictionKind' | 'slopeAtZero' | 'label'>,
  biasVar: number,
): CriticalPoint {
  if (typeof biasVar !== 'number' || !Number.isFinite(biasVar) || biasVar < 0) {
    throw new InputError('bias variance σ_b²', biasVar, 'a finite number ≥ 0');
  }
  if (!hasOrderToChaosLine(activation)) {
    throw new InputError('activation', activation.label, 'an odd, saturating activation with φ′(0) > 0 (tanh, erf, x/(1+abs(x)), …)', 'Only those have an order-to-chaos line χ₁ = 1 in the (σ_w², σ_b²) plane');
  }
  if (biasVar === 0) {
    const criticalWeightVar = 1 / activation.slopeAtZero ** 2;
    return { biasVar, criticalWeightVar, qStar: 0, chi1: 1 };
  }
  const h = (q: number): number => lineAtFixedPoint(activation, q).sigmaB2 - biasVar;
  // Bracket on a geometric grid from tiny q*, where σ_b²(q*) ≈ 0 < σ_b².
  let lo = 1e-6;
  let hlo = h(lo);
  if (!(hlo < 0)) lo = 1e-9;
  hlo = h(lo);
  let hi = lo;
  let hhi = hlo;
  while (hhi < 0 && hi < MAX_Q_STAR) {
    lo = hi;
    hlo = hhi;
    hi *= 1.5;
    hhi = h(hi);
  }
  if (!(hlo < 0) || !(hhi >= 0)) {
    throw new InputError('bias variance σ_b²', biasVar, `a σ_b² the order-to-chaos line of ${activation.label} reaches`, `No fixed point q* ≤ ${MAX_Q_STAR} has χ₁ = 1 there`);
  }
  // q* to 1e-13 relative makes σ_w² = 1/d2(q*) far better than 1e-8.
  const qStar = brentRoot(h, lo, hi, 1e-13);
  const { sigmaW2 } = lineAtFixedPoint(activation, qStar);
  return { biasVar, criticalWeightVar: sigmaW2, qStar, chi1: sigmaW2 * activation.moments(qStar).derivativeSecondMoment };
}

/**
 * Points on the order-to-chaos line χ₁ = 1 for drawing, each exactly on the line
 * ({@link lineAtFixedPoint} on a geometric grid in q*, where the line bends most near q* = 0),
 * starting at the end point (1/φ′(0)², 0) and ending exactly at σ_b² = maxSigmaB2
 * ({@link criticalPoint}). Points with σ_b² outside [0, maxSigmaB2] are dropped.
 */
export function orderToChaosLine(activation: Pick<Activation, 'moments' | 'predictionKind' | 'slopeAtZero' | 'label'>, maxSigmaB2 = 0.5, samples = 60): PhasePoint[] {
  const points: PhasePoint[] = [{ sigmaW2: 1 / activation.slopeAtZero ** 2, sigmaB2: 0 }];
  let reachedEnd = false;
  for (let i = 0; i < samples; i++) {
    const q = 1e-3 * 1e4 ** (i / (samples - 1));
    const point = lineAtFixedPoint(activation, q);
    if (!Number.isFinite(point.sigmaW2) || !Number.isFinite(point.sigmaB2) || point.sigmaB2 < 0) continue;
    if (point.sigmaB2 > maxSigmaB2) {
      reachedEnd = true;
      break;
    }
    points.push(point);
  }
  if (reachedEnd && hasOrderToChaosLine(activation)) {
    const end = criticalPoint(activation, maxSigmaB2);
    points.push({ sigmaW2: end.criticalWeightVar, sigmaB2: maxSigmaB2 });
  }
  return points.sort((a, b) => a.sigmaB2 - b.sigmaB2);
}
