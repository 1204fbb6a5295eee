/** relu: φ(x) = max(0, x). Positively homogeneous, so m2(q) = q/2 and d2 = 1/2 exactly (He et al. 2015). */
import type { Activation } from '../activation.js';
import { assertVariance, type ActivationKind } from './kind.js';

const relu: Activation = {
  name: 'relu',
  label: 'relu',
  params: Object.freeze({}),
  latex: '\\max(0, x)',
  derivativeLatex: '\\begin{cases} 1 & x > 0 \\\\ 0 & x < 0 \\end{cases}',
  expression: 'max(0, x)',
  kinks: [0],
  predictionKind: 'exact',
  slopeAtZero: 1,
  phi: (x) => (x > 0 ? x : 0),
  derivative: (x) => (x >= 0 ? 1 : 0),
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = x > 0 ? x : 0;
    }
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) out[i] = input[i] >= 0 ? 1 : 0;
  },
  moments(q) {
    assertVariance(q);
    // Half of a symmetric Gaussian: E[max(0, x)] = √(q/2π), E[max(0, x)²] = q/2, P(x > 0) = 1/2.
    return { q, mean: Math.sqrt(q / (2 * Math.PI)), secondMoment: q / 2, derivativeSecondMoment: 0.5, closedForm: true };
  },
  // torch/nn/init.py calculate_gain('relu') returns math.sqrt(2.0).
  pytorchGain: Math.SQRT2,
  assumptionNote:
    'relu outputs are not zero-mean, so the next layer needs E[x²] = Var[x] + E[x]² (He et al. 2015, eq. 7); by homogeneity E[φ(√q z)²] = q/2 holds exactly.',
};

export const reluKind: ActivationKind = {
  name: 'relu',
  summary: 'max(0, x), He init keeps its variance',
  parameters: {},
  create: () => relu,
};
