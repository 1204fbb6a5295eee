/**
 * Gaussian expectations E[f(√q z)], z ~ N(0, 1), computed to near machine precision.
 *
 * Method: composite Gauss–Legendre quadrature of f(√q z)·ϕ(z) over z, on panels of width
 * min(1, 1/√q) (so a panel spans at most one unit of the activation's own scale as well as one
 * standard deviation), split at the integrand's kinks (x = k maps to z = k/√q). The core range
 * |z| ≤ 8 is always covered; beyond it panels are added outwards until they stop contributing
 * (relative 1e-18), which also handles integrands that grow exponentially. A 20-point rule on such
 * panels integrates analytic integrands to ~1e-15; the split at kinks keeps piecewise-smooth ones
 * (relu, elu, ...) just as accurate.
 *
 * @example
 * ```ts
 * gaussianExpectation((x) => Math.tanh(x) ** 2, 1); // 0.3942944903...
 * gaussianExpectation((x) => Math.max(0, x), 4, { kinks: [0] }); // √(4/2π)
 * ```
 */

/** Nodes and weights of an n-point Gauss–Legendre rule on [−1, 1]. */
export interface GaussLegendreRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/** Options for {@link gaussianExpectation}. */
export interface GaussianExpectationOptions {
  /** Points x (in the integrand's own units) where it or its derivative is not smooth. */
  readonly kinks?: readonly number[];
  /** Gauss–Legendre points per panel (default 20). */
  readonly order?: number;
}

const DEFAULT_ORDER = 20;
/** |z| always covered; beyond it, panels are added while they still contribute. */
const CORE_HALF_WIDTH = 8;
/** ϕ(40) ≈ 1e-348 underflows to 0: nothing beyond can contribute. */
const MAX_HALF_WIDTH = 40;
/** A tail panel is negligible when its |contribution| is below this fraction of the running |total|. */
const TAIL_RELATIVE_CUTOFF = 1e-18;
/** |x| within which an activation's kinks and bends lie (tanh and sigmoid saturate well inside it). */
const FEATURE_HALF_WIDTH = 40;
/** Growth of panel widths between the fine region and the core edge. */
const GRADED_RATIO = 1.25;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Computes an n-point Gauss–Legendre rule by Newton's method on the Legendre polynomial P_n
 * (initial guesses cos(π(i − 1/4)/(n + 1/2)), Abramowitz & Stegun 22.16.6).
 */
export function gaussLegendreRule(order: number): GaussLegendreRule {
  if (!Number.isInteger(order) || order < 2 || order > 200) {
    throw new RangeError(`Gauss–Legendre order must be an integer in 2..200, got ${order}`);
  }
  const nodes = new Float64Array(order);
  const weights = new Float64Array(order);
  for (let i = 0; i < Math.ceil(order / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (order + 0.5));
    let slope = legendreSlope(order, x);
    for (let iteration = 0; iteration < 100; iteration++) {
      const step = legendre(order, x)[0] / slope;
      x -= step;
      slope = legendreSlope(order, x);
      if (Math.abs(step) < 1e-16) break;
    }
    const weight = 2 / ((1 - x * x) * slope * slope);
    nodes[i] = -x;
    nodes[order - 1 - i] = x;
    weights[i] = weight;
    weights[order - 1 - i] = weight;
  }
  if (order % 2 === 1) nodes[(order - 1) / 2] = 0;
  return { nodes, weights };
}

/** [P_n(x), P_{n−1}(x)] by the three-term recurrence. */
function legendre(order: number, x: number): [number, number] {
  let previous = 1;
  let current = x;
  for (let k = 2; k <= order; k++) {
    const next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
    previous = current;
    current = next;
  }
  return [current, previous];
}

/** P_n′(x) = n (x P_n − P_{n−1}) / (x² − 1). */
function legendreSlope(order: number, x: number): number {
  const [current, previous] = legendre(order, x);
  return (order * (x * current - previous)) / (x * x - 1);
}

const defaultRule = gaussLegendreRule(DEFAULT_ORDER);

/**
 * E[f_k(√q z)] for several integrands at once (they share the nodes, so φ can be evaluated once per
 * node by the caller's closures). Returns NaN for an integrand that is non-finite where the Gaussian
 * weight is not zero; callers turn that into a user-facing error.
 */
export function gaussianExpectations(
  integrands: ReadonlyArray<(x: number) => number>,
  q: number,
  options: GaussianExpectationOptions = {},
): number[] {
  if (!(q > 0) || !Number.isFinite(q)) throw new RangeError(`q must be a positive finite number, got ${q}`);
  const rule = options.order === undefined || options.order === DEFAULT_ORDER ? defaultRule : gaussLegendreRule(options.order);
  const scale = Math.sqrt(q);
  const kinkPoints = (options.kinks ?? [])
    .map((kink) => kink / scale)
    .filter((z) => Number.isFinite(z) && Math.abs(z) < MAX_HALF_WIDTH)
    .sort((a, b) => a - b);
  const panelWidth = Math.min(1, 1 / scale);
  const count = integrands.length;
  const totals = new Array<number>(count).fill(0);
  const absoluteTotals = new Array<number>(count).fill(0);
  const panel = new Array<number>(count).fill(0);
  const panelAbsolute = new Array<number>(count).fill(0);

  /** Integrates over [a, b] (split at kinks inside), adding into panel/panelAbsolute. */
  const integrateSmooth = (a: number, b: number): void => {
    const halfLength = (b - a) / 2;
    const middle = (a + b) / 2;
    for (let j = 0; j < rule.nodes.length; j++) {
      const z = middle + halfLength * rule.nodes[j];
      const weight = rule.weights[j] * halfLength * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
      if (weight === 0) continue;
      const x = scale * z;
      for (let k = 0; k < count; k++) {
        const term = weight * integrands[k](x);
        panel[k] += term;
        panelAbsolute[k] += Math.abs(term);
      }
    }
  };
  const integratePanel = (a: number, b: number): void => {
    panel.fill(0);
    panelAbsolute.fill(0);
    let start = a;
    for (const kink of kinkPoints) {
      if (kink > start && kink < b) {
        integrateSmooth(start, kink);
        start = kink;
      }
    }
    integrateSmooth(start, b);
    for (let k = 0; k < count; k++) {
      totals[k] += panel[k];
      absoluteTotals[k] += panelAbsolute[k];
    }
  };
  const negligible = (): boolean => {
    for (let k = 0; k < count; k++) {
      if (Number.isNaN(panelAbsolute[k])) return true; // already poisoned; more panels cannot help
      if (panelAbsolute[k] > TAIL_RELATIVE_CUTOFF * absoluteTotals[k]) return false;
    }
    return true;
  };

  // Activations change character within |x| ≲ FEATURE_HALF_WIDTH, i.e. |z| ≲ FEATURE_HALF_WIDTH/√q: panels
  // of width 1/√q there; beyond, the integrand is smooth on the scale of z itself, so panels grow
  // geometrically. Without the grading a large q (1e12) would need 1e7 panels.
  const fineHalfWidth = Math.min(CORE_HALF_WIDTH, FEATURE_HALF_WIDTH / scale);
  const finePanels = Math.ceil((2 * fineHalfWidth) / panelWidth);
  const fineStep = (2 * fineHalfWidth) / finePanels;
  for (let p = 0; p < finePanels; p++) {
    integratePanel(-fineHalfWidth + p * fineStep, -fineHalfWidth + (p + 1) * fineStep);
  }
  for (let inner = fineHalfWidth; inner < CORE_HALF_WIDTH; ) {
    const outer = Math.min(CORE_HALF_WIDTH, inner * GRADED_RATIO);
    integratePanel(inner, outer);
    integratePanel(-outer, -inner);
    inner = outer;
  }
  const tailStep = Math.max(fineStep, Math.min(1, fineStep * finePanels));
  for (const side of [1, -1]) {
    for (let inner = CORE_HALF_WIDTH; inner < MAX_HALF_WIDTH; inner += tailStep) {
      const outer = Math.min(inner + tailStep, MAX_HALF_WIDTH);
      if (side > 0) integratePanel(inner, outer);
      else integratePanel(-outer, -inner);
      if (negligible()) break;
    }
  }
  return totals.map((total) => (Number.isFinite(total) ? total : Number.NaN));
}

/** E[f(√q z)], z ~ N(0, 1). See {@link gaussianExpectations}. */
export function gaussianExpectation(f: (x: number) => number, q: number, options: GaussianExpectationOptions = {}): number {
  return gaussianExpectations([f], q, options)[0];
}

/** One closed form checked against quadrature at one q. */
export interface ClosedFormComparison {
  q: number;
  closedForm: number;
  quadrature: number;
  /** |closedForm − quadrature| / max(1, |quadrature|). */
  error: number;
}

/** Result of {@link compareWithQuadrature}. */
export interface ClosedFormCheck {
  /** True when every comparison is within the tolerance. */
  agrees: boolean;
  /** The comparison with the largest error. */
  worst: ClosedFormComparison;
  comparisons: ClosedFormComparison[];
}

/**
 * Checks a closed form g(q) = E[f(√q z)] against quadrature at each q. The error is absolute for
 * values up to 1 and relative above (moments at q = 25 are O(10)). Default tolerance 1e-9.
 *
 * @example
 * ```ts
 * compareWithQuadrature((q) => q / 2, (x) => (x > 0 ? x * x : 0), [0.5, 1, 4], { kinks: [0] }).agrees; // true
 * ```
 */
export function compareWithQuadrature(
  closedForm: (q: number) => number,
  integrand: (x: number) => number,
  qs: readonly number[],
  options: GaussianExpectationOptions & { tolerance?: number } = {},
): ClosedFormCheck {
  const tolerance = options.tolerance ?? 1e-9;
  const comparisons = qs.map((q): ClosedFormComparison => {
    const quadrature = gaussianExpectation(integrand, q, options);
    const exact = closedForm(q);
    const error = Math.abs(exact - quadrature) / Math.max(1, Math.abs(quadrature));
    return { q, closedForm: exact, quadrature, error: Number.isNaN(error) ? Number.POSITIVE_INFINITY : error };
  });
  const worst = comparisons.reduce((a, b) => (b.error > a.error ? b : a));
  return { agrees: worst.error <= tolerance, worst, comparisons };
}

/** A zero-mean bivariate Gaussian (u, v): Var[u] = q1, Var[v] = q2, Cov[u, v] = covariance. */
export interface BivariateGaussian {
  readonly q1: number;
  readonly q2: number;
  readonly covariance: number;
}

/** Options for {@link bivariateGaussianExpectation}: the kinks of each integrand, in its own units. */
export interface BivariateExpectationOptions {
  readonly kinksF?: readonly number[];
  readonly kinksG?: readonly number[];
}

/** Breakpoints around a kink of the inner integrand, in units of the inner standard deviation. */
const INNER_SCALE_BREAKS = [0.25, 0.5, 1, 2, 4, 8];

/**
 * E[f(u)·g(v)] for a zero-mean bivariate Gaussian (u, v), to near machine precision for
 * piecewise-smooth f and g: the c-map's E[φ(u)φ(v)] (Poole et al. 2016, eq. 5).
 *
 * Method: iterated Gauss–Legendre quadrature, each level the 1-D rule of
 * {@link gaussianExpectations}. Write v = (k/q1)·u + s·z with z ~ N(0, 1) independent of u and
 * s² = q2 − k²/q1 (k the covariance); then E[f(u) g(v)] = E_u[f(u)·G(u)] with
 * G(u) = E_z[g((k/q1)·u + s·z)], itself a 1-D Gaussian expectation (split at g's kinks). G is smooth
 * but bends on the scale s/|k/q1| around u = kink·q1/k; the outer rule splits there and at
 * geometric distances from it, so a correlation near ±1 (small s) is as accurate as c = 0. At
 * |c| = 1 (s = 0) G(u) = g((k/q1)·u) exactly.
 *
 * @example
 * ```ts
 * // relu at c = 1/2, θ = π/3: the arc-cosine kernel (sin θ + (π − θ) cos θ)/(2π) = (√3/2 + π/3)/(2π) (Cho & Saul 2009)
 * bivariateGaussianExpectation((x) => Math.max(0, x), (x) => Math.max(0, x), { q1: 1, q2: 1, covariance: 0.5 }, { kinksF: [0], kinksG: [0] });
 * ```
 */
export function bivariateGaussianExpectation(
  f: (x: number) => number,
  g: (x: number) => number,
  law: BivariateGaussian,
  options: BivariateExpectationOptions = {},
): number {
  const { q1, q2, covariance } = law;
  if (!(q1 > 0) || !Number.isFinite(q1) || !(q2 > 0) || !Number.isFinite(q2)) throw new RangeError(`variances must be positive finite numbers, got ${q1}, ${q2}`);
  if (!Number.isFinite(covariance) || Math.abs(covariance) > Math.sqrt(q1 * q2) * (1 + 1e-12)) {
    throw new RangeError(`covariance must satisfy |k| ≤ √(q1·q2), got ${covariance} for ${q1}, ${q2}`);
  }
  const kinksF = options.kinksF ?? [];
  const kinksG = options.kinksG ?? [];
  const slope = covariance / q1;
  const innerVariance = Math.max(0, q2 - covariance * slope);
  const innerScale = Math.sqrt(innerVariance);
  // Below this the inner law is a point mass to double precision (relative to v's own scale).
  const degenerate = innerVariance <= 1e-28 * q2;
  const inner = (u: number): number => {
    const shift = slope * u;
    if (degenerate) return g(shift);
    return gaussianExpectation((y) => g(shift + y), innerVariance, { kinks: kinksG.map((kink) => kink - shift) });
  };
  const outerKinks = [...kinksF];
  if (slope !== 0) {
    for (const kink of kinksG) {
      const centre = kink / slope;
      outerKinks.push(centre);
      if (!degenerate) {
        const width = innerScale / Math.abs(slope);
        for (const m of INNER_SCALE_BREAKS) outerKinks.push(centre - m * width, centre + m * width);
      }
    }
  }
  return gaussianExpectation((u) => {
    const value = f(u);
    return value === 0 ? 0 : value * inner(u);
  }, q1, { kinks: outerKinks });
}
