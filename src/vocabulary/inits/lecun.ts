/**
 * LeCun initialization (LeCun et al. 1998, "Efficient BackProp", §4.6: σ = m^{−1/2} for m inputs):
 * Var[w] = 1/n_in. Drawn as Keras draws it: lecun_normal is VarianceScaling(1, fan_in,
 * truncated_normal), lecun_uniform is VarianceScaling(1, fan_in, uniform), limit √(3/fan_in)
 * (keras/src/initializers/random_initializers.py; used by SELU networks, Klambauer et al. 2017).
 */
import type { ResolvedInit } from '../init.js';
import type { InitOptions, InitPresetEntry } from './options.js';
import { lawWithVariance } from './varianceScaling.js';

const SOURCE_LECUN =
  'LeCun et al. 1998, "Efficient BackProp", §4.6; Keras LecunNormal/LecunUniform (keras/src/initializers/random_initializers.py)';

function lecun(law: 'normal' | 'uniform'): InitPresetEntry {
  const name = `lecun_${law}`;
  return {
    name,
    aliases: [],
    options: [],
    description:
      law === 'normal'
        ? 'N(0, 1/n_in) truncated at ±2σ with the variance kept at 1/n_in, as Keras lecun_normal'
        : 'U(−a, a), a = √(3/n_in), as Keras lecun_uniform',
    resolve(fanIn: number, _fanOut: number, _options: InitOptions): ResolvedInit {
      const variance = 1 / fanIn;
      return {
        name,
        label: name,
        distribution: lawWithVariance(law === 'normal' ? 'truncated_normal' : 'uniform', variance),
        variance,
        varianceExpression: '1/n_in',
        varianceLatex: '\\frac{1}{n_\\text{in}}',
        source: SOURCE_LECUN,
      };
    },
  };
}

export const lecunNormal = lecun('normal');
export const lecunUniform = lecun('uniform');
