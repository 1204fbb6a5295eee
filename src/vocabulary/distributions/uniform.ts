/** The symmetric uniform law U(−a, a): torch's `uniform_`, `xavier_uniform_`, `kaiming_uniform_`. */
import type { RandomSource } from '../../math/random.js';
import type { WeightDistribution } from '../distribution.js';
import { formatParameter, requireParameter } from './parameters.js';

/**
 * U(−a, a) with a = `bound`: mean 0, variance E[w²] = (1/2a)∫w² dw = a²/3, fourth moment a⁴/5.
 */
export function uniformDistribution(bound: number): WeightDistribution {
  const a = requireParameter('bound', bound);
  return {
    name: 'uniform',
    params: { bound: a },
    label: `U(-${formatParameter(a)}, ${formatParameter(a)})`,
    latex: '\\mathcal{U}(-a, a)',
    mean: 0,
    variance: (a * a) / 3,
    fourthMoment: a ** 4 / 5,
    varianceExpression: 'a^2/3',
    varianceLatex: '\\frac{a^2}{3}',
    notes: [`std = a/√3 = ${formatParameter(a / Math.sqrt(3))}`],
    sample(random: RandomSource, out: Float32Array | Float64Array): void {
      random.fillUniform(out, -a, a);
    },
  };
}
