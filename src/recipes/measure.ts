/**
 * What a residual recipe keeps through depth: for a tower of L blocks, four quantities as
 * `propagate()` predicts them (the one composition), as the recipe's paper states them in closed form
 * (its claim), and, where asked, as the seeded Monte Carlo engine measures them:
 *
 * - `forward`: E[x_L²] after the last block;
 * - `backward`: E[(∂x₁)²] at the output of block 1 (the lowest gradient the engine measures: it
 *   records gradients at node outputs);
 * - `inputGradient`: E[(∂x₀)²] at the tower's input (predicted only, for the same reason);
 * - `lastBranchWeightGradient`: E[(∂w)²] of the last weight layer of block 1's branch.
 *
 * The measured values are decided by `checkResolvedNetwork` against `propagate()`'s predictions (the
 * one decision procedure, every site of the tower in its Bonferroni family); {@link decideClaims}
 * decides the same replicates against the recipe's claim, which is how a tower built with a wrong
 * constant is caught. Every recipe's tower is run whole: an exact zero that `propagate()` predicts
 * (the gradient of a branch at α = 0, the output of Fixup's zero layer) is measured as 0, not
 * reported as a breakdown (src/numeric/structuralZeros.ts).
 */
import { checkResolvedNetwork } from '../numeric/check.js';
import { decidePrediction, simultaneousLevel, type Verdict } from '../numeric/decision.js';
import { measureNetwork } from '../numeric/engine.js';
import type { CheckReport, QuantityCheck, RawMeasurement } from '../numeric/measurement.js';
import { propagate, type SiteMoments } from '../symbolic/propagate.js';
import { resolveNetwork, type ResolvedNetwork } from '../vocabulary/network.js';
import type { RecipeClaim, RecipeOptions, ResidualRecipe } from './recipe.js';

/** The quantities of {@link RecipeClaim}, in a fixed order. */
export const RECIPE_QUANTITIES = ['forward', 'backward', 'inputGradient', 'lastBranchWeightGradient'] as const;
export type RecipeQuantityName = (typeof RECIPE_QUANTITIES)[number];
/** The ones the engine measures (it records gradients at node outputs, not at the network input). */
export const MEASURED_QUANTITIES = ['forward', 'backward', 'lastBranchWeightGradient'] as const;

/** One quantity: prediction, claim and (when measured) the Monte Carlo. Field names are the `recipe --json` contract. */
export interface RecipeQuantity {
  /** `propagate()`'s value. */
  predicted: number;
  /** Whether the prediction holds at any width ('exact') or as width → ∞ ('meanField'). */
  prediction: 'exact' | 'meanField';
  /** The paper's closed form. */
  claim: number;
  /** Mean over replicate networks; absent when not measured. */
  estimate?: number;
  /** The interval the check's verdict used (simultaneous over every site of the tower). */
  ciLow?: number;
  ciHigh?: number;
  /** The check's verdict of the measurement against `predicted`. */
  verdict?: Verdict;
}

export interface RecipeDepth {
  blocks: number;
  forward: RecipeQuantity;
  backward: RecipeQuantity;
  inputGradient: RecipeQuantity;
  lastBranchWeightGradient: RecipeQuantity;
  /** Present when this depth was measured. */
  monteCarlo?: {
    width: number;
    nets: number;
    batch: number;
    seed: number;
    /** The check of every measured site against `propagate()` passed. */
    pass: boolean;
    /** Where the run overflowed or underflowed (then nothing is reported as measured). */
    breakdown?: string;
  };
}

export interface MonteCarloSettings {
  nets: number;
  batch: number;
  seed: number;
  dtype: 'float32' | 'float64';
  /** Family level of the check (default 0.99). */
  level: number;
}

/** Where the four quantities live in a tower's propagation. */
function towerSites(sites: readonly SiteMoments[]) {
  const blocks = sites.filter((site) => site.kind === 'residual' && !site.path.includes('/'));
  const branchWeights = sites.filter((site) => site.layer !== undefined && site.path.startsWith(`${blocks[0].path}/branch/`));
  return { first: blocks[0], last: blocks[blocks.length - 1], lastBranchWeight: branchWeights[branchWeights.length - 1] };
}

/** propagate()'s four quantities for a resolved tower. */
export function predictTower(network: ResolvedNetwork): Record<RecipeQuantityName, { value: number; exact: boolean }> {
  const { first, last, lastBranchWeight } = towerSites(propagate(network).sites);
  return {
    forward: { value: last.output.secondMoment, exact: last.output.exact },
    backward: { value: first.gradient.secondMoment, exact: first.gradient.exact },
    inputGradient: { value: first.inputGradient.secondMoment, exact: first.inputGradient.exact },
    lastBranchWeightGradient: { value: lastBranchWeight.weightGradient!.secondMoment, exact: lastBranchWeight.weightGradient!.exact },
  };
}

/** One engine run of a tower and the check of every site against `propagate()`, from that same run. */
export async function measureTower(network: ResolvedNetwork, settings: MonteCarloSettings): Promise<{ raw: RawMeasurement; report: CheckReport }> {
  const raw = await measureNetwork(network, { nets: settings.nets, batch: settings.batch, seed: settings.seed, dtype: settings.dtype });
  const report = await checkResolvedNetwork(network, { ...settings, measure: async () => raw });
  return { raw, report };
}

/** The measured quantities of a tower's check report. */
function measuredQuantities(network: ResolvedNetwork, report: CheckReport): Record<(typeof MEASURED_QUANTITIES)[number], QuantityCheck> {
  const sites = report.sites ?? [];
  const blocks = sites.filter((site) => site.kind === 'residual' && !site.path.includes('/'));
  const { lastBranchWeight } = towerSites(propagate(network).sites);
  const layer = report.layers.find((l) => l.layer === lastBranchWeight.layer)!;
  return { forward: blocks[blocks.length - 1].forward, backward: blocks[0].backward, lastBranchWeightGradient: layer.weightGradient };
}

/**
 * The recipe at each depth: predicted and claimed everywhere, measured (one engine run per depth, on
 * towers of `width` units) at the depths in `measure`.
 */
export async function recipeDepths(
  recipe: ResidualRecipe,
  options: RecipeOptions,
  depths: readonly number[],
  width: number,
  measure: readonly number[],
  settings: MonteCarloSettings,
): Promise<RecipeDepth[]> {
  const result: RecipeDepth[] = [];
  for (const blocks of depths) {
    const network = resolveNetwork(recipe.tower(blocks, width, options));
    const predicted = predictTower(network);
    const claim = recipe.claim(blocks, options);
    const quantity = (name: RecipeQuantityName): RecipeQuantity => ({
      predicted: predicted[name].value,
      prediction: predicted[name].exact ? 'exact' : 'meanField',
      claim: claim[name],
    });
    const depth: RecipeDepth = {
      blocks,
      forward: quantity('forward'),
      backward: quantity('backward'),
      inputGradient: quantity('inputGradient'),
      lastBranchWeightGradient: quantity('lastBranchWeightGradient'),
    };
    if (measure.includes(blocks)) depth.monteCarlo = await measureDepth(width, network, depth, settings);
    result.push(depth);
  }
  return result;
}

/** Runs the Monte Carlo of one depth and writes the measurements into `depth`'s quantities. */
async function measureDepth(width: number, network: ResolvedNetwork, depth: RecipeDepth, settings: MonteCarloSettings): Promise<NonNullable<RecipeDepth['monteCarlo']>> {
  const { report } = await measureTower(network, settings);
  if (!report.breakdown) {
    const measured = measuredQuantities(network, report);
    for (const name of MEASURED_QUANTITIES) {
      const check = measured[name];
      Object.assign(depth[name], { estimate: check.estimate, ciLow: check.ciLow, ciHigh: check.ciHigh, verdict: check.verdict ?? (check.pass ? 'undecided' : 'fails') });
    }
  }
  return {
    width,
    nets: report.nets ?? settings.nets,
    batch: settings.batch,
    seed: settings.seed,
    pass: report.pass,
    ...(report.breakdown ? { breakdown: `${report.breakdown.kind} in the ${report.breakdown.pass} pass at ${report.breakdown.path ?? `layer ${report.breakdown.layer}`}` } : {}),
  };
}

/**
 * Decides one engine run of a tower against a recipe's claim (strictly: the claims are exact), the
 * three measured quantities as one family at `level`: a tower built with a wrong constant fails.
 */
export function decideClaims(network: ResolvedNetwork, raw: RawMeasurement, claim: RecipeClaim, level: number): Record<(typeof MEASURED_QUANTITIES)[number], Verdict> {
  const { first, last, lastBranchWeight } = towerSites(propagate(network).sites);
  const siteIndex = (path: string) => network.sites.findIndex((site) => site.path === path);
  const series = {
    forward: raw.replicates.map((r) => r.sites!.forward[siteIndex(last.path)]),
    backward: raw.replicates.map((r) => r.sites!.backward[siteIndex(first.path)]),
    lastBranchWeightGradient: raw.replicates.map((r) => r.weightGradient[lastBranchWeight.layer! - 1]),
  };
  const each = simultaneousLevel(level, 1, MEASURED_QUANTITIES.length);
  return {
    forward: decidePrediction(series.forward, claim.forward, each, 0).verdict,
    backward: decidePrediction(series.backward, claim.backward, each, 0).verdict,
    lastBranchWeightGradient: decidePrediction(series.lastBranchWeightGradient, claim.lastBranchWeightGradient, each, 0).verdict,
  };
}
