/**
 * elu(alpha): φ(x) = x for x > 0, alpha·(eˣ − 1) otherwise (Clevert et al. 2016).
 * Its Gaussian moments have closed forms through erfcx (see {@link eluMoments}); selu reuses them.
 */
import type { Activation, GaussianMoments } from '../activation.js';
import { erfcx } from './erf.js';
import { assertVariance, type ActivationKind } from './kind.js';

/** Keras' and PyTorch's default alpha. */
const DEFAULT_ALPHA = 1;

/**
 * Gaussian moments of scale·elu_alpha at variance q. With x = √q z and
 * E[e^{kx}; x < 0] = e^{k²q/2}·Φ(−k√q) = erfcx(k√(q/2))/2:
 * m1 = scale·(√(q/2π) + alpha·(erfcx(√(q/2))/2 − 1/2)),
 * m2 = scale²·(q/2 + alpha²·(erfcx(√(2q))/2 − erfcx(√(q/2)) + 1/2)),
 * d2 = scale²·(1/2 + alpha²·erfcx(√(2q))/2).
 */
export function eluMoments(alpha: number, scale: number, q: number): GaussianMoments {
  assertVariance(q);
  const once = erfcx(Math.sqrt(q / 2)) / 2; // E[e^x; x < 0]
  const twice = erfcx(Math.sqrt(2 * q)) / 2; // E[e^{2x}; x < 0]
  const scaleSquared = scale * scale;
  return {
    q,
    mean: scale * (Math.sqrt(q / (2 * Math.PI)) + alpha * (once - 0.5)),
    secondMoment: scaleSquared * (q / 2 + alpha * alpha * (twice - 2 * once + 0.5)),
    derivativeSecondMoment: scaleSquared * (0.5 + alpha * alpha * twice),
    closedForm: true,
  };
}

function createElu(alpha: number): Activation {
  const activation: Activation = {
    name: 'elu',
    label: `elu(${alpha})`,
    params: Object.freeze({ alpha }),
    latex: `\\begin{cases} x & x > 0 \\\\ ${alpha}\\,(e^{x} - 1) & x \\le 0 \\end{cases}`,
    derivativeLatex: `\\begin{cases} 1 & x > 0 \\\\ ${alpha}\\, e^{x} & x < 0 \\end{cases}`,
    expression: `x > 0 ? x : ${alpha} * (exp(x) - 1)`,
    kinks: [0],
    predictionKind: 'meanField',
    slopeAtZero: 1,
    phi: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    derivative: (x) => (x >= 0 ? 1 : alpha * Math.exp(x)),
    applyInPlace(input, out) {
      for (let i = 0, n = input.length; i < n; i++) {
        const x = input[i];
        out[i] = x > 0 ? x : alpha * Math.expm1(x);
      }
    },
    derivativeInPlace(input, out) {
      for (let i = 0, n = input.length; i < n; i++) {
        const x = input[i];
        out[i] = x >= 0 ? 1 : alpha * Math.exp(x);
      }
    },
    moments: (q) => eluMoments(alpha, 1, q),
    pytorchGain: null,
    assumptionNote: 'elu outputs are not zero-mean (negative values saturate at −alpha), so the next layer needs E[x²] = Var[x] + E[x]².',
  };
  return activation;
}

export const eluKind: ActivationKind = {
  name: 'elu',
  summary: 'x for x > 0, alpha·(e^x − 1) otherwise (default alpha 1)',
  parameters: {
    alpha: { default: DEFAULT_ALPHA, allowed: 'a finite number ≥ 0', isAllowed: (value) => Number.isFinite(value) && value >= 0 },
  },
  create: (params) => createElu(params.alpha),
};
