/**
 * gelu: φ(x) = x·Φ(x) (Hendrycks & Gimpel 2016, the exact erf form, not the tanh approximation).
 * All three Gaussian moments have closed forms; see {@link geluMoments}.
 */
import type { Activation, GaussianMoments } from '../activation.js';
import { erfc } from './erf.js';
import { assertVariance, type ActivationKind } from './kind.js';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function geluPhi(x: number): number {
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

function geluSlope(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Closed forms, derived with Stein's lemma E[z g(z)] = E[g′(z)] and, for z ~ N(0,1),
 * E[Φ(az)²] = 1/4 + arcsin(a²/(1 + a²))/(2π), E[ϕ(az)²] = 1/(2π√(1 + 2a²)),
 * E[z Φ(az) ϕ(az)] = a/(2π(1 + a²)√(1 + 2a²)). With a² = q and A = 1/4 + arcsin(q/(1+q))/(2π):
 * m1 = q/√(2π(1 + q)),
 * m2 = q·(A + q/(π(1 + q)√(1 + 2q))),
 * d2 = A + q/(π(1 + q)√(1 + 2q)) + q/(2π(1 + 2q)^{3/2}).
 * At q = 1: m2 = 1/4 + 1/12 + 1/(2π√3) = 0.42522, forward gain 1.53353.
 */
export function geluMoments(q: number): GaussianMoments {
  assertVariance(q);
  const arcsineTerm = 0.25 + Math.asin(q / (1 + q)) / (2 * Math.PI);
  const crossTerm = q / (Math.PI * (1 + q) * Math.sqrt(1 + 2 * q));
  return {
    q,
    mean: q / Math.sqrt(2 * Math.PI * (1 + q)),
    secondMoment: q * (arcsineTerm + crossTerm),
    derivativeSecondMoment: arcsineTerm + crossTerm + q / (2 * Math.PI * (1 + 2 * q) ** 1.5),
    closedForm: true,
  };
}

const gelu: Activation = {
  name: 'gelu',
  label: 'gelu',
  params: Object.freeze({}),
  latex: 'x\\,\\Phi(x)',
  derivativeLatex: '\\Phi(x) + x\\,\\varphi(x)',
  expression: 'x * (1 + erf(x / sqrt(2))) / 2',
  kinks: [],
  predictionKind: 'meanField',
  slopeAtZero: 0.5,
  phi: geluPhi,
  derivative: geluSlope,
  applyInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = 0.5 * x * erfc(-x * Math.SQRT1_2);
    }
  },
  derivativeInPlace(input, out) {
    for (let i = 0, n = input.length; i < n; i++) {
      const x = input[i];
      out[i] = 0.5 * erfc(-x * Math.SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
  },
  moments: geluMoments,
  pytorchGain: null,
  assumptionNote: 'gelu outputs are not zero-mean (E = q/√(2π(1+q))), so the next layer needs E[x²] = Var[x] + E[x]²; its slope at 0 is 1/2.',
};

export const geluKind: ActivationKind = {
  name: 'gelu',
  summary: 'x·Φ(x), the exact (erf) form; closed-form moments',
  parameters: {},
  create: () => gelu,
};
