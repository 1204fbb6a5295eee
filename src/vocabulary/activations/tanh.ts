/** tanh: odd and saturating, slope 1 at 0; Glorot & Bengio (2010) derived Xavier init for it. */
import type { Activation } from '../activation.js';
import { quadratureMoments, type ActivationKind } from './kind.js';

/** sech²(x), written as 1/cosh² so it keeps full relative accuracy in the tails. */
function tanhSlope(x: number): number {
  const c = Math.cosh(x);
  return 1 / (c * c);
}

const tanh: Activation = {
  name: 'tanh',
  label: 'tanh',
  params: Object.freeze({}),
  latex: '\\tanh(x)',
  derivativeLatex: '1 - \\tanh^2(x)',
  expression: 'tanh(x)',
  kinks: [],
  predictionKind: 'meanField',
  slopeAtZero: 1,
  phi: Math.tanh,
  derivative: tanhSlope,
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) out[i] = Math.tanh(input[i]);
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const c = Math.cosh(input[i]);
      out[i] = 1 / (c * c);
    }
  },
  moments: (q) => quadratureMoments(tanh, q, { odd: true }),
  // torch/nn/init.py calculate_gain('tanh') returns 5.0 / 3 with no derivation or comment.
  pytorchGain: 5 / 3,
  pytorchGainNote: "PyTorch's 5/3 for tanh (torch/nn/init.py) comes with no derivation",
  assumptionNote:
    'tanh is odd, so a zero-mean input gives a zero-mean output; it is linear (slope 1) only near 0, so the moments depend on q (mean-field).',
};

export const tanhKind: ActivationKind = {
  name: 'tanh',
  summary: 'hyperbolic tangent, odd and saturating',
  parameters: {},
  create: () => tanh,
};
