/**
 * Xavier/Glorot initialization (Glorot & Bengio 2010, eq. 16): the compromise between keeping the
 * forward variance (n_in·Var[w] = 1) and the backward variance (n_out·Var[w] = 1),
 * Var[w] = gain²·2/(n_in + n_out). As torch.nn.init.xavier_normal_ / xavier_uniform_:
 * std = gain·√(2/(fan_in+fan_out)), bound = √3·std.
 */
import type { ResolvedInit } from '../init.js';
import { normalDistribution } from '../distributions/normal.js';
import { uniformDistribution } from '../distributions/uniform.js';
import { numberExpression, numberLatex, numberOption, presetLabel, type InitOptions, type InitPresetEntry } from './options.js';

const SOURCE_XAVIER =
  'Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks", eq. 16; torch.nn.init.xavier_normal_/xavier_uniform_';

function xavier(law: 'normal' | 'uniform'): InitPresetEntry {
  const name = `xavier_${law}`;
  return {
    name,
    aliases: [`glorot_${law}`],
    options: ['gain'],
    description:
      law === 'normal'
        ? 'N(0, gain²·2/(n_in+n_out)) as torch.nn.init.xavier_normal_ (Keras glorot_normal truncates at ±2σ, same variance)'
        : 'U(−a, a), a = gain·√(6/(n_in+n_out)), as torch.nn.init.xavier_uniform_ and Keras glorot_uniform',
    resolve(fanIn: number, fanOut: number, options: InitOptions): ResolvedInit {
      const gain = numberOption(options, 'gain', 1);
      const std = gain * Math.sqrt(2 / (fanIn + fanOut));
      const distribution = law === 'normal' ? normalDistribution(std) : uniformDistribution(Math.sqrt(3) * std);
      const plain = gain === 1;
      return {
        name,
        label: presetLabel(name, { gain: plain ? undefined : gain }),
        distribution,
        variance: (gain * gain * 2) / (fanIn + fanOut),
        varianceExpression: plain ? '2/(n_in+n_out)' : `${numberExpression(gain)}^2*2/(n_in+n_out)`,
        varianceLatex: `${plain ? '' : `${numberLatex(gain)}^2\\cdot`}\\frac{2}{n_\\text{in}+n_\\text{out}}`,
        source: SOURCE_XAVIER,
      };
    },
  };
}

export const xavierNormal = xavier('normal');
export const xavierUniform = xavier('uniform');
