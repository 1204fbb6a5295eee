/**
 * The networks each view reads from the explorer state, as plain descriptions (src/vocabulary/network.ts),
 * shared by the theory and the Monte Carlo side so both see the same network. Issue 10's views take
 * the network of the sidebar (its activation, including a custom expression, its σ_w², σ_b², γ² and
 * depth) at a width of their own; issue 11's views build theirs from the library's presets.
 */
import { findRecipe } from '../../../recipes/registry.js';
import { transformerSpec, type TransformerPreset } from '../../../recipes/transformer.js';
import { resolveNetwork, type TreeNetworkSpec, type WidthsNetworkSpec } from '../../../vocabulary/network.js';
import { activationRef, initRef, toPlainSpec, weightLayerCount, type ExplorerState } from '../state.js';
import { sigmaW2Of } from '../theory.js';
import type { WeightLaw } from './data.js';

/** σ_w² = n·Var[w] of the sidebar's network (its first hidden-to-hidden layer), as the phase diagram reads it. */
export function sidebarWeightVar(state: ExplorerState): number {
  return sigmaW2Of(resolveNetwork(toPlainSpec(state)));
}

/** Depth of the sidebar's network in weight layers. */
export function sidebarDepth(state: ExplorerState): number {
  return weightLayerCount(state);
}

function withBiasAndInput(spec: WidthsNetworkSpec, state: ExplorerState): WidthsNetworkSpec {
  if (state.biasVariance > 0) spec.biasStd = Math.sqrt(state.biasVariance);
  if (state.inputVariance !== 1) spec.inputVariance = state.inputVariance;
  return spec;
}

/**
 * The square network whose Jacobian spectrum is shown: the sidebar's depth, activation, σ_w², σ_b²
 * and γ², every layer `spectrumWidth` wide, with Gaussian (xavier_normal: n·Var[w] = g² on square
 * layers) or orthogonal weights of the same σ_w² = g².
 */
export function spectrumSpec(state: ExplorerState, law: WeightLaw): WidthsNetworkSpec {
  const gain = Math.sqrt(sidebarWeightVar(state));
  const name = law === 'gaussian' ? 'xavier_normal' : 'orthogonal';
  return withBiasAndInput(
    { widths: new Array(sidebarDepth(state) + 1).fill(state.spectrumWidth), activation: activationRef(state), init: { name, gain } },
    state,
  );
}

/** The sidebar's plain network with every layer `spreadWidth` wide: the narrow net whose per-network variance spreads. */
export function spreadSpec(state: ExplorerState): WidthsNetworkSpec {
  return withBiasAndInput(
    { widths: new Array(sidebarDepth(state) + 1).fill(state.spreadWidth), activation: activationRef(state), init: initRef(state.init, state.gain) },
    state,
  );
}

/** The transformer stack of the view, with branch scale 1 or 1/√L (the scaling against rank collapse). */
export function transformerViewSpec(state: ExplorerState, branchScale: number): TreeNetworkSpec {
  return transformerSpec(state.transformerPreset as TransformerPreset, {
    layers: state.transformerBlocks,
    tokens: state.transformerTokens,
    width: state.transformerWidth,
    heads: state.transformerHeads,
    branchScale,
  });
}

/** The recipe's tower of `recipeBlocks` blocks on `recipeWidth` units, with the recipe's default options. */
export function recipeViewSpec(state: ExplorerState, name: string = state.recipe): TreeNetworkSpec {
  const recipe = findRecipe(name, 'recipe');
  return recipe.tower(state.recipeBlocks, state.recipeWidth, recipe.defaults);
}

/**
 * The MLP of the coordinate check, 16 → 64 → 64 → 64 → 16 at the base width 64 (the shape of
 * examples/width-mlp.json and docs/width-scaling), with the sidebar's activation and init; no bias
 * (the check trains weight matrices only).
 */
export const SCALING_BASE_WIDTH = 64;
export function widthScaleSpec(state: ExplorerState): WidthsNetworkSpec {
  return { widths: [16, SCALING_BASE_WIDTH, SCALING_BASE_WIDTH, SCALING_BASE_WIDTH, 16], activation: activationRef(state), init: initRef(state.init, state.gain) };
}

/** The coordinate check's base learning rates, those of docs/width-scaling (src/report/docs/width-scaling.ts). */
export const SCALING_LEARNING_RATE = { sgd: 0.01, adam: 0.001 } as const;
