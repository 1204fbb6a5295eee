/**
 * What a Monte Carlo check returns. The JSON of `varprop check --json` is exactly
 * {@link CheckReport}; its field names are a contract.
 */

/** One measured quantity of one layer against its predictions. */
export interface QuantityCheck {
  /** Mean over replicate networks of the per-replicate value. */
  estimate: number;
  stderr: number;
  ciLow: number;
  ciHigh: number;
  /** Linear theory (φ′(0)-linearisation: variance multiplies by n·Var[w]·φ′(0)² per layer). */
  linear: number;
  /** Exact prediction (identity, relu-like), or null where no exact one exists. */
  exact: number | null;
  /** Mean-field q-map prediction (quadrature moments). */
  meanField: number;
  /** Which prediction the verdict tested. */
  tested: 'exact' | 'meanField';
  /** (estimate − tested prediction) / stderr. */
  z: number;
  pass: boolean;
}

export interface LayerCheck {
  layer: number;
  fanIn: number;
  fanOut: number;
  /** E[h_l²] */
  forward: QuantityCheck;
  /** E[d_l²] */
  backward: QuantityCheck;
  /** E[(∂W_l)²] */
  weightGradient: QuantityCheck;
}

/** Per-layer distribution summaries, for histograms in reports and the explorer. */
export interface LayerDistribution {
  layer: number;
  preActivation: { mean: number; secondMoment: number; fourthMoment: number; histogram: Histogram };
  gradient: { mean: number; secondMoment: number; fourthMoment: number; histogram: Histogram };
}

export interface Histogram {
  /** Bin edges, length bins + 1. */
  edges: number[];
  counts: number[];
}

export interface CheckReport {
  pass: boolean;
  elapsedSeconds: number;
  layers: LayerCheck[];
  /** Extra, outside the contract's required fields. */
  level?: number;
  nets?: number;
  batch?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
  distributions?: LayerDistribution[];
  /** Set when the run overflowed or underflowed: where, and which pass. */
  breakdown?: { kind: 'exploded' | 'vanished'; layer: number; pass: 'forward' | 'backward' };
}

/**
 * Raw per-replicate values from the Monte Carlo engine (`measureNetwork` in src/numeric/engine.ts);
 * statistics and verdicts are computed from these by the check layer.
 *
 * Conventions (shared by engine, predictions and checks):
 * - forward[l]  = mean over batch and units of h_l² (E[h_l²]), l = 0..L-1 for weight layers 1..L
 * - backward[l] = mean over batch and units of d_l² (E[d_l²]), with d_L ~ N(0, 1) at the last pre-activation
 * - weightGradient[l] = mean over weight entries of (a_{l-1}ᵀ d_l)² / batch: the per-example
 *   E[(x_j ∂o_i)²] (cross-example terms vanish because upstream gradients are independent and zero-mean).
 */
export interface ReplicateValues {
  forward: number[];
  backward: number[];
  weightGradient: number[];
}

export interface MeasureOptions {
  batch: number;
  /** Replicate networks to run (the initial count when `shouldStop` is given). */
  nets: number;
  seed: number;
  dtype: 'float32' | 'float64';
  histogramBins?: number;
  /** Called after each replicate network. */
  onProgress?: (done: number, total: number) => void;
  /** Sequential sampling: after `nets` replicates, keep adding until this returns true or `maxNets` is reached. */
  shouldStop?: (replicates: readonly ReplicateValues[]) => boolean;
  maxNets?: number;
}

export interface RawMeasurement {
  replicates: ReplicateValues[];
  distributions: LayerDistribution[];
  breakdown?: { kind: 'exploded' | 'vanished'; layer: number; pass: 'forward' | 'backward' };
  elapsedSeconds: number;
  dtype: 'float32' | 'float64';
  batch: number;
  seed: number;
}

/**
 * Most replicate networks one run may plan. Intervals narrow like 1/√R, so 1e5 replicates already
 * resolve 0.3% of a unit-variance quantity; more is a typo, and planning it would exhaust memory.
 */
export const MAX_REPLICATE_NETS = 100_000;
