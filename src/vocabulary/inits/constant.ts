/**
 * Constant initialization (torch.nn.init.constant_ / zeros_): every weight equals `value`, so
 * Var[w] = 0 and no signal variance passes beyond the mean; a cautionary baseline.
 */
import type { ResolvedInit } from '../init.js';
import { constantDistribution } from '../distributions/constant.js';
import { numberOption, presetLabel, type InitOptions, type InitPresetEntry } from './options.js';

export const constant: InitPresetEntry = {
  name: 'constant',
  aliases: ['zeros'],
  options: ['value'],
  description: 'every weight equal to value (default 0), as torch.nn.init.constant_; Var[w] = 0',
  resolve(_fanIn: number, _fanOut: number, options: InitOptions): ResolvedInit {
    const value = numberOption(options, 'value', 0, { allowNegative: true });
    return {
      name: 'constant',
      label: presetLabel('constant', { value }),
      distribution: constantDistribution(value),
      variance: 0,
      varianceExpression: '0',
      varianceLatex: '0',
      source: 'torch.nn.init.constant_',
    };
  },
};
