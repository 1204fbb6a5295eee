/**
 * He/Kaiming initialization (He et al. 2015, "Delving deep into rectifiers", eq. 10 forward and
 * eq. 14 backward): ½·n·Var[w] = 1 for relu, generalised by a gain, Var[w] = gain²/fan with fan the
 * fan_in (forward) or fan_out (backward). As torch.nn.init.kaiming_normal_ / kaiming_uniform_:
 * std = gain/√fan, bound = √3·std, gain = calculate_gain(nonlinearity, a).
 */
import { InputError } from '../../errors.js';
import type { ResolvedInit } from '../init.js';
import { normalDistribution } from '../distributions/normal.js';
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

/** Nonlinearity names torch.nn.init.calculate_gain accepts, plus `identity` (varprop's name for linear). */
export const pytorchGainNonlinearities = [
  'linear',
  'identity',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;

export type PytorchGainNonlinearity = (typeof pytorchGainNonlinearities)[number];

/** A gain with its square written exactly, so variance formulas stay exact. */
export interface Gain {
  value: number;
  /** gain² in mathjs syntax, e.g. `2`, `25/9`, `2/(1+0.01^2)`. */
  squaredExpression: string;
  /** gain² in LaTeX. */
  squaredLatex: string;
}

/**
 * torch.nn.init.calculate_gain (torch/nn/init.py): 1 for linear, the conv functions and sigmoid;
 * 5/3 for tanh; √2 for relu; √(2/(1+slope²)) for leaky_relu (slope = `param`, default 0.01);
 * 3/4 for selu. `param` is only read for leaky_relu, as in PyTorch.
 */
export function calculatePytorchGain(nonlinearity: PytorchGainNonlinearity, param?: number): Gain {
  switch (nonlinearity) {
    case 'tanh':
      return { value: 5 / 3, squaredExpression: '25/9', squaredLatex: '\\frac{25}{9}' };
    case 'relu':
      return { value: Math.SQRT2, squaredExpression: '2', squaredLatex: '2' };
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new InputError('init.a', slope, 'a finite negative slope');
      if (slope === 0) return { value: Math.SQRT2, squaredExpression: '2', squaredLatex: '2' };
      return {
        value: Math.sqrt(2 / (1 + slope * slope)),
        squaredExpression: `2/(1+${numberExpression(slope)}^2)`,
        squaredLatex: `\\frac{2}{1+${slope < 0 ? `(${numberLatex(slope)})` : numberLatex(slope)}^2}`,
      };
    }
    case 'selu':
      return { value: 3 / 4, squaredExpression: '9/16', squaredLatex: '\\frac{9}{16}' };
    default:
      return { value: 1, squaredExpression: '1', squaredLatex: '1' };
  }
}

const SOURCE_HE =
  'He et al. 2015, "Delving deep into rectifiers", eqs. 10 and 14; torch.nn.init.kaiming_normal_/kaiming_uniform_ with calculate_gain';

function he(law: 'normal' | 'uniform'): InitPresetEntry {
  const name = `he_${law}`;
  return {
    name,
    aliases: [`kaiming_${law}`],
    options: ['a', 'mode', 'nonlinearity'],
    description:
      law === 'normal'
        ? 'N(0, gain²/fan) as torch.nn.init.kaiming_normal_ (a=0, mode=fan_in, nonlinearity=leaky_relu: gain √2); Keras he_normal truncates, same variance'
        : 'U(−a, a), a = gain·√(3/fan), as torch.nn.init.kaiming_uniform_ (defaults as kaiming_normal_)',
    resolve(fanIn: number, fanOut: number, options: InitOptions): ResolvedInit {
      // PyTorch defaults: a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' (so gain √2).
      const a = numberOption(options, 'a', 0, { allowNegative: true });
      const mode = choiceOption(options, 'mode', ['fan_in', 'fan_out'] as const, 'fan_in');
      const nonlinearity = choiceOption(options, 'nonlinearity', pytorchGainNonlinearities, 'leaky_relu');
      const gain = calculatePytorchGain(nonlinearity, a);
      const fan = fanValue(mode, fanIn, fanOut);
      const std = gain.value / Math.sqrt(fan);
      const distribution = law === 'normal' ? normalDistribution(std) : uniformDistribution(Math.sqrt(3) * std);
      const squared = /^[\d.]+$/.test(gain.squaredExpression) ? gain.squaredExpression : `(${gain.squaredExpression})`;
      return {
        name,
        label: presetLabel(name, {
          mode,
          nonlinearity,
          a: nonlinearity === 'leaky_relu' ? a : undefined,
        }),
        distribution,
        variance: (gain.value * gain.value) / fan,
        varianceExpression: `${squared}/${fanExpression(mode)}`,
        varianceLatex: `\\frac{${gain.squaredLatex}}{${fanLatex(mode)}}`,
        source: SOURCE_HE,
      };
    },
  };
}

export const heNormal = he('normal');
export const heUniform = he('uniform');
