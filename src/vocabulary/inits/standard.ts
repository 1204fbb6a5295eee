/**
 * The "commonly used heuristic" Glorot & Bengio 2010 compare against (eq. 1):
 * W_ij ~ U[−1/√n, 1/√n] with n the size of the previous layer (fan_in), so Var[w] = 1/(3n) and
 * n·Var[w] = 1/3: the forward variance shrinks by 3 per layer, the problem Xavier init fixes.
 */
import type { ResolvedInit } from '../init.js';
import { uniformDistribution } from '../distributions/uniform.js';
import type { InitOptions, InitPresetEntry } from './options.js';

export const standard: InitPresetEntry = {
  name: 'standard',
  aliases: ['glorot_bengio_standard'],
  options: [],
  description: 'U[−1/√n_in, 1/√n_in], the heuristic of Glorot & Bengio 2010 eq. 1; Var[w] = 1/(3·n_in)',
  resolve(fanIn: number, _fanOut: number, _options: InitOptions): ResolvedInit {
    return {
      name: 'standard',
      label: 'standard',
      distribution: uniformDistribution(1 / Math.sqrt(fanIn)),
      variance: 1 / (3 * fanIn),
      varianceExpression: '1/(3*n_in)',
      varianceLatex: '\\frac{1}{3\\,n_\\text{in}}',
      source: 'Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks", eq. 1',
    };
  },
};
