/**
 * The network description: one plain, JSON-serialisable object that every consumer takes
 * (derive, measure, report, explore, testing). `resolveNetwork` validates it up front and turns it
 * into a list of concrete layers.
 *
 * @example
 * ```ts
 * const spec: NetworkSpec = { widths: [784, 256, 256, 10], activation: 'tanh', init: 'xavier_uniform' };
 * ```
 */
import { InputError } from '../errors.js';
import type { Activation, ActivationRef } from './activation.js';
import { resolveActivation } from './activations/registry.js';
import { computeFans } from './fans.js';
import type { InitRef, ResolvedInit } from './init.js';
import { resolveInit } from './inits/registry.js';

export type LayerKindName = 'dense' | 'conv2d';

/** Per-layer overrides; `layers[i]` applies to weight layer i + 1 (widths[i] → widths[i+1]). */
export interface LayerOverride {
  kind?: LayerKindName;
  /** conv2d: kernel size k or [kh, kw]; widths are then channel counts. */
  kernelSize?: number | [number, number];
  /** conv2d: groups (default 1). */
  groups?: number;
  activation?: ActivationRef;
  init?: InitRef;
  /** Standard deviation of the bias (0 = no bias). */
  biasStd?: number;
}

export interface NetworkSpec {
  /** n_0, n_1, ..., n_L: input width then each layer's output width (channels for conv layers). */
  widths: number[];
  /** Activation applied after every layer (default 'identity'). */
  activation?: ActivationRef;
  /** Init preset for every layer (default 'xavier_uniform'). */
  init?: InitRef;
  /** Bias standard deviation for every layer (default 0: no bias). */
  biasStd?: number;
  /** Variance γ² of the network input (default 1). */
  inputVariance?: number;
  /** Spatial input size [height, width] when the first layers are conv2d (default [8, 8]). */
  inputSize?: [number, number];
  layers?: LayerOverride[];
}

/** One weight layer, resolved: everything derive/measure/present need to know about it. */
export interface ResolvedLayer {
  /** 1-based index of the weight layer. */
  index: number;
  kind: LayerKindName;
  /** Fans as the math uses them (conv: channels × receptive field). */
  fanIn: number;
  fanOut: number;
  /** Units of the layer's input and output vectors as the Monte Carlo sees them (conv: C·H·W). */
  inputUnits: number;
  outputUnits: number;
  /** conv2d only: channels, kernel, spatial sizes in and out (stride 1, valid padding). */
  conv?: {
    inChannels: number;
    outChannels: number;
    kernel: [number, number];
    groups: number;
    inputSize: [number, number];
    outputSize: [number, number];
  };
  activation: Activation;
  init: ResolvedInit;
  /** Var[b] (0 = no bias). */
  biasVariance: number;
}

export interface ResolvedNetwork {
  spec: NetworkSpec;
  layers: ResolvedLayer[];
  inputVariance: number;
}

// ---------------------------------------------------------------------------------------------
// Validation and resolution
// ---------------------------------------------------------------------------------------------

/** The registries a network is resolved against; passed in so tests and tools can swap them. */
export interface NetworkCatalogue {
  resolveActivation(ref: ActivationRef, field: string): Activation;
  resolveInit(ref: InitRef, fanIn: number, fanOut: number, field: string): ResolvedInit;
}

/** The built-in activation and init tables. */
export const builtInCatalogue: NetworkCatalogue = { resolveActivation, resolveInit };

const DEFAULT_ACTIVATION: ActivationRef = 'identity';
const DEFAULT_INIT: InitRef = 'xavier_uniform';
const DEFAULT_INPUT_SIZE: [number, number] = [8, 8];

const specKeys = ['widths', 'activation', 'init', 'biasStd', 'inputVariance', 'inputSize', 'layers'] as const;
const layerKeys = ['kind', 'kernelSize', 'groups', 'activation', 'init', 'biasStd'] as const;
const layerKinds: readonly LayerKindName[] = ['dense', 'conv2d'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function rejectUnknownKeys(object: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new InputError(`${prefix}${key}`, object[key], `a known field (${allowed.join(', ')})`, 'Unknown keys are rejected so typos do not pass silently');
    }
  }
}

function requirePositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(field, value, 'a positive integer');
  }
  return value;
}

function requireNonNegative(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(field, value, 'a finite number >= 0');
  }
  return value;
}

function readKernel(field: string, value: unknown): [number, number] {
  if (typeof value === 'number') {
    const k = requirePositiveInteger(field, value);
    return [k, k];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [requirePositiveInteger(`${field}[0]`, value[0]), requirePositiveInteger(`${field}[1]`, value[1])];
  }
  throw new InputError(field, value, 'a positive integer k or [kh, kw]');
}

/** Checks the shape of the description (types, ranges, unknown keys) before any registry is asked. */
function checkSpecStructure(spec: unknown): asserts spec is NetworkSpec {
  if (!isPlainObject(spec)) {
    throw new InputError('network', spec, 'an object { widths, activation?, init?, biasStd?, inputVariance?, inputSize?, layers? }');
  }
  rejectUnknownKeys(spec, specKeys, '');
  const widths = spec.widths;
  if (!Array.isArray(widths) || widths.length < 2) {
    throw new InputError('widths', widths, 'an array of at least 2 positive integers (input width, then each layer\'s width), e.g. [784, 256, 10]');
  }
  widths.forEach((width, i) => requirePositiveInteger(`widths[${i}]`, width));
  if (spec.biasStd !== undefined) requireNonNegative('biasStd', spec.biasStd);
  if (spec.inputVariance !== undefined) {
    const q = spec.inputVariance;
    if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) throw new InputError('inputVariance', q, 'a finite number > 0');
  }
  if (spec.inputSize !== undefined) {
    const size = spec.inputSize;
    if (!Array.isArray(size) || size.length !== 2) throw new InputError('inputSize', size, '[height, width] of positive integers');
    size.forEach((dim, i) => requirePositiveInteger(`inputSize[${i}]`, dim));
  }
  if (spec.layers !== undefined) {
    const layers = spec.layers;
    if (!Array.isArray(layers)) throw new InputError('layers', layers, 'an array of per-layer overrides');
    if (layers.length > widths.length - 1) {
      throw new InputError('layers', `${layers.length} entries`, `at most ${widths.length - 1} (one per weight layer: widths has ${widths.length} entries)`);
    }
    layers.forEach((layer: unknown, i: number) => {
      const at = `layers[${i}]`;
      if (!isPlainObject(layer)) throw new InputError(at, layer, 'an object { kind?, kernelSize?, groups?, activation?, init?, biasStd? }');
      rejectUnknownKeys(layer, layerKeys, `${at}.`);
      const kind = layer.kind ?? 'dense';
      if (!layerKinds.includes(kind as LayerKindName)) throw new InputError(`${at}.kind`, kind, `one of ${layerKinds.join(', ')}`);
      if (kind === 'dense') {
        if (layer.kernelSize !== undefined) throw new InputError(`${at}.kernelSize`, layer.kernelSize, 'no kernelSize on a dense layer (set kind: "conv2d")');
        if (layer.groups !== undefined) throw new InputError(`${at}.groups`, layer.groups, 'no groups on a dense layer (set kind: "conv2d")');
      } else {
        if (layer.kernelSize === undefined) throw new InputError(`${at}.kernelSize`, undefined, 'a positive integer k or [kh, kw] (required for conv2d)');
        readKernel(`${at}.kernelSize`, layer.kernelSize);
        if (layer.groups !== undefined) requirePositiveInteger(`${at}.groups`, layer.groups);
      }
      if (layer.biasStd !== undefined) requireNonNegative(`${at}.biasStd`, layer.biasStd);
    });
  }
}

/**
 * Validates a network description and returns it typed. Everything `resolveNetwork` would reject
 * is rejected here, with an {@link InputError} naming the field path (`widths[2]`,
 * `layers[1].kernelSize`, `activation`, `init.mode`), the value and what is allowed.
 */
export function validateNetworkSpec(spec: unknown, catalogue: NetworkCatalogue = builtInCatalogue): NetworkSpec {
  return resolveNetwork(spec, catalogue).spec;
}

/**
 * Validates a network description and resolves it into concrete layers: fans, units, activation
 * and init of each weight layer. Defaults: activation identity, init xavier_uniform, biasStd 0,
 * inputVariance 1, inputSize [8, 8].
 *
 * conv2d layers (stride 1, valid padding) must come before any dense layer; their widths are channel
 * counts, each shrinks the spatial size by k − 1, fanIn = (c_in/groups)·kh·kw and
 * fanOut = (c_out/groups)·kh·kw; a dense layer after them flattens C·H·W.
 *
 * @example
 * ```ts
 * resolveNetwork({ widths: [784, 256, 10], activation: 'tanh' }).layers[0].init.variance; // 2/1040
 * ```
 */
export function resolveNetwork(spec: NetworkSpec | unknown, catalogue: NetworkCatalogue = builtInCatalogue): ResolvedNetwork {
  checkSpecStructure(spec);
  const overrides = spec.layers ?? [];
  const sharedActivation = catalogue.resolveActivation(spec.activation ?? DEFAULT_ACTIVATION, 'activation');
  const sharedInit: InitRef = spec.init ?? DEFAULT_INIT;
  const sharedBiasStd = spec.biasStd ?? 0;
  const inputVariance = spec.inputVariance ?? 1;

  let spatial: [number, number] = spec.inputSize ?? DEFAULT_INPUT_SIZE;
  let flattened = false;
  const layers: ResolvedLayer[] = [];
  for (let i = 0; i < spec.widths.length - 1; i++) {
    const override: LayerOverride = overrides[i] ?? {};
    const at = `layers[${i}]`;
    const kind: LayerKindName = override.kind ?? 'dense';
    const inWidth = spec.widths[i];
    const outWidth = spec.widths[i + 1];
    let fanIn: number;
    let fanOut: number;
    let inputUnits: number;
    let outputUnits: number;
    let conv: ResolvedLayer['conv'];
    if (kind === 'conv2d') {
      if (flattened) {
        throw new InputError(`${at}.kind`, kind, 'dense here: a conv2d layer cannot follow a dense layer (the dense layer flattened its input)');
      }
      const kernel = readKernel(`${at}.kernelSize`, override.kernelSize);
      const groups = override.groups ?? 1;
      if (inWidth % groups !== 0 || outWidth % groups !== 0) {
        throw new InputError(`${at}.groups`, groups, `a divisor of both channel counts widths[${i}] = ${inWidth} and widths[${i + 1}] = ${outWidth}`);
      }
      if (kernel[0] > spatial[0] || kernel[1] > spatial[1]) {
        throw new InputError(
          `${at}.kernelSize`,
          override.kernelSize,
          `at most the spatial input ${spatial[0]}×${spatial[1]} of this layer`,
          i === 0 ? 'Set inputSize to the image size' : 'Each valid convolution shrinks the image by k − 1; set a larger inputSize',
        );
      }
      const fans = computeFans([outWidth, inWidth / groups, kernel[0], kernel[1]], { layout: 'torch', groups });
      const outputSize: [number, number] = [spatial[0] - kernel[0] + 1, spatial[1] - kernel[1] + 1];
      fanIn = fans.fanIn;
      fanOut = fans.fanOut;
      inputUnits = inWidth * spatial[0] * spatial[1];
      outputUnits = outWidth * outputSize[0] * outputSize[1];
      conv = { inChannels: inWidth, outChannels: outWidth, kernel, groups, inputSize: spatial, outputSize };
      spatial = outputSize;
    } else {
      // A dense layer after convolutions sees the flattened C·H·W feature map.
      const afterConv = layers.length > 0 && layers[layers.length - 1].kind === 'conv2d';
      inputUnits = afterConv ? layers[layers.length - 1].outputUnits : inWidth;
      outputUnits = outWidth;
      fanIn = inputUnits;
      fanOut = outWidth;
      flattened = true;
    }
    const activation =
      override.activation !== undefined ? catalogue.resolveActivation(override.activation, `${at}.activation`) : sharedActivation;
    const initRef = override.init ?? sharedInit;
    const initField = override.init !== undefined ? `${at}.init` : 'init';
    const init = catalogue.resolveInit(initRef, fanIn, fanOut, initField);
    if (kind === 'conv2d' && init.name === 'orthogonal') {
      throw new InputError(
        initField,
        initRef,
        'an init other than orthogonal for a conv2d layer',
        'Frameworks orthogonalise the c_out × (c_in·k·k) matrix, whose variance gain²/max(c_out, fan_in) is not a function of the fans; it is not modelled',
      );
    }
    const biasStd = override.biasStd ?? sharedBiasStd;
    layers.push({
      index: i + 1,
      kind,
      fanIn,
      fanOut,
      inputUnits,
      outputUnits,
      ...(conv ? { conv } : {}),
      activation,
      init,
      biasVariance: biasStd * biasStd,
    });
  }
  return { spec, layers, inputVariance };
}
