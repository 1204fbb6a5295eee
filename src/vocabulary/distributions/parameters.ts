/**
 * Checks and formatting shared by the weight distributions: every law's parameter goes through
 * {@link requireParameter} so bad input always fails the same way.
 */
import { InputError } from '../../errors.js';

/** Throws {@link InputError} unless `value` is a finite number, ≥ 0 (or > 0 when `strictlyPositive`). */
export function requireParameter(field: string, value: unknown, strictlyPositive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (strictlyPositive && value === 0)) {
    throw new InputError(field, value, strictlyPositive ? 'a finite number > 0' : 'a finite number >= 0');
  }
  return value;
}

/** Throws {@link InputError} unless `value` is a finite number (any sign). */
export function requireFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(field, value, 'a finite number');
  return value;
}

/** Throws {@link InputError} unless `rows`·`cols` matches the buffer the caller wants filled. */
export function requireShape(out: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 1) throw new InputError('rows', rows, 'a positive integer');
  if (!Number.isInteger(cols) || cols < 1) throw new InputError('cols', cols, 'a positive integer');
  if (out.length !== rows * cols) {
    throw new InputError('out.length', out.length, `rows·cols = ${rows}·${cols} = ${rows * cols}`);
  }
}

/** Four significant digits, for labels. */
export function formatParameter(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
