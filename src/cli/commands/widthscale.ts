/**
 * `varprop widthscale --spec net.json --param mup|sp|ntk --optimizer sgd|adam --widths 64,128,... [--json]`:
 * the coordinate check (src/numeric/coordinateCheck.ts) with the exponents the parametrization's abc
 * table predicts (src/theory/widthExponents.ts). JSON contract per layer: `exponent`, `ciLow`,
 * `ciHigh`, `predictedExponent` (of the update Δh_l after one step), and `activation` with the same
 * fields for h_l at initialization.
 */
import { InputError } from '../../errors.js';
import type { CoordinateCheckResult, ExponentFit } from '../../numeric/coordinateCheck.js';
import { DEFAULT_EXPONENT_TOLERANCE, DEFAULT_LEVEL } from '../../numeric/measurement.js';
import { formatSignificant } from '../../math/significant.js';
import { resolveOptimizer, resolveParametrization } from '../../vocabulary/parametrizations.js';
import { parseNumberFlag, parseWidthsFlag } from '../flags.js';
import type { RegisterCommand } from './index.js';

interface WidthscaleFlags {
  spec?: string;
  param: string;
  optimizer: string;
  widths: string;
  lr?: string;
  nets: string;
  batch: string;
  seed: string;
  level: string;
  tolerance: string;
  json?: boolean;
}

/** Base learning rates when --lr is not given: mup's coordinate-check examples use Adam at 1e-3. */
const DEFAULT_LEARNING_RATE = { sgd: 0.01, adam: 0.001 } as const;

export const register: RegisterCommand = (program, io) => {
  program
    .command('widthscale')
    .description('Coordinate check with theory: how activations and their one-step updates scale with width under SP, NTK or μP, fitted exponent vs the abc table\'s prediction')
    .option('--spec <file>', 'the network (JSON): a chain of dense layers and activations, no biases; its widths are the base width')
    .requiredOption('--param <name>', 'parametrization: sp | ntk | mup')
    .option('--optimizer <name>', 'sgd | adam (one step)', 'sgd')
    .option('--widths <list>', 'hidden widths n to sample, e.g. 64,128,256,512,1024', '64,128,256,512,1024')
    .option('--lr <eta>', `base learning rate η at the spec's width (default ${DEFAULT_LEARNING_RATE.sgd} for sgd, ${DEFAULT_LEARNING_RATE.adam} for adam)`)
    .option('--nets <R>', 'replicate networks per width (≥ 2)', '8')
    .option('--batch <B>', 'examples in the batch of the step', '16')
    .option('--seed <s>', 'seed', '1')
    .option('--level <p>', 'family-wise confidence level of the exponent intervals', String(DEFAULT_LEVEL))
    .option('--tolerance <t>', 'half-width of the band around a predicted exponent', String(DEFAULT_EXPONENT_TOLERANCE))
    .option('--json', 'print JSON (per layer: exponent, ciLow, ciHigh, predictedExponent of the update; activation: the same at init)')
    .addHelpText(
      'after',
      '\nWidths: the first weight layer\'s width in the spec is the base width n₀; for each n in --widths every\n' +
        'dense width w except the last layer\'s (the output) becomes w·n/n₀ (a 4× expansion stays 4×); the input\n' +
        'and output dimensions stay fixed. At n₀ every parametrization is the spec as written.\n' +
        'Per width, --nets replicate networks: init rescaled to Var₀·(n/n₀)^(−2(a+b)), one step of the random\n' +
        'linear loss Σ g·f (g ~ N(0,1)) with learning rate η·(n/n₀)^λ per layer, and the RMS of each pre-activation\n' +
        'h_l at init and of its change Δh_l. Exponent = mean over replicates of the least-squares slope of ln RMS\n' +
        'on ln n, with a t interval at the family-wise --level (Bonferroni over 2 × layers). A layer fails when\n' +
        'its interval misses [predicted − tolerance, predicted + tolerance]; predictions are leading order.\n' +
        'Example: varprop widthscale --spec examples/width-mlp.json --param mup --optimizer adam --widths 64,128,256,512 --json\n',
    )
    .action(async (flags: WidthscaleFlags) => {
      if (flags.spec === undefined) throw new InputError('--spec', undefined, 'a network JSON file (a chain of dense layers and activations)');
      const [{ networkSpecFromFlags }, { coordinateCheck }, { createProgress }] = await Promise.all([
        import('../networkFlags.js'),
        import('../../numeric/coordinateCheck.js'),
        import('../progress.js'),
      ]);
      const spec = networkSpecFromFlags({ spec: flags.spec });
      const parametrization = resolveParametrization(flags.param, '--param');
      const optimizer = resolveOptimizer(flags.optimizer, '--optimizer');
      const integer = (flag: string, text: string, min: number) =>
        parseNumberFlag(flag, text, `an integer ≥ ${min}`, (v) => Number.isInteger(v) && v >= min);
      const learningRate = flags.lr === undefined ? DEFAULT_LEARNING_RATE[optimizer] : parseNumberFlag('--lr', flags.lr, 'a finite number > 0', (v) => v > 0);
      const progress = createProgress(io, { label: 'widthscale' });
      let result: CoordinateCheckResult;
      try {
        result = coordinateCheck(spec, {
          parametrization,
          optimizer,
          widths: parseWidthsFlag('--widths', flags.widths),
          learningRate,
          nets: integer('--nets', flags.nets, 2),
          batch: integer('--batch', flags.batch, 1),
          seed: parseNumberFlag('--seed', flags.seed, 'an integer', Number.isSafeInteger),
          level: parseNumberFlag('--level', flags.level, 'a number in (0, 1)', (v) => v > 0 && v < 1),
          tolerance: parseNumberFlag('--tolerance', flags.tolerance, 'a number ≥ 0', (v) => v >= 0),
          onProgress: (done, total) => progress.update(done, total),
        });
      } finally {
        progress.stop();
      }
      io.stdout(flags.json ? `${JSON.stringify(widthscaleJson(result), null, 1)}\n` : formatWidthscale(result));
      if (result.verdict === 'fails') io.exitCode = 1;
    });
};

const contract = (fit: ExponentFit) => ({
  exponent: fit.exponent,
  ciLow: fit.ciLow,
  ciHigh: fit.ciHigh,
  predictedExponent: fit.predictedExponent,
  verdict: fit.verdict,
  sizes: fit.sizes,
});

/** The JSON contract of `widthscale --json`. */
export function widthscaleJson(result: CoordinateCheckResult) {
  return {
    parametrization: result.parametrization,
    optimizer: result.optimizer,
    widths: result.widths,
    baseWidth: result.baseWidth,
    learningRate: result.learningRate,
    nets: result.nets,
    batch: result.batch,
    seed: result.seed,
    level: result.level,
    intervalLevel: result.intervalLevel,
    tolerance: result.tolerance,
    prediction: 'leading-order',
    verdict: result.verdict,
    layers: result.layers.map((layer) => ({
      layer: layer.layer,
      path: layer.path,
      role: layer.role,
      quantity: 'update',
      ...contract(layer.update),
      weightTermExponent: layer.prediction.weightTerm,
      propagatedTermExponent: Number.isFinite(layer.prediction.propagatedTerm) ? layer.prediction.propagatedTerm : null,
      activation: contract(layer.activation),
    })),
  };
}

const show = (value: number) => formatSignificant(Math.abs(value) < 5e-4 ? 0 : Number(value.toFixed(3)));

function formatWidthscale(result: CoordinateCheckResult): string {
  const header = ['layer', 'role', 'Δh exponent', 'interval', 'predicted', 'verdict', 'h exponent', 'interval', 'predicted', 'verdict'];
  const rows = result.layers.map((layer) => [
    `${layer.layer} (${layer.path})`,
    layer.role,
    show(layer.update.exponent),
    `[${show(layer.update.ciLow)}, ${show(layer.update.ciHigh)}]`,
    show(layer.update.predictedExponent),
    layer.update.verdict,
    show(layer.activation.exponent),
    `[${show(layer.activation.ciLow)}, ${show(layer.activation.ciHigh)}]`,
    show(layer.activation.predictedExponent),
    layer.activation.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [
    `${result.parametrization} + ${result.optimizer}, widths ${result.widths.join(', ')} (base ${result.baseWidth}), η = ${result.learningRate}, ${result.nets} nets, batch ${result.batch}`,
    'RMS ∝ n^exponent; Δh after one step, h at init; predictions leading order (abc table)',
    line(header),
    ...rows.map(line),
    '',
    `verdict: ${result.verdict} (intervals at ${show(result.intervalLevel * 100)}% each, family-wise ${show(result.level * 100)}%; band ± ${result.tolerance})`,
    '',
  ].join('\n');
}
