/**
 * Small checks shared by everything that validates a description field by field (the network
 * description and the layer kinds' own override fields): each throws an {@link InputError} naming
 * the field path, the value and what is allowed.
 */
import { InputError } from '../errors.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function rejectUnknownKeys(object: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new InputError(`${prefix}${key}`, object[key], `a known field (${allowed.join(', ')})`, 'Unknown keys are rejected so typos do not pass silently');
    }
  }
}

export function requirePositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(field, value, 'a positive integer');
  }
  return value;
}

export function requireNonNegative(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(field, value, 'a finite number >= 0');
  }
  return value;
}
