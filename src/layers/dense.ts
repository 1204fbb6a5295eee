/**
 * The dense layer, every face of it: o = W x with W of shape [fanIn, fanOut] = [inputUnits,
 * outputUnits] (Glorot & Bengio 2010; Dive into Deep Learning §4.8).
 *
 * - shape: `{ "kind": "dense", "width": n_out, "init"?, "biasStd"? }`; it flattens whatever flows
 *   in (C·H·W after convolutions), so fanIn = inputUnits and fanOut = outputUnits. On a sequence
 *   it acts per token with weights shared across tokens: fanIn is the token width, not tokens·width.
 * - moments: E[h²] = n_in·Var[w]·E[x²]; backward E[(∂x)²] = n_out·Var[w]·E[(∂h)²]; weight
 *   gradient E[(∂w)²] = E[x²]·E[(∂h)²] (src/layers/weights.ts, shared with conv2d).
 * - numeric: h = a·W; backward in unit-major layout (e = dᵀ): input gradient W·e = (d·Wᵀ)ᵀ, weight
 *   gradient e·a = (aᵀ·d)ᵀ.
 * - words: o_i = Σ_{j=1}^{n_in} w_ij x_j, ∂x_j = Σ_{i=1}^{n_out} w_ij ∂o_i, ∂w_ij = ∂o_i x_j: the
 *   notation every derivation section has always used.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { RandomSource } from '../math/random.js';
import { chainRuleStep, inputGradient, weightGradient } from '../symbolic/chainRule.js';
import { mul, rv, sum } from '../symbolic/expression.js';
import { indexedLatex, indexedText, standardSymbols, type RandomModel } from '../symbolic/model.js';
import type { InputMoments } from '../symbolic/models.js';
import type { ResolvedLayer } from '../vocabulary/network.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';
import type { Float64Scratch, LayerKind, LayerWords, ResolveContext, WeightNode } from './kind.js';
import { sumOfSquares } from './kind.js';
import { gradientAsTokenColumns, signalAsTokenRows, tokenColumnsAsGradient } from './tokens.js';
import { resolveWeightLayer, weightMoments, weightNumeric, type LayerState, type WeightBackward, type WeightLayerNumeric } from './weights.js';

// ---------------------------------------------------------------------------------------------
// Shape
// ---------------------------------------------------------------------------------------------

export interface DenseNode extends WeightNode {
  kind: 'dense';
}

function resolveDense(spec: Readonly<Record<string, unknown>>, context: ResolveContext): DenseNode {
  const width = requirePositiveInteger(`${context.path}.width`, spec.width);
  const tokens = context.input.tokens;
  if (tokens !== undefined) {
    // On a sequence the layer acts per token, its weights shared across tokens: fanIn is the token width.
    const inputUnits = context.input.width;
    const output = { width, spatial: null, units: tokens * width, tokens };
    const shape = { kind: 'dense', fanIn: inputUnits, fanOut: width, inputUnits, outputUnits: width, tokens };
    return { kind: 'dense', path: context.path, input: context.input, output, layer: resolveWeightLayer(spec, context, shape) };
  }
  // A dense layer after convolutions sees the flattened C·H·W feature map.
  const inputUnits = context.input.units;
  const output = { width, spatial: null, units: width };
  return {
    kind: 'dense',
    path: context.path,
    input: context.input,
    output,
    layer: resolveWeightLayer(spec, context, { kind: 'dense', fanIn: inputUnits, fanOut: width, inputUnits, outputUnits: width }),
  };
}

// ---------------------------------------------------------------------------------------------
// Numeric
// ---------------------------------------------------------------------------------------------

interface DenseState extends LayerState {
  readonly weights: Matrix;
}

export const denseLayer: WeightLayerNumeric = {
  weightCount: (layer) => layer.inputUnits * layer.outputUnits,

  sample(layer: ResolvedLayer, random: RandomSource, backend: KernelBackend, scratch: Float64Scratch): DenseState {
    const rows = layer.inputUnits;
    const cols = layer.outputUnits;
    const drawn = scratch.take(rows * cols);
    layer.init.distribution.sample(random, drawn, rows, cols);
    const weights = backend.allocate(rows, cols);
    backend.view(weights).set(drawn);
    return { weights, release: () => backend.release(weights) };
  },

  forward(layer, state, input, backend): Matrix {
    const weights = (state as DenseState).weights;
    if (layer.tokens === undefined) return backend.matmul(input, weights);
    // A sequence: the same GEMM on [batch·tokens, width] (src/layers/tokens.ts).
    const rows = signalAsTokenRows(backend, input, layer.tokens);
    const output = backend.matmul(rows, weights);
    backend.release(rows);
    return backend.reshape(output, input.rows, layer.tokens * layer.outputUnits);
  },

  backward(layer, state, input, gradient, backend, needInputGradient): WeightBackward {
    const weights = (state as DenseState).weights;
    if (layer.tokens !== undefined) return tokenBackward(layer.tokens, weights, input, gradient, backend, needInputGradient);
    // (∂W)ᵀ = e·a: [out, batch]·[batch, in].
    const weightGradient = backend.matmul(gradient, input);
    const weightGradientSumSquares = sumOfSquares(backend, weightGradient);
    backend.release(weightGradient);
    if (!needInputGradient) return { weightGradientSumSquares };
    // (d·Wᵀ)ᵀ = W·e: [in, out]·[out, batch].
    return { weightGradientSumSquares, inputGradient: backend.matmul(weights, gradient) };
  },

  workingElements(layer, batch) {
    // Weights, one weight gradient, one input gradient (and, on a sequence, the token layouts of signal and gradient).
    const tokens = layer.tokens ?? 1;
    return 2 * layer.inputUnits * layer.outputUnits + (tokens > 1 ? 3 : 1) * tokens * layer.inputUnits * batch + (tokens > 1 ? tokens * layer.outputUnits * batch : 0);
  },
};

/** The backward pass on a sequence: the dense products with batch·tokens columns (src/layers/tokens.ts). */
function tokenBackward(tokens: number, weights: Matrix, input: Matrix, gradient: Matrix, backend: KernelBackend, needInputGradient: boolean): WeightBackward {
  const columns = gradientAsTokenColumns(backend, gradient, tokens);
  const rows = signalAsTokenRows(backend, input, tokens);
  // (∂W)ᵀ = Σ_t e_t·a_t: [out, batch·tokens]·[batch·tokens, in].
  const weightGradient = backend.matmul(columns, rows);
  backend.release(rows);
  const weightGradientSumSquares = sumOfSquares(backend, weightGradient);
  backend.release(weightGradient);
  if (!needInputGradient) {
    backend.release(columns);
    return { weightGradientSumSquares };
  }
  const inputColumns = backend.matmul(weights, columns);
  backend.release(columns);
  const inputGradient = tokenColumnsAsGradient(backend, inputColumns, tokens);
  backend.release(inputColumns);
  return { weightGradientSumSquares, inputGradient };
}

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

/**
 * One dense layer o = W x (fan-in n_in, fan-out n_out): weights w_ij iid with mean 0 and variance
 * σ², inputs x_j iid and independent of the weights, upstream gradients ∂o_i iid with mean 0,
 * independent of the weights and inputs; o_i, ∂x_j and ∂w_ij are defined from these.
 */
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

/** The dense words: they do not depend on the layer's numbers (the fans enter as n_in, n_out). */
export const denseWords: LayerWords = {
  forwardModel: denseLayerModel,
  output: { family: 'o', indices: ['i'] },
  // The forward chain itself opens with o_i = Σ_j w_ij x_j.
  forwardDefinition: () => [],
  backwardModel: denseLayerModel,
  inputGradient: { family: 'dx', indices: ['j'] },
  inputGradientRule: (engine) => [
    chainRuleStep(
      engine,
      'input',
      {
        latex: '\\partial x_{j} = \\sum_{i=1}^{n_\\text{out}} \\frac{\\partial o_{i}}{\\partial x_{j}} \\partial o_{i} = \\sum_{i=1}^{n_\\text{out}} w_{ij} \\partial o_{i}',
        text: '∂x_j = Σ_{i=1..n_out} (∂o_i/∂x_j)·∂o_i = Σ_{i=1..n_out} w_ij·∂o_i',
        note: 'Chain rule: x_j reaches the loss through every output o_i = Σ_j w_ij x_j, and ∂o_i/∂x_j = w_ij.',
      },
      inputGradient,
    ),
  ],
  weightGradientModel: denseLayerModel,
  weightGradient: { family: 'dw', indices: ['i', 'j'] },
  weightGradientRule: (engine) => [
    chainRuleStep(
      engine,
      'weight',
      {
        latex: '\\partial w_{ij} = \\sum_{k=1}^{n_\\text{out}} \\frac{\\partial o_{k}}{\\partial w_{ij}} \\partial o_{k} = \\partial o_{i} x_{j}',
        text: '∂w_ij = Σ_{k=1..n_out} (∂o_k/∂w_ij)·∂o_k = ∂o_i·x_j',
        note: 'Chain rule: w_ij enters only o_i, with ∂o_i/∂w_ij = x_j.',
      },
      weightGradient,
    ),
  ],
};

// ---------------------------------------------------------------------------------------------
// The kind
// ---------------------------------------------------------------------------------------------

export const denseKind: LayerKind<DenseNode> = {
  name: 'dense',
  fields: ['width', 'init', 'biasStd'],
  summary: 'a fully connected layer h = W x: { "kind": "dense", "width": n_out, "init"?, "biasStd"? }',
  resolve: resolveDense,
  moments: weightMoments,
  numeric: weightNumeric(denseLayer),
  words: () => denseWords,
};
