/**
 * `varprop gain <name|expression> [--q 1] [--slope s] [--alpha a] [--json]`: the forward, backward and
 * centred gains of an activation, next to PyTorch's `calculate_gain`.
 */
import { InputError } from '../../errors.js';
import type { ActivationRef } from '../../vocabulary/activation.js';
import { describeActivations, resolveActivation } from '../../vocabulary/activations/registry.js';
import type { GainReport } from '../../vocabulary/gains.js';
import type { RegisterCommand } from './index.js';

interface GainOptions {
  q: string;
  slope?: string;
  alpha?: string;
  json?: boolean;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('gain')
    .description('Gains of an activation at pre-activation variance q (z ~ N(0, 1)): forward √(q/E[φ(√q z)²]), backward 1/√E[φ′(√q z)²], centred √(q/Var[φ(√q z)]), and PyTorch\'s calculate_gain')
    .argument('<activation>', 'an activation name or an expression in x, e.g. tanh, leaky_relu, "x/(1+abs(x))"')
    .option('--q <variance>', 'variance of the pre-activation', '1')
    .option('--slope <s>', 'negative slope of leaky_relu (default 0.01)')
    .option('--alpha <a>', 'alpha of elu (default 1)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nWhat is computed, with x = √q z, z ~ N(0, 1), and a layer Var[w] = g²/n (src/vocabulary/gains.ts):\n' +
        '  forward gain   √(q/E[φ(x)²])   keeps the pre-activation variance at q (1/√E[φ(z)²] at q = 1)\n' +
        '  backward gain  1/√E[φ′(x)²]   keeps the gradient\'s second moment\n' +
        '  centred gain   √(q/Var[φ(x)])  keeps the variance of the centred activation\n' +
        'A custom expression whose φ² or φ′² has a non-integrable singularity (sqrt(abs(x)): φ′² = 1/(4|x|))\n' +
        'is refused: its moments are infinite.\n' +
        `\nActivations:\n${describeActivations()}\n`,
    )
    .action(async (name: string, options: GainOptions) => {
      const { computeGains } = await import('../../vocabulary/gains.js');
      const q = parseNumber(options.q, '--q');
      if (!(q > 0)) throw new InputError('--q', options.q, 'a positive finite number (a variance)');
      const ref: ActivationRef =
        options.slope === undefined && options.alpha === undefined
          ? name
          : {
              name,
              ...(options.slope !== undefined ? { slope: parseNumber(options.slope, '--slope') } : {}),
              ...(options.alpha !== undefined ? { alpha: parseNumber(options.alpha, '--alpha') } : {}),
            };
      const report = computeGains(resolveActivation(ref), q);
      io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
    });
};

function parseNumber(text: string, field: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InputError(field, text, field === '--q' ? 'a positive finite number (a variance)' : 'a finite number');
  return value;
}

function formatTable(report: GainReport): string {
  const number = (value: number): string => (Math.abs(value) < 1e-12 ? '0' : Number(value.toPrecision(10)).toString());
  const rows: Array<[string, string]> = [
    ['activation', report.activation],
    ['q', number(report.q)],
    ['E[φ(√q z)]', number(report.mean)],
    ['E[φ(√q z)²]', number(report.secondMoment)],
    ['E[φ′(√q z)²]', number(report.derivativeSecondMoment)],
    ['forward gain', number(report.forwardGain)],
    ['backward gain', number(report.backwardGain)],
    ['centred gain', number(report.centeredGain)],
    ['PyTorch gain', report.pytorchGain === null ? '—' : number(report.pytorchGain)],
    ['moments from', report.closedForm ? 'closed forms' : 'quadrature'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  if (report.explanation) lines.push('', report.explanation);
  return `${lines.join('\n')}\n`;
}
