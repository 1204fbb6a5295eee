/** silu (swish): φ(x) = x·σ(x) (Elfwing et al. 2018; Ramachandran et al. 2017). Moments by quadrature. */
import type { Activation } from '../activation.js';
import { quadratureMoments, type ActivationKind } from './kind.js';
import { logistic } from './sigmoid.js';

function siluSlope(x: number): number {
  const s = logistic(x);
  return s * (1 + x * (1 - s));
}

const silu: Activation = {
  name: 'silu',
  label: 'silu',
  params: Object.freeze({}),
  latex: '\\frac{x}{1 + e^{-x}}',
  derivativeLatex: '\\sigma(x)\\,\\bigl(1 + x\\,(1 - \\sigma(x))\\bigr)',
  expression: 'x / (1 + exp(-x))',
  kinks: [],
  predictionKind: 'meanField',
  slopeAtZero: 0.5,
  phi: (x) => x / (1 + Math.exp(-x)),
  derivative: siluSlope,
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = x / (1 + Math.exp(-x));
    }
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      const s = logistic(x);
      out[i] = s * (1 + x * (1 - s));
    }
  },
  moments: (q) => quadratureMoments(silu, q),
  pytorchGain: null,
  assumptionNote: 'silu outputs are not zero-mean, so the next layer needs E[x²] = Var[x] + E[x]²; its slope at 0 is 1/2.',
};

export const siluKind: ActivationKind = {
  name: 'silu',
  summary: 'x·σ(x) (swish)',
  parameters: {},
  create: () => silu,
};
