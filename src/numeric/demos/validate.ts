/** Option checks the demos share; each throws {@link InputError} naming the option. */
import { InputError } from '../../errors.js';

export function integerOption(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

export function levelOption(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new InputError('level', value, 'a number strictly between 0 and 1, e.g. 0.99');
  return value;
}

export function seedOption(value: unknown): number {
  return integerOption('seed', value, 0, 2 ** 32 - 1);
}

export function finiteOption(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(field, value, 'a finite number');
  return value;
}
