/**
 * What four frameworks do by default when they initialize a weight, as data: the law and the fan of
 * the default kernel initializer of their dense and convolution layers, how they count the fans of a
 * convolution kernel (src/vocabulary/fans.ts has the layouts), and their truncated normals. Every
 * entry cites the source file it was read from and the version that file belongs to.
 *
 * - PyTorch 2.x: torch/nn/modules/linear.py and conv.py, `reset_parameters`:
 *   `init.kaiming_uniform_(self.weight, a=math.sqrt(5))`, i.e. U(±1/√fan_in), Var = 1/(3·fan_in)
 *   (src/vocabulary/inits/pytorchDefault.ts); bias U(±1/√fan_in). torch/nn/init.py:
 *   `trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.)` draws N(mean, std²) restricted to [a, b],
 *   bounds in absolute units, std the pre-truncation parameter, no correction (pytorch/pytorch,
 *   init.py at b28030f; version.txt 2.0.1 in the snapshot read).
 * - Keras 3: keras/src/layers/core/dense.py and convolutional/base_conv.py, `kernel_initializer=
 *   "glorot_uniform"`, bias "zeros"; keras/src/initializers/random_initializers.py: VarianceScaling
 *   divides the std by 0.87962566103423978 so the variance after the ±2σ truncation is scale/n;
 *   `TruncatedNormal(stddev=0.05)` redraws beyond 2·stddev with no correction (Var 0.7737·stddev²)
 *   (keras-team/keras, keras/src/version.py "3.8.0" in the snapshot read).
 * - JAX with Flax linen: flax/linen/linear.py `default_kernel_init = initializers.lecun_normal()`,
 *   bias `zeros_init()`; jax/_src/nn/initializers.py: `lecun_normal = variance_scaling(1.0, "fan_in",
 *   "truncated_normal")`, corrected by .87962566103423978; `truncated_normal(stddev=1e-2)` "does not
 *   apply the stddev correction" (jax-ml/jax at 29e6647). Fans: `_compute_fans(shape, in_axis=-2,
 *   out_axis=-1)`, kernels (*kernel, in/groups, out).
 * - TensorFlow.js layers 4.22.0 (npm @tensorflow/tfjs-layers@4.22.0, dist/layers/core.js:97 and
 *   dist/layers/convolutional.js:241 `DEFAULT_KERNEL_INITIALIZER = 'glorotNormal'`; source
 *   tfjs-layers/src/initializers.ts): VarianceScaling with distribution 'normal' calls
 *   `truncatedNormal(shape, 0, Math.sqrt(scale))` with no correction, so glorotNormal's variance is
 *   0.7737·2/(fan_in + fan_out), not 2/(fan_in + fan_out). Depthwise kernels
 *   (*kernel, C_in, depth_multiplier), Conv2DTranspose kernels (*kernel, filters, C_in).
 */
import { mathjs } from '../math/lazyMathjs.js';
import { InputError } from '../errors.js';
import { TRUNCATED_VARIANCE_FACTOR } from './distributions/truncatedNormal.js';
import { computeFans, type WeightLayout } from './fans.js';
import type { InitRef } from './init.js';
import type { ResolvedLayer } from './network.js';

export const frameworkNames = ['pytorch', 'keras', 'jax', 'tfjs'] as const;
export type FrameworkName = (typeof frameworkNames)[number];

/** A default kernel initializer: Var = scale/fan before any truncation. */
export interface DefaultKernelInit {
  /** As the framework writes it. */
  name: string;
  law: 'uniform' | 'normal' | 'truncated_normal';
  /** fan_in, or the average (fan_in + fan_out)/2, each as the framework counts it. */
  fan: 'fan_in' | 'fan_avg';
  scale: number;
  /** Truncated normal only: the std is divided by 0.8796 so the variance after truncation is scale/fan. */
  corrected?: boolean;
  source: string;
}

/** A truncated-normal initializer: where it cuts and whether it restores the variance. */
export interface TruncatedNormalConvention {
  initializer: string;
  /** 'absolute': the bounds are values (PyTorch's a, b); 'sigma': multiples of the std. */
  bounds: 'absolute' | 'sigma';
  /** The upper bound (the lower is its negative): 2 (absolute) or 2σ. */
  at: number;
  /** The std is divided by √E[Z² | |Z| < 2] = 0.8796 so the variance after truncation is the one asked for. */
  corrected: boolean;
  source: string;
}

export interface FrameworkDefaults {
  name: FrameworkName;
  label: string;
  /** The version the entries describe, and where it was read. */
  version: string;
  /** How the framework stores a weight (fans.ts): torch (out, in, …) or keras (…, in, out). */
  layout: WeightLayout;
  dense: DefaultKernelInit;
  conv: DefaultKernelInit;
  /** How a conv with one group per input channel is written: a DepthwiseConv2D layer, or a grouped conv. */
  depthwise: 'depthwise_layer' | 'grouped_conv';
  /**
   * How a transposed convolution's kernel is stored: 'output_first' puts the transposed conv's output
   * channels where a forward kernel has its inputs (PyTorch (C_in, C_out/g, …), Keras and TF.js
   * (…, C_out, C_in)), so the fans computed from the shape are swapped; 'input_first' stores
   * (…, C_in, C_out) (Flax ConvTranspose: `kernel_shape = kernel_size + (in_features, self.features)`,
   * flax/linen/linear.py), whose fans are right at stride 1.
   */
  transposedKernel: 'output_first' | 'input_first';
  bias: string;
  truncatedNormals: readonly TruncatedNormalConvention[];
  /** PyTorch only: torch.nn.init.calculate_gain, the gain its docs recommend per nonlinearity. */
  hasCalculateGain: boolean;
}

const TORCH = 'PyTorch 2.x (pytorch/pytorch torch/nn/init.py, torch/nn/modules/linear.py, conv.py)';

export const frameworkDefaults: Readonly<Record<FrameworkName, FrameworkDefaults>> = {
  pytorch: {
    name: 'pytorch',
    label: 'PyTorch',
    version: TORCH,
    layout: 'torch',
    dense: { name: 'kaiming_uniform_(a=√5)', law: 'uniform', fan: 'fan_in', scale: 1 / 3, source: 'torch/nn/modules/linear.py Linear.reset_parameters' },
    conv: { name: 'kaiming_uniform_(a=√5)', law: 'uniform', fan: 'fan_in', scale: 1 / 3, source: 'torch/nn/modules/conv.py _ConvNd.reset_parameters' },
    depthwise: 'grouped_conv',
    transposedKernel: 'output_first',
    bias: 'U(±1/√fan_in), Var = 1/(3·fan_in) (bias=True by default)',
    truncatedNormals: [{ initializer: 'nn.init.trunc_normal_(std, a=-2, b=2)', bounds: 'absolute', at: 2, corrected: false, source: 'torch/nn/init.py trunc_normal_' }],
    hasCalculateGain: true,
  },
  keras: {
    name: 'keras',
    label: 'Keras',
    version: 'Keras 3 (keras-team/keras keras/src; version.py 3.8.0)',
    layout: 'keras',
    dense: { name: 'glorot_uniform', law: 'uniform', fan: 'fan_avg', scale: 1, source: 'keras/src/layers/core/dense.py' },
    conv: { name: 'glorot_uniform', law: 'uniform', fan: 'fan_avg', scale: 1, source: 'keras/src/layers/convolutional/base_conv.py' },
    depthwise: 'depthwise_layer',
    transposedKernel: 'output_first',
    bias: 'zeros',
    truncatedNormals: [
      { initializer: 'VarianceScaling(distribution="truncated_normal")', bounds: 'sigma', at: 2, corrected: true, source: 'keras/src/initializers/random_initializers.py VarianceScaling' },
      { initializer: 'TruncatedNormal(stddev)', bounds: 'sigma', at: 2, corrected: false, source: 'keras/src/initializers/random_initializers.py TruncatedNormal' },
    ],
    hasCalculateGain: false,
  },
  jax: {
    name: 'jax',
    label: 'JAX (Flax linen)',
    version: 'JAX 0.4 (jax-ml/jax jax/_src/nn/initializers.py) with Flax linen (flax/linen/linear.py)',
    layout: 'keras',
    dense: { name: 'lecun_normal()', law: 'truncated_normal', fan: 'fan_in', scale: 1, corrected: true, source: 'flax/linen/linear.py default_kernel_init' },
    conv: { name: 'lecun_normal()', law: 'truncated_normal', fan: 'fan_in', scale: 1, corrected: true, source: 'flax/linen/linear.py default_kernel_init (Conv)' },
    depthwise: 'grouped_conv',
    transposedKernel: 'input_first',
    bias: 'zeros',
    truncatedNormals: [
      { initializer: 'variance_scaling(..., "truncated_normal")', bounds: 'sigma', at: 2, corrected: true, source: 'jax/_src/nn/initializers.py variance_scaling' },
      { initializer: 'truncated_normal(stddev)', bounds: 'sigma', at: 2, corrected: false, source: 'jax/_src/nn/initializers.py truncated_normal' },
    ],
    hasCalculateGain: false,
  },
  tfjs: {
    name: 'tfjs',
    label: 'TensorFlow.js',
    version: 'TensorFlow.js layers 4.22.0 (@tensorflow/tfjs-layers dist/initializers.js, dist/layers/core.js)',
    layout: 'keras',
    dense: { name: 'glorotNormal', law: 'truncated_normal', fan: 'fan_avg', scale: 1, corrected: false, source: 'tfjs-layers src/layers/core.ts Dense DEFAULT_KERNEL_INITIALIZER' },
    conv: { name: 'glorotNormal', law: 'truncated_normal', fan: 'fan_avg', scale: 1, corrected: false, source: 'tfjs-layers src/layers/convolutional.ts BaseConv DEFAULT_KERNEL_INITIALIZER' },
    depthwise: 'depthwise_layer',
    transposedKernel: 'output_first',
    bias: 'zeros',
    truncatedNormals: [
      { initializer: 'VarianceScaling({distribution: "normal"})', bounds: 'sigma', at: 2, corrected: false, source: 'tfjs-layers src/initializers.ts VarianceScaling.apply' },
      { initializer: 'truncatedNormal({stddev})', bounds: 'sigma', at: 2, corrected: false, source: 'tfjs-layers src/initializers.ts TruncatedNormal' },
    ],
    hasCalculateGain: false,
  },
};

export function findFramework(name: string, field = 'framework'): FrameworkDefaults {
  if (!(frameworkNames as readonly string[]).includes(name)) throw new InputError(field, name, `one of ${frameworkNames.join(', ')}`);
  return frameworkDefaults[name as FrameworkName];
}

/** E[Z² | |Z| < c] for Z ~ N(0, 1): 1 − 2c·φ(c)/erf(c/√2) (integrate z²φ by parts). */
export function truncatedVarianceFactor(c: number): number {
  if (!(c > 0)) throw new InputError('c', c, 'a truncation point > 0');
  const density = Math.exp(-0.5 * c * c) / Math.sqrt(2 * Math.PI);
  return 1 - (2 * c * density) / (mathjs().erf(c / Math.SQRT2) as number);
}

/** The variance a truncated normal actually has, for the std parameter `std` (pre-truncation). */
export function truncatedNormalVariance(convention: TruncatedNormalConvention, std: number): number {
  const c = convention.bounds === 'absolute' ? convention.at / std : convention.at;
  return convention.corrected ? std * std : std * std * truncatedVarianceFactor(c);
}

/** One weight layer under a framework's default: its fans as the framework counts them and Var[w]. */
export interface FrameworkLayerInit {
  frameworkFanIn: number;
  frameworkFanOut: number;
  /** Var[w] the default draws (after truncation). */
  variance: number;
  /** The default's name, e.g. `glorot_uniform`. */
  name: string;
  /** The same law as a varprop init at the layer's true fans (for resolving the network). */
  init: InitRef;
}

/** The weight shape in the framework's layout and its fans as the framework reads them. */
function frameworkFans(framework: FrameworkDefaults, layer: ResolvedLayer): { fanIn: number; fanOut: number } {
  const conv = layer.conv;
  if (!conv) return { fanIn: layer.fanIn, fanOut: layer.fanOut };
  const { inChannels, outChannels, groups, kernel } = conv;
  if (framework.layout === 'torch') {
    const fans = computeFans([outChannels, inChannels / groups, ...kernel], { layout: 'torch', groups });
    return { fanIn: fans.frameworkFanIn, fanOut: fans.frameworkFanOut };
  }
  const depthwiseLayer = framework.depthwise === 'depthwise_layer' && groups > 1 && groups === inChannels;
  const fans = depthwiseLayer
    ? computeFans([...kernel, inChannels, outChannels / inChannels], { layout: 'keras', depthwise: true })
    : computeFans([...kernel, inChannels / groups, outChannels], { layout: 'keras', groups });
  return { fanIn: fans.frameworkFanIn, fanOut: fans.frameworkFanOut };
}

/** What the framework's default kernel initializer draws for `layer`. */
export function frameworkLayerInit(framework: FrameworkDefaults, layer: ResolvedLayer): FrameworkLayerInit {
  const entry = layer.conv ? framework.conv : framework.dense;
  const fans = frameworkFans(framework, layer);
  const fan = entry.fan === 'fan_in' ? fans.fanIn : (fans.fanIn + fans.fanOut) / 2;
  const asked = entry.scale / fan;
  const uncorrected = entry.law === 'truncated_normal' && !entry.corrected;
  const variance = uncorrected ? asked * TRUNCATED_VARIANCE_FACTOR : asked;
  const distribution = entry.law === 'uniform' ? 'uniform' : entry.law === 'normal' ? 'untruncated_normal' : 'truncated_normal';
  // variance_scaling keeps the variance after truncation at scale/fan_in: the law of both conventions.
  return { frameworkFanIn: fans.fanIn, frameworkFanOut: fans.fanOut, variance, name: entry.name, init: { name: 'variance_scaling', scale: variance * layer.fanIn, mode: 'fan_in', distribution } };
}
