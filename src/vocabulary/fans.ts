/**
 * Fans of dense and convolution weights of any rank, the true ones and the ones PyTorch and Keras
 * compute, which differ for grouped and transposed convolutions.
 *
 * Layouts:
 * - `torch`: Linear (out, in); Conv (out, in/groups, *kernel); ConvTranspose (in, out/groups, *kernel).
 * - `keras` (also JAX/Flax): Dense (in, out); Conv (*kernel, in/groups, out);
 *   ConvTranspose (*kernel, out/groups, in).
 *
 * - depthwise (`depthwise: true`): Keras DepthwiseConv2D stores its kernel as
 *   (*kernel, C_in, depth_multiplier) (keras/src/layers/convolutional/base_depthwise_conv.py,
 *   `build`: `depthwise_shape = self.kernel_size + (input_channel, self.depth_multiplier)`; the same in
 *   Keras 2, keras/layers/convolutional/depthwise_conv2d.py); PyTorch writes a depthwise convolution as
 *   Conv2d(C, C·m, k, groups=C), weight (C·m, 1, *kernel).
 *
 * True fans (stride 1): each output unit sums fan_in = (in/groups)·rf inputs and each input unit
 * feeds fan_out = (out/groups)·rf outputs, rf being the kernel volume. A depthwise convolution with
 * depth multiplier m has groups = C_in: fan_in = rf, fan_out = m·rf.
 * Framework fans, from the shape alone:
 * - PyTorch 1.x–2.x, torch/nn/init.py `_calculate_fan_in_and_fan_out`: fan_in = shape[1]·rf,
 *   fan_out = shape[0]·rf, rf = prod(shape[2:]).
 * - Keras 2.x (tf.keras, keras/initializers/initializers.py `_compute_fans`) and Keras 3.x
 *   (keras/src/initializers/random_initializers.py `compute_fans`): rank 2 → (shape[0], shape[1]);
 *   else fan_in = shape[-2]·rf, fan_out = shape[-1]·rf, rf = prod(shape[:-2]). For a depthwise kernel
 *   (3, 3, 32, 1) that is fan_in 288, fan_out 9, where the true fans are 9 and 9.
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
  /**
   * A depthwise convolution (default false): keras (*kernel, C_in, depth_multiplier), or torch
   * (C_in·m, 1, *kernel) with groups = C_in (default groups = shape[0], i.e. m = 1).
   */
  depthwise?: boolean;
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
  /** True for a depthwise convolution. */
  depthwise: boolean;
  /** Output channels per input channel of a depthwise convolution (null otherwise). */
  depthMultiplier: number | null;
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
  const depthwise = options.depthwise ?? false;
  if (typeof depthwise !== 'boolean') throw new InputError('depthwise', depthwise, 'true or false');
  if (depthwise) return depthwiseFans(shape, layout, options.groups, transposed);
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
    depthwise: false,
    depthMultiplier: null,
    notes,
  };
}

/** Fans of a depthwise convolution kernel (see the file comment for the layouts and sources). */
function depthwiseFans(shape: number[], layout: WeightLayout, groupsOption: number | undefined, transposed: boolean): Fans {
  const rank = shape.length;
  if (transposed) throw new InputError('transposed', transposed, 'false for a depthwise convolution');
  if (rank < 3) throw new InputError('shape', shape, 'a convolution kernel of rank ≥ 3 for a depthwise convolution');
  let inChannels: number;
  let multiplier: number;
  let kernel: number[];
  if (layout === 'keras') {
    if (groupsOption !== undefined && groupsOption !== 1 && groupsOption !== shape[rank - 2]) {
      throw new InputError('groups', groupsOption, `nothing, or C_in = shape[${rank - 2}] = ${shape[rank - 2]}, for a Keras depthwise kernel (*kernel, C_in, depth_multiplier)`);
    }
    inChannels = shape[rank - 2];
    multiplier = shape[rank - 1];
    kernel = shape.slice(0, rank - 2);
  } else {
    if (shape[1] !== 1) throw new InputError('shape[1]', shape[1], '1 for a PyTorch depthwise weight (C_in·m, 1, *kernel)');
    const groups = groupsOption === undefined || groupsOption === 1 ? shape[0] : groupsOption;
    if (shape[0] % groups !== 0) throw new InputError('groups', groups, `C_in, a divisor of out_channels = shape[0] = ${shape[0]}`);
    inChannels = groups;
    multiplier = shape[0] / groups;
    kernel = shape.slice(2);
  }
  const receptiveField = kernel.reduce((product, k) => product * k, 1);
  const fanIn = receptiveField;
  const fanOut = multiplier * receptiveField;
  const [frameworkFanIn, frameworkFanOut] =
    layout === 'keras' ? [shape[rank - 2] * receptiveField, shape[rank - 1] * receptiveField] : [shape[1] * receptiveField, shape[0] * receptiveField];
  const notes: string[] = [];
  if (layout === 'keras') {
    notes.push(
      `Keras' compute_fans reads the depthwise kernel (*kernel, C_in, depth_multiplier) as a C_in → depth_multiplier convolution: fan_in = C_in·rf = ${frameworkFanIn}, ${inChannels}× the true fan_in rf = ${fanIn}${frameworkFanOut === fanOut ? '' : `; fan_out ${frameworkFanOut} against the true ${fanOut}`}`,
    );
  } else if (frameworkFanOut !== fanOut) {
    notes.push(
      `PyTorch's _calculate_fan_in_and_fan_out counts fan_out = out_channels·rf = ${frameworkFanOut}, ${inChannels}× the true fan_out depth_multiplier·rf = ${fanOut}: each input channel feeds only its own ${multiplier} filter${multiplier === 1 ? '' : 's'}`,
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
    outChannels: inChannels * multiplier,
    kernel,
    groups: inChannels,
    transposed: false,
    depthwise: true,
    depthMultiplier: multiplier,
    notes,
  };
}
