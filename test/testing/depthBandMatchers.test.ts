/**
 * toKeepVarianceWithin (src/testing/depthBand.ts) through vitest's expect, on the residual recipes'
 * towers (src/recipes/): the band each recipe promises holds at every block, forward and backward; a
 * band the tower leaves (the unscaled doubling; NF-ResNet's 1 + L·α² claimed to stay below 1.2) is
 * rejected; the message names the node; a malformed band is refused naming the field. Fixed seeds,
 * family level 99% over the blocks.
 */
import { describe, expect, it } from 'vitest';
import '../../src/testing/index.js';
import { InputError } from '../../src/errors.js';
import { fixupRecipe } from '../../src/recipes/fixup.js';
import { nfResnetRecipe } from '../../src/recipes/nfResnet.js';
import { branchScaledTower, reZeroRecipe } from '../../src/recipes/skipInit.js';
import { unscaledRecipe } from '../../src/recipes/unscaled.js';
import { checkVarianceBand, depthBandMatchers } from '../../src/testing/depthBand.js';

const WIDTH = 32;

describe('toKeepVarianceWithin', () => {
  it('each recipe keeps the band it promises over 10 blocks: SkipInit α = 1/√L below e, NF-ResNet 1 + l·α² ≤ 1.4, ReZero the identity', async () => {
    await expect(branchScaledTower(10, WIDTH, 1 / Math.sqrt(10))).toKeepVarianceWithin([0.8, 3.2]);
    await expect(nfResnetRecipe.tower(10, WIDTH)).toKeepVarianceWithin([0.9, 1.6]);
    await expect(reZeroRecipe.tower(10, WIDTH)).toKeepVarianceWithin([0.9, 1.1]);
  }, 60_000);

  it('backward: Fixup passes the gradient down unchanged through its zero-initialized branches', async () => {
    await expect(fixupRecipe.tower(10, WIDTH)).toKeepVarianceWithin([0.8, 1.25], { pass: 'backward' });
  }, 30_000);

  it('rejects a band the tower leaves: the unscaled tower doubles per block; NF-ResNet passes 1.2 by block 10', async () => {
    await expect(unscaledRecipe.tower(10, WIDTH)).not.toKeepVarianceWithin([0.5, 2]);
    await expect(nfResnetRecipe.tower(10, WIDTH)).not.toKeepVarianceWithin([0.9, 1.2]);
    const result = await checkVarianceBand(nfResnetRecipe.tower(10, WIDTH), [0.9, 1.2]);
    // 1 + l·0.04 stays inside up to l = 5 and leaves from l = 6 on: the early blocks are not the failing ones.
    expect(result.nodes[0].verdict).not.toBe('fails');
    expect(result.nodes[9].verdict).toBe('fails');
  }, 60_000);

  it('names the failing node and its interval', async () => {
    const result = await depthBandMatchers.toKeepVarianceWithin.call({ isNot: false }, unscaledRecipe.tower(4, WIDTH), [0.5, 2]);
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/Received: E\[x²\] at node \d \(residual\): measured [\d.]+, interval \[[\d.]+, [\d.]+\]: fails/);
  });

  it('refuses a band that is not [low, high] with 0 <= low < high', async () => {
    await expect(checkVarianceBand(unscaledRecipe.tower(2, 4), [2, 1])).rejects.toThrow(InputError);
    await expect(checkVarianceBand(unscaledRecipe.tower(2, 4), [2, 1])).rejects.toThrow(/band/);
  });
});
