/**
 * leaky_relu(slope): φ(x) = x for x > 0, slope·x otherwise (Maas et al. 2013). Positively homogeneous,
 * so its moments are exact closed forms; He et al. (2015) give the gain √(2/(1 + slope²)).
 */
import type { Activation } from '../activation.js';
import { assertVariance, type ActivationKind } from './kind.js';

/** PyTorch's default negative_slope (torch.nn.LeakyReLU and calculate_gain). */
const DEFAULT_SLOPE = 0.01;

function createLeakyRelu(slope: number): Activation {
  const halfFoldedSquare = (1 + slope * slope) / 2;
  const activation: Activation = {
    name: 'leaky_relu',
    label: `leaky_relu(${slope})`,
    params: Object.freeze({ slope }),
    latex: `\\max(0, x) + ${slope}\\,\\min(0, x)`,
    derivativeLatex: `\\begin{cases} 1 & x > 0 \\\\ ${slope} & x < 0 \\end{cases}`,
    expression: `max(0, x) + ${slope} * min(0, x)`,
    kinks: [0],
    predictionKind: 'exact',
    slopeAtZero: 1,
    phi: (x) => (x > 0 ? x : slope * x),
    derivative: (x) => (x >= 0 ? 1 : slope),
    applyInPlace(input, out) {
      for (let i = 0, n = input.length; i < n; i++) {
        const x = input[i];
        out[i] = x > 0 ? x : slope * x;
      }
    },
    derivativeInPlace(input, out) {
      for (let i = 0, n = input.length; i < n; i++) out[i] = input[i] >= 0 ? 1 : slope;
    },
    moments(q) {
      assertVariance(q);
      // Each half of the symmetric Gaussian contributes E[x; x > 0] = √(q/2π) and E[x²; x > 0] = q/2.
      return {
        q,
        mean: (1 - slope) * Math.sqrt(q / (2 * Math.PI)),
        secondMoment: q * halfFoldedSquare,
        derivativeSecondMoment: halfFoldedSquare,
        closedForm: true,
      };
    },
    // torch/nn/init.py calculate_gain('leaky_relu', slope) = math.sqrt(2.0 / (1 + negative_slope ** 2)).
    pytorchGain: Math.sqrt(2 / (1 + slope * slope)),
    assumptionNote: `leaky_relu outputs are not zero-mean unless slope = 1, so the next layer needs E[x²] = Var[x] + E[x]² (He et al. 2015); by homogeneity E[φ(√q z)²] = q(1 + slope²)/2 holds exactly.`,
  };
  return activation;
}

export const leakyReluKind: ActivationKind = {
  name: 'leaky_relu',
  summary: 'x for x > 0, slope·x otherwise (default slope 0.01)',
  parameters: {
    slope: { default: DEFAULT_SLOPE, allowed: 'a finite number (the slope for x < 0)', isAllowed: Number.isFinite },
  },
  create: (params) => createLeakyRelu(params.slope),
};
