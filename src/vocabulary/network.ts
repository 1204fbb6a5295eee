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
import type { Activation, ActivationRef } from './activation.js';
import type { InitRef, ResolvedInit } from './init.js';

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
