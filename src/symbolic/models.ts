/**
 * The models the layer derivations work in: the moments of a layer's input, and the activation
 * between layers. A layer's own model (its sums over n_in and n_out, its notation) is part of its
 * kind's words (src/layers/<kind>); the dense one, o_i = Σ_j w_ij x_j, is re-exported here.
 */
import { mul, rv } from './expression.js';
import { indexedLatex, indexedText, standardSymbols, type RandomModel } from './model.js';

/** Moments of the layer input x_j (mathjs expressions or numbers). */
export interface InputMoments {
  mean: string;
  secondMoment: string;
  zeroMean: boolean;
}

/** Zero-mean input of variance γ² (Glorot & Bengio 2010; Dive into Deep Learning 4.8). */
export const zeroMeanInput: InputMoments = { mean: '0', secondMoment: 'gamma^2', zeroMean: true };

/** Input x = φ(h) with the given mean and second moment (He et al. 2015, eq. 7). */
export function activatedInput(mean: number, secondMoment: number): InputMoments {
  return { mean: String(mean), secondMoment: String(secondMoment), zeroMean: mean === 0 };
}

/** One dense layer o = W x; the dense layer kind states it with its other faces (src/layers/dense.ts). */
export { denseLayerModel } from '../layers/dense.js';

/**
 * Backward through the activation, o = pre-activation, y = φ(o): ∂o_i = φ′(o_i) ∂y_i, with φ′(o_i)
 * independent of ∂y_i (the usual mean-field assumption) and ∂y_i zero-mean.
 */
export function activationGradientModel(derivativeMean: number, derivativeSecondMoment: number): RandomModel {
  return {
    symbols: standardSymbols,
    ranges: { i: 'n_out' },
    families: {
      dphi: {
        latex: (ix) => (ix.length ? `\\phi'(o_{${ix.join('')}})` : "\\phi'(o)"),
        text: (ix) => (ix.length ? `φ′(o_${ix.join('')})` : 'φ′(o)'),
        moments: { 1: String(derivativeMean), 2: String(derivativeSecondMoment) },
      },
      dy: { latex: (ix) => indexedLatex('\\partial y', ix), text: (ix) => indexedText('∂y', ix), moments: { 1: '0', 2: 'var_dy' }, zeroMean: true },
      do: {
        latex: (ix) => indexedLatex('\\partial o', ix),
        text: (ix) => indexedText('∂o', ix),
        definition: ([i]) => mul(rv('dphi', i), rv('dy', i)),
      },
    },
  };
}
