/**
 * The normal law truncated at ±2σ (values beyond two standard deviations are re-drawn), as used by
 * TensorFlow's `truncated_normal` and Keras' `TruncatedNormal` / `VarianceScaling`.
 *
 * With Z ~ N(0, 1) restricted to |Z| < α (α = 2), mass M = 2Φ(α) − 1 = erf(α/√2) and
 *   E[Z²] = 1 − 2αφ(α)/M,   E[Z⁴] = 3 − (2α³ + 6α)φ(α)/M
 * (integrate z²φ and z⁴φ by parts: ∫z^kφ = −z^{k−1}φ + (k−1)∫z^{k−2}φ).
 */
import type { RandomSource } from '../../math/random.js';
import type { WeightDistribution } from '../distribution.js';
import { formatParameter, requireParameter } from './parameters.js';

/** Truncation point in units of the pre-truncation σ. */
export const TRUNCATION = 2;

/**
 * Keras divides the target stddev by this number so that the variance *after* truncation is the
 * target: keras/src/initializers/random_initializers.py, `VarianceScaling.__call__`,
 * `stddev = math.sqrt(scale) / 0.87962566103423978` ("constant from scipy.stats.truncnorm.std(a=-2,
 * b=2, loc=0., scale=1.)"). It is √E[Z²] of the ±2 truncation; see {@link TRUNCATED_STD_FACTOR}.
 */
export const KERAS_TRUNCATED_STD_FACTOR = 0.87962566103423978;

/** erf(x) by its everywhere-positive series erf(x) = (2/√π)e^{−x²} Σ 2ⁿx^{2n+1}/(2n+1)!!; exact to rounding for |x| ≤ 3. */
export function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

function standardNormalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** P(|Z| < α) = erf(α/√2). */
const TRUNCATED_MASS = erfSeries(TRUNCATION / Math.SQRT2);

/** E[Z² | |Z| < 2] = 1 − 4φ(2)/(2Φ(2) − 1) ≈ 0.7737413. */
export const TRUNCATED_VARIANCE_FACTOR = 1 - (2 * TRUNCATION * standardNormalPdf(TRUNCATION)) / TRUNCATED_MASS;

/** √E[Z² | |Z| < 2] ≈ 0.8796256610342398: the actual std of a ±2σ-truncated normal per unit σ. */
export const TRUNCATED_STD_FACTOR = Math.sqrt(TRUNCATED_VARIANCE_FACTOR);

/** E[Z⁴ | |Z| < 2] = 3 − 28φ(2)/(2Φ(2) − 1). */
export const TRUNCATED_FOURTH_MOMENT_FACTOR =
  3 - ((2 * TRUNCATION ** 3 + 6 * TRUNCATION) * standardNormalPdf(TRUNCATION)) / TRUNCATED_MASS;

/**
 * N(0, σ²) truncated to (−2σ, 2σ), σ = `std` being the *pre-truncation* standard deviation.
 * Variance 0.7737·σ², so the actual std is 0.8796·σ.
 */
export function truncatedNormalDistribution(std: number): WeightDistribution {
  const sigma = requireParameter('std', std);
  const actualStd = sigma * TRUNCATED_STD_FACTOR;
  return {
    name: 'truncated_normal',
    params: { std: sigma, actualStd },
    label: `TN(0, ${formatParameter(sigma)}², ±2σ)`,
    latex: '\\mathcal{N}_{[-2\\sigma, 2\\sigma]}(0, \\sigma^2)',
    mean: 0,
    variance: sigma * sigma * TRUNCATED_VARIANCE_FACTOR,
    fourthMoment: sigma ** 4 * TRUNCATED_FOURTH_MOMENT_FACTOR,
    varianceExpression: 'sigma^2*(1-4*exp(-2)/(sqrt(2*pi)*erf(sqrt(2))))',
    varianceLatex: '\\sigma^2\\left(1-\\frac{4\\,\\varphi(2)}{2\\Phi(2)-1}\\right)',
    notes: [
      `pre-truncation σ = ${formatParameter(sigma)}, actual std = ${formatParameter(actualStd)} (= ${TRUNCATED_STD_FACTOR.toFixed(8)}·σ)`,
    ],
    sample(random: RandomSource, out: Float32Array | Float64Array): void {
      // Rejection: redraw outside ±2 (acceptance 95.4%), as TensorFlow's truncated_normal does.
      for (let i = 0; i < out.length; i++) {
        let z = random.normal();
        while (z <= -TRUNCATION || z >= TRUNCATION) z = random.normal();
        out[i] = sigma * z;
      }
    },
  };
}

/** The ±2σ-truncated normal whose variance *after* truncation is `variance` (the Keras convention). */
export function truncatedNormalWithVariance(variance: number): WeightDistribution {
  const target = requireParameter('variance', variance);
  return truncatedNormalDistribution(Math.sqrt(target) / KERAS_TRUNCATED_STD_FACTOR);
}
