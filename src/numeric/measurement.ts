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
