/**
 * What the views of issues 10 and 11 exchange with their workers: for each view, what the theory
 * worker computes (predictions, from the library functions) and what the Monte Carlo worker measures
 * (through the library's samplers and its one decision procedure). Plain data only.
 */
import type { Verdict } from '../../../numeric/decision.js';
import type { CoordinateCheckResult } from '../../../numeric/coordinateCheck.js';
import type { SpectrumComparison } from '../../../numeric/jacobian.js';
import type { RecipeDepth } from '../../../recipes/measure.js';
import type { BlockRow } from '../../../recipes/transformerDepth.js';
import type { Phase } from '../../../theory/signal.js';
import type { LayerExponents } from '../../../theory/widthExponents.js';
import type { PhaseDiagram } from '../protocol.js';

/** Order to chaos for any activation: the χ₁ = 1 boundary over σ_b² and the trainable depth ≈ 6ξ_c. */
export interface SignalTheory {
  view: 'signal';
  activation: string;
  /** The boundary and the current point, in the phase panel's shape (so its chart draws it). */
  diagram: PhaseDiagram;
  /** σ_b² from which on the activation has no boundary (χ₁ never reaches 1 with a finite q*), or null. */
  boundaryEndsAt: number | null;
  /** The current setting's signal propagation (src/theory/signal.ts), or why it has none. */
  current: { qStar: number; cStar: number; chi1: number; chiC: number; xiQ: number; xiC: number; xiGrad: number; phase: Phase; trainableDepth: number; criticalWeightVar: number | null } | { error: string };
  /** Depth L of the network in the sidebar: the point of the depth chart. */
  depth: number;
  /** 6ξ_c against σ_w² at the current σ_b² (∞ is left out: it is the boundary's rule). */
  depthCurve: { weightVar: number; trainableDepth: number; phase: Phase }[];
}

export type WeightLaw = 'gaussian' | 'orthogonal';

/** One weight law's spectrum prediction (src/theory/jacobian.ts). */
export interface SpectrumLawTheory {
  law: WeightLaw;
  mean: { value: number; label: 'exact' | 'meanField' | 'leadingOrder' };
  variance: { value: number; label: 'exact' | 'meanField' | 'leadingOrder' } | null;
  varianceUnavailable: string | null;
  /** m₂/m₁² − 1: the sum of the per-layer spreads μ₂/μ₁² − 1 − s₁. */
  normalizedVariance: number | null;
}

export interface SpectrumTheory {
  view: 'spectrum';
  width: number;
  depth: number;
  weightVar: number;
  laws: SpectrumLawTheory[];
}

export interface SpectrumMeasured {
  view: 'spectrum';
  nets: number;
  laws: { law: WeightLaw; eigenvalues: number[]; mean: SpectrumComparison; variance: SpectrumComparison }[];
}

/** The spread of M_l = ‖h_l‖²/n over networks, per weight layer (src/theory/fluctuations.ts). */
export interface SpreadTheory {
  view: 'spread';
  width: number;
  label: 'exact' | 'leadingOrder';
  layers: { layer: number; path: string; mean: number; ratio: number; label: 'exact' | 'leadingOrder' }[];
}

export interface SpreadMeasured {
  view: 'spread';
  nets: number;
  /** M_l of the first networks drawn (one line each; NaN where a network's value is unknown). */
  lines: number[][];
  /** The decided layers (first, middle, last): R̂ with its interval and verdict. */
  layers: { layer: number; predicted: number; estimate: number; ciLow: number; ciHigh: number; verdict: Verdict }[];
  /** Networks whose last M is above 10× / below a tenth of the exact mean. */
  aboveTenfold: number;
  belowTenth: number;
  vanished: number;
  exploded: number;
  intervalLevel: number;
}

export type BranchScaling = 'unscaled' | 'scaled';

/** Per block of a transformer stack, with the branch scale 1 and 1/√L side by side (src/recipes/transformerDepth.ts). */
export interface TransformerTheory {
  view: 'transformer';
  preset: string;
  blocks: number;
  stacks: { scaling: BranchScaling; branchScale: number; rows: BlockRow[] }[];
}

export interface TransformerMeasured {
  view: 'transformer';
  stacks: { scaling: BranchScaling; rows: BlockRow[]; nets: number; pass: boolean; breakdown?: string }[];
}

/** A residual recipe's tower: E[x_l²] per block predicted, beside the tower without scaling; the paper's four quantities. */
export interface RecipesTheory {
  view: 'recipes';
  recipe: string;
  title: string;
  source: string;
  blocks: number;
  width: number;
  perBlock: { block: number; recipe: number; unscaled: number }[];
  depth: RecipeDepth;
}

export interface RecipesMeasured {
  view: 'recipes';
  perBlock: { block: number; estimate: number; ciLow: number; ciHigh: number }[];
  /** The recipe's four quantities with their Monte Carlo (null until that part has run). */
  depth: RecipeDepth | null;
  nets: number;
}

/** The coordinate check's predicted exponents (src/theory/widthExponents.ts). */
export interface WidthScaleTheory {
  view: 'widthscale';
  parametrization: string;
  optimizer: string;
  widths: number[];
  layers: LayerExponents[];
}

export interface WidthScaleMeasured {
  view: 'widthscale';
  result: CoordinateCheckResult;
}

export type ViewTheory = SignalTheory | SpectrumTheory | SpreadTheory | TransformerTheory | RecipesTheory | WidthScaleTheory;
export type ViewMeasured = SpectrumMeasured | SpreadMeasured | TransformerMeasured | RecipesMeasured | WidthScaleMeasured;
