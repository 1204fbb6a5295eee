/**
 * 2-D convolution layer (stride 1, valid padding), shape face: its fields (channels, kernelSize,
 * groups) and how it resolves its fans, units and spatial sizes.
 *
 * Widths are channel counts. Each layer shrinks the image by k − 1 per axis; fanIn =
 * (C_in/G)·k_h·k_w and fanOut = (C_out/G)·k_h·k_w (the true fans of src/vocabulary/fans.ts,
 * torch layout (C_out, C_in/G, k_h, k_w)); units are C·H·W as the Monte Carlo sees them.
 */
import { InputError } from '../../errors.js';
import { computeFans } from '../../vocabulary/fans.js';
import { requirePositiveInteger } from '../../vocabulary/fields.js';
import type { ResolvedInit } from '../../vocabulary/init.js';
import type { ResolveContext, WeightNode } from '../kind.js';
import { resolveWeightLayer } from '../weights.js';

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

/** A resolved conv2d node: its weight layer carries channels, kernel and spatial sizes. */
export interface Conv2dNode extends WeightNode {
  kind: 'conv2d';
}

/**
 * `{ "kind": "conv2d", "channels": C_out, "kernelSize": k | [kh, kw], "groups"?, "init"?, "biasStd"? }`
 * after an image of C_in channels.
 */
export function resolveConv2d(spec: Readonly<Record<string, unknown>>, context: ResolveContext): Conv2dNode {
  const at = context.path;
  const spatial = context.input.spatial;
  if (spatial === null) {
    throw new InputError(`${at}.kind`, 'conv2d', 'dense here: a conv2d layer needs an image flowing in (input [channels, height, width], and no dense layer before it: a dense layer flattens its input)');
  }
  const outWidth = requirePositiveInteger(`${at}.channels`, spec.channels);
  if (spec.kernelSize === undefined) throw new InputError(`${at}.kernelSize`, undefined, 'a positive integer k or [kh, kw] (required for conv2d)');
  const kernel = readKernel(`${at}.kernelSize`, spec.kernelSize);
  const groups = spec.groups === undefined ? 1 : requirePositiveInteger(`${at}.groups`, spec.groups);
  const inWidth = context.input.width;
  if (inWidth % groups !== 0 || outWidth % groups !== 0) {
    throw new InputError(`${at}.groups`, groups, `a divisor of both channel counts: ${inWidth} in, ${outWidth} out`);
  }
  if (kernel[0] > spatial[0] || kernel[1] > spatial[1]) {
    throw new InputError(
      `${at}.kernelSize`,
      spec.kernelSize,
      `at most the spatial input ${spatial[0]}×${spatial[1]} of this layer`,
      'Each valid convolution shrinks the image by k − 1; set a larger input size',
    );
  }
  const fans = computeFans([outWidth, inWidth / groups, kernel[0], kernel[1]], { layout: 'torch', groups });
  const outputSize: [number, number] = [spatial[0] - kernel[0] + 1, spatial[1] - kernel[1] + 1];
  const outputUnits = outWidth * outputSize[0] * outputSize[1];
  const output = { width: outWidth, spatial: outputSize, units: outputUnits };
  const shape = {
    kind: 'conv2d',
    fanIn: fans.fanIn,
    fanOut: fans.fanOut,
    inputUnits: context.input.units,
    outputUnits,
    conv: { inChannels: inWidth, outChannels: outWidth, kernel, groups, inputSize: spatial, outputSize },
  };
  return { kind: 'conv2d', path: at, input: context.input, output, layer: resolveWeightLayer(spec, context, shape, checkConvInit) };
}

function checkConvInit(init: ResolvedInit, field: string): void {
  if (init.name === 'orthogonal') {
    throw new InputError(
      field,
      init.label,
      'an init other than orthogonal for a conv2d layer',
      'Frameworks orthogonalise the c_out × (c_in·k·k) matrix, whose variance gain²/max(c_out, fan_in) is not a function of the fans; it is not modelled',
    );
  }
}
