/**
 * `varprop transformer --preset pre_ln|post_ln|deepnet|tfixup|gpt2 --layers L --tokens T --width d
 * --heads h [--causal] [--architecture encoder|decoder|encoder_decoder] [--decoder-layers M]
 * [--branch-scale a|inv_sqrt_depth] [--nets R] [--batch B] [--seed s] [--json]`: a stack of
 * transformer blocks (src/recipes/transformer.ts), and per block output the predicted and measured
 * second moment and mean token cosine (src/recipes/transformerDepth.ts).
 *
 * JSON (a contract): `{ preset, options, constants, spec, blocks: [{ block, variance, tokenCosine }],
 * monteCarlo: { nets, batch, seed, level, pass, breakdown? } }`, each quantity `{ predicted,
 * prediction: 'exact' | 'meanField', estimate, ciLow, ciHigh, verdict }`.
 */
import { InputError } from '../../errors.js';
import {
  ARCHITECTURES,
  deepNormConstants,
  gpt2ProjectionStd,
  TRANSFORMER_PRESETS,
  tFixupScale,
  transformerSpec,
  type Architecture,
  type TransformerOptions,
  type TransformerPreset,
} from '../../recipes/transformer.js';
import type { BlockQuantity, TransformerDepth } from '../../recipes/transformerDepth.js';
import { formatSignificant } from '../../math/significant.js';
import { parseNumberFlag } from '../flags.js';
import type { RegisterCommand } from './index.js';

interface TransformerFlags {
  preset: string;
  layers: string;
  tokens: string;
  width: string;
  heads: string;
  causal?: boolean;
  architecture?: string;
  decoderLayers?: string;
  branchScale?: string;
  nets: string;
  batch: string;
  seed: string;
  json?: boolean;
}

const positiveInteger = (v: number) => Number.isInteger(v) && v > 0;

function readOptions(flags: TransformerFlags): { preset: TransformerPreset; options: TransformerOptions } {
  const preset = flags.preset as TransformerPreset;
  if (!TRANSFORMER_PRESETS.includes(preset)) throw new InputError('--preset', flags.preset, `one of ${TRANSFORMER_PRESETS.join(', ')}`);
  const layers = parseNumberFlag('--layers', flags.layers, 'an integer from 1 to 1000', (v) => positiveInteger(v) && v <= 1000);
  const options: TransformerOptions = {
    layers,
    tokens: parseNumberFlag('--tokens', flags.tokens, 'an integer from 2 to 512', (v) => positiveInteger(v) && v >= 2 && v <= 512),
    width: parseNumberFlag('--width', flags.width, 'an integer from 2 to 4096', (v) => positiveInteger(v) && v >= 2 && v <= 4096),
    heads: parseNumberFlag('--heads', flags.heads, 'a positive integer that divides --width', positiveInteger),
  };
  if (options.width % options.heads !== 0) throw new InputError('--heads', flags.heads, `a divisor of --width ${options.width}`);
  if (flags.causal) options.causal = true;
  if (flags.architecture !== undefined) {
    if (!ARCHITECTURES.includes(flags.architecture as Architecture)) throw new InputError('--architecture', flags.architecture, `one of ${ARCHITECTURES.join(', ')}`);
    options.architecture = flags.architecture as Architecture;
  }
  if (flags.decoderLayers !== undefined) options.decoderLayers = parseNumberFlag('--decoder-layers', flags.decoderLayers, 'an integer from 1 to 1000', (v) => positiveInteger(v) && v <= 1000);
  if (flags.branchScale !== undefined) {
    options.branchScale =
      flags.branchScale === 'inv_sqrt_depth' ? 1 / Math.sqrt(layers) : parseNumberFlag('--branch-scale', flags.branchScale, 'a finite number >= 0, or inv_sqrt_depth (1/√L)', (v) => v >= 0);
  }
  return { preset, options };
}

/** The constants the preset uses, as numbers (what the tests and the docs quote). */
export function presetConstants(preset: TransformerPreset, options: TransformerOptions): Record<string, number> {
  const architecture = options.architecture ?? (preset === 'gpt2' ? 'decoder' : 'encoder');
  const decoderLayers = options.decoderLayers ?? options.layers;
  if (preset === 'deepnet') {
    const { alpha, beta } = deepNormConstants(architecture, options.layers, decoderLayers);
    return { alpha, beta };
  }
  if (preset === 'tfixup') return { scale: tFixupScale(architecture, options.layers, decoderLayers) };
  if (preset === 'gpt2') return { std: 0.02, projectionStd: gpt2ProjectionStd(options.layers) };
  return {};
}

function cell(q: BlockQuantity): string {
  const label = q.prediction === 'exact' ? 'exact' : 'mean-field';
  if (q.estimate === undefined) return `${formatSignificant(q.predicted, 4)} (${label})`;
  return `${formatSignificant(q.predicted, 4)} (${label})  measured ${formatSignificant(q.estimate, 4)} [${formatSignificant(q.ciLow!, 4)}, ${formatSignificant(q.ciHigh!, 4)}] ${q.verdict}`;
}

function formatTable(preset: TransformerPreset, options: TransformerOptions, constants: Record<string, number>, depth: TransformerDepth): string {
  const lines: string[] = [];
  const shown = Object.entries(constants).map(([key, value]) => `${key} ${formatSignificant(value, 6)}`);
  lines.push(
    `${preset}: ${options.layers} blocks, ${options.tokens} tokens × width ${options.width}, ${options.heads} heads${options.branchScale !== undefined ? `, branch scale ${formatSignificant(options.branchScale, 4)}` : ''}${shown.length > 0 ? `; ${shown.join(', ')}` : ''}`,
  );
  const mc = depth.monteCarlo;
  if (mc) lines.push(`Monte Carlo: ${mc.nets} nets × ${mc.batch} sequences, seed ${mc.seed}, family level ${mc.level}: ${mc.pass ? 'pass' : 'FAIL'}${mc.breakdown ? ` (${mc.breakdown})` : ''}`);
  lines.push('block  E[x²] predicted / measured [interval] verdict   |   token cosine predicted / measured [interval] verdict (on E[x̄²])');
  for (const row of depth.blocks) lines.push(`${String(row.block).padStart(5)}  ${cell(row.variance)}   |   ${cell(row.tokenCosine)}`);
  return `${lines.join('\n')}\n`;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('transformer')
    .description('A stack of transformer blocks (pre-LN, post-LN, DeepNet, T-Fixup, GPT-2): per block, E[x²] and the mean cosine between tokens, predicted and measured')
    .requiredOption('--preset <name>', TRANSFORMER_PRESETS.join(' | '))
    .option('--layers <L>', 'blocks (DeepNet/T-Fixup: the encoder N, or the decoder M of a decoder-only stack)', '6')
    .option('--tokens <T>', 'tokens per sequence', '16')
    .option('--width <d>', 'token width', '64')
    .option('--heads <h>', 'attention heads (head width d/h)', '4')
    .option('--causal', 'causal self-attention (default for gpt2 and --architecture decoder)')
    .option('--architecture <a>', `whose constants DeepNet and T-Fixup use: ${ARCHITECTURES.join(', ')} (default encoder; gpt2: decoder)`)
    .option('--decoder-layers <M>', 'decoder layers M of an encoder_decoder (default --layers)')
    .option('--branch-scale <a>', 'scale α of every residual branch (a number, or inv_sqrt_depth for 1/√L)')
    .option('--nets <R>', 'replicate networks', '8')
    .option('--batch <B>', 'sequences per replicate', '8')
    .option('--seed <s>', 'seed of the Monte Carlo', '1')
    .option('--json', 'print JSON: preset, options, constants, spec, blocks [{ block, variance, tokenCosine }] each { predicted, prediction, estimate, ciLow, ciHigh, verdict }, monteCarlo { nets, batch, seed, level, pass, breakdown? }')
    .addHelpText(
      'after',
      '\nInput x ~ N(0, γ²) with independent tokens (T-Fixup: γ² = d^(-1/2), its embedding law), then L blocks; no embedding, no head.\n' +
        'Predicted by propagate() with the tokens as the c-map\'s two inputs (cosine = E[x_t x_s]/E[x²]); measured per block output by\n' +
        'the engine: E[x²] decided against its prediction, the cosine with a t interval, its verdict the decision on the token mean\'s\n' +
        'second moment E[x̄²] = E[x²]/T + (1 − 1/T)·E[x_t x_s] (every block in one Bonferroni family at 99%).\n' +
        'Example: varprop transformer --preset post_ln --layers 6   # the token cosine climbs towards 1: rank collapse\n',
    )
    .action(async (flags: TransformerFlags) => {
      const { preset, options } = readOptions(flags);
      const settings = {
        nets: parseNumberFlag('--nets', flags.nets, 'an integer from 2 to 1000', (v) => positiveInteger(v) && v >= 2 && v <= 1000),
        batch: parseNumberFlag('--batch', flags.batch, 'an integer from 1 to 1024', (v) => positiveInteger(v) && v <= 1024),
        seed: parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 32 - 1),
        level: 0.99,
      };
      const spec = transformerSpec(preset, options);
      const [{ resolveNetwork }, { measureBlocks }] = await Promise.all([import('../../vocabulary/network.js'), import('../../recipes/transformerDepth.js')]);
      const network = resolveNetwork(spec);
      const constants = presetConstants(preset, options);
      const depth = measureBlocks(network, settings);
      if (flags.json) io.stdout(`${JSON.stringify({ preset, options, constants, spec, ...depth }, null, 1)}\n`);
      else io.stdout(formatTable(preset, options, constants, depth));
      if (depth.monteCarlo && !depth.monteCarlo.pass) io.exitCode = 1;
    });
};
