/**
 * PyTorch's default for nn.Linear and nn.Conv*d weights: `reset_parameters` calls
 * `init.kaiming_uniform_(self.weight, a=math.sqrt(5))` (torch/nn/modules/linear.py,
 * torch/nn/modules/conv.py). With leaky_relu slope √5, gain = √(2/(1+5)) = √(1/3), std = gain/√fan_in,
 * bound = √3·std = 1/√fan_in, so Var[w] = 1/(3·fan_in): a third of LeCun's variance, the
 * "standard" U[−1/√n, 1/√n] of Glorot & Bengio 2010 again.
 */
import type { ResolvedInit } from '../init.js';
import { uniformDistribution } from '../distributions/uniform.js';
import type { InitOptions, InitPresetEntry } from './options.js';
import { calculatePytorchGain } from './he.js';

/** The negative slope torch.nn.Linear.reset_parameters passes to kaiming_uniform_. */
const PYTORCH_DEFAULT_A = Math.sqrt(5);

export const pytorchDefault: InitPresetEntry = {
  name: 'pytorch_default',
  aliases: ['torch_default', 'kaiming_uniform_a_sqrt5'],
  options: [],
  description: 'U(−1/√n_in, 1/√n_in): kaiming_uniform_(a=√5), the default of torch.nn.Linear and Conv; Var[w] = 1/(3·n_in)',
  resolve(fanIn: number, _fanOut: number, _options: InitOptions): ResolvedInit {
    const gain = calculatePytorchGain('leaky_relu', PYTORCH_DEFAULT_A).value;
    const bound = Math.sqrt(3) * (gain / Math.sqrt(fanIn));
    return {
      name: 'pytorch_default',
      label: 'pytorch_default',
      distribution: uniformDistribution(bound),
      variance: 1 / (3 * fanIn),
      varianceExpression: '1/(3*n_in)',
      varianceLatex: '\\frac{1}{3\\,n_\\text{in}}',
      source: 'torch.nn.Linear.reset_parameters: init.kaiming_uniform_(self.weight, a=math.sqrt(5))',
    };
  },
};
