/**
 * Keras' VarianceScaling (keras/src/initializers/random_initializers.py): Var[w] = scale/n with n
 * the fan_in, fan_out or their average; drawn from a ±2σ-truncated normal whose stddev is divided by
 * 0.87962566103423978 so the variance *after* truncation is scale/n, from an untruncated normal,
 * or from U(−√(3·scale/n), √(3·scale/n)). Keras maps distribution 'normal' to 'truncated_normal'.
 */
import type { FanMode, ResolvedInit } from '../init.js';
import type { WeightDistribution } from '../distribution.js';
import { normalDistribution } from '../distributions/normal.js';
import { truncatedNormalWithVariance } from '../distributions/truncatedNormal.js';
import { uniformDistribution } from '../distributions/uniform.js';
import {
  choiceOption,
  fanExpression,
  fanLatex,
  fanValue,
  numberExpression,
  numberLatex,
  numberOption,
  presetLabel,
  type InitOptions,
  type InitPresetEntry,
} from './options.js';

export type VarianceScalingLaw = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** The zero-mean law with the given variance in each of Keras' three forms. */
export function lawWithVariance(law: VarianceScalingLaw, variance: number): WeightDistribution {
  if (law === 'truncated_normal') return truncatedNormalWithVariance(variance);
  if (law === 'untruncated_normal') return normalDistribution(Math.sqrt(variance));
  return uniformDistribution(Math.sqrt(3 * variance));
}

const SOURCE_KERAS = 'Keras VarianceScaling (keras/src/initializers/random_initializers.py)';

export const varianceScaling: InitPresetEntry = {
  name: 'variance_scaling',
  aliases: ['keras_variance_scaling'],
  options: ['scale', 'mode', 'distribution'],
  description:
    'Keras VarianceScaling(scale=1, mode=fan_in|fan_out|fan_avg, distribution=truncated_normal|untruncated_normal|uniform): Var[w] = scale/n',
  resolve(fanIn: number, fanOut: number, options: InitOptions): ResolvedInit {
    const scale = numberOption(options, 'scale', 1, { positive: true });
    const mode = choiceOption<FanMode>(options, 'mode', ['fan_in', 'fan_out', 'fan_avg'], 'fan_in');
    const given = choiceOption(options, 'distribution', ['truncated_normal', 'untruncated_normal', 'normal', 'uniform'] as const, 'truncated_normal');
    // Keras: `if distribution == "normal": distribution = "truncated_normal"`.
    const law: VarianceScalingLaw = given === 'normal' ? 'truncated_normal' : given;
    const variance = scale / fanValue(mode, fanIn, fanOut);
    const plain = scale === 1;
    return {
      name: 'variance_scaling',
      label: presetLabel('variance_scaling', { scale, mode, distribution: law }),
      distribution: lawWithVariance(law, variance),
      variance,
      varianceExpression: `${plain ? '1' : numberExpression(scale)}/${fanExpression(mode)}`,
      varianceLatex: `\\frac{${plain ? '1' : numberLatex(scale)}}{${fanLatex(mode)}}`,
      source: SOURCE_KERAS,
    };
  },
};
