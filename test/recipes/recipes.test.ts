/**
 * Residual recipes (src/recipes/): each tower encodes its paper's constant, so `propagate()` equals
 * the paper's closed form at 10, 100 and 1000 blocks; the Monte Carlo agrees; and a tower built with
 * a deliberately wrong constant is rejected by the Monte Carlo against the paper's claim (level 99%,
 * fixed seeds, exact claims tested strictly).
 */
import { describe, expect, it } from 'vitest';
import { fixupBranchInput, fixupRecipe, fixupTower } from '../../src/recipes/fixup.js';
import { decideBranchInputClaim, decideClaims, measureTower, predictTower, RECIPE_QUANTITIES, recipeDepths } from '../../src/recipes/measure.js';
import { nfExpectedStd, nfResnetRecipe, nfResnetTower } from '../../src/recipes/nfResnet.js';
import { residualRecipes } from '../../src/recipes/registry.js';
import { branchScaledTower, reZeroRecipe, skipInitRecipe } from '../../src/recipes/skipInit.js';
import { measureNetwork } from '../../src/numeric/engine.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

const MC = { nets: 16, batch: 128, seed: 7, dtype: 'float64' as const, level: 0.99 };
const WIDTH = 32;

describe('every recipe: propagate() states the paper\'s closed form', () => {
  for (const recipe of residualRecipes) {
    it(`${recipe.name}: predicted = claim at 10, 100 and 1000 blocks, labelled exact`, () => {
      for (const blocks of [10, 100, 1000]) {
        const predicted = predictTower(resolveNetwork(recipe.tower(blocks, 16)));
        const claim = recipe.claim(blocks);
        for (const name of RECIPE_QUANTITIES) {
          const relative = claim[name] === 0 ? Math.abs(predicted[name].value) : Math.abs(predicted[name].value / claim[name] - 1);
          expect(relative, `${recipe.name} L=${blocks} ${name}`).toBeLessThan(1e-12);
          expect(predicted[name].exact, `${recipe.name} ${name}`).toBe(true);
        }
      }
    });
  }

  it('the constants: Fixup\'s zero layer sees 1/L; NF-ResNet keeps 1 + L·α² with β_l = √(1 + l·α²); SkipInit/ReZero keep 1', () => {
    expect(fixupRecipe.claim(1000).lastBranchWeightGradient).toBeCloseTo(1e-3, 15);
    expect(fixupRecipe.claim(100, { branchLayers: 3 }).lastBranchWeightGradient).toBeCloseTo(1e-2, 15);
    expect(nfResnetRecipe.claim(100).forward).toBeCloseTo(5, 12);
    expect(nfExpectedStd(24, 0.2)).toBeCloseTo(Math.sqrt(1.96), 14);
    expect(skipInitRecipe.claim(1000).forward).toBe(1);
    expect(reZeroRecipe.claim(1000).inputGradient).toBe(1);
  });

  it('Fixup with m = 3 scales by L^(-1/4): predicted = claim', () => {
    const predicted = predictTower(resolveNetwork(fixupRecipe.tower(100, 16, { branchLayers: 3 })));
    expect(predicted.lastBranchWeightGradient.value).toBeCloseTo(0.01, 14);
  });
});

describe('Monte Carlo: the right constant agrees, a wrong one is rejected', () => {
  it('NF-ResNet (α = 0.5, 10 blocks): β_l = √(1 + l·α²) holds; β_l = 1 (no division) and β_l = 1 + l·α² (variance for std) fail', async () => {
    const alpha = 0.5;
    const claim = nfResnetRecipe.claim(10, { alpha });
    const decide = async (expectedStd?: (index: number, a: number) => number) => {
      const network = resolveNetwork(nfResnetTower(10, WIDTH, alpha, expectedStd));
      const { raw } = await measureTower(network, MC);
      return decideClaims(network, raw, claim, MC.level);
    };
    expect(Object.values(await decide())).not.toContain('fails');
    expect(Object.values(await decide(() => 1))).toContain('fails');
    expect(Object.values(await decide((index, a) => 1 + index * a * a))).toContain('fails');
  }, 60_000);

  it('Fixup (10 blocks): the zero layer\'s input has E[a²] = 1/L with L^(-1/2); L^(-1/4) (the m = 3 exponent for m = 2) fails', async () => {
    const claim = fixupRecipe.claim(10);
    const decide = async (scale?: number) => {
      const probe = resolveNetwork(fixupBranchInput(10, WIDTH, 2, scale));
      const raw = await measureNetwork(probe, MC);
      return decideBranchInputClaim(probe, raw, claim, MC.level);
    };
    expect(await decide()).not.toBe('fails');
    expect(await decide(10 ** -0.25)).toBe('fails');
    // The whole tower predicts the same 1/L at the zero layer (its weight gradient).
    expect(predictTower(resolveNetwork(fixupTower(10, WIDTH, 2))).lastBranchWeightGradient.value).toBeCloseTo(0.1, 14);
  }, 60_000);

  it('SkipInit: α ≤ 1/√L keeps (1 + α²)^L; claiming α = 0 of a tower built with α = 0.5 fails', async () => {
    const allowed = 1 / Math.sqrt(10);
    const small = resolveNetwork(branchScaledTower(10, WIDTH, allowed));
    const { raw } = await measureTower(small, MC);
    expect(Object.values(decideClaims(small, raw, skipInitRecipe.claim(10, { alpha: allowed }), MC.level))).not.toContain('fails');
    const wrong = resolveNetwork(branchScaledTower(10, WIDTH, 0.5));
    const wrongRun = await measureTower(wrong, MC);
    expect(Object.values(decideClaims(wrong, wrongRun.raw, skipInitRecipe.claim(10), MC.level))).toContain('fails');
    expect(Object.values(decideClaims(wrong, wrongRun.raw, reZeroRecipe.claim(10), MC.level))).toContain('fails');
  }, 60_000);

  it('recipeDepths measures 10 blocks and only predicts 1000; the check against propagate() passes', async () => {
    const [ten, thousand] = await recipeDepths(nfResnetRecipe, {}, [10, 1000], WIDTH, [10], MC);
    expect(ten.monteCarlo?.pass).toBe(true);
    expect(ten.forward.estimate).toBeGreaterThan(ten.forward.ciLow!);
    expect(ten.forward.ciLow!).toBeLessThan(1.4);
    expect(ten.forward.ciHigh!).toBeGreaterThan(1.4);
    expect(thousand.monteCarlo).toBeUndefined();
    expect(thousand.forward.estimate).toBeUndefined();
    expect(thousand.forward.predicted).toBeCloseTo(41, 9);
    // α = 0 towers: the engine cannot run a skipped branch; said, not measured, not failed.
    const [rezero] = await recipeDepths(reZeroRecipe, {}, [10], WIDTH, [10], MC);
    expect(rezero.monteCarlo).toBeUndefined();
    expect(rezero.notMeasured).toMatch(/α = 0/);
  }, 60_000);
});
