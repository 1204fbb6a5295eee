/**
 * The Monte Carlo engine: measures E[h_l²], E[d_l²] and E[(∂W_l)²] in real forward and backward
 * passes of R independent replicate networks (the method of shared/bench/reference_mc.py).
 *
 * Per replicate r, from its own stream `replicateRandom(seed, r)` (so results do not depend on
 * which worker runs it), in this order: input X ~ N(0, γ²) [batch, n_0]; per layer, the weights
 * (`init.distribution.sample`, drawn in float64 and then stored in the backend's dtype, so the
 * float32 and float64 paths see the same numbers) and the bias b ~ N(0, σ_b²); finally the upstream
 * gradient d_L ~ N(0, 1) at the last pre-activation.
 *   forward   h_l = a_{l−1}·W_l (+ b_l),  a_l = φ(h_l)
 *   backward  d_l = (d_{l+1}·W_{l+1}ᵀ) ⊙ φ′(h_l),  ∂W_l = a_{l−1}ᵀ·d_l
 * The backward pass carries dᵀ ("unit-major", [units, batch]): then d·Wᵀ = (W·dᵀ)ᵀ and
 * aᵀ·d = (dᵀ·a)ᵀ, so every product is a plain a·b (transposed products are ~10× slower in
 * tfjs-wasm) and the only transpose is of the mask φ′(h_l), a batch-sized array.
 *
 * Statistics accumulate in float64. A non-finite h_l or d_l stops that replicate with breakdown
 * 'exploded', an all-zero one with 'vanished'; broken replicates give no values (never NaN).
 *
 * The engine has no Node-only imports: it runs in a browser Web Worker with the backend passed in.
 */
import { InputError } from '../errors.js';
import { MAX_REPLICATE_NETS } from './measurement.js';
import { kindOfNode, type Float64Scratch, type NodeBuffers, type NodeState, type NumericContext, type NumericRunner, type ResolvedNode } from '../layers/kind.js';
import type { FloatArray, KernelBackend, Matrix } from './kernels/backend.js';
import { createPlainBackend } from './kernels/plain.js';
import type { LayerDistribution, MeasureOptions, RawMeasurement, ReplicateValues } from './measurement.js';
import { assertMemoryBudget, estimateMemory } from './memory.js';
import { replicateRandom } from '../math/random.js';
import {
  DEFAULT_HISTOGRAM_BINS,
  describeSummary,
  mergeSummaries,
  summarizeTensor,
  validateHistogramBins,
  zeroSummary,
  type TensorSummary,
} from './tensorSummary.js';
import { structuralZeros } from './structuralZeros.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';
import { walkNodes, type ResolvedNetwork } from '../vocabulary/network.js';

/** Where a replicate broke down. */
export interface Breakdown {
  kind: 'exploded' | 'vanished';
  /** The last weight layer at or before the site (1-based). */
  layer: number;
  pass: 'forward' | 'backward';
  /** The site where it was first seen. */
  path: string;
}

/** What one replicate network gives: its values, or where it broke down. */
export interface ReplicateOutcome {
  index: number;
  values?: ReplicateValues;
  breakdown?: Breakdown;
  /** Per layer, summaries of h_l and d_l (present with `values`). */
  summaries?: { forward: TensorSummary; backward: TensorSummary }[];
}

/** The parts of {@link MeasureOptions} a single replicate needs (plain data: sent to workers). */
export interface ReplicateSettings {
  batch: number;
  seed: number;
  histogramBins: number;
}

/** How `measureNetwork` runs, beyond the shared {@link MeasureOptions}. */
export interface EngineContext {
  /** Kernel backend; default: the plain TypeScript backend of `options.dtype`. */
  backend?: KernelBackend;
  /** Memory budget in bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/** Default cap on replicates when `shouldStop` is given without `maxNets`. */
export const DEFAULT_MAX_NETS = 1000;

/** Validated options with defaults filled in. */
export interface ValidatedOptions extends MeasureOptions {
  histogramBins: number;
  maxNets: number;
}

function requireReplicateCount(field: string, value: unknown): number {
  requirePositiveInteger(field, value);
  if ((value as number) > MAX_REPLICATE_NETS) throw new InputError(field, value, `a positive integer up to ${MAX_REPLICATE_NETS}`);
  return value as number;
}

/** Checks {@link MeasureOptions}; throws {@link InputError} naming the bad field. */
export function validateMeasureOptions(options: MeasureOptions): ValidatedOptions {
  requirePositiveInteger('batch', options.batch);
  requireReplicateCount('nets', options.nets);
  if (typeof options.seed !== 'number' || !Number.isSafeInteger(options.seed)) {
    throw new InputError('seed', options.seed, 'an integer between -(2^53 - 1) and 2^53 - 1');
  }
  if (options.dtype !== 'float32' && options.dtype !== 'float64') throw new InputError('dtype', options.dtype, 'float32 or float64');
  const histogramBins = validateHistogramBins(options.histogramBins ?? DEFAULT_HISTOGRAM_BINS);
  let maxNets = options.nets;
  if (options.shouldStop) {
    maxNets = options.maxNets ?? Math.max(options.nets, DEFAULT_MAX_NETS);
    requireReplicateCount('maxNets', maxNets);
    if (maxNets < options.nets) throw new InputError('maxNets', maxNets, `at least nets = ${options.nets}`);
  }
  return { ...options, histogramBins, maxNets };
}

/** Throws unless the network is something the engine can run. */
export function validateNetwork(network: ResolvedNetwork): void {
  if (!network || !Array.isArray(network.layers) || network.layers.length === 0) {
    throw new InputError('network', network?.layers?.length ?? network, 'a resolved network with at least one weight layer');
  }
  if (!(network.inputVariance > 0) || !Number.isFinite(network.inputVariance)) {
    throw new InputError('inputVariance', network.inputVariance, 'a finite number > 0');
  }
}

/** Memory a thread reuses from one replicate to the next (float64 scratch; node buffers hang off it). */
export type EngineWorkspace = Float64Scratch;

/** A growing float64 buffer handed out as exact-length views. */
export function createFloat64Scratch(): EngineWorkspace {
  let buffer = new Float64Array(0);
  return {
    take(length: number): Float64Array {
      if (buffer.length < length) buffer = new Float64Array(Math.max(length, Math.ceil(buffer.length * 1.5)));
      return buffer.subarray(0, length);
    },
  };
}

/**
 * Node buffers of the workspace's dtype, kept per (node, slot) so that masks and statistics reuse
 * their memory from one replicate to the next.
 */
function nodeBuffers(workspace: EngineWorkspace, dtype: 'float32' | 'float64'): NodeBuffers {
  const owned = workspaceBuffers.get(workspace) ?? new WeakMap<ResolvedNode, Map<string, FloatArray>>();
  workspaceBuffers.set(workspace, owned);
  return buffersIn(owned, dtype);
}

/** Node buffers of `dtype`, kept per (node, slot) for as long as the returned object lives. */
export function createNodeBuffers(dtype: 'float32' | 'float64'): NodeBuffers {
  return buffersIn(new WeakMap(), dtype);
}

function buffersIn(owned: WeakMap<ResolvedNode, Map<string, FloatArray>>, dtype: 'float32' | 'float64'): NodeBuffers {
  return {
    take(node, slot, length) {
      let slots = owned.get(node);
      if (!slots) owned.set(node, (slots = new Map()));
      const existing = slots.get(slot);
      if (existing && existing.length === length && (dtype === 'float64') === existing instanceof Float64Array) return existing;
      const created = dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
      slots.set(slot, created);
      return created;
    },
  };
}

const workspaceBuffers = new WeakMap<EngineWorkspace, WeakMap<ResolvedNode, Map<string, FloatArray>>>();

/** Where each weight layer's pre-activation is, and the weight layer each site belongs to. */
interface SiteIndex {
  index: Map<ResolvedNode, number>;
  /** Per site: the 0-based weight layer whose pre-activation it is, or −1. */
  preActivationOf: number[];
  /** Per site: the 1-based index of the last weight layer at or before it (for breakdown messages). */
  layerAt: number[];
  /** Per site: the 0-based weight layer whose weights it holds, or −1. */
  weightOf: number[];
}

const siteIndexes = new WeakMap<ResolvedNetwork, SiteIndex>();

function siteIndexOf(network: ResolvedNetwork): SiteIndex {
  const cached = siteIndexes.get(network);
  if (cached) return cached;
  const index = new Map<ResolvedNode, number>();
  walkNodes(network.nodes, network.kinds, (node) => index.set(node, index.size));
  const layerByPre = new Map(network.layers.map((layer, l) => [layer.preActivationPath, l]));
  const layerByPath = new Map(network.layers.map((layer, l) => [layer.path, l]));
  let last = 1;
  const built: SiteIndex = {
    index,
    preActivationOf: network.sites.map((site) => layerByPre.get(site.path) ?? -1),
    layerAt: network.sites.map((site) => (last = site.layer ?? last)),
    weightOf: network.sites.map((site) => layerByPath.get(site.path) ?? -1),
  };
  siteIndexes.set(network, built);
  return built;
}

function isAllZero(values: FloatArray): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

/** Σx² of a signal, or where it broke down (a non-finite value: exploded; all zero: vanished). */
function meanSquareChecked(values: FloatArray): { meanSquare: number } | { breakdown: 'exploded' | 'vanished' } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  if (!Number.isFinite(sum)) return { breakdown: 'exploded' };
  if (sum === 0 && values.length > 0) return { breakdown: 'vanished' };
  return { meanSquare: sum / values.length };
}

/**
 * Sees the matrices of a replicate's walk as it passes each node (read only, valid during the call;
 * the coordinate check, src/numeric/coordinateCheck.ts, reads the weight gradients and the
 * pre-activations through it). `backward` sees the unit-major gradient at the node's output before
 * the node's backward pass changes it.
 */
export interface ReplicateObserver {
  forward?(node: ResolvedNode, input: Matrix, output: Matrix): void;
  backward?(node: ResolvedNode, input: Matrix, outputGradient: Matrix): void;
}

/**
 * What a walk does at each node besides running it; a method returning false stops the walk there
 * (the listener has recorded why). A forward-only walk needs no backward methods.
 */
export interface WalkListener {
  forward(node: ResolvedNode, input: Matrix, output: Matrix): boolean;
  /** `outputGradient` is the unit-major gradient at the node's output, before its backward pass. */
  backward?(node: ResolvedNode, input: Matrix, outputGradient: Matrix): boolean;
  weightGradient?(node: ResolvedNode, sumSquares: number): boolean;
}

/** The tree's forward and backward passes over the kinds' numeric faces. */
export interface TreeWalk {
  /** Forward from `input` (the walk owns it); undefined where a node or the listener stopped. */
  forward(input: Matrix): Matrix | undefined;
  /**
   * Backward from the unit-major `outputGradient` (owned by the walk) down to the input; the
   * gradient at the input when `needInputGradient` (the bottom node skips it otherwise).
   */
  backward(outputGradient: Matrix, needInputGradient: boolean): Matrix | undefined;
  /** Releases every matrix and node state the walk still holds, except `kept`. */
  release(kept?: Matrix): void;
}

/**
 * The one walk of the tree (parameters drawn from `context.random` as each node runs forward), shared
 * by {@link measureReplicate}, {@link inputGradientOf} and the two-input measurement
 * (src/numeric/correlation.ts); combinators run their children through the same runner.
 */
export function walkTree(network: ResolvedNetwork, context: NumericContext, listener?: WalkListener): TreeWalk {
  const { backend } = context;
  const live = new Set<Matrix>();
  const records = new Map<ResolvedNode, { input: Matrix; state?: NodeState }>();
  let bottom: ResolvedNode | undefined;
  const runner: NumericRunner = {
    forward(nodes, input) {
      let flowing = input;
      for (const node of nodes) {
        const result = kindOfNode(network.kinds, node).numeric.forward(node, flowing, context, runner);
        if (!result) return undefined;
        live.add(result.output);
        records.set(node, { input: flowing, state: result.state });
        if (listener && !listener.forward(node, flowing, result.output)) return undefined;
        flowing = result.output;
      }
      return flowing;
    },
    backward(nodes, gradient) {
      let flowing = gradient;
      live.add(flowing);
      for (let i = nodes.length - 1; i >= 0; i--) {
        const node = nodes[i];
        const record = records.get(node)!;
        if (listener?.backward && !listener.backward(node, record.input, flowing)) return undefined;
        const result = kindOfNode(network.kinds, node).numeric.backward(node, record.state, record.input, flowing, context, node !== bottom, runner);
        if (!result) return undefined;
        record.state?.release();
        record.state = undefined;
        if (listener?.weightGradient && result.weightGradientSumSquares !== undefined && !listener.weightGradient(node, result.weightGradientSumSquares)) return undefined;
        const next = result.inputGradient;
        // A combinator's children may already have released it (through the runner): release once.
        if (next !== flowing && live.delete(flowing)) backend.release(flowing);
        if (!next) return undefined;
        live.add(next);
        flowing = next;
      }
      return flowing;
    },
  };
  return {
    forward(input) {
      live.add(input);
      return runner.forward(network.nodes, input);
    },
    backward(outputGradient, needInputGradient) {
      bottom = needInputGradient ? undefined : network.nodes[0];
      return runner.backward(network.nodes, outputGradient);
    },
    release(kept) {
      for (const m of live) if (m !== kept) backend.release(m);
      live.clear();
      for (const record of records.values()) record.state?.release();
    },
  };
}

/**
 * The tree run forward on `input` ([batch, n_0]; each node drawing its parameters from
 * `context.random` as it runs) and backward from `outputGradient` (unit-major [n_L, batch]) through
 * the engine's walk: the gradient at the input, unit-major [n_0, batch] (the caller releases it), or
 * undefined where a node gave no result. Both arguments are consumed. The Jacobian's spectrum
 * (src/numeric/jacobian.ts) runs it on basis vectors.
 */
export function inputGradientOf(network: ResolvedNetwork, input: Matrix, outputGradient: Matrix, context: NumericContext): Matrix | undefined {
  const walk = walkTree(network, context);
  let inputGradient: Matrix | undefined;
  if (walk.forward(input)) inputGradient = walk.backward(outputGradient, true);
  else context.backend.release(outputGradient);
  walk.release(inputGradient);
  return inputGradient;
}

/**
 * Runs replicate network `index` of a measurement: the tree's forward pass (each node drawing its
 * parameters as it runs), the upstream gradient, the backward pass; E[y²] and E[(∂y)²] at every
 * site, E[(∂W)²] of every weight layer, and summaries at each weight layer's pre-activation.
 * Exported for the worker drivers (src/numeric/parallel/, the explorer's Web Worker).
 */
export function measureReplicate(
  network: ResolvedNetwork,
  index: number,
  settings: ReplicateSettings,
  backend: KernelBackend,
  workspace: EngineWorkspace = createFloat64Scratch(),
  observer?: ReplicateObserver,
): ReplicateOutcome {
  const { batch, histogramBins } = settings;
  const depth = network.layers.length;
  const sites = siteIndexOf(network);
  const siteCount = network.sites.length;
  const zeros = structuralZeros(network);
  const random = replicateRandom(settings.seed, index);
  const context: NumericContext = { backend, random, scratch: workspace, buffers: nodeBuffers(workspace, backend.dtype), batch };

  const siteForward = new Array<number>(siteCount).fill(0);
  const siteBackward = new Array<number>(siteCount).fill(0);
  const weightGradient = new Array<number>(depth).fill(0);
  const forwardSummaries = new Array<TensorSummary>(depth);
  const backwardSummaries = new Array<TensorSummary>(depth);
  let breakdown: Breakdown | undefined;

  /** Records a site's signal (or gradient); false when it broke down. */
  const observe = (site: number, matrix: Matrix, pass: 'forward' | 'backward'): boolean => {
    const values = backend.view(matrix);
    const layer = sites.preActivationOf[site];
    let meanSquare: number;
    if (zeros[pass][site] && isAllZero(values)) {
      if (layer >= 0) (pass === 'forward' ? forwardSummaries : backwardSummaries)[layer] = zeroSummary(values.length, histogramBins);
      (pass === 'forward' ? siteForward : siteBackward)[site] = 0;
      return true;
    }
    if (layer >= 0) {
      const result = summarizeTensor(values, histogramBins);
      if ('breakdown' in result) {
        breakdown = { kind: result.breakdown, layer: sites.layerAt[site], pass, path: network.sites[site].path };
        return false;
      }
      (pass === 'forward' ? forwardSummaries : backwardSummaries)[layer] = result.summary;
      meanSquare = result.summary.sumSquares / result.summary.count;
    } else {
      const result = meanSquareChecked(values);
      if ('breakdown' in result) {
        breakdown = { kind: result.breakdown, layer: sites.layerAt[site], pass, path: network.sites[site].path };
        return false;
      }
      meanSquare = result.meanSquare;
    }
    (pass === 'forward' ? siteForward : siteBackward)[site] = meanSquare;
    return true;
  };

  const walk = walkTree(network, context, {
    forward(node, input, output) {
      observer?.forward?.(node, input, output);
      return observe(sites.index.get(node)!, output, 'forward');
    },
    backward(node, input, outputGradient) {
      if (!observe(sites.index.get(node)!, outputGradient, 'backward')) return false;
      observer?.backward?.(node, input, outputGradient);
      return true;
    },
    weightGradient(node, sumSquares) {
      const site = sites.index.get(node)!;
      const meanSquare = sumSquares / kindOfNode(network.kinds, node).numeric.weightCount!(node) / batch;
      if (!Number.isFinite(meanSquare)) {
        breakdown = { kind: 'exploded', layer: sites.layerAt[site], pass: 'backward', path: node.path };
        return false;
      }
      weightGradient[sites.weightOf[site]] = meanSquare;
      return true;
    },
  });

  const finish = (): ReplicateOutcome => {
    walk.release();
    if (breakdown) return { index, breakdown };
    return {
      index,
      values: {
        forward: network.layers.map((_, l) => forwardSummaries[l].sumSquares / forwardSummaries[l].count),
        backward: network.layers.map((_, l) => backwardSummaries[l].sumSquares / backwardSummaries[l].count),
        weightGradient,
        sites: { forward: siteForward, backward: siteBackward },
      },
      summaries: network.layers.map((_, l) => ({ forward: forwardSummaries[l], backward: backwardSummaries[l] })),
    };
  };

  // Input X ~ N(0, γ²), [batch, n_0].
  const inputUnits = network.input.units;
  const drawnInput = workspace.take(batch * inputUnits);
  random.fillNormal(drawnInput, 0, Math.sqrt(network.inputVariance));
  const x = backend.allocate(batch, inputUnits);
  backend.view(x).set(drawnInput);
  const output = walk.forward(x);
  if (!output) return finish();

  // Upstream gradient d_L ~ N(0, 1) at the network's output, unit-major [units, batch].
  const outputUnits = network.nodes[network.nodes.length - 1].output.units;
  const drawnGradient = workspace.take(outputUnits * batch);
  random.fillNormal(drawnGradient, 0, 1);
  const gradient = backend.allocate(outputUnits, batch);
  backend.view(gradient).set(drawnGradient);
  walk.backward(gradient, false);
  return finish();
}

/** Merges outcomes (any order) into replicates, distributions and the first breakdown, by replicate index. */
export function mergeOutcomes(
  outcomes: readonly ReplicateOutcome[],
  depth: number,
): { replicates: ReplicateValues[]; distributions: LayerDistribution[]; breakdown?: Breakdown } {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const valid = sorted.filter((o) => o.values && o.summaries);
  const broken = sorted.find((o) => o.breakdown);
  const distributions: LayerDistribution[] = [];
  if (valid.length > 0) {
    for (let l = 0; l < depth; l++) {
      distributions.push({
        layer: l + 1,
        preActivation: describeSummary(mergeSummaries(valid.map((o) => o.summaries![l].forward))),
        gradient: describeSummary(mergeSummaries(valid.map((o) => o.summaries![l].backward))),
      });
    }
  }
  return {
    replicates: valid.map((o) => o.values!),
    distributions,
    ...(broken?.breakdown ? { breakdown: broken.breakdown } : {}),
  };
}

/**
 * Plans and runs rounds of replicates: first `nets`, then, while `shouldStop` says no and fewer than
 * `maxNets` ran, rounds of max(nets, ⌈done/4⌉) more (at most 25% overshoot). Round sizes depend
 * only on the options, never on the number of workers, so results do not either. Stops after a round
 * in which a replicate broke down.
 */
export async function runRounds(
  options: ValidatedOptions,
  runIndices: (indices: number[], onDone: () => void, total: number) => Promise<ReplicateOutcome[]>,
): Promise<ReplicateOutcome[]> {
  const outcomes: ReplicateOutcome[] = [];
  let planned = options.nets;
  let done = 0;
  const onDone = () => {
    done++;
    options.onProgress?.(done, planned);
  };
  let start = 0;
  for (;;) {
    const indices = Array.from({ length: planned - start }, (_, i) => start + i);
    outcomes.push(...(await runIndices(indices, onDone, planned)));
    start = planned;
    if (!options.shouldStop || outcomes.some((o) => o.breakdown) || planned >= options.maxNets) break;
    const replicates = outcomes
      .filter((o) => o.values)
      .sort((a, b) => a.index - b.index)
      .map((o) => o.values!);
    if (options.shouldStop(replicates)) break;
    planned = Math.min(options.maxNets, planned + Math.max(options.nets, Math.ceil(planned / 4)));
  }
  return outcomes;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Measures a network in this thread with the given (or the plain) kernel backend.
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' });
 * const raw = await measureNetwork(network, { batch: 128, nets: 4, seed: 1, dtype: 'float64' });
 * raw.replicates[0].forward; // E[h_l²] per layer of replicate 0
 * ```
 */
export async function measureNetwork(
  network: ResolvedNetwork,
  options: MeasureOptions,
  context: EngineContext = {},
): Promise<RawMeasurement> {
  const validated = validateMeasureOptions(options);
  validateNetwork(network);
  const backend = context.backend ?? createPlainBackend(validated.dtype);
  if (backend.dtype !== validated.dtype) {
    throw new InputError('dtype', validated.dtype, `${backend.dtype} (the dtype of the ${backend.name} backend)`);
  }
  assertMemoryBudget(estimateMemory(network, { batch: validated.batch, dtype: validated.dtype, workers: 1 }), context.memoryBudgetBytes);
  const started = now();
  const scratch = createFloat64Scratch();
  const settings: ReplicateSettings = { batch: validated.batch, seed: validated.seed, histogramBins: validated.histogramBins };
  let lastYield = now();
  const outcomes = await runRounds(validated, async (indices, onDone) => {
    const results: ReplicateOutcome[] = [];
    for (const index of indices) {
      results.push(measureReplicate(network, index, settings, backend, scratch));
      onDone();
      // Let the event loop breathe (messages, cancellation) during long runs.
      if (now() - lastYield > 50) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = now();
      }
    }
    return results;
  });
  return {
    ...mergeOutcomes(outcomes, network.layers.length),
    elapsedSeconds: (now() - started) / 1000,
    dtype: validated.dtype,
    batch: validated.batch,
    seed: validated.seed,
  };
}
