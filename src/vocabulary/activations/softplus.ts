/** softplus: φ(x) = log(1 + eˣ), a smooth relu (Dugas et al. 2001); φ′ = σ. Moments by quadrature. */
import type { Activation } from '../activation.js';
import { quadratureMoments, type ActivationKind } from './kind.js';
import { logistic } from './sigmoid.js';

/** log(1 + eˣ) without overflow: max(x, 0) + log1p(e^{−|x|}). */
function softplusPhi(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const softplus: Activation = {
  name: 'softplus',
  label: 'softplus',
  params: Object.freeze({}),
  latex: '\\log(1 + e^{x})',
  derivativeLatex: '\\frac{1}{1 + e^{-x}}',
  expression: 'log(1 + exp(x))',
  kinks: [],
  predictionKind: 'meanField',
  slopeAtZero: 0.5,
  phi: softplusPhi,
  derivative: logistic,
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) out[i] = logistic(input[i]);
  },
  moments: (q) => quadratureMoments(softplus, q),
  pytorchGain: null,
  assumptionNote: 'softplus outputs are positive (E ≥ log 2 at q → 0), so the next layer needs E[x²] = Var[x] + E[x]²; its slope at 0 is 1/2.',
};

export const softplusKind: ActivationKind = {
  name: 'softplus',
  summary: 'log(1 + e^x), a smooth relu',
  parameters: {},
  create: () => softplus,
};
