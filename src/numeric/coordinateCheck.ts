/**
 * The coordinate check of Tensor Programs V (Yang et al. 2022, §"coord check"; mup's
 * mup/coord_check.py) with the theory added: over a list of widths n, sample the network in a
 * parametrization (src/vocabulary/parametrizations.ts), take one SGD or Adam step, and measure per
 * weight layer the RMS of its pre-activation h_l at initialization and of its change Δh_l after the
 * step; fit the exponent of each against ln n and set it beside the exponent the abc table predicts
 * (src/theory/widthExponents.ts).
 *
 * What runs, per width n and replicate r (stream `replicateRandom(seed, r)`, the same at every width,
 * so replicate r sees the same data batch X at every width, as mup's check uses one data loader):
 * 1. the spec with every hidden width w replaced by w·n/n₀ (n₀ the width of its first weight layer,
 *    the base width: there every parametrization is the spec as written), the output width kept;
 * 2. the engine's replicate walk (src/numeric/engine.ts, the kinds' numeric faces) draws each weight
 *    matrix from the spec's init rescaled to variance Var₀·(n/n₀)^{−2(a+b)} (Var₀ the spec's variance
 *    at the base width), runs forward and, from the engine's random linear loss L = Σ_b g_bᵀ f_b with
 *    g ~ N(0, 1), backward; an observer (the engine's one hook) keeps each pre-activation and forms
 *    ∂L/∂W = Σ_b ∂h_b x_bᵀ from the gradient and the input the dense face saw;
 * 3. the step on the effective weights: SGD W ← W − η·(n/n₀)^{λ}·∂L/∂W, Adam's first step
 *    W ← W − η·(n/n₀)^{λ}·g/(|g| + ε) (torch.optim.Adam with its bias corrections: m̂ = g, v̂ = g²;
 *    ε = 1e-8 as in torch), λ the effective learning-rate exponent;
 * 4. the same walk again with the stepped weights replayed (same random stream: same X), keeping the
 *    new pre-activations; Δh_l is the difference.
 * Per replicate, the exponent of each quantity is the least-squares slope of ln RMS against ln n;
 * replicates are independent, so their slopes give a t interval, at the simultaneous level
 * 1 − (1 − level)/(2·layers) (Bonferroni over the family, as src/numeric/decision.ts does).
 * The prediction is leading-order, so an exponent is compared with a band
 * [predicted − tolerance, predicted + tolerance]: it fails when its interval misses the band.
 *
 * Scope: a chain of dense layers and elementwise activations (serial and repeat of those): the MLP
 * of Tensor Programs IV that the abc calculus covers. Biases are refused: the step here trains weight
 * matrices only, and an untrained bias would change the output's exponent at initialization.
 */
import { InputError, NumericalBreakdownError } from '../errors.js';
import { isWeightNode, type ResolvedNode } from '../layers/kind.js';
import { leastSquaresLine, studentTQuantile } from '../math/statistics.js';
import { DEFAULT_EXPONENT_TOLERANCE, DEFAULT_LEVEL } from './measurement.js';
import { predictWidthExponents, type LayerExponents } from '../theory/widthExponents.js';
import type { WeightDistribution } from '../vocabulary/distribution.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';
import { expandWidths, isTreeSpec, resolveNetwork, walkNodes, type LayerNodeSpec, type NetworkSpec, type ResolvedLayer, type ResolvedNetwork, type TreeNetworkSpec } from '../vocabulary/network.js';
import type { OptimizerName, Parametrization, WeightRole } from '../vocabulary/parametrizations.js';
import { simultaneousLevel, type Verdict } from './decision.js';
import { createFloat64Scratch, measureReplicate, type ReplicateObserver } from './engine.js';
import type { KernelBackend, Matrix } from './kernels/backend.js';
import { createPlainBackend } from './kernels/plain.js';
import { assertMemoryBudget, estimateMemory } from './memory.js';
import { DEFAULT_HISTOGRAM_BINS } from './tensorSummary.js';

/** torch.optim.Adam's default ε (torch/optim/adam.py, `eps=1e-8`). */
export const ADAM_EPSILON = 1e-8;

/** The kinds a coordinate check runs: a chain of dense layers and activations. */
const CHAIN_KINDS = new Set(['dense', 'activation', 'serial', 'repeat']);

export interface CoordinateCheckOptions {
  parametrization: Parametrization;
  optimizer: OptimizerName;
  /** Hidden widths n (at least 2, distinct). */
  widths: readonly number[];
  /** Base learning rate η (the rate at the base width). */
  learningRate: number;
  /** Replicate networks per width (≥ 2: the interval comes from their spread). */
  nets: number;
  batch: number;
  seed: number;
  /** Family-wise confidence level of the intervals (default 0.99). */
  level?: number;
  /** Half-width of the band around a predicted exponent (leading-order predictions). */
  tolerance?: number;
  /** Memory budget in bytes for the widest network (default: the engine's). */
  memoryBudgetBytes?: number;
  /** Called after each (width, replicate). */
  onProgress?(done: number, total: number): void;
}

export { DEFAULT_EXPONENT_TOLERANCE, DEFAULT_LEVEL };

/** One fitted exponent beside its prediction. */
export interface ExponentFit {
  /** Mean over replicates of the least-squares slope of ln RMS against ln n. */
  exponent: number;
  ciLow: number;
  ciHigh: number;
  predictedExponent: number;
  verdict: Verdict;
  /** Per width: the geometric mean over replicates of the RMS. */
  sizes: { width: number; rms: number }[];
  /** ln RMS = intercept + exponent·ln n: the fitted line (mean over replicates of the intercepts). */
  intercept: number;
}

export interface LayerCoordinateCheck {
  /** 1-based weight-layer index. */
  layer: number;
  path: string;
  role: WeightRole;
  /** Δh_l after one step: the coordinate check proper. */
  update: ExponentFit;
  /** h_l at initialization. */
  activation: ExponentFit;
  prediction: LayerExponents;
}

export interface CoordinateCheckResult {
  parametrization: string;
  optimizer: OptimizerName;
  widths: number[];
  baseWidth: number;
  learningRate: number;
  nets: number;
  batch: number;
  seed: number;
  level: number;
  /** The level of each interval after the Bonferroni split. */
  intervalLevel: number;
  tolerance: number;
  layers: LayerCoordinateCheck[];
  /** 'fails' if any exponent's interval misses its band, 'holds' if every one lies inside, else 'undecided'. */
  verdict: Verdict;
}

// ---------------------------------------------------------------------------------------------
// The network at width n
// ---------------------------------------------------------------------------------------------

/** The base network: the spec as written, checked to be a chain the calculus covers. */
export function resolveBaseNetwork(spec: NetworkSpec): ResolvedNetwork {
  const network = resolveNetwork(spec);
  walkNodes(network.nodes, network.kinds, (node) => {
    if (node.kind === 'bias') {
      throw new InputError(`${node.path}`, 'a bias', 'no bias nodes (biasStd 0)', 'The coordinate check trains weight matrices only');
    }
    if (!CHAIN_KINDS.has(node.kind)) {
      throw new InputError(`${node.path}.kind`, node.kind, 'dense, activation, serial or repeat (a chain of dense layers: the MLP of Tensor Programs IV)');
    }
  });
  if (network.layers.length < 2) throw new InputError('layers', `${network.layers.length} weight layer`, 'at least 2 weight layers (input and output)');
  const output = network.layers[network.layers.length - 1];
  if (output.path.includes('/')) throw new InputError(`${output.path}`, 'the last weight layer inside a block', 'the output layer as a top-level dense node');
  for (const layer of network.layers) {
    if (layer.init.distribution.mean !== 0 || !(layer.init.variance > 0)) {
      throw new InputError(`${layer.path}.init`, layer.init.label, 'a zero-mean init with positive variance');
    }
  }
  return network;
}

function treeOf(spec: NetworkSpec): TreeNetworkSpec {
  return isTreeSpec(spec) ? spec : expandWidths(spec).tree;
}

/**
 * The spec with every hidden dense width w replaced by w·n/n₀ (n₀ = the base network's first weight
 * layer's width); the output layer (the last top-level dense node) keeps its width.
 */
export function widenSpec(spec: NetworkSpec, base: ResolvedNetwork, width: number): TreeNetworkSpec {
  const baseWidth = base.layers[0].outputUnits;
  const outputIndex = Number(base.layers[base.layers.length - 1].path);
  const scale = (node: LayerNodeSpec): LayerNodeSpec => {
    if (node.kind === 'dense') {
      const scaled = ((node.width as number) * width) / baseWidth;
      if (!Number.isInteger(scaled)) {
        throw new InputError('--widths', width, `a width n for which every hidden width w·n/${baseWidth} is a whole number (w = ${node.width as number})`);
      }
      return { ...node, width: scaled };
    }
    if (Array.isArray(node.layers)) return { ...node, layers: (node.layers as LayerNodeSpec[]).map(scale) };
    return node;
  };
  const tree = treeOf(spec);
  return { ...tree, layers: tree.layers.map((node, i) => (i === outputIndex ? node : scale(node))) };
}

/** Where a layer's weights come from in a pass: drawn (and kept), or replayed after the step. */
interface WeightSlot {
  mode: 'draw' | 'replay';
  weights: Float64Array;
}

/** The init law scaled by `scale`, drawing through the original (so the random stream is the same in both passes). */
function slotDistribution(base: WeightDistribution, scale: number, slot: WeightSlot): WeightDistribution {
  return {
    ...base,
    label: `${base.label} × ${scale}`,
    variance: base.variance * scale * scale,
    fourthMoment: base.fourthMoment * scale ** 4,
    sample(random, out, rows, cols) {
      base.sample(random, out, rows, cols);
      if (slot.mode === 'replay') {
        out.set(slot.weights);
        return;
      }
      for (let i = 0; i < out.length; i++) out[i] *= scale;
      if (slot.weights.length !== out.length) slot.weights = new Float64Array(out.length);
      slot.weights.set(out);
    },
  };
}

/** The network at one width with its weight slots and per-layer learning rates. */
export interface WidthNetwork {
  network: ResolvedNetwork;
  slots: WeightSlot[];
  learningRates: number[];
  layerOf: Map<ResolvedLayer, number>;
}

/** The spec at width n in the parametrization whose effective exponents `predictions` carry. */
export function networkAtWidth(spec: NetworkSpec, base: ResolvedNetwork, width: number, predictions: readonly LayerExponents[], learningRate: number): WidthNetwork {
  const network = resolveNetwork(widenSpec(spec, base, width));
  const ratio = width / base.layers[0].outputUnits;
  const slots: WeightSlot[] = [];
  network.layers.forEach((layer, l) => {
    const target = base.layers[l].init.variance * ratio ** predictions[l].effective.initVariance;
    const slot: WeightSlot = { mode: 'draw', weights: new Float64Array(0) };
    slots.push(slot);
    const scale = Math.sqrt(target / layer.init.variance);
    layer.init = { ...layer.init, variance: target, distribution: slotDistribution(layer.init.distribution, scale, slot) };
  });
  return {
    network,
    slots,
    learningRates: predictions.map((p) => learningRate * ratio ** p.effective.learningRate),
    layerOf: new Map(network.layers.map((layer, l) => [layer, l])),
  };
}

// ---------------------------------------------------------------------------------------------
// One replicate: forward, backward, step, forward
// ---------------------------------------------------------------------------------------------

function copyOf(backend: KernelBackend, matrix: Matrix): Float64Array {
  return Float64Array.from(backend.view(matrix));
}

/** W ← W − rate·step(∂L/∂W) for W [in, out] row-major, from (∂L/∂W)ᵀ [out, in]. */
function applyStep(weights: Float64Array, gradientT: ArrayLike<number>, inputs: number, outputs: number, rate: number, optimizer: OptimizerName): void {
  for (let j = 0; j < outputs; j++) {
    for (let i = 0; i < inputs; i++) {
      const g = gradientT[j * inputs + i];
      weights[i * outputs + j] -= rate * (optimizer === 'sgd' ? g : g / (Math.abs(g) + ADAM_EPSILON));
    }
  }
}

function rms(values: ArrayLike<number>, minus?: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = minus ? values[i] - minus[i] : values[i];
    sum += v * v;
  }
  return Math.sqrt(sum / values.length);
}

/** What one replicate's step gives, per weight layer. */
export interface StepOutcome {
  /** h_l at initialization and after the step, [batch, units] row-major. */
  before: Float64Array[];
  after: Float64Array[];
  /** Σ (∂L/∂W_l)² over the layer's entries (the engine's E[(∂W)²]·count·batch). */
  gradientSumSquares: number[];
  /** Σ |∂L/∂W_l| over the layer's entries. */
  gradientSumAbs: number[];
  /** The upstream gradient g = ∂L/∂f, unit-major [outputs, batch] (the loss is L = Σ g·f). */
  outputGradient: Float64Array;
  /** Learning rate of each layer's effective weights at this width. */
  learningRates: number[];
}

/** Replicate `index` at one width: forward and backward, one step on every weight matrix, forward again. */
export function stepReplicate(at: WidthNetwork, index: number, options: Pick<CoordinateCheckOptions, 'optimizer' | 'batch' | 'seed'>, backend: KernelBackend): StepOutcome {
  const { network, slots, learningRates, layerOf } = at;
  const depth = network.layers.length;
  const before = new Array<Float64Array>(depth);
  const after = new Array<Float64Array>(depth);
  const gradientSumSquares = new Array<number>(depth).fill(0);
  const gradientSumAbs = new Array<number>(depth).fill(0);
  let outputGradient: Float64Array = new Float64Array(0);
  const layerIndex = (node: ResolvedNode): number => (isWeightNode(node) ? (layerOf.get(node.layer) ?? -1) : -1);
  const settings = { batch: options.batch, seed: options.seed, histogramBins: DEFAULT_HISTOGRAM_BINS };
  const workspace = createFloat64Scratch();

  const drawing: ReplicateObserver = {
    forward(node, _input, output) {
      const l = layerIndex(node);
      if (l >= 0) before[l] = copyOf(backend, output);
    },
    backward(node, input, gradient) {
      const l = layerIndex(node);
      if (l < 0) return;
      if (l === depth - 1) outputGradient = copyOf(backend, gradient);
      const layer = network.layers[l];
      // (∂L/∂W)ᵀ = e·a, [out, batch]·[batch, in]: the product the dense face forms (src/layers/dense.ts).
      const gradientT = backend.matmul(gradient, input);
      const values = backend.view(gradientT);
      for (let i = 0; i < values.length; i++) {
        gradientSumSquares[l] += values[i] * values[i];
        gradientSumAbs[l] += Math.abs(values[i]);
      }
      applyStep(slots[l].weights, values, layer.inputUnits, layer.outputUnits, learningRates[l], options.optimizer);
      backend.release(gradientT);
    },
  };
  const replaying: ReplicateObserver = {
    forward(node, _input, output) {
      const l = layerIndex(node);
      if (l >= 0) after[l] = copyOf(backend, output);
    },
  };

  const width = network.layers[0].outputUnits;
  for (const slot of slots) slot.mode = 'draw';
  const first = measureReplicate(network, index, settings, backend, workspace, drawing);
  if (first.breakdown) throw new NumericalBreakdownError(first.breakdown.kind, first.breakdown.layer, first.breakdown.pass, `at ${first.breakdown.path}, width ${width}, before the step`);
  for (const slot of slots) slot.mode = 'replay';
  const second = measureReplicate(network, index, settings, backend, workspace, replaying);
  if (second.breakdown) throw new NumericalBreakdownError(second.breakdown.kind, second.breakdown.layer, second.breakdown.pass, `at ${second.breakdown.path}, width ${width}, after the step`);
  return { before, after, gradientSumSquares, gradientSumAbs, outputGradient, learningRates };
}

// ---------------------------------------------------------------------------------------------
// The fit
// ---------------------------------------------------------------------------------------------

/** Verdict of an interval [low, high] against the band [predicted − tolerance, predicted + tolerance]. */
export function exponentVerdict(low: number, high: number, predicted: number, tolerance: number): Verdict {
  if (high < predicted - tolerance || low > predicted + tolerance) return 'fails';
  if (low >= predicted - tolerance && high <= predicted + tolerance) return 'holds';
  return 'undecided';
}

/**
 * The exponent of `sizes[w][r]` (width w, replicate r) against ln n: per replicate a least-squares
 * slope, then a t interval at `intervalLevel` over the replicates' slopes.
 */
export function fitExponent(widths: readonly number[], sizes: readonly (readonly number[])[], predicted: number, intervalLevel: number, tolerance: number): ExponentFit {
  const x = widths.map(Math.log);
  const replicates = sizes[0].length;
  const slopes: number[] = [];
  const intercepts: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const line = leastSquaresLine(
      x,
      sizes.map((row) => Math.log(row[r])),
    );
    slopes.push(line.slope);
    intercepts.push(line.intercept);
  }
  const exponent = slopes.reduce((a, b) => a + b, 0) / replicates;
  const variance = slopes.reduce((a, s) => a + (s - exponent) ** 2, 0) / (replicates - 1);
  const half = studentTQuantile((1 + intervalLevel) / 2, replicates - 1) * Math.sqrt(variance / replicates);
  const ciLow = exponent - half;
  const ciHigh = exponent + half;
  return {
    exponent,
    ciLow,
    ciHigh,
    predictedExponent: predicted,
    verdict: Number.isFinite(half) ? exponentVerdict(ciLow, ciHigh, predicted, tolerance) : 'undecided',
    sizes: widths.map((width, w) => ({ width, rms: Math.exp(sizes[w].reduce((a, v) => a + Math.log(v), 0) / replicates) })),
    intercept: intercepts.reduce((a, b) => a + b, 0) / replicates,
  };
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

function validateOptions(options: CoordinateCheckOptions): void {
  const { widths } = options;
  if (!Array.isArray(widths) || widths.length < 2) throw new InputError('--widths', widths, 'at least 2 widths, e.g. 64,128,256,512');
  widths.forEach((w, i) => requirePositiveInteger(`--widths[${i}]`, w));
  if (new Set(widths).size !== widths.length) throw new InputError('--widths', widths.join(','), 'distinct widths');
  if (!(options.learningRate > 0) || !Number.isFinite(options.learningRate)) throw new InputError('--lr', options.learningRate, 'a finite number > 0');
  requirePositiveInteger('--nets', options.nets);
  if (options.nets < 2) throw new InputError('--nets', options.nets, 'at least 2 (the interval comes from the spread of the replicates)');
  requirePositiveInteger('--batch', options.batch);
  if (!Number.isSafeInteger(options.seed)) throw new InputError('--seed', options.seed, 'an integer');
  const level = options.level ?? DEFAULT_LEVEL;
  if (!(level > 0 && level < 1)) throw new InputError('--level', level, 'a number in (0, 1), e.g. 0.99');
  const tolerance = options.tolerance ?? DEFAULT_EXPONENT_TOLERANCE;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new InputError('--tolerance', tolerance, 'a finite number ≥ 0');
}

/** The RMS of every weight layer's h_l (init) and Δh_l (after the step), per width and replicate. */
export interface MeasuredSizes {
  /** Sorted ascending. */
  widths: number[];
  baseWidth: number;
  roles: WeightRole[];
  predictions: LayerExponents[];
  paths: string[];
  /** activation[l][w][r], update[l][w][r]. */
  activation: number[][][];
  update: number[][][];
}

/** Runs the sampling and the step at every width and replicate (no fitting). */
export function measureSizes(spec: NetworkSpec, options: CoordinateCheckOptions): MeasuredSizes {
  validateOptions(options);
  const base = resolveBaseNetwork(spec);
  const roles: WeightRole[] = base.layers.map((_, l) => (l === 0 ? 'input' : l === base.layers.length - 1 ? 'output' : 'hidden'));
  const predictions = predictWidthExponents(options.parametrization, options.optimizer, roles);
  const widths = [...options.widths].sort((a, b) => a - b);
  const depth = base.layers.length;
  const backend = createPlainBackend('float64');

  const widest = networkAtWidth(spec, base, widths[widths.length - 1], predictions, options.learningRate);
  const estimate = estimateMemory(widest.network, { batch: options.batch, dtype: 'float64' });
  // The coordinate check also keeps a float64 copy of every weight matrix (the stepped weights).
  const copies = widest.network.layers.reduce((a, layer) => a + layer.inputUnits * layer.outputUnits * 8, 0);
  assertMemoryBudget({ ...estimate, totalBytes: estimate.totalBytes + copies }, options.memoryBudgetBytes);

  const activation = base.layers.map(() => widths.map(() => new Array<number>(options.nets)));
  const update = base.layers.map(() => widths.map(() => new Array<number>(options.nets)));
  let done = 0;
  widths.forEach((width, w) => {
    const at = w === widths.length - 1 ? widest : networkAtWidth(spec, base, width, predictions, options.learningRate);
    for (let r = 0; r < options.nets; r++) {
      const step = stepReplicate(at, r, options, backend);
      for (let l = 0; l < depth; l++) {
        activation[l][w][r] = rms(step.before[l]);
        update[l][w][r] = rms(step.after[l], step.before[l]);
      }
      options.onProgress?.(++done, widths.length * options.nets);
    }
  });
  base.layers.forEach((layer, l) => {
    for (const [quantity, sizes] of [['update', update[l]], ['activation', activation[l]]] as const) {
      if (sizes.some((row) => row.some((v) => !(v > 0) || !Number.isFinite(v)))) {
        throw new NumericalBreakdownError(quantity === 'update' ? 'vanished' : 'exploded', layer.index, 'forward', `the ${quantity} RMS of ${layer.path} is 0 or not finite at some width`);
      }
    }
  });
  return { widths, baseWidth: base.layers[0].outputUnits, roles, predictions, paths: base.layers.map((layer) => layer.path), activation, update };
}

/** Runs the coordinate check of `spec` in `options.parametrization` over `options.widths`. */
export function coordinateCheck(spec: NetworkSpec, options: CoordinateCheckOptions): CoordinateCheckResult {
  const sizes = measureSizes(spec, options);
  const level = options.level ?? DEFAULT_LEVEL;
  const tolerance = options.tolerance ?? DEFAULT_EXPONENT_TOLERANCE;
  const intervalLevel = simultaneousLevel(level, 1, 2 * sizes.roles.length);
  const { widths, predictions } = sizes;
  const layers: LayerCoordinateCheck[] = sizes.roles.map((role, l) => ({
    layer: l + 1,
    path: sizes.paths[l],
    role,
    update: fitExponent(widths, sizes.update[l], predictions[l].update, intervalLevel, tolerance),
    activation: fitExponent(widths, sizes.activation[l], predictions[l].activation, intervalLevel, tolerance),
    prediction: predictions[l],
  }));
  const verdicts = layers.flatMap((layer) => [layer.update.verdict, layer.activation.verdict]);
  return {
    parametrization: options.parametrization.name,
    optimizer: options.optimizer,
    widths,
    baseWidth: sizes.baseWidth,
    learningRate: options.learningRate,
    nets: options.nets,
    batch: options.batch,
    seed: options.seed,
    level,
    intervalLevel,
    tolerance,
    layers,
    verdict: verdicts.includes('fails') ? 'fails' : verdicts.every((v) => v === 'holds') ? 'holds' : 'undecided',
  };
}
