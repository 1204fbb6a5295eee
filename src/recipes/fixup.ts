/**
 * Fixup (Zhang, Dauphin & Ma 2019, "Fixup initialization: residual learning without normalization",
 * §3): for L residual branches of m weight layers each,
 *   1. the last layer of every branch (and the classifier) starts at 0;
 *   2. every other branch layer gets a standard init (He) scaled by L^{−1/(2m−2)};
 *   3. scalar multipliers (at 1) and biases (at 0) are added, which change nothing at init.
 * The reference code (hongyi-zhang/Fixup, imagenet/models/fixup_resnet_imagenet.py) draws the scaled
 * layers from N(0, 2/fan_out)·L^{−1/2} for basic blocks (m = 2) and L^{−1/4} for bottlenecks (m = 3),
 * and zeroes conv2 (resp. conv3) and the fc layer.
 *
 * At initialization every branch outputs exactly 0, so the tower is the identity: E[x_L²] = E[x₀²]
 * and the gradient reaches the input unchanged, at any depth. What the scale sets is the signal the
 * zero layer sees: m − 1 scaled He layers with relu each multiply the second moment by L^{−1/(m−1)},
 * so the last layer's input has E[a²] = E[x²]/L, and its weight gradient E[(∂w)²] = E[x²]·E[(∂y)²]/L
 * (the Θ(η/L) per-block update of the paper's §3 argument). The tower here has no classifier: a zero
 * classifier would make every gradient below it exactly 0.
 *
 * The engine runs the whole tower: the zero layer's all-zero output is a structural zero that
 * `propagate()` predicts, measured as 0 (src/numeric/structuralZeros.ts), and its weight gradient,
 * E[a²]·E[(∂y)²], is measured where it lives.
 */
import { InputError } from '../errors.js';
import type { LayerNodeSpec, TreeNetworkSpec } from '../vocabulary/network.js';
import { blockTower, type RecipeOptions, type ResidualRecipe } from './recipe.js';

/** L^{−1/(2m−2)}: the factor on the standard deviation of the scaled branch layers (rule 2). */
export function fixupBranchScale(blocks: number, branchLayers: number): number {
  return blocks ** (-1 / (2 * branchLayers - 2));
}

/**
 * The Fixup tower: `blocks` blocks x + f(x), f = m − 1 × (dense N(0, 2·s²/fan_out), relu), then a
 * dense layer at 0; `scale` s defaults to the paper's L^{−1/(2m−2)} (a test passes a wrong one).
 */
export function fixupTower(blocks: number, width: number, branchLayers: number, scale = fixupBranchScale(blocks, branchLayers)): TreeNetworkSpec {
  const branch = [...scaledLayers(width, branchLayers, scale), { kind: 'dense', width, init: { name: 'constant', value: 0 } }];
  return blockTower(width, blocks, () => ({ kind: 'residual', alpha: 1, beta: 1, branch }));
}

/** The m − 1 scaled He layers of a branch, each followed by relu. */
function scaledLayers(width: number, branchLayers: number, scale: number): LayerNodeSpec[] {
  return Array.from({ length: branchLayers - 1 }, () => [
    { kind: 'dense', width, init: { name: 'variance_scaling', scale: 2 * scale * scale, mode: 'fan_out', distribution: 'untruncated_normal' } },
    { kind: 'activation', activation: 'relu' },
  ]).flat();
}

function readBranchLayers(options: RecipeOptions | undefined): number {
  const m = options?.branchLayers ?? 2;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 2 || m > 16) {
    throw new InputError('branchLayers', m, 'an integer from 2 to 16 (weight layers per branch: Fixup scales m − 1 of them and zeroes the last)');
  }
  return m;
}

export const fixupRecipe: ResidualRecipe = {
  name: 'fixup',
  title: 'Fixup',
  source: 'Zhang, Dauphin & Ma 2019, "Fixup initialization: residual learning without normalization", §3; hongyi-zhang/Fixup imagenet/models/fixup_resnet_imagenet.py',
  summary: 'Last layer of every branch at 0, the other m − 1 branch layers He-initialized and scaled by L^{−1/(2m−2)}: the tower is the identity at init, and the zero layer sees a signal of second moment 1/L.',
  defaults: { branchLayers: 2 },
  tower: (blocks, width, options) => fixupTower(blocks, width, readBranchLayers(options)),
  claim: (blocks, options) => {
    readBranchLayers(options);
    return { forward: 1, backward: 1, inputGradient: 1, lastBranchWeightGradient: 1 / blocks };
  },
};
