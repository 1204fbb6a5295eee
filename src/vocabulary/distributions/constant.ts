/** The point mass at c: torch's `constant_` / `zeros_`. Every weight equal, so variance 0. */
import type { WeightDistribution } from '../distribution.js';
import { formatParameter, requireFinite } from './parameters.js';

/** All weights equal to `value`: mean c, variance 0, fourth moment c⁴. */
export function constantDistribution(value: number): WeightDistribution {
  const c = requireFinite('value', value);
  return {
    name: 'constant',
    params: { value: c },
    label: `constant(${formatParameter(c)})`,
    latex: '\\delta_c',
    mean: c,
    variance: 0,
    fourthMoment: c ** 4,
    varianceExpression: '0',
    varianceLatex: '0',
    notes:
      c === 0
        ? ['all weights zero: every unit computes the same thing and the signal is lost']
        : ['all weights equal: the units of a layer stay identical (symmetry is never broken)'],
    sample(_random, out): void {
      out.fill(c);
    },
  };
}
