/**
 * What a layer kind is: one object with every face of the kind, side by side (neural-tangents
 * `stax`: one layer = init, apply and kernel functions; KaTeX: one command = parse and render).
 *
 * - **shape** (`resolve`): validates the kind's own fields of a node of the network tree and
 *   resolves its shape from what flows in (`resolveNetwork` walks the tree and delegates here);
 * - **moments**: the moment face, the kind's `kernel_fn`: the moments flowing in (second moment and
 *   mean of the forward signal, the backward second moment) to the moments flowing out, each with
 *   the formula it used, so `propagate()` (src/symbolic/propagate.ts) composes the faces and the
 *   derivation prints the very factors it composed;
 * - **numeric**: samples the kind's parameters and runs it forward and backward (Monte Carlo);
 * - **words** (weight kinds): what a one-layer derivation says about its sums (src/symbolic).
 *
 * Combinators (`residual`, `repeat`, `serial`) have the same faces; theirs receive a runner for
 * their children, so the walk itself (depth composition) lives only in `propagate()` and in the
 * engine's replicate walk.
 *
 * Each kind lives in one file under src/layers/ and is listed in one table (`registry.ts`). Adding a
 * kind is one new file and one registry line.
 *
 * Layouts of the numeric face (see src/numeric/engine.ts): signals are [batch, units] row-major
 * (conv: NHWC, unit = (y·W + x)·C + c); gradients travel "unit-major", [units, batch], so that
 * every product of the backward pass is a plain a·b.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { RandomSource } from '../math/random.js';
import type { DerivationStep } from '../symbolic/derivation.js';
import type { Engine } from '../symbolic/engine.js';
import type { RandomModel } from '../symbolic/model.js';
import type { InputMoments } from '../symbolic/models.js';
import type { Activation, ActivationRef } from '../vocabulary/activation.js';
import type { InitRef, ResolvedInit } from '../vocabulary/init.js';
import type { ResolvedLayer } from '../vocabulary/network.js';

// ---------------------------------------------------------------------------------------------
// Shape: validation and resolution
// ---------------------------------------------------------------------------------------------

/** What flows from one node into the next while a network is resolved. */
export interface FeatureShape {
  /** Units of a vector, or channels of an image. */
  width: number;
  /** [height, width] while the features are an image; null once a layer has flattened them. */
  spatial: [number, number] | null;
  /** Units as the Monte Carlo sees them: width for a vector, C·H·W for an image, tokens·width for a sequence. */
  units: number;
  /**
   * Tokens of a sequence (`"input": { "tokens": T, "width": d }`): each example is T vectors of
   * `width` units, stored token-major ([batch, tokens·width] = [batch·tokens, width]); per-token
   * kinds act on each token with shared weights, attention mixes them. Absent for a plain vector.
   */
  tokens?: number;
}

/** Every resolved node: where it is in the tree, what its kind is, what flows in and out. */
export interface ResolvedNode {
  kind: string;
  /** Address in the tree: `2/4/branch/1` (top-level node 2, repetition 4, branch element 1). */
  path: string;
  input: FeatureShape;
  output: FeatureShape;
}

/** A node with a weight matrix (dense, conv2d): its weight layer, as every consumer reads it. */
export interface WeightNode extends ResolvedNode {
  layer: ResolvedLayer;
}

export function isWeightNode(node: ResolvedNode): node is WeightNode {
  return 'layer' in node && (node as WeightNode).layer !== undefined;
}

/** The registries a network is resolved against; passed in so tests and tools can swap them. */
export interface NetworkCatalogue {
  resolveActivation(ref: ActivationRef, field: string): Activation;
  resolveInit(ref: InitRef, fanIn: number, fanOut: number, field: string): ResolvedInit;
  /** The layer kinds a node may name (default the built-in table, src/layers/registry.ts). */
  layerKinds?: LayerKindTable;
}

/** What a kind's `resolve` is given. */
export interface ResolveContext {
  /** The node's path, e.g. `3/branch/0`; field errors are named `<path>.<field>`. */
  path: string;
  input: FeatureShape;
  catalogue: NetworkCatalogue;
  /** The field an init error is named by (`<path>.init`, or the shorthand's `init`). */
  initField: string;
  /** Network-wide defaults the shorthand sets (init of weight kinds). */
  defaults: { init: InitRef };
  /** 1-based index the next weight layer gets. */
  nextWeightIndex(): number;
  /**
   * Resolves a list of child nodes (a branch, a repeated block) starting at `input`, under `path`
   * (`path/j` for element j; with `collapseSingle`, a one-element list's element is `path` itself).
   */
  resolveList(nodes: unknown, path: string, input: FeatureShape, collapseSingle?: boolean): { nodes: ResolvedNode[]; output: FeatureShape };
}

// ---------------------------------------------------------------------------------------------
// Moment face
// ---------------------------------------------------------------------------------------------

/** Moments of the forward signal per unit: E[x²], E[x], and whether they hold at any width. */
export interface SignalMoments {
  secondMoment: number;
  mean: number;
  /**
   * True when the signal is sign-symmetric given what the last weight layer saw (it is an odd
   * function of that layer's symmetric weights): what makes a homogeneous activation's moment and a
   * residual's cross term exact.
   */
  symmetric: boolean;
  /** True when the value holds in expectation at any width (not only as width → ∞). */
  exact: boolean;
  /**
   * E[x_a·x_b] per unit for a second input b with the same marginal moments, fed through the same
   * network (the same weights and biases): the covariance the c-map propagates, c = cross/secondMoment
   * (Poole et al. 2016; Schoenholz et al. 2017). Absent when only one input is propagated.
   */
  cross?: number;
  /** True when `cross` holds in expectation at any width (a chain of linear maps and biases). */
  crossExact?: boolean;
}

/** The backward second moment per unit, E[(∂x)²], and whether it holds at any width. */
export interface GradientMoments {
  secondMoment: number;
  exact: boolean;
}

/**
 * 'meanField': the activations' Gaussian moments (quadrature where there is no closed form);
 * 'linear': the Dive into Deep Learning / Glorot linearisation φ(x) ≈ φ′(0)·x.
 */
export type MomentFlavour = 'meanField' | 'linear';

/**
 * The formula behind one number of a moment face, as the derivation prints and checks it: a mathjs
 * `expression` in `values`' symbols that evaluates to the number, its LaTeX, and the rule's words.
 */
export interface MomentRule {
  /** Short name of the rule, e.g. 'fan-in sum', 'homogeneous activation'. */
  name: string;
  /** mathjs expression in the symbols of `values`. */
  expression: string;
  /** LaTeX of the same formula (symbols as in the text, e.g. n_\text{in} \sigma^2 q). */
  latex: string;
  values: Record<string, number>;
  /** One sentence: why the formula holds, and when it is only approximate. */
  note: string;
}

export interface ForwardResult {
  output: SignalMoments;
  rule: MomentRule;
  /** The formula behind `output.cross`, when the input carried one. */
  crossRule?: MomentRule;
}

export interface BackwardMomentResult {
  /** E[(∂x)²] at the node's input. */
  input: GradientMoments;
  rule: MomentRule;
  /** Per weight entry and example, E[(∂w)²] (weight kinds only). */
  weightGradient?: { secondMoment: number; exact: boolean; rule: MomentRule };
}

/** How combinators run their children: the one walk of `propagate()`, handed down. */
export interface MomentRunner {
  forward(nodes: readonly ResolvedNode[], input: SignalMoments): SignalMoments;
  /** Backward through `nodes`, from the gradient at their output to the gradient at their input. */
  backward(nodes: readonly ResolvedNode[], gradient: GradientMoments): GradientMoments;
  /** The forward moments a node produced in this propagation (during the backward walk). */
  forwardOutput(node: ResolvedNode): SignalMoments;
}

export interface MomentFace<Node extends ResolvedNode = ResolvedNode> {
  forward(node: Node, input: SignalMoments, flavour: MomentFlavour, run: MomentRunner): ForwardResult;
  /** `input` and `output` are the forward moments this node saw and produced. */
  backward(node: Node, gradient: GradientMoments, input: SignalMoments, output: SignalMoments, flavour: MomentFlavour, run: MomentRunner): BackwardMomentResult;
}

// ---------------------------------------------------------------------------------------------
// Numeric face
// ---------------------------------------------------------------------------------------------

/** Reusable float64 scratch memory (weights are drawn in float64 whatever the backend's dtype). */
export interface Float64Scratch {
  /** A Float64Array of exactly `length` elements; its contents are overwritten by the next call. */
  take(length: number): Float64Array;
}

/** What a node's forward pass keeps for its backward pass; the walk releases it. */
export interface NodeState {
  /** Frees every backend matrix the state holds. */
  release(): void;
}

/** How numeric combinators run their children (the engine's walk, handed down). */
export interface NumericRunner {
  /** Forward through `nodes`; the result is a new matrix the caller owns. */
  forward(nodes: readonly ResolvedNode[], input: Matrix): Matrix | undefined;
  /** Backward through `nodes` from a unit-major gradient (consumed); undefined after a breakdown. */
  backward(nodes: readonly ResolvedNode[], gradient: Matrix): Matrix | undefined;
}

export interface NumericForward {
  /** The node's output, [batch, output units]: a new matrix (never the input). */
  output: Matrix;
  state?: NodeState;
}

export interface NumericBackward {
  /** Gradient w.r.t. the node's input, unit-major [input units, batch]; may be the given gradient, changed in place. */
  inputGradient?: Matrix;
  /** Σ (∂W)² over every weight entry, float64 (weight kinds). */
  weightGradientSumSquares?: number;
}

/** Arrays of the backend's dtype that a node reuses from one replicate to the next (masks, statistics). */
export interface NodeBuffers {
  /** The array for (node, slot) of exactly `length` elements; its contents persist until the next take. */
  take(node: ResolvedNode, slot: string, length: number): Float32Array | Float64Array;
}

export interface NumericContext {
  backend: KernelBackend;
  random: RandomSource;
  scratch: Float64Scratch;
  buffers: NodeBuffers;
  batch: number;
}

export interface NumericFace<Node extends ResolvedNode = ResolvedNode> {
  /**
   * Draws the node's parameters from `context.random` (in the order the engine documents) and runs
   * it forward; undefined when a child broke down.
   */
  forward(node: Node, input: Matrix, context: NumericContext, run: NumericRunner): NumericForward | undefined;
  /**
   * Backward: `gradient` is the unit-major gradient at the node's output (the node may change it in
   * place and return it); `input` the forward input. `needInputGradient` is false at the bottom.
   */
  backward(
    node: Node,
    state: NodeState | undefined,
    input: Matrix,
    gradient: Matrix,
    context: NumericContext,
    needInputGradient: boolean,
    run: NumericRunner,
  ): NumericBackward | undefined;
  /** Weight entries (weight kinds), for E[(∂W)²] = Σ(∂W)²/(count·batch). */
  weightCount?(node: Node): number;
  /** Elements (backend dtype) the node keeps per replicate: parameters, output, backward state. */
  keptElements(node: Node, batch: number): number;
  /** Elements the node needs for a moment beyond what it keeps (gradients, columns). */
  workingElements(node: Node, batch: number): number;
}

// ---------------------------------------------------------------------------------------------
// The kind
// ---------------------------------------------------------------------------------------------

/** One layer kind with all its faces. */
// biome-ignore lint/suspicious/noExplicitAny: each kind reads its own node type (see LayerKindTable).
export interface LayerKind<Node extends ResolvedNode = any> {
  readonly name: string;
  /** Fields a node of this kind accepts besides `kind`, e.g. ['width', 'init', 'biasStd']. */
  readonly fields: readonly string[];
  /** One line on what the kind is, for error messages and help. */
  readonly summary: string;
  /** Checks the node's fields and resolves its shape; errors name `<path>.<field>`. */
  resolve(spec: Readonly<Record<string, unknown>>, context: ResolveContext): Node;
  /** Direct children lists, for walks that visit every node (combinators only). */
  children?(node: Node): readonly (readonly ResolvedNode[])[];
  readonly moments: MomentFace<Node>;
  readonly numeric: NumericFace<Node>;
  /** The kind's words for a resolved weight layer (weight kinds only). */
  words?(layer: ResolvedLayer): LayerWords;
}

/**
 * A table of layer kinds by name; pass one to resolveNetwork (through its catalogue). (`any`: each
 * kind reads its own node type.)
 */
// biome-ignore lint/suspicious/noExplicitAny: each kind reads its own node type (see LayerKindTable).
export type LayerKindTable = Readonly<Record<string, LayerKind<any>>>;

/** The kind of `name` in `table`, or undefined (own properties only: 'toString' is not a kind). */
export function findLayerKind(table: LayerKindTable, name: unknown): LayerKind | undefined {
  return typeof name === 'string' && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The kind of a resolved node; a node always comes from its table, so a miss is a bug. */
export function kindOfNode(table: LayerKindTable, node: ResolvedNode): LayerKind {
  const kind = findLayerKind(table, node.kind);
  if (!kind) throw new Error(`node ${node.path} has kind ${node.kind}, which is not in the layer-kind table (${Object.keys(table).join(', ')})`);
  return kind;
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
