/**
 * What a Monte Carlo check returns. The JSON of `varprop check --json` is exactly
 * {@link CheckReport}; its field names are a contract.
 */

/** One measured quantity of one layer against its predictions. */
export interface QuantityCheck {
  /** Mean over replicate networks of the per-replicate value. */
  estimate: number;
  /** Standard error on the interval's scale (log scale for `interval: 'log-t'`). */
  stderr: number;
  /** The interval the verdict used, at the report's `intervalLevel` (simultaneous over all quantities); never below 0. */
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
  /** Studentized distance of the estimate from the tested prediction, on the interval's scale (ln-ratio / stderr for 'log-t'). */
  z: number;
  /** Relative tolerance of this quantity's band (0: tested strictly). */
  tolerance?: number;
  /** [prediction·(1 − tolerance), prediction·(1 + tolerance)]: the quantity fails when [ciLow, ciHigh] misses it entirely. */
  band?: [number, number];
  /** 'fails': interval outside the band; 'holds': inside it; 'undecided': overlapping (consistent, not shown within tolerance). */
  verdict?: 'holds' | 'fails' | 'undecided';
  /** How the interval was taken: 'log-t' (Cox–t on the log scale) or 't' (a replicate was exactly 0). */
  interval?: 'log-t' | 't';
  /** verdict ≠ 'fails' (and no breakdown). */
  pass: boolean;
}

export interface LayerCheck {
  layer: number;
  /** Path of the weight node in the tree. */
  path?: string;
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

/** One node of the network tree, measured against its predictions: E[y²] and E[(∂y)²] at its output. */
export interface SiteCheck {
  /** Address in the tree, e.g. `2/4/branch/1`. */
  path: string;
  kind: string;
  /** The weight layer's 1-based index, for dense and conv2d sites. */
  layer?: number;
  forward: QuantityCheck;
  backward: QuantityCheck;
}

export interface CheckReport {
  pass: boolean;
  elapsedSeconds: number;
  layers: LayerCheck[];
  /** Every node of the tree (present when the engine measured sites). A weight layer's forward and backward are its pre-activation site's checks. */
  sites?: SiteCheck[];
  /** The decision rule in words (src/numeric/decision.ts). */
  decisionRule?: string;
  /** Relative tolerances of the bands: exact predictions (default 0, strict) and mean-field ones (default 0.05). */
  tolerance?: { exact: number; meanField: number };
  /** Level of each printed interval: 1 − (1 − level)/(number of quantities), Bonferroni. */
  intervalLevel?: number;
  /** Extra, outside the contract's required fields. */
  level?: number;
  nets?: number;
  batch?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
  distributions?: LayerDistribution[];
  /** Set when the run overflowed or underflowed: where, and which pass. */
  breakdown?: { kind: 'exploded' | 'vanished'; layer: number; pass: 'forward' | 'backward'; path?: string };
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
  /**
   * Per site of the tree (`network.sites` order): E[y²] and E[(∂y)²] at each node's output. Absent
   * in values a caller builds by hand for the weight layers alone.
   */
  sites?: { forward: number[]; backward: number[] };
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
  breakdown?: { kind: 'exploded' | 'vanished'; layer: number; pass: 'forward' | 'backward'; path?: string };
  elapsedSeconds: number;
  dtype: 'float32' | 'float64';
  batch: number;
  seed: number;
}

/**
 * Defaults of a check's options (src/numeric/check.ts `CheckOptions`), here with the contract so the CLI
 * declares its flags without loading the engine.
 */
export const CHECK_DEFAULTS = { batch: 256, nets: 8, seed: 1, dtype: 'float32', level: 0.99 } as const;

/**
 * Most replicate networks one run may plan. Intervals narrow like 1/√R, so 1e5 replicates already
 * resolve 0.3% of a unit-variance quantity; more is a typo, and planning it would exhaust memory.
 */
export const MAX_REPLICATE_NETS = 100_000;

// Defaults and limits of the other measurements (src/numeric/jacobian.ts, fluctuations.ts, coordinateCheck.ts),
// here for the same reason: the CLI declares them as flags and in its help without loading the engines.

/**
 * Largest side of the Gram matrix decomposed: ml-matrix's symmetric eigen-decomposition (Householder
 * tridiagonalization + QL, O(s³)) took 0.1 s at 256, 0.6 s at 512 and 5 s at 1024 on one core here.
 */
export const MAX_SPECTRUM_SIDE = 1024;
/** Largest total work of a run, in floating-point operations (about a minute of plain-JS GEMM and eigen-decompositions). */
export const MAX_JACOBIAN_FLOPS = 3e11;

/** Defaults of `varprop jacobian` and the docs: 20 networks give intervals of a few percent on the mean at width 128. */
export const JACOBIAN_DEFAULTS = { nets: 20, inputs: 1, seed: 1, level: 0.99 } as const;

/**
 * Relative band of a leading-order variance. Its finite-width bias is O(L/n): at 4 linear Gaussian
 * layers of width 128 the exact value (exactLinearGaussianVariance, src/theory/jacobian.ts)
 * lies about 3% above the leading order, so 10% leaves room for depth up to about 10 at that width;
 * beyond, ask for wider layers or a wider band.
 */
export const LEADING_ORDER_TOLERANCE = 0.1;

/**
 * Band of an exact prediction: rounding only. The check's exact band is 0 (src/numeric/decision.ts);
 * here an orthogonal linear chain has m̂₁ = 1 up to ~1e-15 in every replicate, so a zero-width band
 * would fail on the last bit.
 */
export const ROUNDING_TOLERANCE = 1e-9;

/** Networks a fluctuation check samples by default: the studentized interval holds its level from about 4000. */
export const DEFAULT_FLUCTUATION_NETS = 4000;
/** Fewest networks a fluctuation check accepts. */
export const MIN_FLUCTUATION_NETS = 100;
/** Relative tolerance of a leading-order prediction's band (exact ones are tested strictly). */
export const DEFAULT_LEADING_ORDER_TOLERANCE = 0.05;

/** Default band half-width: finite-width corrections move a fitted exponent by a few hundredths over 64–1024. */
export const DEFAULT_EXPONENT_TOLERANCE = 0.1;
export const DEFAULT_LEVEL = 0.99;
