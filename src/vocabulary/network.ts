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
import { findLayerKind, type FeatureShape, type LayerKindTable } from '../layers/kind.js';
import { builtInLayerKinds, type BuiltInKindOverrides } from '../layers/registry.js';
import type { Activation, ActivationRef } from './activation.js';
import { resolveActivation } from './activations/registry.js';
import { isPlainObject, rejectUnknownKeys, requireNonNegative, requirePositiveInteger } from './fields.js';
import type { InitRef, ResolvedInit } from './init.js';
import { resolveInit } from './inits/registry.js';

/** The layer kinds of the built-in table (src/layers/registry.ts): 'dense' | 'conv2d'. */
export type LayerKindName = keyof typeof builtInLayerKinds;

/** The override fields every layer kind shares. */
export interface CommonLayerOverride {
  kind?: LayerKindName;
  activation?: ActivationRef;
  init?: InitRef;
  /** Standard deviation of the bias (0 = no bias). */
  biasStd?: number;
}

/**
 * Per-layer overrides; `layers[i]` applies to weight layer i + 1 (widths[i] → widths[i+1]): the
 * shared fields and each kind's own, stated by the kind (conv2d: `kernelSize` k or [kh, kw], widths
 * are then channel counts; `groups`, default 1).
 */
export type LayerOverride = CommonLayerOverride & BuiltInKindOverrides;

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
  /** The layer kinds `layers[i].kind` may name (default the built-in table, src/layers/registry.ts). */
  layerKinds?: LayerKindTable;
}

/** The built-in activation and init tables. */
export const builtInCatalogue: NetworkCatalogue = { resolveActivation, resolveInit };

const DEFAULT_ACTIVATION: ActivationRef = 'identity';
const DEFAULT_INIT: InitRef = 'xavier_uniform';
const DEFAULT_INPUT_SIZE: [number, number] = [8, 8];
const DEFAULT_KIND: LayerKindName = 'dense';

const specKeys = ['widths', 'activation', 'init', 'biasStd', 'inputVariance', 'inputSize', 'layers'] as const;
const commonLayerKeys = ['activation', 'init', 'biasStd'] as const;

/** Every kind's own override fields, each with the first kind that declares it. */
function kindFields(kinds: LayerKindTable): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [name, kind] of Object.entries(kinds)) for (const field of kind.shape.fields) if (!owners.has(field)) owners.set(field, name);
  return owners;
}

/** Checks the shape of the description (types, ranges, unknown keys) before any registry is asked. */
function checkSpecStructure(spec: unknown, kinds: LayerKindTable): asserts spec is NetworkSpec {
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
    const owners = kindFields(kinds);
    const layerKeys = ['kind', ...owners.keys(), ...commonLayerKeys];
    layers.forEach((layer: unknown, i: number) => {
      const at = `layers[${i}]`;
      if (!isPlainObject(layer)) throw new InputError(at, layer, `an object { ${layerKeys.map((key) => `${key}?`).join(', ')} }`);
      rejectUnknownKeys(layer, layerKeys, `${at}.`);
      const name = layer.kind ?? DEFAULT_KIND;
      const kind = findLayerKind(kinds, name);
      if (!kind) throw new InputError(`${at}.kind`, name, `one of ${Object.keys(kinds).join(', ')}`);
      // A field of another kind is a mistake worth naming: it would be silently ignored.
      const own: readonly string[] = kind.shape.fields;
      for (const [field, owner] of owners) {
        if (layer[field] !== undefined && !own.includes(field)) {
          throw new InputError(`${at}.${field}`, layer[field], `no ${field} on a ${String(name)} layer (set kind: "${owner}")`);
        }
      }
      kind.shape.checkOverride(layer, at);
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
 * and init of each weight layer. Defaults: kind dense, activation identity, init xavier_uniform,
 * biasStd 0, inputVariance 1, inputSize [8, 8]. Each layer's kind (src/layers/<kind>) checks its
 * own fields and resolves its shape from what the previous layer produced.
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
  const kinds = catalogue.layerKinds ?? builtInLayerKinds;
  checkSpecStructure(spec, kinds);
  const overrides = spec.layers ?? [];
  const sharedActivation = catalogue.resolveActivation(spec.activation ?? DEFAULT_ACTIVATION, 'activation');
  const sharedInit: InitRef = spec.init ?? DEFAULT_INIT;
  const sharedBiasStd = spec.biasStd ?? 0;
  const inputVariance = spec.inputVariance ?? 1;

  // The network input is an image of widths[0] channels for a kind that reads images, a vector otherwise.
  let flowing: FeatureShape = { width: spec.widths[0], spatial: spec.inputSize ?? DEFAULT_INPUT_SIZE };
  const layers: ResolvedLayer[] = [];
  for (let i = 0; i < spec.widths.length - 1; i++) {
    const override: LayerOverride = overrides[i] ?? {};
    const at = `layers[${i}]`;
    const name = override.kind ?? DEFAULT_KIND;
    const kind = findLayerKind(kinds, name);
    if (!kind) throw new InputError(`${at}.kind`, name, `one of ${Object.keys(kinds).join(', ')}`);
    const shape = kind.shape.resolve({ position: i, at, override, input: { ...flowing, width: spec.widths[i] }, outWidth: spec.widths[i + 1] });
    flowing = shape.output;
    const { fanIn, fanOut, inputUnits, outputUnits, conv } = shape;
    const activation =
      override.activation !== undefined ? catalogue.resolveActivation(override.activation, `${at}.activation`) : sharedActivation;
    const initRef = override.init ?? sharedInit;
    const initField = override.init !== undefined ? `${at}.init` : 'init';
    const init = catalogue.resolveInit(initRef, fanIn, fanOut, initField);
    kind.shape.checkInit?.(init, initRef, initField);
    const biasStd = override.biasStd ?? sharedBiasStd;
    layers.push({
      index: i + 1,
      kind: name,
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
