/**
 * Two inputs through the same sampled networks: the Monte Carlo side of the c-map (Poole et al.
 * 2016; Schoenholz et al. 2017). Per replicate network r, from its own stream
 * `replicateRandom(seed, r)`, in this order: P pairs of inputs (x_a, x_b), each unit
 * x_a = γ·z₁, x_b = γ·(c₀·z₁ + √(1 − c₀²)·z₂), stacked as one batch [2P, n₀] (rows 0..P−1 the a's,
 * P..2P−1 the b's); then the kinds' numeric faces forward, each node drawing its parameters as it
 * runs, so both inputs meet the very same weights and biases. At every site it records
 *   cross       = Σ y_a·y_b / (P·units)         (the moment propagate() predicts, E[y_a y_b]),
 *   correlation = Σ y_a·y_b / √(Σ y_a² · Σ y_b²) (the cosine, c_l).
 * It runs forward only, through the engine's one walk of the tree (`walkTree`, src/numeric/engine.ts).
 *
 * Checks decide through the one decision procedure (src/numeric/decision.ts): per site, the
 * replicates' `cross` against propagate()'s E[y_a y_b] (strict where that is exact: a chain of
 * linear maps and biases; the mean-field band elsewhere) and their `correlation` against
 * E[y_a y_b]/E[y²] (mean-field band: a ratio), all sites one Bonferroni family.
 */
import { InputError } from '../errors.js';
import type { NumericContext, ResolvedNode } from '../layers/kind.js';
import { replicateRandom } from '../math/random.js';
import { leastSquaresLine } from '../math/statistics.js';
import { propagate, type Propagation } from '../symbolic/propagate.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';
import { walkNodes, type ResolvedNetwork } from '../vocabulary/network.js';
import { decidePrediction, DEFAULT_TOLERANCE, simultaneousLevel, combineVerdicts, type PredictionDecision, type Verdict } from './decision.js';
import { createFloat64Scratch, createNodeBuffers, walkTree } from './engine.js';
import type { FloatArray } from './kernels/backend.js';
import { createPlainBackend } from './kernels/plain.js';
import { MAX_REPLICATE_NETS } from './measurement.js';

export interface CorrelationOptions {
  /** Input pairs per replicate network (the batch is 2·pairs). */
  pairs: number;
  nets: number;
  seed: number;
  /** c₀, the correlation of the two inputs, in [−1, 1]. */
  inputCorrelation: number;
  dtype?: 'float32' | 'float64';
}

/** One replicate network: per site (in the order of `network.sites`), its two-input statistics. */
export interface ReplicateCorrelation {
  cross: number[];
  correlation: number[];
}

export interface CorrelationMeasurement {
  replicates: ReplicateCorrelation[];
  /** Replicates that overflowed or collapsed to zero somewhere (they give no values). */
  brokenReplicates: number;
}

function validate(options: CorrelationOptions): void {
  requirePositiveInteger('pairs', options.pairs);
  requirePositiveInteger('nets', options.nets);
  if (options.nets > MAX_REPLICATE_NETS) throw new InputError('nets', options.nets, `a positive integer up to ${MAX_REPLICATE_NETS}`);
  if (typeof options.seed !== 'number' || !Number.isSafeInteger(options.seed)) throw new InputError('seed', options.seed, 'an integer between -(2^53 - 1) and 2^53 - 1');
  const c = options.inputCorrelation;
  if (typeof c !== 'number' || !Number.isFinite(c) || Math.abs(c) > 1) throw new InputError('inputCorrelation', c, 'a number in [-1, 1] (the correlation of the two inputs)');
}

/** Σ y_a y_b, Σ y_a², Σ y_b² of a [2P, units] signal; undefined when it is not finite or all zero. */
function pairSums(values: FloatArray, pairs: number, units: number): { ab: number; aa: number; bb: number } | undefined {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  const offset = pairs * units;
  for (let i = 0; i < offset; i++) {
    const a = values[i];
    const b = values[offset + i];
    ab += a * b;
    aa += a * a;
    bb += b * b;
  }
  if (!Number.isFinite(ab) || !Number.isFinite(aa) || !Number.isFinite(bb) || aa === 0 || bb === 0) return undefined;
  return { ab, aa, bb };
}

/**
 * Runs replicate network `index` forward on P correlated pairs; undefined when it broke down.
 * Exported for the tests and for callers that schedule replicates themselves.
 */
export function measureCorrelationReplicate(network: ResolvedNetwork, index: number, options: CorrelationOptions, context: Omit<NumericContext, 'random' | 'batch'>): ReplicateCorrelation | undefined {
  const { backend } = context;
  const { pairs } = options;
  const batch = 2 * pairs;
  const random = replicateRandom(options.seed, index);
  const numeric: NumericContext = { ...context, random, batch };
  const siteOf = new Map<ResolvedNode, number>();
  walkNodes(network.nodes, network.kinds, (node) => siteOf.set(node, siteOf.size));
  const cross = new Array<number>(siteOf.size).fill(0);
  const correlation = new Array<number>(siteOf.size).fill(0);
  let broken = false;
  const walk = walkTree(network, numeric, {
    forward(node, _input, output) {
      const units = node.output.units;
      const sums = pairSums(backend.view(output), pairs, units);
      if (!sums) {
        broken = true;
        return false;
      }
      const site = siteOf.get(node)!;
      cross[site] = sums.ab / (pairs * units);
      correlation[site] = sums.ab / Math.sqrt(sums.aa * sums.bb);
      return true;
    },
  });

  // Pairs of inputs with correlation c₀ per unit: x_a = γ z₁, x_b = γ(c₀ z₁ + √(1 − c₀²) z₂).
  const units = network.input.units;
  const gamma = Math.sqrt(network.inputVariance);
  const c0 = options.inputCorrelation;
  const first = context.scratch.take(2 * pairs * units);
  random.fillNormal(first, 0, 1);
  const x = backend.allocate(batch, units);
  const view = backend.view(x);
  const offset = pairs * units;
  const orthogonal = Math.sqrt(Math.max(0, 1 - c0 * c0));
  for (let i = 0; i < offset; i++) {
    const z1 = first[i];
    const z2 = first[offset + i];
    view[i] = gamma * z1;
    view[offset + i] = gamma * (c0 * z1 + orthogonal * z2);
  }
  walk.forward(x);
  walk.release();
  return broken ? undefined : { cross, correlation };
}

/**
 * Measures `options.nets` replicate networks on correlated pairs, in this thread.
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ widths: [200, 200, 200], activation: 'tanh', init: 'xavier_normal', biasStd: 0.2 });
 * measureCorrelation(network, { pairs: 50, nets: 10, seed: 1, inputCorrelation: 0.3 }).replicates[0].correlation;
 * ```
 */
export function measureCorrelation(network: ResolvedNetwork, options: CorrelationOptions): CorrelationMeasurement {
  validate(options);
  const backend = createPlainBackend(options.dtype ?? 'float64');
  const context = { backend, scratch: createFloat64Scratch(), buffers: createNodeBuffers(backend.dtype) };
  const replicates: ReplicateCorrelation[] = [];
  let brokenReplicates = 0;
  for (let r = 0; r < options.nets; r++) {
    const values = measureCorrelationReplicate(network, r, options, context);
    if (values) replicates.push(values);
    else brokenReplicates++;
  }
  return { replicates, brokenReplicates };
}

/** One site of a two-input check. */
export interface CorrelationSiteCheck {
  path: string;
  kind: string;
  /** propagate()'s E[y_a y_b] and its label. */
  predictedCross: number;
  crossExact: boolean;
  /** propagate()'s c = E[y_a y_b]/E[y²] (mean-field: a ratio). */
  predictedCorrelation: number;
  cross: PredictionDecision;
  correlation: PredictionDecision;
  verdict: Verdict;
}

export interface CorrelationCheck {
  sites: CorrelationSiteCheck[];
  verdict: Verdict;
  /** The per-interval level after the Bonferroni split over 2 quantities per site. */
  intervalLevel: number;
  level: number;
  replicates: number;
  brokenReplicates: number;
}

/**
 * Measures and decides every site with a predicted E[y_a y_b] (propagate with `inputCorrelation`).
 * `propagation` defaults to propagate(network, 'meanField', { inputCorrelation }); pass another to
 * test a different c-map (a test passes a deliberately wrong one, which must be rejected).
 */
export function checkCorrelation(network: ResolvedNetwork, options: CorrelationOptions & { level?: number }, propagation?: Propagation): CorrelationCheck {
  const level = options.level ?? 0.99;
  const predicted = propagation ?? propagate(network, 'meanField', { inputCorrelation: options.inputCorrelation });
  const measured = measureCorrelation(network, options);
  const tested = predicted.sites.map((site, index) => ({ site, index })).filter(({ site }) => site.output.cross !== undefined);
  const intervalLevel = simultaneousLevel(level, 1, 2 * tested.length);
  const sites = tested.map(({ site, index }): CorrelationSiteCheck => {
    const predictedCross = site.output.cross as number;
    const crossExact = site.output.crossExact ?? false;
    const predictedCorrelation = predictedCross / site.output.secondMoment;
    const cross = decidePrediction(measured.replicates.map((r) => r.cross[index]), predictedCross, intervalLevel, crossExact ? DEFAULT_TOLERANCE.exact : DEFAULT_TOLERANCE.meanField);
    const correlation = decidePrediction(measured.replicates.map((r) => r.correlation[index]), predictedCorrelation, intervalLevel, DEFAULT_TOLERANCE.meanField);
    return { path: site.path, kind: site.kind, predictedCross, crossExact, predictedCorrelation, cross, correlation, verdict: combineVerdicts([cross.verdict, correlation.verdict]) };
  });
  return {
    sites,
    verdict: combineVerdicts(sites.map((site) => site.verdict)),
    intervalLevel,
    level,
    replicates: measured.replicates.length,
    brokenReplicates: measured.brokenReplicates,
  };
}

/**
 * The rate at which |c_l − c*| decays: minus the least-squares slope of log|c_l − c*| against l
 * (1/ξ_c for a geometric approach). `layers` are the layer numbers of `correlations`.
 */
export function correlationDecayRate(layers: readonly number[], correlations: readonly number[], cStar: number): number {
  if (layers.length < 2 || layers.length !== correlations.length) throw new RangeError('correlationDecayRate needs at least two layers, one correlation each');
  return -leastSquaresLine(layers, correlations.map((c) => Math.log(Math.abs(c - cStar)))).slope;
}

/** A measured-vs-predicted decay rate of |c_l − c*| over a range of layers. */
export interface CorrelationDecay {
  /** Weight layers (1-based) whose pre-activation correlations were fitted. */
  layers: number[];
  /** Per fitted layer: propagate()'s c_l and the mean over replicates of the measured one. */
  predictedCorrelations: number[];
  measuredCorrelations: number[];
  /** The least-squares rate of propagate()'s own c_l over the same layers (mean-field). */
  predictedRate: number;
  /** The fitted rate of each replicate network. */
  rates: number[];
  /** Those rates decided against `predictedRate` by the one procedure. */
  rate: PredictionDecision;
  replicates: number;
  brokenReplicates: number;
}

export interface CorrelationDecayOptions extends CorrelationOptions {
  /** The c-map's fixed point the distances are taken to. */
  cStar: number;
  /** Layers whose predicted |c_l − c*| is below this are left out (Monte Carlo noise would dominate). Default 0.02. */
  floor?: number;
  /** Layers before this one are left out (the transient of q_l). Default 2. */
  firstLayer?: number;
  level?: number;
}

/**
 * Measures the decay of |c_l − c*| at each weight layer's pre-activation, per replicate network, and
 * decides the fitted rate against the rate of propagate()'s c_l over the same layers (mean-field
 * band). The asymptotic rate is 1/ξ_c (src/theory/signal.ts); the fitted one includes the c-map's
 * curvature over the fitted range.
 */
export function measureCorrelationDecay(network: ResolvedNetwork, options: CorrelationDecayOptions): CorrelationDecay {
  const floor = options.floor ?? 0.02;
  const firstLayer = options.firstLayer ?? 2;
  const predicted = propagate(network, 'meanField', { inputCorrelation: options.inputCorrelation });
  const siteIndex = new Map(predicted.sites.map((site, i) => [site.path, i]));
  const candidates = network.layers.map((layer, l) => {
    const index = siteIndex.get(layer.preActivationPath)!;
    const site = predicted.sites[index];
    return { layer: l + 1, index, predicted: (site.output.cross as number) / site.output.secondMoment };
  });
  const fitted = candidates.filter((c) => c.layer >= firstLayer && Math.abs(c.predicted - options.cStar) >= floor);
  if (fitted.length < 2) {
    throw new InputError('depth', network.layers.length, `a network deep enough for at least two layers from layer ${firstLayer} with a predicted |c_l − c*| ≥ ${floor}`);
  }
  const layers = fitted.map((c) => c.layer);
  const predictedCorrelations = fitted.map((c) => c.predicted);
  const predictedRate = correlationDecayRate(layers, predictedCorrelations, options.cStar);
  const measured = measureCorrelation(network, options);
  const rates = measured.replicates.map((r) => correlationDecayRate(layers, fitted.map((c) => r.correlation[c.index]), options.cStar));
  const measuredCorrelations = fitted.map((c) => measured.replicates.reduce((sum, r) => sum + r.correlation[c.index], 0) / measured.replicates.length);
  return {
    layers,
    predictedCorrelations,
    measuredCorrelations,
    predictedRate,
    rates,
    rate: decidePrediction(rates, predictedRate, options.level ?? 0.99, DEFAULT_TOLERANCE.meanField),
    replicates: measured.replicates.length,
    brokenReplicates: measured.brokenReplicates,
  };
}
