/**
 * erf: φ(x) = erf(x), odd and saturating; the activation with Williams' (1997) arcsine kernel,
 * m2(q) = (2/π)·arcsin(2q/(1 + 2q)).
 *
 * This file also holds erf, erfc and the scaled erfcx = e^{x²}·erfc(x), shared with gelu and elu:
 * W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969)
 * 631–637, as implemented in netlib specfun/erf (1987); coefficients as in mathjs' erf.js. Accuracy
 * is near double precision everywhere, and erfc/erfcx keep it in the tails where 1 − erf would not.
 */
import type { Activation } from '../activation.js';
import { assertVariance, type ActivationKind } from './kind.js';

const THRESHOLD = 0.46875;
const INV_SQRT_PI = 5.6418958354775628695e-1;
// Cody's coefficients: |x| ≤ 0.46875 (erf), 0.46875 < |x| ≤ 4 (erfc), |x| > 4 (erfc, asymptotic).
const SMALL_P = [3.1611237438705656, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const SMALL_Q = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const MIDDLE_P = [
  5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2,
  1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const MIDDLE_Q = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
  4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const LARGE_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const LARGE_Q = [2.56852019228982242, 1.87295284992346047, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];

/** erf(y)/y for |y| ≤ 0.46875. */
function erfSmallRatio(y: number): number {
  const ysq = y * y;
  let numerator = SMALL_P[4] * ysq;
  let denominator = ysq;
  for (let i = 0; i < 3; i++) {
    numerator = (numerator + SMALL_P[i]) * ysq;
    denominator = (denominator + SMALL_Q[i]) * ysq;
  }
  return (numerator + SMALL_P[3]) / (denominator + SMALL_Q[3]);
}

/** e^{y²}·erfc(y) for y > 0.46875. */
function erfcxTail(y: number): number {
  if (y <= 4) {
    let numerator = MIDDLE_P[8] * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + MIDDLE_P[i]) * y;
      denominator = (denominator + MIDDLE_Q[i]) * y;
    }
    return (numerator + MIDDLE_P[7]) / (denominator + MIDDLE_Q[7]);
  }
  const ysq = 1 / (y * y);
  let numerator = LARGE_P[5] * ysq;
  let denominator = ysq;
  for (let i = 0; i < 4; i++) {
    numerator = (numerator + LARGE_P[i]) * ysq;
    denominator = (denominator + LARGE_Q[i]) * ysq;
  }
  const ratio = (ysq * (numerator + LARGE_P[4])) / (denominator + LARGE_Q[4]);
  return (INV_SQRT_PI - ratio) / y;
}

/** e^{−y²} computed as e^{−a²}·e^{−(y−a)(y+a)} with a = y rounded down to 1/16 (Cody's trick against cancellation). */
function gaussianFactor(y: number): number {
  const rounded = Math.trunc(y * 16) / 16;
  return Math.exp(-rounded * rounded) * Math.exp(-(y - rounded) * (y + rounded));
}

/** erfc(y) for y ≥ 0. */
function erfcPositive(y: number): number {
  if (y <= THRESHOLD) return 1 - y * erfSmallRatio(y);
  if (y > 27) return 0; // below the smallest double
  return gaussianFactor(y) * erfcxTail(y);
}

/** The error function erf(x) = (2/√π)∫₀ˣ e^{−t²} dt. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return x * erfSmallRatio(y);
  const value = 1 - erfcPositive(y);
  return x < 0 ? -value : value;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the right tail. */
export function erfc(x: number): number {
  if (x >= 0) return erfcPositive(x);
  return 2 - erfcPositive(-x);
}

/** The scaled complementary error function erfcx(x) = e^{x²}·erfc(x) (finite for large x). */
export function erfcx(x: number): number {
  const y = Math.abs(x);
  const positive = y <= THRESHOLD ? Math.exp(y * y) * (1 - y * erfSmallRatio(y)) : erfcxTail(y);
  return x >= 0 ? positive : 2 * Math.exp(y * y) - positive;
}

/** The standard normal CDF Φ(x) = erfc(−x/√2)/2, accurate in the left tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

const TWO_OVER_SQRT_PI = 2 * INV_SQRT_PI;

const erfActivation: Activation = {
  name: 'erf',
  label: 'erf',
  params: Object.freeze({}),
  latex: '\\operatorname{erf}(x)',
  derivativeLatex: '\\frac{2}{\\sqrt{\\pi}}\\, e^{-x^2}',
  expression: 'erf(x)',
  kinks: [],
  predictionKind: 'meanField',
  slopeAtZero: TWO_OVER_SQRT_PI,
  phi: erf,
  derivative: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x),
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) out[i] = erf(input[i]);
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }
  },
  moments(q) {
    assertVariance(q);
    return {
      q,
      mean: 0, // odd
      // Williams (1997), "Computing with infinite networks": E[erf(u)erf(v)] = (2/π) arcsin(2Σ_uv / √((1+2Σ_uu)(1+2Σ_vv))).
      secondMoment: (2 / Math.PI) * Math.asin((2 * q) / (1 + 2 * q)),
      // (4/π) E[e^{−2qz²}] = (4/π)/√(1 + 4q).
      derivativeSecondMoment: 4 / Math.PI / Math.sqrt(1 + 4 * q),
      closedForm: true,
    };
  },
  pytorchGain: null,
  assumptionNote: 'erf is odd, so a zero-mean input gives a zero-mean output; its slope at 0 is 2/√π ≈ 1.128.',
};

export const erfKind: ActivationKind = {
  name: 'erf',
  summary: 'error function, odd and saturating; closed-form arcsine moments',
  parameters: {},
  create: () => erfActivation,
};
