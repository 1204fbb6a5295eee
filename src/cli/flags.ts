/**
 * Flags every command declares and parses: the shared network options (`--spec`, `--widths`, `--act`,
 * ...) and the number parsers. Light on purpose (commander's types and InputError only): each
 * command registers with these, so `varprop --help` and every command load no library code to
 * declare their flags. Reading a network from the flags is src/cli/networkFlags.ts.
 */
import type { Command } from 'commander';
import { InputError } from '../errors.js';

/**
 * Plain decimal notation: digits, an optional fraction with digits after the point, an optional
 * exponent. `Number()` alone also takes `0x10`, `0b101`, `0o7`, `5.` and `Infinity`, which no one
 * means as a width or a seed.
 */
const DECIMAL = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a flag as a finite number, or throws {@link InputError} naming the flag. */
export function parseNumberFlag(flag: string, text: string, allowed: string, isAllowed: (v: number) => boolean): number {
  const value = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || !isAllowed(value)) throw new InputError(flag, text, allowed);
  return value;
}

/** Parses `784,256,10` into positive integers. */
export function parseWidthsFlag(flag: string, text: string): number[] {
  return text
    .split(',')
    .map((part, i) => parseNumberFlag(`${flag}[${i}]`, part, 'a positive integer', (v) => Number.isInteger(v) && v > 0));
}

/** Adds the shared network options (no commander defaults: a flag given must be told from one omitted). */
export function addNetworkOptions(command: Command): Command {
  return command
    .option('--spec <file>', 'a network description as JSON (widths, activation, init, per-layer overrides, conv layers)')
    .option('--widths <list>', 'n_0,n_1,...,n_L, e.g. 784,256,256,10')
    .option('--act <name|expression>', 'activation: a name (tanh, relu, leaky_relu(0.2), ...) or an expression in x (default: identity)')
    .option('--init <preset>', 'init preset, e.g. xavier_uniform, he_normal, kaiming_normal(mode=fan_out) (default: xavier_uniform)')
    .option('--gain <g>', 'gain of the init preset (xavier, orthogonal)')
    .option('--mode <mode>', 'fan mode of the init preset: fan_in | fan_out (| fan_avg for variance_scaling)')
    .option('--bias-std <s>', 'standard deviation of the biases (default: 0, no biases)')
    .option('--input-variance <g2>', 'variance γ² of the inputs (default: 1)');
}

/** A network description's activation or init as the text a flag takes (`leaky_relu(slope=0.2)`). */
export function refText(ref: unknown): string {
  if (typeof ref === 'string') return ref;
  if (ref !== null && typeof ref === 'object') {
    const { name, expression, ...options } = ref as Record<string, unknown>;
    if (typeof expression === 'string') return expression;
    const args = Object.entries(options).map(([key, value]) => `${key}=${String(value)}`);
    return args.length ? `${String(name)}(${args.join(', ')})` : String(name);
  }
  return String(ref);
}
