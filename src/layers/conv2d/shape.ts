/**
 * 2-D convolution layer (stride 1, valid padding), shape face: its override fields (kernelSize,
 * groups) and how it resolves its fans, units and spatial sizes.
 *
 * Widths are channel counts. Each layer shrinks the image by k − 1 per axis; fanIn =
 * (C_in/G)·k_h·k_w and fanOut = (C_out/G)·k_h·k_w (the true fans of src/vocabulary/fans.ts,
 * torch layout (C_out, C_in/G, k_h, k_w)); units are C·H·W as the Monte Carlo sees them.
 */
import { InputError } from '../../errors.js';
import { computeFans } from '../../vocabulary/fans.js';
import { requirePositiveInteger } from '../../vocabulary/fields.js';
import type { LayerShape } from '../kind.js';

/** The override fields a conv2d layer adds. */
export interface Conv2dOverride {
  /** conv2d: kernel size k or [kh, kw]; widths are then channel counts. */
  kernelSize?: number | [number, number];
  /** conv2d: groups (default 1). */
  groups?: number;
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

export const conv2dShape: LayerShape<Conv2dOverride> = {
  fields: ['kernelSize', 'groups'],

  checkOverride(override, at) {
    if (override.kernelSize === undefined) throw new InputError(`${at}.kernelSize`, undefined, 'a positive integer k or [kh, kw] (required for conv2d)');
    readKernel(`${at}.kernelSize`, override.kernelSize);
    if (override.groups !== undefined) requirePositiveInteger(`${at}.groups`, override.groups);
  },

  resolve({ position, at, override, input, outWidth }) {
    const spatial = input.spatial;
    if (spatial === null) {
      throw new InputError(`${at}.kind`, 'conv2d', 'dense here: a conv2d layer cannot follow a dense layer (the dense layer flattened its input)');
    }
    const inWidth = input.width;
    const kernel = readKernel(`${at}.kernelSize`, override.kernelSize);
    const groups = override.groups ?? 1;
    if (inWidth % groups !== 0 || outWidth % groups !== 0) {
      throw new InputError(`${at}.groups`, groups, `a divisor of both channel counts widths[${position}] = ${inWidth} and widths[${position + 1}] = ${outWidth}`);
    }
    if (kernel[0] > spatial[0] || kernel[1] > spatial[1]) {
      throw new InputError(
        `${at}.kernelSize`,
        override.kernelSize,
        `at most the spatial input ${spatial[0]}×${spatial[1]} of this layer`,
        position === 0 ? 'Set inputSize to the image size' : 'Each valid convolution shrinks the image by k − 1; set a larger inputSize',
      );
    }
    const fans = computeFans([outWidth, inWidth / groups, kernel[0], kernel[1]], { layout: 'torch', groups });
    const outputSize: [number, number] = [spatial[0] - kernel[0] + 1, spatial[1] - kernel[1] + 1];
    const outputUnits = outWidth * outputSize[0] * outputSize[1];
    return {
      fanIn: fans.fanIn,
      fanOut: fans.fanOut,
      inputUnits: inWidth * spatial[0] * spatial[1],
      outputUnits,
      conv: { inChannels: inWidth, outChannels: outWidth, kernel, groups, inputSize: spatial, outputSize },
      output: { width: outWidth, spatial: outputSize, units: outputUnits },
    };
  },

  checkInit(init, ref, field) {
    if (init.name === 'orthogonal') {
      throw new InputError(
        field,
        ref,
        'an init other than orthogonal for a conv2d layer',
        'Frameworks orthogonalise the c_out × (c_in·k·k) matrix, whose variance gain²/max(c_out, fan_in) is not a function of the fans; it is not modelled',
      );
    }
  },
};
