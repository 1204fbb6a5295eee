/**
 * `varprop sample --init <preset> --shape 20,25 [--gain g] [--a a] [--mode fan_in|fan_out] [--seed N] --json`
 * prints `{shape, values}`: weights drawn exactly as the preset draws them in a network, so anyone
 * can test the samplers against their distributions (Kolmogorov–Smirnov in test/montecarlo).
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { createRandom } from '../../math/random.js';
import { computeFans } from '../../vocabulary/fans.js';
import type { FanMode, InitRef, ResolvedInit } from '../../vocabulary/init.js';
import { resolveInit } from '../../vocabulary/inits/registry.js';
import type { CliIO } from '../io.js';
import { parseNumberFlag } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

/** Largest sample `sample` will print (JSON of 10⁷ numbers is ~200 MB already). */
export const MAX_SAMPLE_VALUES = 10_000_000;

export interface SampledWeights {
  /** The shape as given: [fanIn, fanOut] for a dense weight, torch layout (out, in, *kernel) for conv. */
  shape: number[];
  /** Row-major values in that shape. */
  values: number[];
  /** The resolved preset (law, variance, source). */
  init: ResolvedInit;
}

/**
 * Draws one weight tensor as the preset draws it. A 2-D shape is [fanIn, fanOut] (the engine's
 * dense layout); higher ranks are torch conv weights (out, in, *kernel) whose fans come from
 * `computeFans` (fan_in = in·rf). Conv weights are drawn as the [fanIn, out] matrix the im2col
 * forward pass multiplies by (so orthogonal columns are orthonormal there) and written out in torch
 * order.
 */
export function sampleWeights(init: InitRef, shape: number[], seed: number): SampledWeights {
  if (!Array.isArray(shape) || shape.length < 2) {
    throw new InputError('shape', shape, 'at least 2 positive integers: [fanIn, fanOut] or a torch conv shape (out, in, kh, kw)');
  }
  shape.forEach((dim, i) => {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) throw new InputError(`shape[${i}]`, dim, 'a positive integer');
  });
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_SAMPLE_VALUES) throw new InputError('shape', shape, `at most ${MAX_SAMPLE_VALUES} values in all`);
  const random = createRandom(seed);
  if (shape.length === 2) {
    const [fanIn, fanOut] = shape;
    const resolved = resolveInit(init, fanIn, fanOut);
    const out = new Float64Array(count);
    resolved.distribution.sample(random, out, fanIn, fanOut);
    return { shape: [...shape], values: Array.from(out), init: resolved };
  }
  const fans = computeFans(shape, { layout: 'torch' });
  const outChannels = shape[0];
  const resolved = resolveInit(init, fans.fanIn, fans.fanOut);
  const matrix = new Float64Array(count);
  resolved.distribution.sample(random, matrix, fans.fanIn, outChannels);
  const values = new Array<number>(count);
  for (let row = 0; row < fans.fanIn; row++) {
    for (let col = 0; col < outChannels; col++) values[col * fans.fanIn + row] = matrix[row * outChannels + col];
  }
  return { shape: [...shape], values, init: resolved };
}

interface SampleFlags {
  init: string;
  shape: string;
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
    .requiredOption('--shape <dims>', 'fanIn,fanOut for a dense weight, or out,in,kh,kw (torch) for a conv weight')
    .option('--gain <g>', 'gain (xavier, orthogonal)')
    .option('--a <a>', "kaiming's negative slope a")
    .option('--mode <mode>', 'fan_in | fan_out (kaiming, variance scaling)')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print {shape, values} as JSON')
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
      const sampled = sampleWeights(ref, shape, seed);
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
