/**
 * NF-ResNet (Brock, De & Smith 2021, "Characterizing signal propagation to close the performance
 * gap in unnormalized ResNets", §4; the same in Brock, De, Smith & Simonyan 2021, NFNets, §3):
 * h_{l+1} = h_l + α·f_l(h_l/β_l), with f_l variance-preserving, α a small constant (0.2 in the
 * papers) and β_l = √Var(h_l) the expected standard deviation of the block's input, computed
 * analytically: Var(h_{l+1}) = Var(h_l) + α², so with Var(h₀) = 1, β_l = √(1 + l·α²) for the
 * 0-based block index l. (DeepMind's reference code, nf_resnet.py: `beta = 1. / expected_std`, then
 * `expected_std = (expected_std**2 + alpha**2)**0.5`; the variance resets to 1 after each transition
 * block, which this single-stage tower has none of. That code also multiplies each branch by a
 * learnable `skipinit_gain` initialized to 0 by default, which makes the network the identity at
 * init as SkipInit does; the recipe here is the papers' analysis, with that gain at 1.)
 *
 * Here the division by β_l is a `scale` node (src/layers/scale.ts) at the start of the branch, and f
 * is the relu branch (He, relu, LeCun), which keeps E[f(z)²] = E[z²] exactly; the papers' branch is
 * pre-activation (scaled relu, conv with scaled weight standardization), which keeps the variance
 * the same way. Then E[h_L²] = 1 + L·α² exactly, and the gradient grows the same way downward:
 * E[(∂h_j)²] = β_L²/β_j² = (1 + L·α²)/(1 + j·α²).
 */
import { InputError } from '../errors.js';
import type { TreeNetworkSpec } from '../vocabulary/network.js';
import { blockTower, reluBranch, type RecipeOptions, type ResidualRecipe } from './recipe.js';

/** The papers' α. */
export const NF_DEFAULT_ALPHA = 0.2;

/** β_l = √(1 + l·α²), the expected standard deviation of block l's input (0-based). */
export function nfExpectedStd(index: number, alpha: number): number {
  return Math.sqrt(1 + index * alpha * alpha);
}

/** The NF-ResNet tower; `expectedStd` defaults to the papers' β_l (a test passes a wrong one). */
export function nfResnetTower(blocks: number, width: number, alpha: number, expectedStd: (index: number, alpha: number) => number = nfExpectedStd): TreeNetworkSpec {
  return blockTower(width, blocks, (index) => ({
    kind: 'residual',
    alpha,
    beta: 1,
    branch: [{ kind: 'scale', factor: 1 / expectedStd(index, alpha) }, ...reluBranch(width)],
  }));
}

function readAlpha(options: RecipeOptions | undefined): number {
  const alpha = options?.alpha ?? NF_DEFAULT_ALPHA;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || !(alpha > 0)) throw new InputError('alpha', alpha, 'a finite number > 0 (the per-block growth of the variance; the papers use 0.2)');
  return alpha;
}

export const nfResnetRecipe: ResidualRecipe = {
  name: 'nf_resnet',
  title: 'NF-ResNet',
  source: 'Brock, De & Smith 2021, "Characterizing signal propagation to close the performance gap in unnormalized ResNets", §4 (α = 0.2, β_l = √Var(h_l))',
  summary: 'h + α·f(h/β_l) with β_l = √(1 + l·α²) the expected std of block l\'s input: every branch sees unit variance and the signal grows linearly, 1 + L·α².',
  defaults: { alpha: NF_DEFAULT_ALPHA },
  tower: (blocks, width, options) => nfResnetTower(blocks, width, readAlpha(options)),
  claim: (blocks, options) => {
    const a2 = readAlpha(options) ** 2;
    const top = 1 + blocks * a2;
    // Block 1's branch sees h₀/β₀ with E = 1 and receives α²·E[(∂h₁)²] = α²·(1 + Lα²)/(1 + α²).
    return { forward: top, backward: top / (1 + a2), inputGradient: top, lastBranchWeightGradient: (a2 * top) / (1 + a2) };
  },
};
