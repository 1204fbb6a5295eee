/** Input validation shared by the derivation entry points. */
import { InputError } from '../errors.js';

/** Fans must be positive integers. */
export function assertFans(fanIn: number, fanOut: number, fields: { fanIn: string; fanOut: string } = { fanIn: 'fanIn', fanOut: 'fanOut' }): void {
  assertPositiveInteger(fanIn, fields.fanIn);
  assertPositiveInteger(fanOut, fields.fanOut);
}

export function assertPositiveInteger(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new InputError(field, value, 'a positive integer');
}

export function assertPositiveFinite(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InputError(field, value, 'a positive finite number');
}
