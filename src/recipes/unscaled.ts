/**
 * The baseline: the residual block of He, Zhang, Ren & Sun (2016, "Deep residual learning for image
 * recognition") with α = β = 1 and no normalization. Every block adds the branch's second moment to
 * the skip's: E[x_{l+1}²] = 2·E[x_l²] for the relu branch (He, then LeCun), so L blocks multiply the
 * input's second moment by 2^L, and the gradient at the input by the same (docs/residual.md).
 */
import { blockTower, reluBranch, type ResidualRecipe } from './recipe.js';

export const unscaledRecipe: ResidualRecipe = {
  name: 'unscaled',
  title: 'Unscaled ResNet',
  source: 'He, Zhang, Ren & Sun 2016, "Deep residual learning for image recognition": x + f(x), here without normalization',
  summary: 'α = β = 1: every block doubles the second moment, forward and backward.',
  defaults: {},
  tower: (blocks, width) => blockTower(width, blocks, () => ({ kind: 'residual', alpha: 1, beta: 1, branch: reluBranch(width) })),
  claim: (blocks) => ({
    forward: 2 ** blocks,
    backward: 2 ** (blocks - 1),
    inputGradient: 2 ** blocks,
    // Block 1's branch sees E[x₀²] = 1 (He then relu keep it) and receives α²·E[(∂x₁)²].
    lastBranchWeightGradient: 2 ** (blocks - 1),
  }),
};
