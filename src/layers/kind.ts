/**
 * The numeric face of a layer kind: how the Monte Carlo engine samples its weights and runs it
 * forward and backward. One file per kind (dense.ts, conv2d.ts), registered in registry.ts.
 *
 * Layouts (see src/numeric/engine.ts): activations and pre-activations are [batch, units]
 * row-major (conv: NHWC, unit = (y·W + x)·C + c); upstream gradients travel "unit-major",
 * [units, batch], so that every product of the backward pass is a plain a·b.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { RandomSource } from '../numeric/random.js';
import type { LayerKindName, ResolvedLayer } from '../vocabulary/network.js';

/** Reusable float64 scratch memory (weights are drawn in float64 whatever the backend's dtype). */
export interface Float64Scratch {
  /** A Float64Array of exactly `length` elements; its contents are overwritten by the next call. */
  take(length: number): Float64Array;
}

/** One replicate's parameters and what its forward pass keeps for the backward pass. */
export interface LayerState {
  /** Frees every backend matrix the state holds. */
  release(): void;
}

export interface BackwardResult {
  /** Gradient w.r.t. the layer input, before the previous activation's mask: [inputUnits, batch]. */
  inputGradient?: Matrix;
  /** Σ (∂W)² over every weight entry, float64. */
  weightGradientSumSquares: number;
}

export interface NumericLayerKind {
  readonly name: LayerKindName;
  /** Number of weight entries. */
  weightCount(layer: ResolvedLayer): number;
  /** Bias entries (one per output unit for dense, per output channel for conv). */
  biasCount(layer: ResolvedLayer): number;
  /** Draws the weights with `layer.init.distribution.sample` into float64, then copies them to the backend. */
  sample(layer: ResolvedLayer, random: RandomSource, backend: KernelBackend, scratch: Float64Scratch): LayerState;
  /** Pre-activation without bias, [batch, outputUnits], for an input [batch, inputUnits]. */
  forward(layer: ResolvedLayer, state: LayerState, input: Matrix, backend: KernelBackend): Matrix;
  /**
   * Backward through the weights: `gradient` is d_l unit-major [outputUnits, batch]; `input` is the
   * forward input [batch, inputUnits]. Computes the weight gradient for real (its sum of squares is
   * returned) and, when asked, the input gradient.
   */
  backward(
    layer: ResolvedLayer,
    state: LayerState,
    input: Matrix,
    gradient: Matrix,
    backend: KernelBackend,
    needInputGradient: boolean,
  ): BackwardResult;
  /** Elements (of the backend dtype) this kind allocates per replicate beyond its input/output. */
  workingElements(layer: ResolvedLayer, batch: number): number;
}

/** Σ x² of a backend matrix, accumulated in float64. */
export function sumOfSquares(backend: KernelBackend, matrix: Matrix): number {
  const values = backend.view(matrix);
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  const n = values.length;
  // Two accumulators: shorter dependency chains, and a pairwise-like split of the rounding error.
  for (; i + 1 < n; i += 2) {
    const a = values[i];
    const b = values[i + 1];
    s0 += a * a;
    s1 += b * b;
  }
  if (i < n) s0 += values[i] * values[i];
  return s0 + s1;
}
