/**
 * What a layer kind is: one object with every face of the kind, side by side (neural-tangents
 * `stax`: one layer = init, apply and kernel functions; KaTeX: one command = parse and render).
 *
 * - **shape**: validates the kind's own override fields and resolves its fans, units and
 *   spatial sizes from what flows in (`resolveNetwork` delegates here);
 * - **numeric**: samples the weights and runs the layer forward and backward (Monte Carlo engine);
 * - **predict**: the factors the predictions need beyond fans (positions per weight, backward fan);
 * - **words**: what the derivation says about the layer: its pre-activation sum, what n_in and
 *   n_out count, and the models the checked chains of src/symbolic run in.
 *
 * Each kind lives in one place (`dense.ts`; `conv2d.ts` with its faces in `conv2d/`) and is listed
 * in one table (`registry.ts`). Adding a kind is one new file and one registry line.
 *
 * Layouts of the numeric face (see src/numeric/engine.ts): activations and pre-activations are
 * [batch, units] row-major (conv: NHWC, unit = (y·W + x)·C + c); upstream gradients travel
 * "unit-major", [units, batch], so that every product of the backward pass is a plain a·b.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { RandomSource } from '../math/random.js';
import type { DerivationStep } from '../symbolic/derivation.js';
import type { Engine } from '../symbolic/engine.js';
import type { RandomModel } from '../symbolic/model.js';
import type { InputMoments } from '../symbolic/models.js';
import type { InitRef, ResolvedInit } from '../vocabulary/init.js';
import type { CommonLayerOverride, ResolvedLayer } from '../vocabulary/network.js';

// ---------------------------------------------------------------------------------------------
// Shape: validation and resolution
// ---------------------------------------------------------------------------------------------

/** What flows from one layer into the next while a network is resolved. */
export interface FeatureShape {
  /** widths[i]: units of a vector, or channels of an image. */
  width: number;
  /** [height, width] while the features are an image; null once a layer has flattened them. */
  spatial: [number, number] | null;
  /** Units the previous layer produced (C·H·W after a conv); absent for the network input. */
  units?: number;
}

export interface LayerShapeInput<Override extends object = object> {
  /** 0-based position of the weight layer: it maps widths[position] to widths[position + 1]. */
  position: number;
  /** Field path of the layer's override, `layers[position]`, for error messages. */
  at: string;
  override: Override & CommonLayerOverride;
  /** What flows in; `input.width` is widths[position]. */
  input: FeatureShape;
  /** widths[position + 1]. */
  outWidth: number;
}

/** A layer's resolved shape: the part of {@link ResolvedLayer} its kind decides. */
export interface ResolvedShape {
  fanIn: number;
  fanOut: number;
  inputUnits: number;
  outputUnits: number;
  conv?: ResolvedLayer['conv'];
  /** What flows into the next layer. */
  output: FeatureShape;
}

export interface LayerShape<Override extends object = object> {
  /** Override fields only this kind accepts, e.g. ['kernelSize', 'groups']. */
  readonly fields: readonly (keyof Override & string)[];
  /** Checks the types and ranges of the kind's own fields, before any shape is known. */
  checkOverride(override: Readonly<Record<string, unknown>>, at: string): void;
  /** Fans, units and spatial sizes, or an InputError naming the field that makes them impossible. */
  resolve(input: LayerShapeInput<Override>): ResolvedShape;
  /** Rejects an init this kind's theory does not model (optional). */
  checkInit?(init: ResolvedInit, ref: InitRef, field: string): void;
}

// ---------------------------------------------------------------------------------------------
// Predictions
// ---------------------------------------------------------------------------------------------

export interface LayerPredictionFactors {
  /** How many terms a weight's gradient sums per example (1 dense; output positions for a conv). */
  positionsPerWeight(layer: ResolvedLayer): number;
  /** What the backward pass gains through the layer per unit of its input, before φ′. */
  backwardFanFactor(layer: ResolvedLayer): number;
}

/**
 * Var[w]·fanIn·units_out/units_in: the average number of outputs one input feeds, times Var[w].
 * n_out·Var[w] for a dense layer; for a valid conv, border inputs feed fewer outputs than n_out.
 */
export function averageBackwardFanFactor(layer: ResolvedLayer): number {
  return layer.init.variance * layer.fanIn * (layer.outputUnits / layer.inputUnits);
}

// ---------------------------------------------------------------------------------------------
// Words in a derivation
// ---------------------------------------------------------------------------------------------

/** A random variable of a layer model as a chain starts from it, e.g. o_i: { family: 'o', indices: ['i'] }. */
export interface ModelVariable {
  family: string;
  indices: readonly string[];
}

/**
 * The kind's words in a derivation. The sections of src/symbolic run the same checked rules for
 * every kind (variance of a sum of independent terms); the kind supplies the models those chains
 * run in (its notation, its sums) and the steps only it can state (its pre-activation sum, what
 * n_in and n_out count, its chain rule), each checked by the engine.
 */
export interface LayerWords {
  /** Forward model: o (defined as a sum over n_in terms), w, x with the given input moments. */
  forwardModel(input: InputMoments): RandomModel;
  /** The pre-activation the forward chains start from, e.g. o_i. */
  readonly output: ModelVariable;
  /** Steps before the forward chain: the pre-activation sum and what n_in counts (dense: none). */
  forwardDefinition(engine: Engine): DerivationStep[];
  /** Backward model: ∂x (defined as a sum over n_out terms), w, ∂o. */
  backwardModel(input: InputMoments): RandomModel;
  /** The input gradient the backward chain starts from, e.g. ∂x_j. */
  readonly inputGradient: ModelVariable;
  /** The chain-rule step(s) for ∂x, saying what n_out counts. */
  inputGradientRule(engine: Engine): DerivationStep[];
  /** Weight-gradient model: ∂w, ∂o, x with the given input moments. */
  weightGradientModel(input: InputMoments): RandomModel;
  /** The weight gradient its chain starts from, e.g. ∂w_ij. */
  readonly weightGradient: ModelVariable;
  /** The chain-rule step(s) for ∂w. */
  weightGradientRule(engine: Engine): DerivationStep[];
  /**
   * Set when one weight is shared across positions, so its gradient is a sum over them: the range
   * symbol of that sum (a mathjs name) and its LaTeX. Absent for dense weights.
   */
  readonly sharedOver?: { range: string; latex: string };
}

// ---------------------------------------------------------------------------------------------
// The kind
// ---------------------------------------------------------------------------------------------

/** One layer kind with all its faces. `Override` is the type of the kind's own override fields. */
export interface LayerKind<Override extends object = object> {
  readonly name: string;
  readonly shape: LayerShape<Override>;
  readonly numeric: NumericLayerKind;
  readonly predict: LayerPredictionFactors;
  /** The kind's words for a resolved layer of this kind (its numbers appear in the notes and checks). */
  words(layer: ResolvedLayer): LayerWords;
}

/**
 * A table of layer kinds by name; pass one to resolveNetwork (through its catalogue), to the
 * predictions and to deriveNetwork. (`any`: each kind reads its own override type.)
 */
export type LayerKindTable = Readonly<Record<string, LayerKind<any>>>;

/** The kind of `name` in `table`, or undefined (own properties only: 'toString' is not a kind). */
export function findLayerKind(table: LayerKindTable, name: unknown): LayerKind | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Numeric face
// ---------------------------------------------------------------------------------------------

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
  readonly name: string;
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
