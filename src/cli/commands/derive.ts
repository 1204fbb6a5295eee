/**
 * `varprop derive --fan-in 784 --fan-out 256 [--act tanh] [--init xavier_uniform]
 *  [--input-variance 1] [--format text|latex|json] [--json]`: the step-by-step derivation for one
 * dense layer. JSON fields `steps`, `conditions`, `std`, `bound`, `variance` are a contract.
 */
import { InputError } from '../../errors.js';
import { deriveLayer } from '../../symbolic/layer.js';
import { formatLatex, formatText, toDeriveJson } from '../../symbolic/present.js';
import type { RegisterCommand } from './index.js';

const FORMATS = ['text', 'latex', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface DeriveFlags {
  fanIn: string;
  fanOut: string;
  act?: string;
  init: string;
  inputVariance: string;
  format: string;
  json?: boolean;
}

/** Parses a flag's text as a number; what is allowed is decided by the derivation (named by flag). */
function parseNumber(text: string, flag: string, allowed: string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (Number.isNaN(value)) throw new InputError(flag, text, allowed);
  return value;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('derive')
    .description('Derive Var[o], Var[∂x], Var[∂w] and the init conditions for one dense layer, step by step')
    .requiredOption('--fan-in <n>', 'fan-in n_in (a positive integer)')
    .requiredOption('--fan-out <n>', 'fan-out n_out (a positive integer)')
    .option('--act <name|expression>', 'activation after the layer (name or an expression in x)')
    .option('--init <name>', 'init preset', 'xavier_uniform')
    .option('--input-variance <v>', 'variance γ² of the layer input', '1')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--json', 'same as --format json')
    .action((flags: DeriveFlags) => {
      const format = (flags.json ? 'json' : flags.format) as Format;
      if (!FORMATS.includes(format)) throw new InputError('--format', flags.format, `one of ${FORMATS.join(', ')}`);
      const derivation = deriveLayer(
        {
          fanIn: parseNumber(flags.fanIn, '--fan-in', 'a positive integer'),
          fanOut: parseNumber(flags.fanOut, '--fan-out', 'a positive integer'),
          activation: flags.act,
          init: flags.init,
          inputVariance: parseNumber(flags.inputVariance, '--input-variance', 'a positive finite number'),
        },
        { fanIn: '--fan-in', fanOut: '--fan-out', inputVariance: '--input-variance', activation: '--act', init: '--init' },
      );
      if (format === 'json') io.stdout(`${JSON.stringify(toDeriveJson(derivation), null, 2)}\n`);
      else if (format === 'latex') io.stdout(formatLatex(derivation));
      else io.stdout(formatText(derivation));
    });
};
