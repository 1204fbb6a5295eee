/**
 * The views of issues 10 and 11 (src/explorer/app/views/): their controls round-trip through the URL,
 * their choice lists are the library's, and the numbers their theory side hands to the page are the
 * library functions' own (no second formula in the explorer).
 */
import { describe, expect, it } from 'vitest';
import { residualRecipes } from '../../src/recipes/registry.js';
import { TRANSFORMER_PRESETS } from '../../src/recipes/transformer.js';
import { predictBlocks } from '../../src/recipes/transformerDepth.js';
import { criticalPoint } from '../../src/theory/criticality.js';
import { predictFluctuations } from '../../src/theory/fluctuations.js';
import { predictJacobianSpectrum } from '../../src/theory/jacobian.js';
import { boundaryPoint, signalPropagation } from '../../src/theory/signal.js';
import { mlpRoles, predictWidthExponents } from '../../src/theory/widthExponents.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { OPTIMIZERS, PARAMETRIZATION_NAMES, parametrizations } from '../../src/vocabulary/parametrizations.js';
import {
  DEFAULT_STATE,
  OPTIMIZER_CHOICES,
  PARAMETRIZATION_CHOICES,
  RECIPE_NAMES,
  TRANSFORMER_PRESET_NAMES,
  decodeState,
  encodeState,
  parseScalingWidths,
  type ExplorerState,
} from '../../src/explorer/app/state.js';
import { ISOMETRY_TANH, STORIES, applyStory } from '../../src/explorer/app/stories.js';
import { viewKey } from '../../src/explorer/app/views/host.js';
import { spectrumSpec, spreadSpec, transformerViewSpec } from '../../src/explorer/app/views/networks.js';
import { signalTheory, spectrumTheory, spreadTheory, transformerTheory, widthScaleTheory, recipesTheory } from '../../src/explorer/app/views/theory.js';

const base: ExplorerState = { ...DEFAULT_STATE, widths: null, scalingWidths: DEFAULT_STATE.scalingWidths.slice() };

describe('explorer views: state in the URL', () => {
  it('round-trips every view control with short keys', () => {
    const state: ExplorerState = {
      ...base,
      view: 'transformer',
      spectrumWidth: 32,
      spreadWidth: 12,
      spreadNets: 800,
      transformerPreset: 'deepnet',
      transformerBlocks: 6,
      transformerTokens: 4,
      transformerWidth: 16,
      transformerHeads: 2,
      recipe: 'nf_resnet',
      recipeBlocks: 10,
      recipeWidth: 32,
      parametrization: 'ntk',
      optimizer: 'adam',
      scalingWidths: [32, 64, 128],
    };
    const query = encodeState(state);
    expect(query).toBe('view=transformer&jn=32&fn=12&fnets=800&tp=deepnet&tL=6&tT=4&td=16&th=2&rc=nf_resnet&rL=10&rn=32&param=ntk&opt=adam&ws=32%2C64%2C128');
    expect(decodeState(`?${query}`)).toEqual({ state, problems: [] });
  });

  it('each view alone is one key; the defaults stay out of the link', () => {
    for (const view of ['signal', 'spectrum', 'spread', 'transformer', 'recipes', 'widthscale'] as const) {
      expect(encodeState({ ...base, view })).toBe(`view=${view}`);
      expect(decodeState(`view=${view}`).state).toEqual({ ...base, view });
    }
    expect(encodeState(base)).toBe('');
  });

  it('refuses bad view values with a reason and keeps the defaults', () => {
    const { state, problems } = decodeState('?view=nope&jn=1000&fnets=5&tp=bert&th=0&rc=magic&rL=0&param=xl&opt=lion&ws=64');
    expect(state).toEqual(base);
    expect(problems).toHaveLength(10);
    expect(problems.join('\n')).toMatch(/view=nope: expected one of variance, signal, spectrum, spread, transformer, recipes, widthscale/);
    expect(problems.join('\n')).toMatch(/fnets=5: expected an integer from 100 to 4000/);
    expect(problems.join('\n')).toMatch(/ws=64: expected 2 to 8 distinct comma-separated integers from 8 to 1024/);
  });

  it('scaling widths: sorted, distinct, 2 to 8 of them, in range', () => {
    expect(parseScalingWidths('256, 64,128')).toEqual([64, 128, 256]);
    expect(parseScalingWidths('64,64')).toBeNull();
    expect(parseScalingWidths('64,2048')).toBeNull();
    expect(parseScalingWidths('64,x')).toBeNull();
    expect(parseScalingWidths('8,16,32,64,128,256,512,1024,')).toBeNull();
  });

  it('the choice lists are the library registries', () => {
    expect([...TRANSFORMER_PRESET_NAMES]).toEqual([...TRANSFORMER_PRESETS]);
    expect([...RECIPE_NAMES]).toEqual(residualRecipes.map((recipe) => recipe.name));
    expect([...PARAMETRIZATION_CHOICES]).toEqual([...PARAMETRIZATION_NAMES]);
    expect([...OPTIMIZER_CHOICES]).toEqual([...OPTIMIZERS]);
  });

  it('a view recomputes only when what it reads changes', () => {
    const spectrum = { ...base, view: 'spectrum' as const };
    expect(viewKey({ ...spectrum, compareInit: 'standard', recipeBlocks: 7 })).toBe(viewKey(spectrum));
    expect(viewKey({ ...spectrum, spectrumWidth: 32 })).not.toBe(viewKey(spectrum));
    expect(viewKey({ ...spectrum, expression: 'x', activation: 'custom' })).not.toBe(viewKey(spectrum));
    const transformer = { ...base, view: 'transformer' as const };
    expect(viewKey({ ...transformer, activation: 'relu' })).toBe(viewKey(transformer));
    expect(viewKey(base)).toBe('');
  });

  it('the isometry story stands on tanh\'s critical line (criticalPoint), to six digits', () => {
    const point = criticalPoint(resolveActivation('tanh'), ISOMETRY_TANH.biasVariance);
    expect(ISOMETRY_TANH.gain).toBe(Number(Math.sqrt(point.criticalWeightVar).toPrecision(6)));
    expect(ISOMETRY_TANH.inputVariance).toBe(Number(((point.qStar - ISOMETRY_TANH.biasVariance) / point.criticalWeightVar).toPrecision(6)));
  });

  it('every view story sets its view and resolves', () => {
    const views = STORIES.map((story) => applyStory(story, base)).filter((state) => state.view !== 'variance');
    expect(views.map((state) => state.view).sort()).toEqual(['recipes', 'signal', 'spectrum', 'spread', 'transformer', 'widthscale']);
    for (const state of views) expect(decodeState(encodeState(state)).state).toEqual(state);
  });
});

describe('explorer views: the theory is the library\'s', () => {
  it('order to chaos: the boundary is boundaryPoint at each σ_b², the current point is signalPropagation', () => {
    const state: ExplorerState = { ...base, view: 'signal', activation: 'custom', expression: 'x/(1+abs(x))', gain: 1.3, biasVariance: 0.05 };
    const theory = signalTheory(state);
    const activation = resolveActivation({ expression: 'x/(1+abs(x))' });
    expect(theory.diagram.criticalLine.length).toBeGreaterThan(10);
    for (const point of theory.diagram.criticalLine.filter((_, i) => i % 6 === 0)) {
      expect(point.sigmaW2).toBe(boundaryPoint(activation, point.sigmaB2).criticalWeightVar);
    }
    // xavier_normal at equal widths: σ_w² = g².
    const expected = signalPropagation(activation, theory.diagram.current.sigmaW2, 0.05);
    expect(theory.diagram.current.sigmaW2).toBeCloseTo(1.69, 12);
    expect(theory.current).toMatchObject({ chi1: expected.chi1, xiC: expected.xiC, trainableDepth: expected.trainableDepth, criticalWeightVar: expected.criticalWeightVar, phase: 'ordered' });
    for (const point of theory.depthCurve.filter((_, i) => i % 5 === 0)) {
      expect(point.trainableDepth).toBe(signalPropagation(activation, point.weightVar, 0.05).trainableDepth);
    }
    // The curve peaks at the boundary: 6ξ_c next to it exceeds 6ξ_c far from it.
    const critical = expected.criticalWeightVar!;
    const near = theory.depthCurve.filter((p) => Math.abs(p.weightVar / critical - 1) <= 0.011);
    expect(near.length).toBe(2);
    expect(Math.min(...near.map((p) => p.trainableDepth))).toBeGreaterThan(Math.max(...theory.depthCurve.filter((p) => Math.abs(p.weightVar / critical - 1) > 0.2).map((p) => p.trainableDepth)));
  });

  it('an activation without a boundary says so in words instead of failing', () => {
    const theory = signalTheory({ ...base, view: 'signal', activation: 'relu', init: 'he_normal', biasVariance: 0.05 });
    expect(theory.diagram.criticalLine.every((p) => p.sigmaW2 === 2)).toBe(true);
    expect('error' in theory.current).toBe(true);
  });

  it('Jacobian spectrum: the predicted moments of both laws are predictJacobianSpectrum of the same networks', () => {
    const state = applyStory(STORIES.find((story) => story.id === 'isometry')!, base);
    const theory = spectrumTheory(state);
    for (const law of theory.laws) {
      const prediction = predictJacobianSpectrum(resolveNetwork(spectrumSpec(state, law.law)));
      expect(law.mean.value).toBe(prediction.meanSquaredSingularValue.value);
      expect(law.variance?.value).toBe(prediction.varianceSquaredSingularValue?.value);
    }
    const [gaussian, orthogonal] = theory.laws;
    expect(gaussian.mean.value).toBe(orthogonal.mean.value);
    // Gaussian weights add −s₁ = 1 per layer to the normalized variance; orthogonal ones do not.
    expect(gaussian.normalizedVariance! - orthogonal.normalizedVariance!).toBeCloseTo(state.depth, 9);
  });

  it('finite width: the band is E[M_l] and R_l of predictFluctuations at each weight layer; He relu is exact, 1 + 5/n per layer', () => {
    const state = applyStory(STORIES.find((story) => story.id === 'narrowHe')!, base);
    const theory = spreadTheory(state);
    expect(theory.layers).toHaveLength(20);
    const prediction = predictFluctuations(resolveNetwork(spreadSpec(state)));
    const byPath = new Map(prediction.sites.map((site) => [site.path, site.secondMomentRatio]));
    for (const layer of theory.layers) expect(layer.ratio).toBe(byPath.get(layer.path));
    expect(theory.label).toBe('exact');
    expect(theory.layers[1].ratio / theory.layers[0].ratio).toBeCloseTo(1.5, 12);
  });

  it('transformer: per block E[x²] and token cosine are predictBlocks of the stack, with branch scale 1 and 1/√L', () => {
    const state: ExplorerState = { ...base, view: 'transformer', transformerBlocks: 3, transformerTokens: 4, transformerWidth: 8, transformerHeads: 2 };
    const theory = transformerTheory(state);
    expect(theory.stacks.map((stack) => stack.branchScale)).toEqual([1, 1 / Math.sqrt(3)]);
    expect(theory.stacks[1].rows).toEqual(predictBlocks(resolveNetwork(transformerViewSpec(state, 1 / Math.sqrt(3)))));
  });

  it('residual recipes: Fixup keeps E[x_l²] = 1 per block where the unscaled tower doubles, as the claim says', async () => {
    const theory = await recipesTheory({ ...base, view: 'recipes', recipeBlocks: 5, recipeWidth: 8 });
    expect(theory.perBlock.map((p) => p.recipe)).toEqual([1, 1, 1, 1, 1]);
    expect(theory.perBlock.map((p) => p.unscaled)).toEqual([2, 4, 8, 16, 32]);
    expect(theory.depth.forward).toMatchObject({ predicted: 1, claim: 1, prediction: 'exact' });
  });

  it('width scaling: the exponents are predictWidthExponents of the MLP\'s roles', () => {
    const theory = widthScaleTheory({ ...base, view: 'widthscale', parametrization: 'sp', optimizer: 'adam' });
    expect(theory.layers).toEqual(predictWidthExponents(parametrizations.sp, 'adam', mlpRoles(4)));
  });
});
