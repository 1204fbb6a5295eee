/**
 * The classic stories, one click each: a setting (a patch over the defaults) and the catalogue key of
 * its title and of what to look for. Sizes are chosen so each finishes in about a second in a browser.
 */
import { DEFAULT_STATE, type ExplorerState } from './state.js';

export type StoryId =
  | 'glorot'
  | 'he'
  | 'sigmoid'
  | 'matrices'
  | 'symmetry'
  | 'tanhGain'
  | 'residual'
  | 'edgeOfChaos'
  | 'isometry'
  | 'narrowHe'
  | 'rankCollapse'
  | 'fixup'
  | 'muTransfer';

/**
 * tanh on its critical line at σ_b² = 10⁻³ (src/theory/criticality.ts, criticalPoint): the gain
 * √σ_w² and the input variance γ² = (q* − σ_b²)/σ_w² that starts the signal at its fixed point, to six
 * significant digits as docs/jacobian-spectrum writes them (test/explorer/views.test.ts recomputes them).
 */
export const ISOMETRY_TANH = { biasVariance: 1e-3, gain: 1.0905, inputVariance: 0.0893822 } as const;

export interface Story {
  id: StoryId;
  patch: Partial<ExplorerState>;
}

export const STORIES: readonly Story[] = [
  // Glorot & Bengio (2010), figs. 6–7: tanh nets, the "standard" U[−1/√n, 1/√n] (n·Var = 1/3) against
  // normalized (Xavier) init (n·Var = 1 for equal widths).
  {
    id: 'glorot',
    patch: { activation: 'tanh', depth: 5, width: 256, widths: null, init: 'xavier_uniform', gain: 1, compareInit: 'standard', compareGain: 1, biasVariance: 0 },
  },
  // He et al. (2015), fig. 3: a 30-layer relu net stalls with Xavier (variance halves per layer) and
  // trains with n·Var = 2.
  {
    id: 'he',
    patch: { activation: 'relu', depth: 30, width: 256, widths: null, init: 'he_normal', gain: 1, compareInit: 'xavier_normal', compareGain: 1, biasVariance: 0 },
  },
  // Dive into Deep Learning §5.4: σ′ ≤ 1/4, so gradients shrink by about d2 ≈ 0.045 per layer.
  {
    id: 'sigmoid',
    patch: { activation: 'sigmoid', depth: 10, width: 256, widths: null, init: 'xavier_normal', gain: 1, compareInit: null, biasVariance: 0 },
  },
  // Dive into Deep Learning §5.4.1.2: M = Π of 100 Gaussian 4×4 matrices. Var[w] = 1 (gain 2 on
  // Xavier for n = 4) explodes as 4^L; Var[w] = 1/n keeps the mean square. float64: 4^100 overflows float32.
  {
    id: 'matrices',
    patch: { activation: 'identity', depth: 100, width: 4, widths: null, init: 'xavier_normal', gain: 2, compareInit: 'xavier_normal', compareGain: 1, biasVariance: 0, batch: 256, nets: 16, dtype: 'float64' },
  },
  // Dive into Deep Learning §5.4.2: constant weights make every hidden unit identical.
  {
    id: 'symmetry',
    patch: { activation: 'tanh', depth: 4, width: 64, widths: null, init: 'constant', gain: 0.05, compareInit: 'xavier_normal', compareGain: 1, biasVariance: 0 },
  },
  // PyTorch's calculate_gain('tanh') = 5/3 against the variance-preserving 1/√E[tanh(z)²] = 1.5925.
  {
    id: 'tanhGain',
    patch: { activation: 'tanh', depth: 20, width: 256, widths: null, init: 'xavier_normal', gain: 5 / 3, compareInit: 'xavier_normal', compareGain: 1.5925, biasVariance: 0 },
  },
  // A relu net whose init is a little too large (n·Var[w] = 1.5² = 2.25, He's is 2): the plain net's
  // 200 weight layers multiply E[h²] by 2.25/2 each. The same layers as 100 pre-norm residual blocks
  // with α = 1/√L (Hanin & Rolnick 2018; De & Smith 2020; Xiong et al. 2020) add, rather than
  // multiply, what each branch contributes. Width 128 and batch 32 keep both Monte Carlo runs over
  // 200 layers to a few seconds.
  {
    id: 'residual',
    patch: {
      activation: 'relu',
      depth: 100,
      width: 128,
      widths: null,
      init: 'xavier_normal',
      gain: 1.5,
      compareInit: null,
      biasVariance: 0,
      residual: true,
      alpha: 'inv_sqrt_depth',
      beta: 1,
      normalization: 'layer_norm',
      placement: 'pre',
      comparePlain: true,
      batch: 32,
      nets: 6,
    },
  },
  // Issue 10: the order-to-chaos boundary of a custom activation with 6ξ_c over it (Poole et al. 2016;
  // Schoenholz et al. 2017), just on the chaotic side at σ_b² = 0.05.
  {
    id: 'edgeOfChaos',
    patch: { view: 'signal', activation: 'custom', expression: 'x/(1+abs(x))', init: 'xavier_normal', gain: 1.5, biasVariance: 0.05, depth: 30, width: 256, widths: null, compareInit: null },
  },
  // Pennington, Schoenholz & Ganguli (2017): orthogonal vs Gaussian weights at the critical point, as docs/jacobian-spectrum.
  {
    id: 'isometry',
    patch: { view: 'spectrum', activation: 'tanh', init: 'xavier_normal', ...ISOMETRY_TANH, depth: 10, widths: null, compareInit: null, spectrumWidth: 64, nets: 8 },
  },
  // Hanin (2018); Hanin & Rolnick (2018): the spread figure of docs/finite-width (width 10, 20 layers, He relu).
  {
    id: 'narrowHe',
    patch: { view: 'spread', activation: 'relu', init: 'he_normal', depth: 20, widths: null, compareInit: null, biasVariance: 0, spreadWidth: 10, spreadNets: 4000 },
  },
  // Dong et al. (2021); Noci et al. (2022): a deep post-LN stack, branch scale 1 against 1/√L.
  {
    id: 'rankCollapse',
    patch: { view: 'transformer', transformerPreset: 'post_ln', transformerBlocks: 24, transformerTokens: 8, transformerWidth: 32, transformerHeads: 4, nets: 6 },
  },
  // Zhang, Dauphin & Ma (2019): Fixup at 100 blocks beside the unscaled tower (docs/residual-recipes).
  {
    id: 'fixup',
    patch: { view: 'recipes', recipe: 'fixup', recipeBlocks: 100, recipeWidth: 64, nets: 6 },
  },
  // Yang et al. (2022), the mup README's coordinate check: SP with Adam, then switch to μP.
  {
    id: 'muTransfer',
    patch: { view: 'widthscale', activation: 'relu', init: 'he_normal', parametrization: 'sp', optimizer: 'adam', scalingWidths: [64, 128, 256, 512], nets: 6 },
  },
];

/** The story's full state, keeping the viewer's language and seed. */
export function applyStory(story: Story, current: ExplorerState): ExplorerState {
  return { ...DEFAULT_STATE, widths: null, seed: current.seed, lang: current.lang, ...story.patch };
}
