/**
 * Residual recipes (src/recipes/): each tower encodes its paper's constant, so `propagate()` equals
 * the paper's closed form at 10, 100 and 1000 blocks; the Monte Carlo of the whole tower agrees (also
 * at α = 0 and through Fixup's zero layers, whose exact zeros the engine measures as 0); and for every
 * preset a tower built with a deliberately wrong constant is rejected by the Monte Carlo against the
 * paper's claim (level 99%, fixed seeds, exact claims tested strictly).
 */
import { describe, expect, it } from 'vitest';
import { fixupRecipe, fixupTower } from '../../src/recipes/fixup.js';
import { decideClaims, MEASURED_QUANTITIES, measureTower, predictTower, RECIPE_QUANTITIES, recipeDepths } from '../../src/recipes/measure.js';
import { nfExpectedStd, nfResnetRecipe, nfResnetTower } from '../../src/recipes/nfResnet.js';
import type { RecipeClaim } from '../../src/recipes/recipe.js';
import { residualRecipes } from '../../src/recipes/registry.js';
import { branchScaledTower, reZeroRecipe, skipInitRecipe } from '../../src/recipes/skipInit.js';
import { resolveNetwork, type TreeNetworkSpec } from '../../src/vocabulary/network.js';

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

/** Decides one engine run of `spec` (10 blocks) against `claim`: the three measured quantities, one family at 99%. */
async function verdictsAgainst(spec: TreeNetworkSpec, claim: RecipeClaim) {
  const network = resolveNetwork(spec);
  const { raw, report } = await measureTower(network, MC);
  expect(report.breakdown, 'the engine runs the whole tower').toBeUndefined();
  return Object.values(decideClaims(network, raw, claim, MC.level));
}

/** Per preset: its tower at 10 blocks, and towers built with a deliberately wrong constant (each must be rejected). */
const PRESETS: Record<string, { right: () => TreeNetworkSpec; claim: RecipeClaim; wrong: Record<string, () => TreeNetworkSpec> }> = {
  unscaled: {
    right: () => residualRecipes.find((r) => r.name === 'unscaled')!.tower(10, WIDTH),
    claim: residualRecipes.find((r) => r.name === 'unscaled')!.claim(10),
    wrong: { 'α = 1/√2 (a scaled branch claimed as 2^L)': () => branchScaledTower(10, WIDTH, Math.SQRT1_2) },
  },
  fixup: {
    right: () => fixupRecipe.tower(10, WIDTH),
    claim: fixupRecipe.claim(10),
    // The zero layer's input: E[a²] = 1/√L instead of 1/L (its weight gradient, measured in the tower).
    wrong: { 'L^(-1/4), the m = 3 exponent for m = 2': () => fixupTower(10, WIDTH, 2, 10 ** -0.25) },
  },
  skipinit: {
    right: () => skipInitRecipe.tower(10, WIDTH),
    claim: skipInitRecipe.claim(10),
    wrong: { 'α = 0.5 built, α = 0 claimed': () => branchScaledTower(10, WIDTH, 0.5) },
  },
  rezero: {
    right: () => reZeroRecipe.tower(10, WIDTH),
    claim: reZeroRecipe.claim(10),
    // A small α keeps the forward within 1.01^L, but the branch weights then get a gradient ReZero says is 0.
    wrong: { 'α = 0.1 instead of 0': () => branchScaledTower(10, WIDTH, 0.1) },
  },
  nf_resnet: {
    right: () => nfResnetTower(10, WIDTH, 0.5),
    claim: nfResnetRecipe.claim(10, { alpha: 0.5 }),
    wrong: {
      'β_l = 1 (no division)': () => nfResnetTower(10, WIDTH, 0.5, () => 1),
      'β_l = 1 + l·α² (the variance for the std)': () => nfResnetTower(10, WIDTH, 0.5, (index, a) => 1 + index * a * a),
    },
  },
};

describe('Monte Carlo of the whole tower: the right constant agrees, a wrong one is rejected', () => {
  it('every registered preset has a deliberately wrong constant below', () => {
    expect(Object.keys(PRESETS).sort()).toEqual(residualRecipes.map((r) => r.name).sort());
  });

  for (const [name, preset] of Object.entries(PRESETS)) {
    it(`${name} (10 blocks): the claim is not rejected; ${Object.keys(preset.wrong).join('; ')}: rejected`, async () => {
      expect(await verdictsAgainst(preset.right(), preset.claim)).not.toContain('fails');
      for (const [what, wrong] of Object.entries(preset.wrong)) expect(await verdictsAgainst(wrong(), preset.claim), what).toContain('fails');
    }, 60_000);
  }

  it('SkipInit: α = 1/√L keeps (1 + α²)^L, within e', async () => {
    const allowed = 1 / Math.sqrt(10);
    const claim = skipInitRecipe.claim(10, { alpha: allowed });
    expect(claim.forward).toBeLessThan(Math.E);
    expect(await verdictsAgainst(branchScaledTower(10, WIDTH, allowed), claim)).not.toContain('fails');
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
  }, 60_000);

  it('α = 0 (ReZero, SkipInit) and Fixup at 10 and 100 blocks: the whole tower is measured and every site passes; the α = 0 branch gradient is measured as exactly 0', async () => {
    for (const recipe of [reZeroRecipe, skipInitRecipe, fixupRecipe]) {
      for (const depth of await recipeDepths(recipe, {}, [10, 100], WIDTH, [10, 100], MC)) {
        const where = `${recipe.name} L=${depth.blocks}`;
        expect(depth.monteCarlo?.pass, where).toBe(true);
        expect(depth.monteCarlo?.breakdown, where).toBeUndefined();
        for (const name of MEASURED_QUANTITIES) {
          expect(depth[name].estimate, `${where} ${name}`).toBeDefined();
          expect(depth[name].verdict, `${where} ${name}`).not.toBe('fails');
        }
        if (recipe !== fixupRecipe) expect([depth.lastBranchWeightGradient.estimate, depth.lastBranchWeightGradient.ciHigh], where).toEqual([0, 0]);
        // Fixup's zero layer: its weight gradient E[a²]·E[(∂y)²] = 1/L, measured in place.
        else expect(depth.lastBranchWeightGradient.ciLow! < 1 / depth.blocks && 1 / depth.blocks < depth.lastBranchWeightGradient.ciHigh!, where).toBe(true);
      }
    }
  }, 120_000);
});
