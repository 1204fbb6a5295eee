/**
 * The explorer's whole state as one plain object, its URL form (so a link reproduces a setting) and
 * its translation into the project's {@link WidthsNetworkSpec}. Pure: no DOM, so Node tests import it.
 */
import type { WidthsNetworkSpec } from '../../vocabulary/network.js';
import type { ActivationRef } from '../../vocabulary/activation.js';
import type { InitRef } from '../../vocabulary/init.js';

export type Language = 'en' | 'zh';

export interface ExplorerState {
  /** Number of weight layers L. */
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
  lang: Language;
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
  lang: 'en',
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
  lang: 'lang',
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

/** The network description for the main init, or the comparison one. */
export function toNetworkSpec(state: ExplorerState, which: 'main' | 'compare' = 'main'): WidthsNetworkSpec {
  const init =
    which === 'compare' && state.compareInit
      ? initRef(state.compareInit, state.compareGain)
      : initRef(state.init, state.gain);
  const spec: WidthsNetworkSpec = {
    widths: stateWidths(state),
    activation: activationRef(state),
    init,
  };
  if (state.biasVariance > 0) spec.biasStd = Math.sqrt(state.biasVariance);
  if (state.inputVariance !== 1) spec.inputVariance = state.inputVariance;
  return spec;
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
    // The custom expression matters only for the custom activation; keep links short otherwise.
    if (key === 'expression' && state.activation !== 'custom') continue;
    if (value === fallback) continue;
    params.set(KEYS[key], value === null ? 'none' : String(value));
  }
  return params.toString();
}

/** Parses a query string; unknown or out-of-range values fall back to defaults and are listed in `problems`. */
export function decodeState(query: string): { state: ExplorerState; problems: string[] } {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const state: ExplorerState = { ...DEFAULT_STATE, widths: null };
  const problems: string[] = [];
  const number = (key: keyof typeof LIMITS, integer: boolean): void => {
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
    if (ok) {
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
  return gainFree(state.init, state.gain) && gainFree(state.compareInit, state.compareGain) && state.dtype === 'float32';
}
