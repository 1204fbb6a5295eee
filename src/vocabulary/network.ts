/**
 * The network description: one plain, JSON-serialisable object that every consumer takes
 * (derive, measure, report, explore, testing), in one of two forms.
 *
 * - **The tree** (neural-tangents `stax` style): `input` (a width, or [channels, height, width]),
 *   then `layers`, a list of nodes, each `{ kind, ...its fields }`: dense, conv2d, bias,
 *   activation, layer_norm, rms_norm, and the combinators residual (x ↦ β·x + α·f(x)), repeat (n
 *   independently sampled copies of a block) and serial.
 * - **The `widths` shorthand**: widths n_0..n_L with a shared activation, init and bias, and
 *   optional per-layer overrides. It expands to the tree (dense [bias] activation … dense [bias]).
 *
 * `resolveNetwork` validates either form up front (errors name the field path: `widths[2]`,
 * `layers[1].kernelSize`, `2/4/branch/1.width`) and resolves the tree: every node's shape, the
 * weight layers as every consumer reads them, and the sites (`path`, `kind`) that predictions and
 * measurements are reported at.
 *
 * @example
 * ```ts
 * const spec: NetworkSpec = { widths: [784, 256, 256, 10], activation: 'tanh', init: 'xavier_uniform' };
 * const tree: NetworkSpec = { input: 256, layers: [{ kind: 'dense', width: 256, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }] };
 * ```
 */
import { InputError } from '../errors.js';
import { findLayerKind, isWeightNode, type FeatureShape, type LayerKindTable, type NetworkCatalogue, type ResolveContext, type ResolvedNode } from '../layers/kind.js';
import { builtInLayerKinds } from '../layers/registry.js';
import type { Activation, ActivationRef } from './activation.js';
import { resolveActivation } from './activations/registry.js';
import { isPlainObject, rejectUnknownKeys, requireNonNegative, requirePositiveInteger } from './fields.js';
import type { InitRef, ResolvedInit } from './init.js';
import { resolveInit } from './inits/registry.js';

export type { NetworkCatalogue } from '../layers/kind.js';

/** The weight-layer kinds of the shorthand's per-layer overrides. */
export type WeightKindName = 'dense' | 'conv2d';

/** Per-layer overrides of the shorthand; `layers[i]` applies to weight layer i + 1 (widths[i] → widths[i+1]). */
export interface LayerOverride {
  kind?: WeightKindName;
  activation?: ActivationRef;
  init?: InitRef;
  /** Standard deviation of the bias (0 = no bias). */
  biasStd?: number;
  /** conv2d: kernel size k or [kh, kw]; widths are then channel counts. */
  kernelSize?: number | [number, number];
  /** conv2d: groups (default 1). */
  groups?: number;
}

/** The `widths` shorthand. */
export interface WidthsNetworkSpec {
  /** n_0, n_1, ..., n_L: input width then each layer's output width (channels for conv layers). */
  widths: number[];
  /** Activation applied after every layer but the last (default 'identity'). */
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

/** One node of the tree: `{ kind, ...fields }` (fields per kind: src/layers/<kind>.ts). */
export interface LayerNodeSpec {
  kind: string;
  [field: string]: unknown;
}

/** The tree form. */
export interface TreeNetworkSpec {
  /** Units of the input vector, [channels, height, width] of an input image, or a sequence of `tokens` vectors of `width` units. */
  input: number | [number, number, number] | { tokens: number; width: number };
  /** Variance γ² of the network input (default 1). */
  inputVariance?: number;
  layers: LayerNodeSpec[];
}

export type NetworkSpec = WidthsNetworkSpec | TreeNetworkSpec;

export function isTreeSpec(spec: NetworkSpec): spec is TreeNetworkSpec {
  return !('widths' in spec);
}

/** One weight layer, resolved: everything derive/measure/present need to know about it. */
export interface ResolvedLayer {
  /** 1-based index of the weight layer, in forward order over the whole tree. */
  index: number;
  kind: string;
  /** Path of the weight node in the tree. */
  path: string;
  /** Fans as the math uses them (conv: channels × receptive field). */
  fanIn: number;
  fanOut: number;
  /** Units of the layer's input and output vectors as the Monte Carlo sees them (conv: C·H·W; per token on a sequence). */
  inputUnits: number;
  outputUnits: number;
  /** dense on a sequence: the tokens its weights are shared over (one GEMM on [batch·tokens, width]). */
  tokens?: number;
  /** conv2d only: channels, kernel, spatial sizes in and out (stride 1, valid padding). */
  conv?: {
    inChannels: number;
    outChannels: number;
    kernel: [number, number];
    groups: number;
    inputSize: [number, number];
    outputSize: [number, number];
  };
  /** The activation node right after the layer's pre-activation (identity when there is none). */
  activation: Activation;
  init: ResolvedInit;
  /** Var[b] of the bias nodes right after the weights (0 = no bias). */
  biasVariance: number;
  /** Path of the layer's pre-activation h_l: the weight node, or the bias right after it. */
  preActivationPath: string;
}

/** A site: one node of the tree, in forward order, where predictions and measurements are reported. */
export interface NetworkSite {
  path: string;
  kind: string;
  /** Units of the node's output. */
  units: number;
  /** The weight layer's 1-based index, for dense and conv2d sites. */
  layer?: number;
}

export interface ResolvedNetwork {
  spec: NetworkSpec;
  /** The top-level nodes of the tree (the shorthand, expanded). */
  nodes: ResolvedNode[];
  /** Every node in forward order (a combinator before its children, its children in order). */
  sites: NetworkSite[];
  /** The weight layers in forward order. */
  layers: ResolvedLayer[];
  input: FeatureShape;
  inputVariance: number;
  /** The kind table the tree was resolved with. */
  kinds: LayerKindTable;
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

/** Most nodes a resolved tree may hold (repeat expands): beyond it a run is a typo, not a network. */
export const MAX_NETWORK_NODES = 20_000;
/** Deepest nesting of combinators. */
export const MAX_NESTING = 32;

// ---------------------------------------------------------------------------------------------
// The shorthand
// ---------------------------------------------------------------------------------------------

/** The built-in activation and init tables. */
export const builtInCatalogue: NetworkCatalogue = { resolveActivation, resolveInit };

const DEFAULT_ACTIVATION: ActivationRef = 'identity';
const DEFAULT_INIT: InitRef = 'xavier_uniform';
const DEFAULT_INPUT_SIZE: [number, number] = [8, 8];

const widthsKeys = ['widths', 'activation', 'init', 'biasStd', 'inputVariance', 'inputSize', 'layers'] as const;
const treeKeys = ['input', 'inputVariance', 'layers'] as const;
const overrideKeys = ['kind', 'activation', 'init', 'biasStd', 'kernelSize', 'groups'] as const;
const convOnly = ['kernelSize', 'groups'] as const;

/** Checks the shorthand's own fields (types, ranges, unknown keys); the kinds check the rest. */
function checkWidthsSpec(spec: Record<string, unknown>, catalogue: NetworkCatalogue): asserts spec is WidthsNetworkSpec & Record<string, unknown> {
  rejectUnknownKeys(spec, widthsKeys, '');
  const widths = spec.widths;
  if (!Array.isArray(widths) || widths.length < 2) {
    throw new InputError('widths', widths, 'an array of at least 2 positive integers (input width, then each layer\'s width), e.g. [784, 256, 10]');
  }
  if (widths.length - 1 > MAX_NETWORK_NODES / 3) throw new InputError('widths', `${widths.length} entries`, `at most ${Math.floor(MAX_NETWORK_NODES / 3) + 1} entries`);
  widths.forEach((width, i) => requirePositiveInteger(`widths[${i}]`, width));
  if (spec.biasStd !== undefined) requireNonNegative('biasStd', spec.biasStd);
  if (spec.inputSize !== undefined) {
    const size = spec.inputSize;
    if (!Array.isArray(size) || size.length !== 2) throw new InputError('inputSize', size, '[height, width] of positive integers');
    size.forEach((dim, i) => requirePositiveInteger(`inputSize[${i}]`, dim));
  }
  if (spec.layers === undefined) return;
  const layers = spec.layers;
  if (!Array.isArray(layers)) throw new InputError('layers', layers, 'an array of per-layer overrides');
  if (layers.length > widths.length - 1) {
    throw new InputError('layers', `${layers.length} entries`, `at most ${widths.length - 1} (one per weight layer: widths has ${widths.length} entries)`);
  }
  layers.forEach((layer: unknown, i: number) => {
    const at = `layers[${i}]`;
    if (!isPlainObject(layer)) throw new InputError(at, layer, `an object { ${overrideKeys.map((key) => `${key}?`).join(', ')} }`);
    rejectUnknownKeys(layer, overrideKeys, `${at}.`);
    const kind = layer.kind ?? 'dense';
    if (kind !== 'dense' && kind !== 'conv2d') throw new InputError(`${at}.kind`, kind, 'one of dense, conv2d (the tree form, with input and layers, has every kind)');
    if (kind === 'dense') {
      for (const field of convOnly) if (layer[field] !== undefined) throw new InputError(`${at}.${field}`, layer[field], `no ${field} on a dense layer (set kind: "conv2d")`);
    }
    if (layer.biasStd !== undefined) requireNonNegative(`${at}.biasStd`, layer.biasStd);
    // Checked here too for the last layer, which has no activation node after it.
    if (layer.activation !== undefined) catalogue.resolveActivation(layer.activation as ActivationRef, `${at}.activation`);
  });
}

/** The shorthand field an expanded node came from, for error messages. */
export interface ShorthandFields {
  /** `layers[i]` (or '' for a node made from the shared settings). */
  at: string;
  /** Weight nodes: the field their init came from, `init` or `layers[i].init`. */
  init?: string;
}

/**
 * The tree a `widths` description stands for: per weight layer, its node (dense or conv2d), a bias
 * node when its bias std is > 0, and its activation, except after the last layer (the network's
 * output is the last pre-activation). `fields` maps each expanded node to the shorthand fields that
 * made it, so errors keep naming `layers[1].kernelSize` and `init`.
 */
export function expandWidths(spec: WidthsNetworkSpec): { tree: TreeNetworkSpec; fields: Map<object, ShorthandFields> } {
  const fields = new Map<object, ShorthandFields>();
  const layers: LayerNodeSpec[] = [];
  const depth = spec.widths.length - 1;
  const firstConv = (spec.layers ?? [])[0]?.kind === 'conv2d';
  for (let i = 0; i < depth; i++) {
    const override: LayerOverride = spec.layers?.[i] ?? {};
    const field = `layers[${i}]`;
    const initField = override.init !== undefined ? `${field}.init` : 'init';
    const weight: LayerNodeSpec =
      override.kind === 'conv2d'
        ? { kind: 'conv2d', channels: spec.widths[i + 1], kernelSize: override.kernelSize, ...(override.groups !== undefined ? { groups: override.groups } : {}) }
        : { kind: 'dense', width: spec.widths[i + 1] };
    if (override.init !== undefined || spec.init !== undefined) weight.init = override.init ?? spec.init;
    fields.set(weight, { at: field, init: initField });
    layers.push(weight);
    const biasStd = override.biasStd ?? spec.biasStd ?? 0;
    if (biasStd > 0) {
      const bias: LayerNodeSpec = { kind: 'bias', std: biasStd };
      fields.set(bias, { at: override.biasStd !== undefined ? field : '' });
      layers.push(bias);
    }
    const activationRef = override.activation ?? spec.activation ?? DEFAULT_ACTIVATION;
    if (i < depth - 1) {
      const activation: LayerNodeSpec = { kind: 'activation', activation: activationRef };
      fields.set(activation, { at: override.activation !== undefined ? field : '' });
      layers.push(activation);
    }
  }
  const input: TreeNetworkSpec['input'] = firstConv ? [spec.widths[0], ...(spec.inputSize ?? DEFAULT_INPUT_SIZE)] : spec.widths[0];
  return { tree: { input, ...(spec.inputVariance !== undefined ? { inputVariance: spec.inputVariance } : {}), layers }, fields };
}

// ---------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------

function readInput(value: unknown): FeatureShape {
  if (typeof value === 'number') {
    const width = requirePositiveInteger('input', value);
    return { width, spatial: null, units: width };
  }
  if (Array.isArray(value) && value.length === 3) {
    const [channels, height, width] = value.map((dim, i) => requirePositiveInteger(`input[${i}]`, dim));
    return { width: channels, spatial: [height, width], units: channels * height * width };
  }
  if (isPlainObject(value)) {
    rejectUnknownKeys(value, ['tokens', 'width'], 'input.');
    const tokens = requirePositiveInteger('input.tokens', value.tokens);
    const width = requirePositiveInteger('input.width', value.width);
    return { width, spatial: null, units: tokens * width, tokens };
  }
  throw new InputError(
    'input',
    value,
    'a positive integer (units of the input vector), [channels, height, width] of an input image, or { "tokens": T, "width": d } of a sequence',
  );
}

function checkTreeSpec(spec: Record<string, unknown>): asserts spec is TreeNetworkSpec & Record<string, unknown> {
  rejectUnknownKeys(spec, treeKeys, '');
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new InputError('layers', spec.layers, 'a non-empty list of layer nodes, e.g. [{ "kind": "dense", "width": 256 }]');
  }
}

/** The resolution walk: kinds resolve their own fields; this keeps count, depth and weight indices. */
class TreeResolver {
  private weightIndex = 0;
  private nodeCount = 0;
  readonly kinds: LayerKindTable;

  constructor(
    private readonly catalogue: NetworkCatalogue,
    private readonly defaults: { init: InitRef },
    private readonly fieldNames: Map<object, ShorthandFields>,
  ) {
    this.kinds = catalogue.layerKinds ?? builtInLayerKinds;
  }

  resolveList(nodes: unknown, path: string, input: FeatureShape, nesting: number, collapseSingle = false): { nodes: ResolvedNode[]; output: FeatureShape } {
    const listField = path === '' ? 'layers' : path;
    if (!Array.isArray(nodes) || nodes.length === 0) throw new InputError(listField, nodes, 'a non-empty list of layer nodes');
    if (nesting > MAX_NESTING) throw new InputError(listField, `${nesting} levels of nesting`, `at most ${MAX_NESTING} nested residual/repeat/serial levels`);
    const resolved: ResolvedNode[] = [];
    let flowing = input;
    nodes.forEach((spec: unknown, i: number) => {
      const nodePath = path === '' ? String(i) : collapseSingle && nodes.length === 1 ? path : `${path}/${i}`;
      const node = this.resolveNode(spec, nodePath, flowing, nesting);
      resolved.push(node);
      flowing = node.output;
      // `biasStd` on a weight node is sugar for a bias node right after it.
      if (isPlainObject(spec) && isWeightNode(node) && typeof spec.biasStd === 'number' && spec.biasStd > 0) {
        const bias = this.resolveNode({ kind: 'bias', std: spec.biasStd }, `${nodePath}/bias`, flowing, nesting);
        resolved.push(bias);
      }
    });
    return { nodes: resolved, output: flowing };
  }

  private resolveNode(spec: unknown, path: string, input: FeatureShape, nesting: number): ResolvedNode {
    const shorthand = isPlainObject(spec) ? this.fieldNames.get(spec) : undefined;
    const named = shorthand?.at || path;
    if (!isPlainObject(spec)) throw new InputError(named, spec, 'a layer node { kind, ... }');
    const kind = findLayerKind(this.kinds, spec.kind);
    if (!kind) throw new InputError(`${named}.kind`, spec.kind, `one of ${Object.keys(this.kinds).join(', ')}`);
    rejectUnknownKeys(spec, ['kind', ...kind.fields], `${named}.`);
    if (++this.nodeCount > MAX_NETWORK_NODES) {
      throw new InputError(named, `more than ${MAX_NETWORK_NODES} nodes`, `a network of at most ${MAX_NETWORK_NODES} nodes once repeat blocks are expanded`);
    }
    const context: Omit<ResolveContext, 'initField'> = {
      path: named,
      input,
      catalogue: this.catalogue,
      defaults: { init: this.defaults.init },
      nextWeightIndex: () => ++this.weightIndex,
      resolveList: (nodes, childPath, childInput, collapseSingle) => this.resolveList(nodes, childPath, childInput, nesting + 1, collapseSingle),
    };
    const resolved = kind.resolve(spec, { ...context, initField: shorthand?.init ?? `${named}.init` });
    // The kind resolves with error names of the shorthand; the node is addressed by its tree path.
    resolved.path = path;
    if (isWeightNode(resolved)) resolved.layer.path = path;
    return resolved;
  }
}

/**
 * The widths of the weight layers, input first (channels for convolutions): the shorthand's `widths`
 * for a network written in it, and the same reading of a tree.
 */
export function networkWidths(network: ResolvedNetwork): number[] {
  return [network.input.width, ...network.layers.map((layer) => layer.conv?.outChannels ?? layer.outputUnits)];
}

/** Every node in forward order, with the combinators' children after them. */
export function walkNodes(nodes: readonly ResolvedNode[], kinds: LayerKindTable, visit: (node: ResolvedNode) => void): void {
  for (const node of nodes) {
    visit(node);
    const kind = findLayerKind(kinds, node.kind);
    for (const list of kind?.children?.(node) ?? []) walkNodes(list, kinds, visit);
  }
}

/**
 * Fills in, for each weight layer, what follows it in its own list: the bias nodes right after it
 * (its pre-activation h_l is their output) and the activation after those.
 */
function attachNeighbours(nodes: readonly ResolvedNode[], kinds: LayerKindTable, identity: Activation): void {
  nodes.forEach((node, i) => {
    if (isWeightNode(node)) {
      let j = i + 1;
      let biasVariance = 0;
      let preActivationPath = node.path;
      while (j < nodes.length && nodes[j].kind === 'bias') {
        biasVariance += (nodes[j] as ResolvedNode & { variance: number }).variance;
        preActivationPath = nodes[j].path;
        j++;
      }
      const next = nodes[j] as (ResolvedNode & { activation?: Activation }) | undefined;
      node.layer.biasVariance = biasVariance;
      node.layer.preActivationPath = preActivationPath;
      node.layer.activation = next?.kind === 'activation' && next.activation ? next.activation : identity;
    }
    const kind = findLayerKind(kinds, node.kind);
    for (const list of kind?.children?.(node) ?? []) attachNeighbours(list, kinds, identity);
  });
}

/**
 * Validates a network description and returns it typed. Everything `resolveNetwork` would reject
 * is rejected here, with an {@link InputError} naming the field path, the value and what is allowed.
 */
export function validateNetworkSpec(spec: unknown, catalogue: NetworkCatalogue = builtInCatalogue): NetworkSpec {
  return resolveNetwork(spec, catalogue).spec;
}

/**
 * Validates a network description (tree or shorthand) and resolves it: every node's shape, the weight
 * layers (fans, units, init; the activation and bias that follow each) and the sites. Defaults: kind
 * dense, activation identity, init xavier_uniform, no bias, inputVariance 1, inputSize [8, 8].
 *
 * conv2d layers (stride 1, valid padding) need an image flowing in; each shrinks it by k − 1,
 * fanIn = (c_in/groups)·kh·kw and fanOut = (c_out/groups)·kh·kw; a dense layer after them flattens C·H·W.
 *
 * @example
 * ```ts
 * resolveNetwork({ widths: [784, 256, 10], activation: 'tanh' }).layers[0].init.variance; // 2/1040
 * ```
 */
export function resolveNetwork(spec: NetworkSpec | unknown, catalogue: NetworkCatalogue = builtInCatalogue): ResolvedNetwork {
  if (!isPlainObject(spec)) {
    throw new InputError('network', spec, 'an object: { input, layers: [...] } (the tree), or { widths, activation?, init?, ... } (the shorthand)');
  }
  if (spec.inputVariance !== undefined) {
    const q = spec.inputVariance;
    if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) throw new InputError('inputVariance', q, 'a finite number > 0');
  }
  let tree: TreeNetworkSpec;
  let fieldNames = new Map<object, ShorthandFields>();
  let defaultInit: InitRef = DEFAULT_INIT;
  if ('widths' in spec || !('input' in spec)) {
    checkWidthsSpec(spec, catalogue);
    // Errors in the shared activation are named `activation`, as the user wrote it.
    catalogue.resolveActivation(spec.activation ?? DEFAULT_ACTIVATION, 'activation');
    const expanded = expandWidths(spec);
    tree = expanded.tree;
    fieldNames = expanded.fields;
    defaultInit = spec.init ?? DEFAULT_INIT;
  } else {
    checkTreeSpec(spec);
    tree = spec;
  }
  const input = readInput(tree.input);
  const resolver = new TreeResolver(catalogue, { init: defaultInit }, fieldNames);
  const { nodes } = resolver.resolveList(tree.layers, '', input, 0);
  const kinds = resolver.kinds;
  attachNeighbours(nodes, kinds, catalogue.resolveActivation('identity', 'activation'));
  const sites: NetworkSite[] = [];
  const layers: ResolvedLayer[] = [];
  walkNodes(nodes, kinds, (node) => {
    const site: NetworkSite = { path: node.path, kind: node.kind, units: node.output.units };
    if (isWeightNode(node)) {
      site.layer = node.layer.index;
      layers.push(node.layer);
    }
    sites.push(site);
  });
  if (layers.length === 0) throw new InputError('layers', `${sites.length} nodes`, 'a network with at least one dense or conv2d layer');
  return { spec: spec as NetworkSpec, nodes, sites, layers, input, inputVariance: tree.inputVariance ?? 1, kinds };
}
