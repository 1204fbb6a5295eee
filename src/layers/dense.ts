/**
 * Dense layer, numeric face: h = a·W with W of shape [fanIn, fanOut] = [inputUnits, outputUnits].
 * Backward in unit-major layout (e = dᵀ): input gradient W·e = (d·Wᵀ)ᵀ, weight gradient e·a = (aᵀ·d)ᵀ.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { RandomSource } from '../numeric/random.js';
import type { ResolvedLayer } from '../vocabulary/network.js';
import type { BackwardResult, Float64Scratch, LayerState, NumericLayerKind } from './kind.js';
import { sumOfSquares } from './kind.js';

interface DenseState extends LayerState {
  readonly weights: Matrix;
}

export const denseLayer: NumericLayerKind = {
  name: 'dense',
  weightCount: (layer) => layer.inputUnits * layer.outputUnits,
  biasCount: (layer) => layer.outputUnits,

  sample(layer: ResolvedLayer, random: RandomSource, backend: KernelBackend, scratch: Float64Scratch): DenseState {
    const rows = layer.inputUnits;
    const cols = layer.outputUnits;
    const drawn = scratch.take(rows * cols);
    layer.init.distribution.sample(random, drawn, rows, cols);
    const weights = backend.allocate(rows, cols);
    backend.view(weights).set(drawn);
    return { weights, release: () => backend.release(weights) };
  },

  forward(_layer, state, input, backend): Matrix {
    return backend.matmul(input, (state as DenseState).weights);
  },

  backward(_layer, state, input, gradient, backend, needInputGradient): BackwardResult {
    const weights = (state as DenseState).weights;
    // (∂W)ᵀ = e·a: [out, batch]·[batch, in].
    const weightGradient = backend.matmul(gradient, input);
    const weightGradientSumSquares = sumOfSquares(backend, weightGradient);
    backend.release(weightGradient);
    if (!needInputGradient) return { weightGradientSumSquares };
    // (d·Wᵀ)ᵀ = W·e: [in, out]·[out, batch].
    return { weightGradientSumSquares, inputGradient: backend.matmul(weights, gradient) };
  },

  workingElements(layer, batch) {
    // Weights, one weight gradient, one input gradient.
    return 2 * layer.inputUnits * layer.outputUnits + layer.inputUnits * batch;
  },
};
