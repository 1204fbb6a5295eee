/** The normal law N(0, σ²): torch's `normal_`, `xavier_normal_` and `kaiming_normal_` draw from it. */
import type { RandomSource } from '../../math/random.js';
import type { WeightDistribution } from '../distribution.js';
import { formatParameter, requireParameter } from './parameters.js';

/** N(0, σ²) with σ = `std`: mean 0, variance σ², fourth moment 3σ⁴. */
export function normalDistribution(std: number): WeightDistribution {
  const sigma = requireParameter('std', std);
  return {
    name: 'normal',
    params: { std: sigma },
    label: `N(0, ${formatParameter(sigma)}²)`,
    latex: '\\mathcal{N}(0, \\sigma^2)',
    mean: 0,
    variance: sigma * sigma,
    fourthMoment: 3 * sigma ** 4,
    varianceExpression: 'sigma^2',
    varianceLatex: '\\sigma^2',
    notes: [],
    sample(random: RandomSource, out: Float32Array | Float64Array): void {
      random.fillNormal(out, 0, sigma);
    },
  };
}
