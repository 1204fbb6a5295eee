/**
 * Fans of dense and convolution weights of any rank, the true ones and the ones PyTorch and Keras
 * compute, which differ for grouped and transposed convolutions.
 *
 * Layouts:
 * - `torch`: Linear (out, in); Conv (out, in/groups, *kernel); ConvTranspose (in, out/groups, *kernel).
 * - `keras` (also JAX/Flax): Dense (in, out); Conv (*kernel, in/groups, out);
 *   ConvTranspose (*kernel, out/groups, in).
 *
 * True fans (stride 1): each output unit sums fan_in = (in/groups)·rf inputs and each input unit
 * feeds fan_out = (out/groups)·rf outputs, rf being the kernel volume.
 * Framework fans: torch.nn.init._calculate_fan_in_and_fan_out takes shape[1]·rf and shape[0]·rf,
 * keras compute_fans takes shape[-2]·rf and shape[-1]·rf.
 *
 * @example
 * ```ts
 * computeFans([64, 3, 3, 3]); // { fanIn: 27, fanOut: 576, receptiveField: 9, ... }
 * ```
 */
import { InputError } from '../errors.js';

export type WeightLayout = 'torch' | 'keras';

export interface FanOptions {
  /** Axis order of the shape (default 'torch'). */
  layout?: WeightLayout;
  /** Convolution groups (default 1). */
  groups?: number;
  /** A ConvTranspose weight (default false). */
  transposed?: boolean;
}

export interface Fans {
  /** True fan_in: inputs each output unit sums, (in/groups)·rf. */
  fanIn: number;
  /** True fan_out: outputs each input unit feeds, (out/groups)·rf. */
  fanOut: number;
  /** Kernel volume (1 for a dense weight). */
  receptiveField: number;
  /** The fan_in the framework's own initializers use for this shape. */
  frameworkFanIn: number;
  /** The fan_out the framework's own initializers use for this shape. */
  frameworkFanOut: number;
  layout: WeightLayout;
  inChannels: number;
  outChannels: number;
  kernel: number[];
  groups: number;
  transposed: boolean;
  /** Why framework and true fans differ, when they do. */
  notes: string[];
}

const layouts: readonly WeightLayout[] = ['torch', 'keras'];

/** Fans of a weight of the given shape; throws {@link InputError} for shapes no layer has. */
export function computeFans(shape: number[], options: FanOptions = {}): Fans {
  const layout = options.layout ?? 'torch';
  if (!layouts.includes(layout)) throw new InputError('layout', layout, `one of ${layouts.join(', ')}`);
  const groups = options.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    throw new InputError('groups', groups, 'a positive integer');
  }
  const transposed = options.transposed ?? false;
  if (typeof transposed !== 'boolean') throw new InputError('transposed', transposed, 'true or false');
  if (!Array.isArray(shape)) throw new InputError('shape', shape, 'an array of positive integers');
  if (shape.length < 2) {
    throw new InputError('shape', shape, 'at least 2 dimensions (a dense or convolution weight)', 'Fans of a bias or scalar are not defined');
  }
  shape.forEach((dim, i) => {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
      throw new InputError(`shape[${i}]`, dim, 'a positive integer');
    }
  });
  const rank = shape.length;
  if (rank === 2 && (groups !== 1 || transposed)) {
    throw new InputError(groups !== 1 ? 'groups' : 'transposed', groups !== 1 ? groups : transposed, groups !== 1 ? '1 for a rank-2 (dense) weight' : 'false for a rank-2 (dense) weight');
  }

  // The two channel axes in the order the framework stores them, and the kernel axes.
  const [first, second] = layout === 'torch' ? [shape[0], shape[1]] : [shape[rank - 1], shape[rank - 2]];
  const kernel = layout === 'torch' ? shape.slice(2) : shape.slice(0, rank - 2);
  const receptiveField = kernel.reduce((product, k) => product * k, 1);
  // Forward: (out, in/groups); transposed: (in, out/groups). Keras stores them reversed, so `first`
  // is always the full-size axis and `second` the per-group one.
  const firstName = transposed ? 'in_channels' : 'out_channels';
  if (first % groups !== 0) {
    const axis = layout === 'torch' ? 'shape[0]' : `shape[${rank - 1}]`;
    throw new InputError('groups', groups, `a divisor of ${firstName} = ${axis} = ${first}`);
  }
  const inChannels = transposed ? first : second * groups;
  const outChannels = transposed ? second * groups : first;
  const fanIn = (inChannels / groups) * receptiveField;
  const fanOut = (outChannels / groups) * receptiveField;
  // Both frameworks: fan_in = (per-group axis)·rf, fan_out = (full axis)·rf.
  const frameworkFanIn = second * receptiveField;
  const frameworkFanOut = first * receptiveField;
  const framework = layout === 'torch' ? "PyTorch's _calculate_fan_in_and_fan_out" : "Keras' compute_fans";

  const notes: string[] = [];
  if (transposed) {
    notes.push(
      `${framework} reads a transposed-convolution weight as a forward one, so its fans are swapped: framework fan_in ${frameworkFanIn} is the true fan_out, framework fan_out ${frameworkFanOut} is ${groups > 1 ? `${groups}× ` : ''}the true fan_in ${fanIn}`,
    );
    notes.push('transposed fans assume stride 1; with stride s each output sees on average fan_in/s^d inputs');
  } else if (groups > 1) {
    notes.push(
      `${framework} counts fan_out = out_channels·rf = ${frameworkFanOut}, ${groups}× the true fan_out (out_channels/groups)·rf = ${fanOut}: each input channel feeds only the filters of its own group`,
    );
  }
  return {
    fanIn,
    fanOut,
    receptiveField,
    frameworkFanIn,
    frameworkFanOut,
    layout,
    inChannels,
    outChannels,
    kernel,
    groups,
    transposed,
    notes,
  };
}
