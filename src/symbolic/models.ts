/**
 * The models the layer derivations work in. One dense layer o = W x (fan-in n_in, fan-out n_out):
 * weights w_ij iid with mean 0 and variance σ², inputs x_j iid and independent of the weights,
 * upstream gradients ∂o_i iid with mean 0, independent of the weights and inputs; o_i, ∂x_j and
 * ∂w_ij are defined from these.
 */
import { mul, rv, sum } from './expression.js';
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

export function denseLayerModel(input: InputMoments): RandomModel {
  return {
    symbols: standardSymbols,
    ranges: { i: 'n_out', j: 'n_in' },
    families: {
      w: { latex: (ix) => indexedLatex('w', ix), text: (ix) => indexedText('w', ix), moments: { 1: '0', 2: 'sigma^2' }, zeroMean: true },
      x: { latex: (ix) => indexedLatex('x', ix), text: (ix) => indexedText('x', ix), moments: { 1: input.mean, 2: input.secondMoment }, zeroMean: input.zeroMean },
      do: { latex: (ix) => indexedLatex('\\partial o', ix), text: (ix) => indexedText('∂o', ix), moments: { 1: '0', 2: 'var_do' }, zeroMean: true },
      o: {
        latex: (ix) => indexedLatex('o', ix),
        text: (ix) => indexedText('o', ix),
        definition: ([i]) => sum('j', 'n_in', mul(rv('w', i, 'j'), rv('x', 'j'))),
      },
      dx: {
        latex: (ix) => indexedLatex('\\partial x', ix),
        text: (ix) => indexedText('∂x', ix),
        definition: ([j]) => sum('i', 'n_out', mul(rv('w', 'i', j), rv('do', 'i'))),
      },
      dw: {
        latex: (ix) => indexedLatex('\\partial w', ix),
        text: (ix) => indexedText('∂w', ix),
        definition: ([i, j]) => mul(rv('do', i), rv('x', j)),
      },
    },
  };
}

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
