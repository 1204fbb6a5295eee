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
import { numericLayerKinds } from '../layers/registry.js';
import type { Float64Scratch, LayerState } from '../layers/kind.js';
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
  type TensorSummary,
} from './tensorSummary.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';

/** Where a replicate broke down. */
export interface Breakdown {
  kind: 'exploded' | 'vanished';
  layer: number;
  pass: 'forward' | 'backward';
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

function requirePositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InputError(field, value, 'a positive integer');
  return value;
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

/** Memory a thread reuses from one replicate to the next: float64 scratch and the mask arrays. */
export interface EngineWorkspace extends Float64Scratch {
  /** The array for layer l's mask φ′(h_l), of the given length and element type. */
  mask(layer: number, length: number, dtype: 'float32' | 'float64'): FloatArray;
}

/** A growing float64 buffer handed out as exact-length views, plus per-layer mask arrays. */
export function createFloat64Scratch(): EngineWorkspace {
  const masks: FloatArray[] = [];
  let buffer = new Float64Array(0);
  return {
    take(length: number): Float64Array {
      if (buffer.length < length) buffer = new Float64Array(Math.max(length, Math.ceil(buffer.length * 1.5)));
      return buffer.subarray(0, length);
    },
    mask(layer, length, dtype) {
      const existing = masks[layer];
      const fits = existing && existing.length === length && (dtype === 'float64') === existing instanceof Float64Array;
      if (!fits) masks[layer] = dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
      return masks[layer];
    },
  };
}

/** Writes the transpose of `source` ([rows, cols], row-major) into `target` ([cols, rows]), in cache-sized tiles. */
export function transposeInto(source: ArrayLike<number>, target: FloatArray, rows: number, cols: number): void {
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(rows, i0 + tile);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(cols, j0 + tile);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) target[j * rows + i] = source[row + j];
      }
    }
  }
}

/**
 * Runs replicate network `index` of a measurement: forward, backward, weight gradients, summaries.
 * Exported for the worker drivers (src/numeric/parallel/, the explorer's Web Worker).
 */
export function measureReplicate(
  network: ResolvedNetwork,
  index: number,
  settings: ReplicateSettings,
  backend: KernelBackend,
  scratch: EngineWorkspace = createFloat64Scratch(),
): ReplicateOutcome {
  const { batch, histogramBins } = settings;
  const layers = network.layers;
  const depth = layers.length;
  const random = replicateRandom(settings.seed, index);

  const inputs: Matrix[] = [];
  const masks: FloatArray[] = [];
  const states: LayerState[] = [];
  const live = new Set<Matrix>();
  const forward: number[] = new Array(depth).fill(0);
  const backward: number[] = new Array(depth).fill(0);
  const weightGradient: number[] = new Array(depth).fill(0);
  const forwardSummaries: TensorSummary[] = [];
  const backwardSummaries: TensorSummary[] = new Array(depth);

  const stop = (breakdown: Breakdown): ReplicateOutcome => {
    for (const m of live) backend.release(m);
    for (const s of states) s.release();
    return { index, breakdown };
  };

  // Input X ~ N(0, γ²), [batch, n_0].
  const inputUnits = layers[0].inputUnits;
  const drawnInput = scratch.take(batch * inputUnits);
  random.fillNormal(drawnInput, 0, Math.sqrt(network.inputVariance));
  const x = backend.allocate(batch, inputUnits);
  backend.view(x).set(drawnInput);
  inputs.push(x);
  live.add(x);

  for (let l = 0; l < depth; l++) {
    const layer = layers[l];
    const kind = numericLayerKinds[layer.kind];
    const state = kind.sample(layer, random, backend, scratch);
    states.push(state);
    let bias: Float64Array | undefined;
    if (layer.biasVariance > 0) {
      bias = new Float64Array(kind.biasCount(layer));
      random.fillNormal(bias, 0, Math.sqrt(layer.biasVariance));
    }
    const h = kind.forward(layer, state, inputs[l], backend);
    live.add(h);
    const units = layer.outputUnits;
    let values = backend.view(h);
    if (bias) {
      // Dense: one bias per unit; conv: one per channel, and unit = position·C + channel.
      const channels = bias.length;
      for (let b = 0; b < batch; b++) {
        const row = b * units;
        for (let u = 0; u < units; u++) values[row + u] += bias[u % channels];
      }
    }
    const result = summarizeTensor(values, histogramBins);
    if ('breakdown' in result) return stop({ kind: result.breakdown, layer: layer.index, pass: 'forward' });
    forwardSummaries.push(result.summary);
    forward[l] = result.summary.sumSquares / result.summary.count;
    if (l < depth - 1) {
      const activated = backend.allocate(batch, units);
      live.add(activated);
      values = backend.view(h);
      layer.activation.applyInPlace(values, backend.view(activated));
      // h now becomes φ′(h); kept transposed, [units, batch], to mask the unit-major gradient.
      layer.activation.derivativeInPlace(values, values);
      const mask = scratch.mask(l, units * batch, backend.dtype);
      transposeInto(values, mask, batch, units);
      masks.push(mask);
      inputs.push(activated);
    }
    backend.release(h);
    live.delete(h);
  }

  // Upstream gradient d_L ~ N(0, 1), unit-major [n_L, batch].
  const last = layers[depth - 1];
  const drawnGradient = scratch.take(last.outputUnits * batch);
  random.fillNormal(drawnGradient, 0, 1);
  let gradient = backend.allocate(last.outputUnits, batch);
  live.add(gradient);
  backend.view(gradient).set(drawnGradient);
  const top = summarizeTensor(backend.view(gradient), histogramBins);
  if ('breakdown' in top) return stop({ kind: top.breakdown, layer: last.index, pass: 'backward' });
  backwardSummaries[depth - 1] = top.summary;
  backward[depth - 1] = top.summary.sumSquares / top.summary.count;

  for (let l = depth - 1; l >= 0; l--) {
    const layer = layers[l];
    const kind = numericLayerKinds[layer.kind];
    const result = kind.backward(layer, states[l], inputs[l], gradient, backend, l > 0);
    backend.release(gradient);
    live.delete(gradient);
    backend.release(inputs[l]);
    live.delete(inputs[l]);
    states[l].release();
    states.pop();
    const meanSquare = result.weightGradientSumSquares / kind.weightCount(layer) / batch;
    if (!Number.isFinite(meanSquare)) {
      if (result.inputGradient) backend.release(result.inputGradient);
      return stop({ kind: 'exploded', layer: layer.index, pass: 'backward' });
    }
    weightGradient[l] = meanSquare;
    if (l === 0 || !result.inputGradient) break;
    gradient = result.inputGradient;
    live.add(gradient);
    // d_{l−1} = (W·e)ᵀ ⊙ φ′(h_{l−1}): masked in place while summing.
    const summary = summarizeTensor(backend.view(gradient), histogramBins, masks[l - 1]);
    if ('breakdown' in summary) return stop({ kind: summary.breakdown, layer: layers[l - 1].index, pass: 'backward' });
    backwardSummaries[l - 1] = summary.summary;
    backward[l - 1] = summary.summary.sumSquares / summary.summary.count;
  }
  for (const m of live) backend.release(m);
  return {
    index,
    values: { forward, backward, weightGradient },
    summaries: forwardSummaries.map((f, l) => ({ forward: f, backward: backwardSummaries[l] })),
  };
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
