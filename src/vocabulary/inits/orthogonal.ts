/**
 * Orthogonal initialization (Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of
 * learning in deep linear neural networks"; torch.nn.init.orthogonal_, Keras Orthogonal): a
 * Haar-random semi-orthogonal n_in×n_out matrix times the gain. Every entry has variance
 * gain²/max(n_in, n_out) exactly (see distributions/orthogonal.ts).
 */
import type { ResolvedInit } from '../init.js';
import { orthogonalDistribution } from '../distributions/orthogonal.js';
import { numberExpression, numberLatex, numberOption, presetLabel, type InitOptions, type InitPresetEntry } from './options.js';

export const orthogonal: InitPresetEntry = {
  name: 'orthogonal',
  aliases: [],
  options: ['gain'],
  description: 'Haar semi-orthogonal n_in×n_out matrix times gain (torch.nn.init.orthogonal_); Var[w] = gain²/max(n_in, n_out)',
  resolve(fanIn: number, fanOut: number, options: InitOptions): ResolvedInit {
    const gain = numberOption(options, 'gain', 1);
    const plain = gain === 1;
    return {
      name: 'orthogonal',
      label: presetLabel('orthogonal', { gain: plain ? undefined : gain }),
      distribution: orthogonalDistribution(gain, fanIn, fanOut),
      variance: (gain * gain) / Math.max(fanIn, fanOut),
      varianceExpression: `${plain ? '1' : `${numberExpression(gain)}^2`}/max(n_in, n_out)`,
      varianceLatex: `\\frac{${plain ? '1' : `${numberLatex(gain)}^2`}}{\\max(n_\\text{in}, n_\\text{out})}`,
      source: 'Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks"; torch.nn.init.orthogonal_',
    };
  },
};
