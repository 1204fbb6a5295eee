/**
 * Messages between the page and its workers: *theory* workers (one for the fast answers: vocabulary,
 * validation, predictions, phase diagram; one for the slower symbolic derivation; worker-theory.ts) and *Monte Carlo* workers (the engine, streaming
 * one message per replicate; worker-monte-carlo.ts). Everything crossing is plain data.
 */
import type { ExplorerState } from './state.js';
import type { Derivation } from '../../symbolic/derivation.js';
import type { LayerDistribution, QuantityCheck } from '../../numeric/measurement.js';
import type { ViewMeasured, ViewTheory } from './views/data.js';

export interface VocabularyEntry {
  name: string;
  summary: string;
  /** Parameter name → default (leaky_relu: slope, elu: alpha). */
  parameters: Record<string, number>;
}

export interface Vocabulary {
  activations: VocabularyEntry[];
  inits: VocabularyEntry[];
}

/** Predictions per weight layer l = 1..L for one init (E[h_l²] forward, E[d_l²] backward). */
export interface TheoryCurve {
  init: string;
  forwardLinear: number[];
  forwardMeanField: number[];
  forwardExact: (number | null)[];
  backwardLinear: number[];
  backwardMeanField: number[];
  backwardExact: (number | null)[];
}

/** The mean-field phase diagram: the χ₁ = 1 line and where the current setting sits. */
export interface PhaseDiagram {
  /** Points (σ_w², σ_b²) on the order-to-chaos line, ordered by σ_b². */
  criticalLine: { sigmaW2: number; sigmaB2: number }[];
  current: { sigmaW2: number; sigmaB2: number; qStar: number; chi1: number };
  /** σ_w² per unit gain² of the current preset (n·Var[w] at gain 1), so a dragged σ_w² maps to a gain. */
  sigmaW2PerGain2: number;
}

export interface TheoryResult {
  widths: number[];
  activationLabel: string;
  predictionKind: 'exact' | 'meanField';
  /** Main init first, then the comparison init if any. */
  curves: TheoryCurve[];
  /** Only for odd, saturating (tanh-like) activations. */
  phase: PhaseDiagram | null;
  /** The init's variance label at layer 1, e.g. `2/(n_in+n_out)`. */
  initLabel: string;
  elapsedMs: number;
}

/** Statistics over the replicates so far, per layer, for one init. */
export interface MeasuredCurve {
  init: string;
  forward: QuantityCheck[];
  backward: QuantityCheck[];
  replicatesDone: number;
  replicatesTotal: number;
  distributions: LayerDistribution[] | null;
  breakdown?: { kind: 'exploded' | 'vanished'; layer: number; pass: 'forward' | 'backward' };
  elapsedMs: number;
  /** The kernel backend that ran it, e.g. 'tfjs-wasm'. */
  backend?: string;
}

export type ToWorker =
  | { type: 'vocabulary'; id: number }
  | { type: 'validate'; id: number; expression: string }
  | { type: 'theory'; id: number; state: ExplorerState }
  | { type: 'derivation'; id: number; state: ExplorerState }
  | { type: 'measure'; id: number; state: ExplorerState; which: 'main' | 'compare' }
  | { type: 'report'; id: number; state: ExplorerState }
  | { type: 'viewTheory'; id: number; state: ExplorerState }
  | { type: 'viewMeasure'; id: number; state: ExplorerState };

export type FromWorker =
  | { type: 'vocabulary'; id: number; vocabulary: Vocabulary }
  | { type: 'validation'; id: number; ok: boolean; message: string; label: string }
  | { type: 'theory'; id: number; result: TheoryResult }
  | { type: 'derivation'; id: number; derivation: Derivation; elapsedMs: number }
  | { type: 'partial'; id: number; curve: MeasuredCurve; final: boolean }
  | { type: 'report'; id: number; html: string }
  | { type: 'viewTheory'; id: number; result: ViewTheory }
  /** A view's Monte Carlo so far (null before its first result) and how much of it is done. */
  | { type: 'viewPartial'; id: number; result: ViewMeasured | null; done: number; total: number; final: boolean }
  | { type: 'error'; id: number; field: string; message: string };
