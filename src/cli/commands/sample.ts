/**
 * `varprop sample --init <preset> --shape 256,784 [--layout torch|keras] [--gain g] [--a a] [--mode m] [--seed N] --json`
 * prints `{shape, values}`: weights drawn exactly as the preset draws them in a network, so anyone
 * can test the samplers against their distributions (Kolmogorov–Smirnov in test/montecarlo).
 *
 * Shapes follow the same convention as `varprop fans`: PyTorch's by default — Linear (out, in),
 * Conv (out, in, *kernel) — and Keras' with `--layout keras` — Dense (in, out), Conv (*kernel, in, out).
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { createRandom } from '../../math/random.js';
import { computeFans, type WeightLayout } from '../../vocabulary/fans.js';
import type { FanMode, InitRef, ResolvedInit } from '../../vocabulary/init.js';
import { resolveInit } from '../../vocabulary/inits/registry.js';
import type { CliIO } from '../io.js';
import { parseNumberFlag } from '../flags.js';
import type { RegisterCommand } from './index.js';

/** Largest sample `sample` will print (JSON of 10⁷ numbers is ~200 MB already). */
export const MAX_SAMPLE_VALUES = 10_000_000;

export interface SampledWeights {
  /** The shape as given, in `layout`: torch (out, in, *kernel) or keras (*kernel, in, out). */
  shape: number[];
  /** Row-major values in that shape. */
  values: number[];
  /** The resolved preset (law, variance, source). */
  init: ResolvedInit;
}

export interface SampleOptions {
  /** How `shape` is ordered (default 'torch': PyTorch's (out, in, *kernel), as `varprop fans`). */
  layout?: WeightLayout;
}

/**
 * Draws one weight tensor as the preset draws it. The shape is read as `varprop fans` reads it
 * (PyTorch's (out, in, *kernel) by default, Keras' (*kernel, in, out) with layout 'keras'); fans come
 * from `computeFans`. The weight is drawn as the [fan_in, out] matrix the forward pass multiplies by
 * (im2col for convolutions) and written out in the given layout. Orthogonal weights are therefore
 * semi-orthogonal as that matrix, which is what torch.nn.init.orthogonal_ does: it flattens the
 * trailing dimensions into (out, in·rf) (torch/nn/init.py, `orthogonal_`: rows = tensor.size(0),
 * cols = tensor.numel() // rows), and Keras' Orthogonal flattens the leading ones into (rf·in, out)
 * (keras/src/initializers/random_initializers.py, `Orthogonal.__call__`).
 */
export function sampleWeights(init: InitRef, shape: number[], seed: number, options: SampleOptions = {}): SampledWeights {
  const layout = options.layout ?? 'torch';
  if (!Array.isArray(shape) || shape.length < 2) {
    throw new InputError('shape', shape, 'at least 2 positive integers: (out, in) or a conv shape (out, in, kh, kw) in PyTorch order');
  }
  shape.forEach((dim, i) => {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) throw new InputError(`shape[${i}]`, dim, 'a positive integer');
  });
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_SAMPLE_VALUES) throw new InputError('shape', shape, `at most ${MAX_SAMPLE_VALUES} values in all`);
  const random = createRandom(seed);
  const fans = computeFans(shape, { layout });
  const out = fans.outChannels;
  const fanIn = fans.fanIn;
  let resolved = resolveInit(init, fanIn, fans.fanOut);
  // An orthogonal law is a law of the [fan_in, out] matrix, not of the fans.
  if (resolved.distribution.name === 'orthogonal' && fans.fanOut !== out) resolved = resolveInit(init, fanIn, out);
  const matrix = new Float64Array(count);
  resolved.distribution.sample(random, matrix, fanIn, out);
  // Row r of the matrix is input index (in, *kernel) flattened as r = i·rf + k; column o the output channel.
  const rf = fans.receptiveField;
  const inChannels = fans.inChannels;
  const values = new Array<number>(count);
  for (let i = 0; i < inChannels; i++) {
    for (let k = 0; k < rf; k++) {
      const r = i * rf + k;
      for (let o = 0; o < out; o++) {
        const target = layout === 'torch' ? o * fanIn + r : (k * inChannels + i) * out + o;
        values[target] = matrix[r * out + o];
      }
    }
  }
  return { shape: [...shape], values, init: resolved };
}

interface SampleFlags {
  init: string;
  shape: string;
  layout: string;
  gain?: string;
  a?: string;
  mode?: string;
  seed: string;
  json?: boolean;
}

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('sample')
    .description('Draw one weight tensor as an init preset draws it (for testing the samplers)')
    .requiredOption('--init <preset>', 'init preset, e.g. xavier_uniform, he_normal, orthogonal')
    .requiredOption('--shape <dims>', 'weight shape in PyTorch order by default: out,in for a dense weight (nn.Linear), out,in,kh,kw for a conv weight')
    .option('--layout <layout>', 'torch: (out, in, *kernel), as PyTorch stores weights; keras: (in, out) and (*kernel, in, out)', 'torch')
    .option('--gain <g>', 'gain (xavier, orthogonal)')
    .option('--a <a>', "kaiming's negative slope a")
    .option('--mode <mode>', 'fan_in | fan_out (kaiming, variance scaling)')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print {shape, values} as JSON (values row-major in the given shape)')
    .addHelpText('after', '\nShapes: one convention across commands (fans, sample): PyTorch\'s (out, in, *kernel) by default,\n--layout keras for Keras\' (in, out) / (*kernel, in, out). he_normal on 256,784 draws std √(2/784).\n')
    .action((flags: SampleFlags) => {
      const shape = flags.shape.split(',').map((part, i) =>
        parseNumberFlag(`--shape[${i}]`, part, 'a positive integer', (v) => Number.isInteger(v) && v > 0),
      );
      const options: Exclude<InitRef, string> = { name: flags.init };
      if (flags.gain !== undefined) options.gain = parseNumberFlag('--gain', flags.gain, 'a finite number', () => true);
      if (flags.a !== undefined) options.a = parseNumberFlag('--a', flags.a, 'a finite number', () => true);
      if (flags.mode !== undefined) {
        if (!MODES.includes(flags.mode as FanMode)) throw new InputError('--mode', flags.mode, `one of ${MODES.join(', ')}`);
        options.mode = flags.mode as FanMode;
      }
      const seed = parseNumberFlag('--seed', flags.seed, 'an integer', (v) => Number.isSafeInteger(v));
      const ref: InitRef = Object.keys(options).length === 1 ? flags.init : options;
      if (flags.layout !== 'torch' && flags.layout !== 'keras') throw new InputError('--layout', flags.layout, 'one of torch, keras');
      const sampled = sampleWeights(ref, shape, seed, { layout: flags.layout });
      if (flags.json) {
        io.stdout(`${JSON.stringify({ shape: sampled.shape, values: sampled.values })}\n`);
        return;
      }
      const { values } = sampled;
      let sum = 0;
      let sumSq = 0;
      for (const v of values) {
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / values.length;
      io.stdout(
        [
          `${sampled.init.label}: ${sampled.init.distribution.label}, shape ${shape.join('×')}`,
          `target variance ${sampled.init.variance.toPrecision(6)}; sample mean ${mean.toPrecision(4)}, sample variance ${(sumSq / values.length - mean * mean).toPrecision(6)}`,
          `first values: ${values.slice(0, 8).map((v) => v.toPrecision(5)).join(', ')}${values.length > 8 ? ', …' : ''}`,
          '(use --json for all values)',
          '',
        ].join('\n'),
      );
    });
};
