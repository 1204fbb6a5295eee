/**
 * The specs the testing API accepts: a network description (the same object the rest of varprop
 * takes) or a single layer, which is turned into a two-layer harness network.
 */
import { InputError } from '../errors.js';
import type { ActivationRef } from '../vocabulary/activation.js';
import type { InitRef } from '../vocabulary/init.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';
import type { NetworkSpec } from '../vocabulary/network.js';

/** One dense layer on its own. */
export interface LayerSpec {
  fanIn: number;
  fanOut: number;
  /** The activation applied to the layer's *input* pre-activation (default 'identity'). */
  activation?: ActivationRef;
  /** Init preset of the layer (default 'xavier_uniform'). */
  init?: InitRef;
  biasStd?: number;
}

const LAYER_KEYS = ['fanIn', 'fanOut', 'activation', 'init', 'biasStd'];

/**
 * A network spec as is, or a single layer `{ fanIn, fanOut, activation, init }` as the second layer
 * of widths [fanIn, fanIn, fanOut]: the first layer (LeCun normal, Var[w] = 1/fanIn, identity
 * input of variance 1) produces h ≈ N(0, 1) of width fanIn, then φ(h) feeds the layer under test.
 */
export function toNetworkSpec(spec: unknown): { network: NetworkSpec; singleLayer: boolean } {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new InputError('spec', spec, 'a network { widths, activation?, init?, ... } or a layer { fanIn, fanOut, activation?, init? }');
  }
  const record = spec as Record<string, unknown>;
  const isLayer = 'fanIn' in record || 'fanOut' in record;
  if (isLayer && 'widths' in record) {
    throw new InputError('spec', spec, 'either widths (a network) or fanIn and fanOut (one layer), not both');
  }
  if (!isLayer) return { network: spec as NetworkSpec, singleLayer: false };
  for (const key of Object.keys(record)) {
    if (!LAYER_KEYS.includes(key)) throw new InputError(`spec.${key}`, record[key], `one of the layer fields ${LAYER_KEYS.join(', ')}`);
  }
  for (const key of ['fanIn', 'fanOut'] as const) requirePositiveInteger(`spec.${key}`, record[key]);
  const layer = spec as LayerSpec;
  const network: NetworkSpec = {
    widths: [layer.fanIn, layer.fanIn, layer.fanOut],
    inputVariance: 1,
    layers: [
      { init: 'lecun_normal', activation: layer.activation ?? 'identity' },
      {
        init: layer.init ?? 'xavier_uniform',
        activation: 'identity',
        ...(layer.biasStd !== undefined ? { biasStd: layer.biasStd } : {}),
      },
    ],
  };
  return { network, singleLayer: true };
}
