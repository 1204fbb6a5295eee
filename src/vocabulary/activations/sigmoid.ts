/** sigmoid (logistic): σ(x) = 1/(1 + e^(−x)); its output has mean 1/2, not 0. */
import type { Activation } from '../activation.js';
import { quadratureMoments, type ActivationKind } from './kind.js';

/** σ(x) without overflow: for x < 0 use e^x/(1 + e^x). */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function logisticSlope(x: number): number {
  const s = logistic(x);
  return s * (1 - s);
}

const sigmoid: Activation = {
  name: 'sigmoid',
  label: 'sigmoid',
  params: Object.freeze({}),
  latex: '\\frac{1}{1 + e^{-x}}',
  derivativeLatex: '\\sigma(x)\\,\\bigl(1 - \\sigma(x)\\bigr)',
  expression: '1 / (1 + exp(-x))',
  kinks: [],
  predictionKind: 'meanField',
  slopeAtZero: 0.25,
  phi: logistic,
  derivative: logisticSlope,
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      if (x >= 0) out[i] = 1 / (1 + Math.exp(-x));
      else {
        const e = Math.exp(x);
        out[i] = e / (1 + e);
      }
    }
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      let s: number;
      if (x >= 0) s = 1 / (1 + Math.exp(-x));
      else {
        const e = Math.exp(x);
        s = e / (1 + e);
      }
      out[i] = s * (1 - s);
    }
  },
  moments(q) {
    // σ(x) − 1/2 is odd, so m1(q) = 1/2 exactly; the other two come from quadrature.
    const moments = quadratureMoments(sigmoid, q);
    return { ...moments, mean: 0.5 };
  },
  // torch/nn/init.py calculate_gain('sigmoid') returns 1.
  pytorchGain: 1,
  pytorchGainNote: "PyTorch's gain of 1 for sigmoid (torch/nn/init.py) applies no correction for its slope 1/4 or its mean 1/2",
  assumptionNote:
    'sigmoid outputs are not zero-mean (E = 1/2), so the next layer needs E[x²] = Var[x] + E[x]² (He et al. 2015, eq. 7); its slope at 0 is 1/4.',
};

export const sigmoidKind: ActivationKind = {
  name: 'sigmoid',
  summary: 'logistic 1/(1+e^-x), output mean 1/2',
  parameters: {},
  create: () => sigmoid,
};
