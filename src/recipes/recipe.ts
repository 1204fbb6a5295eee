/**
 * A residual recipe: a published way of initializing a deep residual network, written as a preset
 * over the `residual` kind (x ↦ β·x + α·f(x), src/layers/residual.ts). A recipe builds a plain tree
 * spec, so propagation, derivation, checks, reports and the explorer read it like any network, and it
 * states what its paper promises in closed form (its claim), which tests compare with `propagate()`
 * and with the Monte Carlo engine.
 *
 * Every recipe is measured on the same tower: an input of `width` units, x ~ N(0, 1), then L blocks;
 * no stem and no head, so nothing but the blocks moves the second moment. The branch f is the
 * two-layer relu branch of the residual doc (dense, relu, dense) unless the recipe says otherwise.
 */
import type { LayerNodeSpec, TreeNetworkSpec } from '../vocabulary/network.js';

/** The options a recipe may read; each recipe lists the ones it reads. */
export interface RecipeOptions {
  /** Branch scale α (SkipInit, ReZero: the value at init; NF-ResNet: the per-block growth). */
  alpha?: number;
  /** Weight layers m per branch (Fixup's m). */
  branchLayers?: number;
}

export type RecipeOptionName = keyof RecipeOptions;

/**
 * What the recipe's paper promises at initialization, in closed form, for a tower of L blocks whose
 * input has E[x₀²] = 1 and whose output receives gradient E[(∂x_L)²] = 1 (a random linear loss).
 */
export interface RecipeClaim {
  /** E[x_L²] after the last block. */
  forward: number;
  /** E[(∂x₁)²] at the output of block 1: the gradient after coming down through blocks L, …, 2. */
  backward: number;
  /** E[(∂x₀)²] at the tower's input: through all L blocks. */
  inputGradient: number;
  /** E[(∂w)²] per entry and example of the last weight layer of block 1's branch. */
  lastBranchWeightGradient: number;
}

export interface ResidualRecipe {
  /** CLI name, e.g. `fixup`. */
  readonly name: string;
  /** Display name, e.g. `Fixup`. */
  readonly title: string;
  /** The paper (and reference code) the constants come from. */
  readonly source: string;
  /** One sentence: what the recipe sets at initialization. */
  readonly summary: string;
  /** Options the recipe reads, with their defaults. */
  readonly defaults: Readonly<RecipeOptions>;
  /** The tower of `blocks` blocks on `width` units (see the file comment). */
  tower(blocks: number, width: number, options?: RecipeOptions): TreeNetworkSpec;
  /** The paper's closed form for a tower of `blocks` blocks. */
  claim(blocks: number, options?: RecipeOptions): RecipeClaim;
}

/** The input width, x ~ N(0, 1), then one residual node per block (written out: a block may depend on its index). */
export function blockTower(width: number, blocks: number, block: (index: number) => LayerNodeSpec): TreeNetworkSpec {
  return { input: width, inputVariance: 1, layers: Array.from({ length: blocks }, (_, index) => block(index)) };
}

/**
 * The relu branch of the residual doc: He (fan_in, normal) then LeCun, so E[f(x)²] = E[x²] exactly
 * (He doubles, relu halves, LeCun keeps), and backward the same for square layers.
 */
export function reluBranch(width: number): LayerNodeSpec[] {
  return [
    { kind: 'dense', width, init: 'he_normal' },
    { kind: 'activation', activation: 'relu' },
    { kind: 'dense', width, init: 'lecun_normal' },
  ];
}
