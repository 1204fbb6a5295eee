/** identity: φ(x) = x. Positively homogeneous, so its moment recursions are exact at any width. */
import type { Activation } from '../activation.js';
import { assertVariance, type ActivationKind } from './kind.js';

const identity: Activation = {
  name: 'identity',
  label: 'identity',
  params: Object.freeze({}),
  latex: 'x',
  derivativeLatex: '1',
  expression: 'x',
  kinks: [],
  predictionKind: 'exact',
  slopeAtZero: 1,
  phi: (x) => x,
  derivative: () => 1,
  applyInPlace(input, out) {
    if (out === input) return;
    for (let i = 0, n = input.length; i < n; i++) out[i] = input[i];
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) out[i] = 1;
  },
  moments(q) {
    assertVariance(q);
    return { q, mean: 0, secondMoment: q, derivativeSecondMoment: 1, closedForm: true };
  },
  // torch/nn/init.py calculate_gain: 'linear' and the conv kinds return 1.
  pytorchGain: 1,
  assumptionNote: 'The identity keeps a zero-mean input zero-mean and passes its variance through unchanged.',
};

export const identityKind: ActivationKind = {
  name: 'identity',
  summary: 'φ(x) = x (a linear network)',
  parameters: {},
  create: () => identity,
};
