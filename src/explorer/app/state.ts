/**
 * The explorer's whole state as one plain object, its URL form (so a link reproduces a setting) and
 * its translation into the project's {@link NetworkSpec}: the `widths` shorthand for a plain net, the
 * tree form (residual blocks, normalization) otherwise. Pure: no DOM, so Node tests import it.
 */
import type { LayerNodeSpec, NetworkSpec, WidthsNetworkSpec } from '../../vocabulary/network.js';
import type { ActivationRef } from '../../vocabulary/activation.js';
import type { InitRef } from '../../vocabulary/init.js';

export type Language = 'en' | 'zh';

/** The normalization kinds the explorer offers (src/layers/layerNorm.ts, rmsNorm.ts). */
export type NormalizationChoice = 'none' | 'layer_norm' | 'rms_norm';

/** α of the residual blocks: a number, or 1/√L that follows the number of blocks L. */
export type AlphaSetting = number | 'inv_sqrt_depth';

/**
 * What the results area shows: the variance per layer (with derivation, phase diagram and
 * histograms), or one of the views of issues 10 and 11, each with its own theory and Monte Carlo.
 */
export const VIEWS = ['variance', 'signal', 'spectrum', 'spread', 'transformer', 'recipes', 'widthscale'] as const;
export type ViewId = (typeof VIEWS)[number];

/** The transformer presets of src/recipes/transformer.ts (kept as a list here so the URL parser needs no library import). */
export const TRANSFORMER_PRESET_NAMES = ['pre_ln', 'post_ln', 'deepnet', 'tfixup', 'gpt2'] as const;
/** The residual recipes of src/recipes/registry.ts. */
export const RECIPE_NAMES = ['unscaled', 'fixup', 'skipinit', 'rezero', 'nf_resnet'] as const;
/** The parametrizations and optimizers of src/vocabulary/parametrizations.ts. */
export const PARAMETRIZATION_CHOICES = ['sp', 'ntk', 'mup'] as const;
export const OPTIMIZER_CHOICES = ['sgd', 'adam'] as const;

export interface ExplorerState {
  /** Number of weight layers L; with residual blocks on, the number of blocks (two weight layers each). */
  depth: number;
  /** Width of every layer (input included) when `widths` is null. */
  width: number;
  /** Per-layer widths n_0..n_L, or null for uniform widths. */
  widths: number[] | null;
  /** A vocabulary name ('tanh', 'relu', ...) or 'custom' (then `expression` is used). */
  activation: string;
  /** Custom activation, an expression in x (mathjs syntax). */
  expression: string;
  /** leaky_relu's slope / elu's alpha (ignored by other activations). */
  activationParam: number;
  /** Init preset name. */
  init: string;
  /** Gain passed to presets that take one (xavier, orthogonal, ...); for `constant` the value. */
  gain: number;
  /** σ_b², the bias variance (0 = no bias). */
  biasVariance: number;
  /** γ², the input variance. */
  inputVariance: number;
  batch: number;
  nets: number;
  seed: number;
  dtype: 'float32' | 'float64';
  /** A second init drawn beside the first (Glorot & Bengio's figures), or null. */
  compareInit: string | null;
  compareGain: number;
  /**
   * Residual blocks x ↦ β·x + α·f(x), f = dense, activation, dense (He et al. 2016): `depth` blocks
   * of two weight layers each, every layer `width` wide.
   */
  residual: boolean;
  alpha: AlphaSetting;
  beta: number;
  /** A normalization without learned affine: before each block's branch (pre) or after each block (post). */
  normalization: NormalizationChoice;
  placement: 'pre' | 'post';
  /** With residual blocks or normalization on: draw the plain net with the same weight layers beside it (instead of a second init). */
  comparePlain: boolean;
  lang: Language;
  /** The view the results area shows. */
  view: ViewId;
  /** Jacobian spectrum: the width of its square layers (depth, activation, σ_w², σ_b² from the network above). */
  spectrumWidth: number;
  /** Finite width: the width of its narrow layers and how many networks are sampled. */
  spreadWidth: number;
  spreadNets: number;
  /** Transformer: preset, blocks L, tokens T, model width d and heads. */
  transformerPreset: (typeof TRANSFORMER_PRESET_NAMES)[number];
  transformerBlocks: number;
  transformerTokens: number;
  transformerWidth: number;
  transformerHeads: number;
  /** Residual recipes: the recipe, blocks L and width. */
  recipe: (typeof RECIPE_NAMES)[number];
  recipeBlocks: number;
  recipeWidth: number;
  /** Width scaling: parametrization, optimizer and the widths of the coordinate check. */
  parametrization: (typeof PARAMETRIZATION_CHOICES)[number];
  optimizer: (typeof OPTIMIZER_CHOICES)[number];
  scalingWidths: number[];
}

export const DEFAULT_STATE: Readonly<ExplorerState> = Object.freeze({
  depth: 10,
  width: 256,
  widths: null,
  activation: 'tanh',
  expression: 'x/(1+abs(x))',
  activationParam: 0.01,
  init: 'xavier_normal',
  gain: 1,
  biasVariance: 0,
  inputVariance: 1,
  // Small enough that a 10-layer, width-256 network updates in a fraction of a second: each replicate
  // still averages 64 × 256 squares per layer, and six replicates give an interval.
  batch: 64,
  nets: 6,
  seed: 1,
  dtype: 'float32',
  compareInit: null,
  compareGain: 1,
  residual: false,
  alpha: 1,
  beta: 1,
  normalization: 'none',
  placement: 'pre',
  comparePlain: false,
  lang: 'en',
  view: 'variance',
  // Sizes of the views' Monte Carlo, each a second or two in a browser.
  spectrumWidth: 64,
  spreadWidth: 10,
  // The fluctuation check's own default (DEFAULT_FLUCTUATION_NETS, src/numeric/fluctuations.ts): its interval holds its level from about 4000.
  spreadNets: 4000,
  transformerPreset: 'post_ln',
  transformerBlocks: 12,
  transformerTokens: 8,
  transformerWidth: 32,
  transformerHeads: 4,
  recipe: 'fixup',
  recipeBlocks: 100,
  recipeWidth: 64,
  parametrization: 'mup',
  optimizer: 'sgd',
  scalingWidths: Object.freeze([64, 128, 256, 512]) as unknown as number[],
});

/** Bounds the controls allow; the URL parser clamps to them too. */
export const LIMITS = {
  depth: { min: 1, max: 200 },
  width: { min: 1, max: 4096 },
  gain: { min: 0, max: 4 },
  biasVariance: { min: 0, max: 4 },
  inputVariance: { min: 1e-4, max: 100 },
  batch: { min: 1, max: 4096 },
  nets: { min: 2, max: 64 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  activationParam: { min: 0, max: 10 },
  alpha: { min: 0, max: 4 },
  beta: { min: 0, max: 4 },
  // The views' sizes: the Jacobian's eigen-decomposition is O(n³) (0.1 s at 256, src/numeric/jacobian.ts);
  // the fluctuation check needs at least 100 networks (src/numeric/fluctuations.ts).
  spectrumWidth: { min: 2, max: 256 },
  spreadWidth: { min: 1, max: 64 },
  spreadNets: { min: 100, max: 4000 },
  transformerBlocks: { min: 1, max: 48 },
  transformerTokens: { min: 2, max: 32 },
  transformerWidth: { min: 4, max: 128 },
  transformerHeads: { min: 1, max: 16 },
  recipeBlocks: { min: 1, max: 1000 },
  recipeWidth: { min: 4, max: 256 },
  scalingWidth: { min: 8, max: 1024 },
} as const;

/** Short URL keys, stable: links in the wild depend on them. */
const KEYS = {
  depth: 'L',
  width: 'n',
  widths: 'w',
  activation: 'act',
  expression: 'expr',
  activationParam: 'p',
  init: 'init',
  gain: 'g',
  biasVariance: 'sb2',
  inputVariance: 'gx2',
  batch: 'batch',
  nets: 'nets',
  seed: 'seed',
  dtype: 'dtype',
  compareInit: 'cmp',
  compareGain: 'cg',
  residual: 'res',
  alpha: 'a',
  beta: 'b',
  normalization: 'norm',
  placement: 'place',
  comparePlain: 'plain',
  lang: 'lang',
  view: 'view',
  spectrumWidth: 'jn',
  spreadWidth: 'fn',
  spreadNets: 'fnets',
  transformerPreset: 'tp',
  transformerBlocks: 'tL',
  transformerTokens: 'tT',
  transformerWidth: 'td',
  transformerHeads: 'th',
  recipe: 'rc',
  recipeBlocks: 'rL',
  recipeWidth: 'rn',
  parametrization: 'param',
  optimizer: 'opt',
  scalingWidths: 'ws',
} as const satisfies Record<keyof ExplorerState, string>;

/** The widths n_0..n_L the state describes. */
export function stateWidths(state: ExplorerState): number[] {
  if (state.widths && state.widths.length >= 2) return state.widths.slice();
  return Array.from({ length: state.depth + 1 }, () => state.width);
}

/** The activation reference the vocabulary resolves. */
export function activationRef(state: Pick<ExplorerState, 'activation' | 'expression' | 'activationParam'>): ActivationRef {
  if (state.activation === 'custom') return { expression: state.expression };
  if (state.activation === 'leaky_relu') return { name: 'leaky_relu', slope: state.activationParam };
  if (state.activation === 'elu') return { name: 'elu', alpha: state.activationParam };
  return state.activation;
}

/** Presets that take a `gain` option (PyTorch: xavier_*, orthogonal; Keras VarianceScaling's scale = gain²). */
export const GAIN_PRESETS: ReadonlySet<string> = new Set(['xavier_uniform', 'xavier_normal', 'orthogonal']);

/** The init reference the vocabulary resolves, for the main or the comparison init. */
export function initRef(name: string, gain: number): InitRef {
  if (name === 'constant') return { name, value: gain };
  if (GAIN_PRESETS.has(name)) return gain === 1 ? name : { name, gain };
  return name;
}

/** True when the gain control means something for this preset. */
export function presetUsesGain(name: string): boolean {
  return GAIN_PRESETS.has(name) || name === 'constant';
}

/** A display name for an init in charts and tables: the preset with its gain when it has one. */
export function initDisplayName(name: string, gain: number): string {
  if (name === 'constant') return `constant(${+gain.toPrecision(4)})`;
  return presetUsesGain(name) && gain !== 1 ? `${name}(gain=${+gain.toPrecision(5)})` : name;
}

/** True when the network is more than a plain stack: residual blocks or a normalization. */
export function hasArchitecture(state: Pick<ExplorerState, 'residual' | 'normalization'>): boolean {
  return state.residual || state.normalization !== 'none';
}

/** What the second curve is: another init, the plain net beside the residual/normalized one, or none. */
export function comparisonOf(state: ExplorerState): 'init' | 'plain' | null {
  if (state.comparePlain && hasArchitecture(state)) return 'plain';
  return state.compareInit ? 'init' : null;
}

/** The α the residual blocks use: 1/√L follows the number of blocks L (Hanin & Rolnick 2018; De & Smith 2020). */
export function effectiveAlpha(state: Pick<ExplorerState, 'alpha' | 'depth'>): number {
  return state.alpha === 'inv_sqrt_depth' ? 1 / Math.sqrt(state.depth) : state.alpha;
}

/** Number of weight layers of the network the state describes (two per residual block). */
export function weightLayerCount(state: ExplorerState): number {
  return state.residual ? 2 * state.depth : stateWidths(state).length - 1;
}

/**
 * The plain net: the `widths` shorthand (dense [bias] activation … dense [bias]) with the state's
 * weight layers, no residual blocks and no normalization. With residual blocks on, its 2·L weight
 * layers are those of the L blocks, each `width` wide.
 */
export function toPlainSpec(state: ExplorerState, which: 'main' | 'compare' = 'main'): WidthsNetworkSpec {
  const init =
    which === 'compare' && comparisonOf(state) === 'init' && state.compareInit
      ? initRef(state.compareInit, state.compareGain)
      : initRef(state.init, state.gain);
  const spec: WidthsNetworkSpec = {
    widths: state.residual ? Array.from({ length: 2 * state.depth + 1 }, () => state.width) : stateWidths(state),
    activation: activationRef(state),
    init,
  };
  if (state.biasVariance > 0) spec.biasStd = Math.sqrt(state.biasVariance);
  if (state.inputVariance !== 1) spec.inputVariance = state.inputVariance;
  return spec;
}

/**
 * The network description for the main or the comparison curve. A plain state gives the `widths`
 * shorthand as before. Otherwise the tree form:
 * - residual on: `repeat` L × { residual(α, β, branch: [norm if pre] dense, activation, dense) [norm if post] };
 * - normalization alone: per weight layer [norm if pre] dense, activation (none after the last) [norm if post, not after the last].
 * The comparison is either the same network with the comparison init, or the plain net ({@link toPlainSpec}).
 */
export function toNetworkSpec(state: ExplorerState, which: 'main' | 'compare' = 'main'): NetworkSpec {
  const comparison = comparisonOf(state);
  if (!hasArchitecture(state) || (which === 'compare' && comparison === 'plain')) return toPlainSpec(state, which);
  const init = which === 'compare' && comparison === 'init' && state.compareInit ? initRef(state.compareInit, state.compareGain) : initRef(state.init, state.gain);
  const dense = (width: number): LayerNodeSpec => {
    const node: LayerNodeSpec = { kind: 'dense', width, init };
    if (state.biasVariance > 0) node.biasStd = Math.sqrt(state.biasVariance);
    return node;
  };
  const activation: LayerNodeSpec = { kind: 'activation', activation: activationRef(state) };
  const norm: LayerNodeSpec[] = state.normalization === 'none' ? [] : [{ kind: state.normalization }];
  const pre = state.placement === 'pre' ? norm : [];
  const post = state.placement === 'post' ? norm : [];
  let input: number;
  let layers: LayerNodeSpec[];
  if (state.residual) {
    input = state.width;
    const block: LayerNodeSpec = {
      kind: 'residual',
      alpha: effectiveAlpha(state),
      beta: state.beta,
      branch: [...pre, dense(state.width), activation, dense(state.width)],
    };
    layers = [{ kind: 'repeat', times: state.depth, layers: [block, ...post] }];
  } else {
    const widths = stateWidths(state);
    input = widths[0];
    layers = [];
    for (let l = 1; l < widths.length; l++) {
      const last = l === widths.length - 1;
      layers.push(...pre, dense(widths[l]));
      if (!last) layers.push(activation, ...post);
    }
  }
  const spec: NetworkSpec = { input, layers };
  if (state.inputVariance !== 1) spec.inputVariance = state.inputVariance;
  return spec;
}

/** Words for {@link curveLabel} (from the catalogue's `explorer.architecture` block). */
export interface ArchitectureWords {
  residual: string;
  plain: string;
  pre: string;
  post: string;
}

/**
 * The name of a curve in charts, tables and the Monte Carlo map: the init, and with residual
 * blocks or normalization on, what the network is (so the plain comparison has a name of its own).
 */
export function curveLabel(state: ExplorerState, which: 'main' | 'compare', words: ArchitectureWords): string {
  const comparison = comparisonOf(state);
  if (which === 'compare' && comparison === 'init' && state.compareInit) {
    const name = initDisplayName(state.compareInit, state.compareGain);
    return hasArchitecture(state) ? `${name} · ${architectureLabel(state, words)}` : name;
  }
  const name = initDisplayName(state.init, state.gain);
  if (which === 'compare' && comparison === 'plain') return `${name} · ${words.plain}`;
  return hasArchitecture(state) ? `${name} · ${architectureLabel(state, words)}` : name;
}

/** E.g. `residual α=0.1, pre layer_norm`. */
export function architectureLabel(state: ExplorerState, words: ArchitectureWords): string {
  const parts: string[] = [];
  if (state.residual) {
    const alpha = state.alpha === 'inv_sqrt_depth' ? `1/√${state.depth}` : String(+state.alpha.toPrecision(4));
    parts.push(`${words.residual} α=${alpha}${state.beta !== 1 ? ` β=${+state.beta.toPrecision(4)}` : ''}`);
  }
  if (state.normalization !== 'none') parts.push(`${state.placement === 'pre' ? words.pre : words.post} ${state.normalization}`);
  return parts.join(', ');
}

/** Work of one Monte Carlo run in multiply-adds (weight layers × width² × batch × nets, forward and backward alike). */
export function monteCarloWork(state: ExplorerState): number {
  const widths = state.residual ? [state.width, state.width] : stateWidths(state);
  let perExample = 0;
  for (let l = 1; l < widths.length; l++) perExample += widths[l - 1] * widths[l];
  if (state.residual) perExample *= 2 * state.depth;
  return perExample * state.batch * state.nets;
}

/** The work the explorer allows a run before it makes the Monte Carlo smaller (a 10-layer default run is 2.5e8). */
export const MONTE_CARLO_BUDGET = 1.5e9;

/**
 * Fewest replicate networks {@link withLightMonteCarlo} leaves: the check's intervals (family-wise
 * level over every site, t with nets − 1 degrees of freedom) span orders of magnitude with 3 or 4
 * replicates on a 200-layer net, which hides the points; 6 keeps them readable.
 */
export const LIGHT_MIN_NETS = 6;

/**
 * The state with a Monte Carlo small enough for a deep residual or normalized net: the batch halves
 * (down to 16), then the replicate networks go down (to {@link LIGHT_MIN_NETS}), until the run fits
 * {@link MONTE_CARLO_BUDGET} or can shrink no further. The page applies it when residual blocks or a
 * normalization are switched on or the net is deepened or widened.
 */
export function withLightMonteCarlo(state: ExplorerState): ExplorerState {
  const next = { ...state };
  while (monteCarloWork(next) > MONTE_CARLO_BUDGET && next.batch > 16) next.batch = Math.max(16, Math.floor(next.batch / 2));
  while (monteCarloWork(next) > MONTE_CARLO_BUDGET && next.nets > LIGHT_MIN_NETS) next.nets -= 1;
  return next;
}

/** URL query string (without '?') holding every field that differs from the defaults. */
export function encodeState(state: ExplorerState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(KEYS) as (keyof ExplorerState)[]) {
    const value = state[key];
    const fallback = DEFAULT_STATE[key];
    if (key === 'widths') {
      if (value) params.set(KEYS.widths, (value as number[]).join(','));
      continue;
    }
    if (key === 'scalingWidths') {
      const list = (value as number[]).join(',');
      if (list !== DEFAULT_STATE.scalingWidths.join(',')) params.set(KEYS.scalingWidths, list);
      continue;
    }
    // The custom expression matters only for the custom activation; keep links short otherwise.
    if (key === 'expression' && state.activation !== 'custom') continue;
    if (value === fallback) continue;
    if (typeof value === 'boolean') {
      params.set(KEYS[key], value ? '1' : '0');
      continue;
    }
    if (key === 'alpha' && value === 'inv_sqrt_depth') {
      params.set(KEYS.alpha, 'isqrtL');
      continue;
    }
    params.set(KEYS[key], value === null ? 'none' : String(value));
  }
  return params.toString();
}

/** Parses a query string; unknown or out-of-range values fall back to defaults and are listed in `problems`. */
export function decodeState(query: string): { state: ExplorerState; problems: string[] } {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const state: ExplorerState = { ...DEFAULT_STATE, widths: null, scalingWidths: DEFAULT_STATE.scalingWidths.slice() };
  const problems: string[] = [];
  const number = (key: Exclude<keyof typeof LIMITS, 'scalingWidth'>, integer: boolean): void => {
    const raw = params.get(KEYS[key]);
    if (raw === null) return;
    const value = Number(raw);
    const { min, max } = LIMITS[key];
    if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      problems.push(`${KEYS[key]}=${raw}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
      return;
    }
    (state as unknown as Record<string, number>)[key] = value;
  };
  number('depth', true);
  number('width', true);
  number('gain', false);
  number('biasVariance', false);
  number('inputVariance', false);
  number('batch', true);
  number('nets', true);
  number('seed', true);
  number('activationParam', false);
  number('beta', false);
  for (const key of ['spectrumWidth', 'spreadWidth', 'spreadNets', 'transformerBlocks', 'transformerTokens', 'transformerWidth', 'transformerHeads', 'recipeBlocks', 'recipeWidth'] as const) number(key, true);
  const choice = <K extends 'view' | 'transformerPreset' | 'recipe' | 'parametrization' | 'optimizer'>(key: K, allowed: readonly ExplorerState[K][]): void => {
    const raw = params.get(KEYS[key]);
    if (raw === null) return;
    if ((allowed as readonly string[]).includes(raw)) state[key] = raw as ExplorerState[K];
    else problems.push(`${KEYS[key]}=${raw}: expected one of ${allowed.join(', ')}`);
  };
  choice('view', VIEWS);
  choice('transformerPreset', TRANSFORMER_PRESET_NAMES);
  choice('recipe', RECIPE_NAMES);
  choice('parametrization', PARAMETRIZATION_CHOICES);
  choice('optimizer', OPTIMIZER_CHOICES);
  const scalingWidths = params.get(KEYS.scalingWidths);
  if (scalingWidths !== null) {
    const parsed = parseScalingWidths(scalingWidths);
    if (parsed) state.scalingWidths = parsed;
    else problems.push(`${KEYS.scalingWidths}=${scalingWidths}: ${SCALING_WIDTHS_EXPECTED}`);
  }
  const alpha = params.get(KEYS.alpha);
  if (alpha !== null) {
    const value = Number(alpha);
    if (alpha === 'isqrtL') state.alpha = 'inv_sqrt_depth';
    else if (alpha.trim() !== '' && Number.isFinite(value) && value >= LIMITS.alpha.min && value <= LIMITS.alpha.max) state.alpha = value;
    else problems.push(`a=${alpha}: expected isqrtL (1/√L) or a number from ${LIMITS.alpha.min} to ${LIMITS.alpha.max}`);
  }
  const flag = (key: 'residual' | 'comparePlain'): void => {
    const raw = params.get(KEYS[key]);
    if (raw === null) return;
    if (raw === '1' || raw === '0') state[key] = raw === '1';
    else problems.push(`${KEYS[key]}=${raw}: expected 1 or 0`);
  };
  flag('residual');
  flag('comparePlain');
  const normalization = params.get(KEYS.normalization);
  if (normalization !== null) {
    if (normalization === 'none' || normalization === 'layer_norm' || normalization === 'rms_norm') state.normalization = normalization;
    else problems.push(`norm=${normalization}: expected none, layer_norm or rms_norm`);
  }
  const placement = params.get(KEYS.placement);
  if (placement !== null) {
    if (placement === 'pre' || placement === 'post') state.placement = placement;
    else problems.push(`place=${placement}: expected pre or post`);
  }
  const compareGain = params.get(KEYS.compareGain);
  if (compareGain !== null) {
    const value = Number(compareGain);
    if (Number.isFinite(value) && value >= LIMITS.gain.min && value <= LIMITS.gain.max) state.compareGain = value;
    else problems.push(`${KEYS.compareGain}=${compareGain}: expected a number from 0 to 4`);
  }
  const widths = params.get(KEYS.widths);
  if (widths !== null) {
    const list = widths.split(',').map(Number);
    const ok =
      list.length >= 2 &&
      list.length <= LIMITS.depth.max + 1 &&
      list.every((n) => Number.isInteger(n) && n >= LIMITS.width.min && n <= LIMITS.width.max);
    if (ok && state.residual) problems.push(`w=${widths}: residual blocks keep one width; the per-layer widths were ignored`);
    else if (ok) {
      state.widths = list;
      state.depth = list.length - 1;
    } else problems.push(`w=${widths}: expected 2 or more comma-separated integers from 1 to 4096`);
  }
  const text = (key: 'activation' | 'expression' | 'init', max = 200): void => {
    const raw = params.get(KEYS[key]);
    if (raw === null) return;
    if (raw.length === 0 || raw.length > max) problems.push(`${KEYS[key]}: expected 1 to ${max} characters`);
    else state[key] = raw;
  };
  text('activation', 40);
  text('expression');
  text('init', 40);
  const compare = params.get(KEYS.compareInit);
  if (compare !== null) state.compareInit = compare === 'none' || compare === '' ? null : compare.slice(0, 40);
  const dtype = params.get(KEYS.dtype);
  if (dtype !== null) {
    if (dtype === 'float32' || dtype === 'float64') state.dtype = dtype;
    else problems.push(`dtype=${dtype}: expected float32 or float64`);
  }
  const lang = params.get(KEYS.lang);
  if (lang !== null) {
    if (lang === 'en' || lang === 'zh') state.lang = lang;
    else problems.push(`lang=${lang}: expected en or zh`);
  }
  return { state, problems };
}

/** What a list of coordinate-check widths must be (in words, for the URL parser and the view's field). */
export const SCALING_WIDTHS_EXPECTED = `expected 2 to 8 distinct comma-separated integers from ${LIMITS.scalingWidth.min} to ${LIMITS.scalingWidth.max}`;

/** The coordinate check's widths from text like `64,128,256`, sorted; null when not 2–8 distinct whole numbers in range. */
export function parseScalingWidths(text: string): number[] | null {
  const list = text.split(',').map((part) => Number(part.trim()));
  const ok =
    list.length >= 2 &&
    list.length <= 8 &&
    new Set(list).size === list.length &&
    list.every((n) => Number.isInteger(n) && n >= LIMITS.scalingWidth.min && n <= LIMITS.scalingWidth.max);
  return ok ? list.sort((a, b) => a - b) : null;
}

/** Returns the state with uniform widths changed to per-layer widths (or back), keeping the shape. */
export function withWidthMode(state: ExplorerState, perLayer: boolean): ExplorerState {
  if (perLayer) return { ...state, widths: stateWidths(state) };
  const widths = stateWidths(state);
  return { ...state, widths: null, depth: widths.length - 1, width: widths[widths.length - 1] };
}

/**
 * The `varprop report` command for the state (the report's reproducibility line, and the download
 * button's fallback). `varprop report` has no flags for a gain, a constant's value or the dtype, so
 * those settings are reproduced only by the explorer's own download (see {@link reportCommandIsExact}).
 */
export function reportCommand(state: ExplorerState): string {
  const quote = (s: string): string => (/^[\w.,:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const act =
    state.activation === 'custom'
      ? state.expression
      : state.activation === 'leaky_relu' || state.activation === 'elu'
        ? `${state.activation}(${state.activationParam})`
        : state.activation;
  const parts = [
    'varprop report',
    `--widths ${stateWidths(state).join(',')}`,
    `--act ${quote(act)}`,
    `--init ${state.init}`,
  ];
  if (state.biasVariance > 0) parts.push(`--bias-std ${+Math.sqrt(state.biasVariance).toPrecision(6)}`);
  if (state.inputVariance !== 1) parts.push(`--input-variance ${state.inputVariance}`);
  if (state.compareInit) parts.push(`--compare ${state.compareInit}`);
  parts.push(`--batch ${state.batch}`, `--nets ${state.nets}`, `--seed ${state.seed}`);
  parts.push(`--lang ${state.lang}`, '--out report.html');
  return parts.join(' ');
}

/** True when {@link reportCommand} reproduces the state exactly. */
export function reportCommandIsExact(state: ExplorerState): boolean {
  const gainFree = (name: string | null, gain: number) => name === null || !presetUsesGain(name) || (name !== 'constant' && gain === 1);
  // --widths cannot say residual blocks or normalization (that needs --spec with the tree).
  if (hasArchitecture(state)) return false;
  return gainFree(state.init, state.gain) && gainFree(state.compareInit, state.compareGain) && state.dtype === 'float32';
}
