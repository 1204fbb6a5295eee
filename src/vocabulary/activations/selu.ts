/**
 * selu: λ·elu_α(x), with the constants of Klambauer et al. (2017), "Self-Normalizing Neural
 * Networks", chosen so that E[φ(z)] = 0 and E[φ(z)²] = 1 for z ~ N(0, 1) (eq. 14; full precision as
 * in torch.nn.SELU). With LeCun init (gain 1) the fixed point q = 1 is kept.
 */
import type { Activation } from '../activation.js';
import { eluMoments } from './elu.js';
import type { ActivationKind } from './kind.js';

export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
const LAMBDA_ALPHA = SELU_LAMBDA * SELU_ALPHA;

const selu: Activation = {
  name: 'selu',
  label: 'selu',
  params: Object.freeze({}),
  latex: '\\lambda \\begin{cases} x & x > 0 \\\\ \\alpha\\,(e^{x} - 1) & x \\le 0 \\end{cases}',
  derivativeLatex: '\\lambda \\begin{cases} 1 & x > 0 \\\\ \\alpha\\, e^{x} & x < 0 \\end{cases}',
  expression: `${SELU_LAMBDA} * (x > 0 ? x : ${SELU_ALPHA} * (exp(x) - 1))`,
  kinks: [0],
  predictionKind: 'meanField',
  slopeAtZero: SELU_LAMBDA,
  phi: (x) => (x > 0 ? SELU_LAMBDA * x : LAMBDA_ALPHA * Math.expm1(x)),
  derivative: (x) => (x >= 0 ? SELU_LAMBDA : LAMBDA_ALPHA * Math.exp(x)),
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = x > 0 ? SELU_LAMBDA * x : LAMBDA_ALPHA * Math.expm1(x);
    }
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = x >= 0 ? SELU_LAMBDA : LAMBDA_ALPHA * Math.exp(x);
    }
  },
  moments: (q) => eluMoments(SELU_ALPHA, SELU_LAMBDA, q),
  // torch/nn/init.py calculate_gain('selu') returns 3.0 / 4 with the comment
  // "Value found empirically (https://github.com/pytorch/pytorch/pull/50664)".
  pytorchGain: 3 / 4,
  pytorchGainNote:
    "PyTorch's 3/4 for selu was 'found empirically' (torch/nn/init.py, pytorch PR #50664); SELU's constants make gain 1 (LeCun init) self-normalizing",
  assumptionNote: 'selu is built so that a N(0, 1) input gives output mean 0 and second moment 1 (Klambauer et al. 2017): q = 1 is a fixed point with gain 1.',
};

export const seluKind: ActivationKind = {
  name: 'selu',
  summary: 'scaled elu of Klambauer et al. 2017, self-normalizing at gain 1',
  parameters: {},
  create: () => selu,
};
