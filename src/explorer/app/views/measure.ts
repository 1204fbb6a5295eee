/**
 * The Monte Carlo of each view, run in a Monte Carlo worker (thrown away when the setting changes,
 * so a run never outlives its setting): the library's samplers with their own intervals and the one
 * decision procedure (src/numeric/decision.ts). Each view reports what it has after each part of its
 * run. Sizes come from the state and are kept small by its limits (src/explorer/app/state.ts).
 * Pure of DOM and worker globals, so Node tests run it too.
 */
import { InputError } from '../../../errors.js';
import { coordinateCheck } from '../../../numeric/coordinateCheck.js';
import { decideFluctuations, sampleFluctuations, type FluctuationSample } from '../../../numeric/fluctuations.js';
import { decideJacobianSpectrum, measureJacobianSpectrum } from '../../../numeric/jacobian.js';
import { measureTower, recipeDepths } from '../../../recipes/measure.js';
import { findRecipe } from '../../../recipes/registry.js';
import { measureBlocks } from '../../../recipes/transformerDepth.js';
import { propagate } from '../../../symbolic/propagate.js';
import { predictFluctuations } from '../../../theory/fluctuations.js';
import { predictJacobianSpectrum } from '../../../theory/jacobian.js';
import { resolveNetwork } from '../../../vocabulary/network.js';
import { parametrizations } from '../../../vocabulary/parametrizations.js';
import type { ExplorerState } from '../state.js';
import type { RecipesMeasured, SpectrumMeasured, SpreadMeasured, TransformerMeasured, ViewMeasured, WeightLaw, WidthScaleMeasured } from './data.js';
import { recipeViewSpec, SCALING_LEARNING_RATE, spectrumSpec, spreadSpec, transformerViewSpec, widthScaleSpec } from './networks.js';
import { layerOutputSites } from './theory.js';

/** Family level of every view's intervals (the explorer's, src/explorer/app/measure.ts). */
export const VIEW_LEVEL = 0.99;
/** Networks drawn as lines in the spread chart (the rest enter the statistics only). */
export const SPREAD_LINES = 60;
/** Examples per replicate of the transformer and recipe towers: small, the stacks are deep. */
export const TRANSFORMER_BATCH = 4;
export const RECIPE_BATCH = 16;
export const SCALING_BATCH = 16;

export type ViewReporter = (result: ViewMeasured | null, done: number, total: number, final: boolean) => void;

/** Runs the view's Monte Carlo; `report` gets every intermediate result and the final one. */
export async function streamViewMeasurement(state: ExplorerState, report: ViewReporter): Promise<void> {
  switch (state.view) {
    case 'spectrum':
      return measureSpectrum(state, report);
    case 'spread':
      return measureSpread(state, report);
    case 'transformer':
      return measureTransformer(state, report);
    case 'recipes':
      return measureRecipes(state, report);
    case 'widthscale':
      return measureWidthScale(state, report);
    case 'signal':
      // The order-to-chaos view is theory only; the c_l measurement is `varprop signal --measure`.
      report(null, 0, 0, true);
      return;
    default:
      throw new InputError('view', state.view, 'spectrum, spread, transformer, recipes or widthscale');
  }
}

/** Gaussian, then orthogonal: each law's spectrum on `nets` networks, decided against its prediction. */
async function measureSpectrum(state: ExplorerState, report: ViewReporter): Promise<void> {
  const laws: WeightLaw[] = ['gaussian', 'orthogonal'];
  const result: SpectrumMeasured = { view: 'spectrum', nets: state.nets, laws: [] };
  laws.forEach((law, i) => {
    const network = resolveNetwork(spectrumSpec(state, law));
    const prediction = predictJacobianSpectrum(network);
    const measurement = measureJacobianSpectrum(network, { nets: state.nets, seed: state.seed });
    const variance = prediction.varianceSquaredSingularValue;
    const decided = decideJacobianSpectrum(measurement, { mean: prediction.meanSquaredSingularValue, variance: variance ? { value: variance.value, label: variance.label } : null }, { level: VIEW_LEVEL });
    result.laws.push({ law, eigenvalues: measurement.eigenvalues, mean: decided.meanSquaredSingularValue, variance: decided.varianceSquaredSingularValue });
    report(structuredClone(result), i + 1, laws.length, i === laws.length - 1);
  });
}

/** `spreadNets` narrow networks, one input each: M_l per weight layer, decided against the exact (or leading-order) R_l. */
async function measureSpread(state: ExplorerState, report: ViewReporter): Promise<void> {
  const network = resolveNetwork(spreadSpec(state));
  const prediction = predictFluctuations(network);
  const means = propagate(network).sites.map((site) => site.output.secondMoment);
  const sample = sampleFluctuations(network, { nets: state.spreadNets, seed: state.seed });
  const layers = layerOutputSites(network);
  const rows = layers.map(({ index }) => sample.paths.indexOf(network.sites[index].path));
  const values = rows.map((k) => sample.values[k]);
  // The family decided: the first, middle and last weight layers. The studentized bootstrap's
  // resamples grow with the family (Bonferroni), so deciding every layer would take many seconds.
  const decidedLayers = [...new Set([0, Math.floor((layers.length - 1) / 2), layers.length - 1])];
  const family: FluctuationSample = { ...sample, paths: decidedLayers.map((l) => sample.paths[rows[l]]), values: decidedLayers.map((l) => values[l]) };
  const decided = decideFluctuations(family, prediction, { nets: state.spreadNets, seed: state.seed, level: VIEW_LEVEL });
  const lastMean = means[layers[layers.length - 1].index];
  const lastValues = values[values.length - 1].filter(Number.isFinite);
  const result: SpreadMeasured = {
    view: 'spread',
    nets: state.spreadNets,
    lines: Array.from({ length: Math.min(SPREAD_LINES, state.spreadNets) }, (_, r) => values.map((column) => column[r])),
    layers: decided.sites.map((site, k) => ({ layer: layers[decidedLayers[k]].layer, predicted: site.secondMomentRatio.predicted, estimate: site.secondMomentRatio.estimate, ciLow: site.secondMomentRatio.ciLow, ciHigh: site.secondMomentRatio.ciHigh, verdict: site.verdict })),
    aboveTenfold: lastValues.filter((value) => value > 10 * lastMean).length,
    belowTenth: lastValues.filter((value) => value < 0.1 * lastMean).length,
    vanished: sample.vanished,
    exploded: sample.exploded,
    intervalLevel: decided.intervalLevel,
  };
  report(result, 1, 1, true);
}

/** The stack with branch scale 1, then 1/√L: E[x²] and the token cosine per block (src/recipes/transformerDepth.ts). */
async function measureTransformer(state: ExplorerState, report: ViewReporter): Promise<void> {
  const result: TransformerMeasured = { view: 'transformer', stacks: [] };
  const scalings = [
    { scaling: 'unscaled' as const, branchScale: 1 },
    { scaling: 'scaled' as const, branchScale: 1 / Math.sqrt(state.transformerBlocks) },
  ];
  scalings.forEach(({ scaling, branchScale }, i) => {
    const depth = measureBlocks(resolveNetwork(transformerViewSpec(state, branchScale)), { nets: state.nets, batch: TRANSFORMER_BATCH, seed: state.seed, level: VIEW_LEVEL });
    const run = depth.monteCarlo!;
    result.stacks.push({ scaling, rows: depth.blocks, nets: run.nets, pass: run.pass, ...(run.breakdown ? { breakdown: run.breakdown } : {}) });
    report(structuredClone(result), i + 1, scalings.length, i === scalings.length - 1);
  });
}

/** One engine run of the tower (E[x_l²] per block, checked against propagate()), then the recipe's quantities against its claim. */
async function measureRecipes(state: ExplorerState, report: ViewReporter): Promise<void> {
  const recipe = findRecipe(state.recipe, 'recipe');
  const network = resolveNetwork(recipeViewSpec(state));
  const settings = { nets: state.nets, batch: RECIPE_BATCH, seed: state.seed, dtype: 'float64' as const, level: VIEW_LEVEL };
  const { report: check } = await measureTower(network, settings);
  const sites = check.sites ?? [];
  const perBlock = network.nodes.flatMap((node, i) => {
    const site = sites.find((s) => s.path === node.path);
    return site ? [{ block: i + 1, estimate: site.forward.estimate, ciLow: site.forward.ciLow, ciHigh: site.forward.ciHigh }] : [];
  });
  report({ view: 'recipes', perBlock, depth: null, nets: state.nets } satisfies RecipesMeasured, 1, 2, false);
  // recipeDepths runs the same tower with the same seed (the same networks) and fills in the recipe's table.
  const [depth] = await recipeDepths(recipe, recipe.defaults, [state.recipeBlocks], state.recipeWidth, [state.recipeBlocks], settings);
  report({ view: 'recipes', perBlock, depth, nets: state.nets } satisfies RecipesMeasured, 2, 2, true);
}

/** The coordinate check over the chosen widths (src/numeric/coordinateCheck.ts), its progress after every network. */
async function measureWidthScale(state: ExplorerState, report: ViewReporter): Promise<void> {
  const result = coordinateCheck(widthScaleSpec(state), {
    parametrization: parametrizations[state.parametrization],
    optimizer: state.optimizer,
    widths: state.scalingWidths,
    learningRate: SCALING_LEARNING_RATE[state.optimizer],
    nets: state.nets,
    batch: SCALING_BATCH,
    seed: state.seed,
    level: VIEW_LEVEL,
    onProgress: (done, total) => {
      if (done < total) report(null, done, total, false);
    },
  });
  report({ view: 'widthscale', result } satisfies WidthScaleMeasured, 1, 1, true);
}
