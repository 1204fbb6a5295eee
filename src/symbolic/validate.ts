/** Input validation shared by the derivation entry points. */
import { InputError } from '../errors.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';

/** Fans must be positive integers. */
export function assertFans(fanIn: number, fanOut: number, fields: { fanIn: string; fanOut: string } = { fanIn: 'fanIn', fanOut: 'fanOut' }): void {
  requirePositiveInteger(fields.fanIn, fanIn);
  requirePositiveInteger(fields.fanOut, fanOut);
}

export function assertPositiveFinite(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InputError(field, value, 'a positive finite number');
}
