/**
 * SkipInit (De & Smith 2020, "Batch normalization biases residual blocks towards the identity
 * function in deep networks", §4) and ReZero (Bachlechner, Majumder, Mao, Cottrell & McAuley 2021,
 * "ReZero is all you need: fast convergence at large depth", eq. 2): a learnable scalar α at the end
 * of every residual branch, x + α·f(x), initialized to 0. SkipInit allows a small value instead,
 * α ≤ 1/√L for L blocks; ReZero also drops the normalization inside the branch. At initialization
 * both are the `residual` kind with β = 1 and the given α.
 *
 * With the relu branch (E[f(x)²] = E[x²] exactly) every block multiplies the second moment by
 * 1 + α², forward and backward: (1 + α²)^L over the tower, exactly 1 at α = 0, and at most e for
 * α ≤ 1/√L. At α = 0 the branches receive no gradient at all (∂f = α·∂y), only α itself does.
 */
import { InputError } from '../errors.js';
import { blockTower, reluBranch, type RecipeClaim, type RecipeOptions, type ResidualRecipe } from './recipe.js';

/** The tower whose blocks are x + α·f(x), f the relu branch. */
export function branchScaledTower(blocks: number, width: number, alpha: number) {
  return blockTower(width, blocks, () => ({ kind: 'residual', alpha, beta: 1, branch: reluBranch(width) }));
}

/** (1 + α²) per block, forward and backward. */
export function branchScaledClaim(blocks: number, alpha: number): RecipeClaim {
  const factor = 1 + alpha * alpha;
  return {
    forward: factor ** blocks,
    backward: factor ** (blocks - 1),
    inputGradient: factor ** blocks,
    // Block 1's branch sees E[x₀²] = 1 (He then relu keep it) and receives α²·E[(∂x₁)²].
    lastBranchWeightGradient: alpha * alpha * factor ** (blocks - 1),
  };
}

function readAlpha(options: RecipeOptions | undefined): number {
  const alpha = options?.alpha ?? 0;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) throw new InputError('alpha', alpha, 'a finite number >= 0 (the branch scale at initialization)');
  return alpha;
}

export const skipInitRecipe: ResidualRecipe = {
  name: 'skipinit',
  title: 'SkipInit',
  source: 'De & Smith 2020, "Batch normalization biases residual blocks towards the identity function in deep networks", §4 (α = 0, or small: α ≤ 1/√L)',
  summary: 'x + α·f(x) with a learnable α initialized to 0 (or at most 1/√L): each block multiplies the second moment by 1 + α².',
  defaults: { alpha: 0 },
  tower: (blocks, width, options) => branchScaledTower(blocks, width, readAlpha(options)),
  claim: (blocks, options) => branchScaledClaim(blocks, readAlpha(options)),
};

export const reZeroRecipe: ResidualRecipe = {
  name: 'rezero',
  title: 'ReZero',
  source: 'Bachlechner, Majumder, Mao, Cottrell & McAuley 2021, "ReZero is all you need: fast convergence at large depth", eq. 2 (α = 0 at init, no normalization)',
  summary: 'x + α·f(x) with α = 0 at initialization and no normalization: every block is the identity at init.',
  defaults: {},
  tower: (blocks, width) => branchScaledTower(blocks, width, 0),
  claim: (blocks) => branchScaledClaim(blocks, 0),
};
