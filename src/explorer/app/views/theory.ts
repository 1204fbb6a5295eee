/**
 * The theory of each view, run in a theory worker: every number is a library function's
 * (src/theory/signal.ts, jacobian.ts, fluctuations.ts, widthExponents.ts; src/recipes/), read here and
 * shaped for the charts. Pure (no DOM, no worker globals), so Node tests call it directly.
 */
import { InputError, isUserFacingError } from '../../../errors.js';
import { recipeDepths } from '../../../recipes/measure.js';
import { findRecipe } from '../../../recipes/registry.js';
import { predictBlocks } from '../../../recipes/transformerDepth.js';
import { propagate } from '../../../symbolic/propagate.js';
import { predictFluctuations } from '../../../theory/fluctuations.js';
import { predictJacobianSpectrum } from '../../../theory/jacobian.js';
import { boundaryPoint, signalPropagation } from '../../../theory/signal.js';
import { mlpRoles, predictWidthExponents } from '../../../theory/widthExponents.js';
import { resolveActivation } from '../../../vocabulary/activations/registry.js';
import { resolveNetwork, type ResolvedNetwork } from '../../../vocabulary/network.js';
import { parametrizations } from '../../../vocabulary/parametrizations.js';
import { activationRef, type ExplorerState } from '../state.js';
import type { RecipesTheory, SignalTheory, SpectrumTheory, SpreadTheory, TransformerTheory, ViewTheory, WeightLaw, WidthScaleTheory } from './data.js';
import { recipeViewSpec, sidebarDepth, sidebarWeightVar, spectrumSpec, spreadSpec, transformerViewSpec, widthScaleSpec } from './networks.js';

/** The σ_b² range of the boundary: the phase panel's (src/explorer/app/theory.ts) and 24 steps over it. */
export const BOUNDARY_MAX_BIAS_VAR = 0.5;
const BOUNDARY_STEPS = 24;
/**
 * Points of the 6ξ_c curve on each side of the boundary. A chaotic point costs a root of the c-map
 * by 2-D quadrature (about 0.2 s for tanh), an ordered one a few ms, so the chaotic side is sparser.
 */
const ORDERED_POINTS = 24;
const CHAOTIC_POINTS = 8;

/** The view's theory; throws the library's InputError (in words) for a setting it cannot compute. */
export async function computeViewTheory(state: ExplorerState): Promise<ViewTheory> {
  switch (state.view) {
    case 'signal':
      return signalTheory(state);
    case 'spectrum':
      return spectrumTheory(state);
    case 'spread':
      return spreadTheory(state);
    case 'transformer':
      return transformerTheory(state);
    case 'recipes':
      return await recipesTheory(state);
    case 'widthscale':
      return widthScaleTheory(state);
    default:
      throw new InputError('view', state.view, 'signal, spectrum, spread, transformer, recipes or widthscale');
  }
}

/** Calls `f`, turning the library's words into a value; anything else is a bug and is thrown. */
function attempt<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (error) {
    if (isUserFacingError(error)) return { error: error.message };
    throw error;
  }
}

export function signalTheory(state: ExplorerState): SignalTheory {
  const activation = resolveActivation(activationRef(state), 'activation');
  const weightVar = sidebarWeightVar(state);
  const biasVar = state.biasVariance;
  const line: { sigmaW2: number; sigmaB2: number }[] = [];
  let boundaryEndsAt: number | null = null;
  for (let i = 0; i <= BOUNDARY_STEPS; i++) {
    const sigmaB2 = (BOUNDARY_MAX_BIAS_VAR * i) / BOUNDARY_STEPS;
    const point = attempt(() => boundaryPoint(activation, sigmaB2));
    if ('error' in point) {
      boundaryEndsAt = sigmaB2;
      break;
    }
    line.push({ sigmaW2: point.criticalWeightVar, sigmaB2 });
  }
  const current = attempt(() => signalPropagation(activation, weightVar, biasVar));
  const critical = 'error' in current ? null : current.criticalWeightVar;
  const depthCurve: SignalTheory['depthCurve'] = [];
  const top = Math.max(3, 1.5 * (critical ?? 1), 1.15 * weightVar);
  const grid =
    critical === null
      ? spaced(0.02 * top, top, ORDERED_POINTS + CHAOTIC_POINTS)
      : [...spaced(0.02 * top, critical * 0.97, ORDERED_POINTS), critical * 0.99, critical * 1.01, ...spaced(critical * 1.03, top, CHAOTIC_POINTS)];
  for (const w of grid) {
    const signal = attempt(() => signalPropagation(activation, w, biasVar));
    if (!('error' in signal) && Number.isFinite(signal.trainableDepth) && signal.trainableDepth > 0) {
      depthCurve.push({ weightVar: w, trainableDepth: signal.trainableDepth, phase: signal.phase });
    }
  }
  const fixed = 'error' in current ? { qStar: Number.NaN, chi1: Number.NaN } : current;
  return {
    view: 'signal',
    activation: activation.label,
    diagram: { criticalLine: line, current: { sigmaW2: weightVar, sigmaB2: biasVar, qStar: fixed.qStar, chi1: fixed.chi1 }, sigmaW2PerGain2: 1 },
    boundaryEndsAt,
    current:
      'error' in current
        ? current
        : {
            qStar: current.qStar,
            cStar: current.cStar,
            chi1: current.chi1,
            chiC: current.chiC,
            xiQ: current.xiQ,
            xiC: current.xiC,
            xiGrad: current.xiGrad,
            phase: current.phase,
            trainableDepth: current.trainableDepth,
            criticalWeightVar: current.criticalWeightVar,
          },
    depth: sidebarDepth(state),
    depthCurve,
  };
}

/** `count` evenly spaced values from `from` to `to` (both included). */
function spaced(from: number, to: number, count: number): number[] {
  if (!(to > from) || count < 2) return to > 0 ? [to] : [];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

export function spectrumTheory(state: ExplorerState): SpectrumTheory {
  const laws: WeightLaw[] = ['gaussian', 'orthogonal'];
  return {
    view: 'spectrum',
    width: state.spectrumWidth,
    depth: sidebarDepth(state),
    weightVar: sidebarWeightVar(state),
    laws: laws.map((law) => {
      const prediction = predictJacobianSpectrum(resolveNetwork(spectrumSpec(state, law)));
      const variance = prediction.varianceSquaredSingularValue;
      return {
        law,
        mean: { value: prediction.meanSquaredSingularValue.value, label: prediction.meanSquaredSingularValue.label },
        variance: variance ? { value: variance.value, label: variance.label } : null,
        varianceUnavailable: prediction.varianceUnavailable ?? null,
        normalizedVariance: prediction.normalizedVariance,
      };
    }),
  };
}

/**
 * The site of each weight layer's pre-activation h_l: the layer's own site, or the bias node right
 * after it (the widths shorthand writes the bias as the next node).
 */
export function layerOutputSites(network: ResolvedNetwork): { layer: number; index: number }[] {
  const sites = network.sites;
  const result: { layer: number; index: number }[] = [];
  sites.forEach((site, i) => {
    if (site.layer === undefined) return;
    let j = i;
    while (j + 1 < sites.length && sites[j + 1].kind === 'bias') j++;
    result.push({ layer: site.layer, index: j });
  });
  return result;
}

export function spreadTheory(state: ExplorerState): SpreadTheory {
  const network = resolveNetwork(spreadSpec(state));
  const propagation = propagate(network);
  const prediction = predictFluctuations(network, propagation);
  return {
    view: 'spread',
    width: state.spreadWidth,
    label: prediction.label,
    layers: layerOutputSites(network).map(({ layer, index }) => ({
      layer,
      path: network.sites[index].path,
      mean: propagation.sites[index].output.secondMoment,
      ratio: prediction.sites[index].secondMomentRatio,
      label: prediction.sites[index].state.label,
    })),
  };
}

export function transformerTheory(state: ExplorerState): TransformerTheory {
  const scaled = 1 / Math.sqrt(state.transformerBlocks);
  return {
    view: 'transformer',
    preset: state.transformerPreset,
    blocks: state.transformerBlocks,
    stacks: [
      { scaling: 'unscaled', branchScale: 1, rows: predictBlocks(resolveNetwork(transformerViewSpec(state, 1))) },
      { scaling: 'scaled', branchScale: scaled, rows: predictBlocks(resolveNetwork(transformerViewSpec(state, scaled))) },
    ],
  };
}

/** E[x_l²] at each block output (the top-level sites) by propagate(). */
export function perBlockSecondMoments(network: ResolvedNetwork): number[] {
  const sites = propagate(network).sites;
  return network.nodes.map((node) => sites.find((site) => site.path === node.path)!.output.secondMoment);
}

export async function recipesTheory(state: ExplorerState): Promise<RecipesTheory> {
  const recipe = findRecipe(state.recipe, 'recipe');
  const own = perBlockSecondMoments(resolveNetwork(recipeViewSpec(state)));
  const unscaled = perBlockSecondMoments(resolveNetwork(recipeViewSpec(state, 'unscaled')));
  const [depth] = await recipeDepths(recipe, recipe.defaults, [state.recipeBlocks], state.recipeWidth, [], { nets: 2, batch: 1, seed: state.seed, dtype: 'float64', level: 0.99 });
  return {
    view: 'recipes',
    recipe: recipe.name,
    title: recipe.title,
    source: recipe.source,
    blocks: state.recipeBlocks,
    width: state.recipeWidth,
    perBlock: own.map((value, i) => ({ block: i + 1, recipe: value, unscaled: unscaled[i] })),
    depth,
  };
}

export function widthScaleTheory(state: ExplorerState): WidthScaleTheory {
  const network = resolveNetwork(widthScaleSpec(state));
  return {
    view: 'widthscale',
    parametrization: state.parametrization,
    optimizer: state.optimizer,
    widths: state.scalingWidths.slice(),
    layers: predictWidthExponents(parametrizations[state.parametrization], state.optimizer, mlpRoles(network.layers.length)),
  };
}
