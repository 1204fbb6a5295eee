/**
 * Errors a user can act on. Every public entry point throws {@link InputError} for bad input, with a
 * message that names the field, the bad value and what is allowed; the CLI prints `error.message` on
 * one line and exits 2.
 *
 * @example
 * ```ts
 * throw new InputError('widths[2]', -3, 'a positive integer');
 * // InputError: widths[2] = -3 is not allowed: expected a positive integer
 * ```
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** Dotted path of the offending field, e.g. `widths[2]` or `--fan-in`. */
    readonly field: string,
    /** The value that was given. */
    readonly value: unknown,
    /** What is allowed, in words: `a positive integer`, `one of relu, tanh, ...`. */
    readonly allowed: string,
    /** Optional extra sentence (why, or a hint). */
    readonly hint?: string,
  ) {
    // A missing value is "required", never "= undefined".
    const head = value === undefined ? `${field} is required` : `${field} = ${formatValue(value)} is not allowed`;
    super(`${head}: expected ${allowed}${hint ? `. ${hint}` : ''}`);
  }
}

/** Raised when a numeric run overflows (Inf/NaN) or underflows to zero; names the layer. */
export class NumericalBreakdownError extends Error {
  override readonly name = 'NumericalBreakdownError';
  constructor(
    readonly kind: 'exploded' | 'vanished',
    /** 1-based weight-layer index where the breakdown was first seen. */
    readonly layer: number,
    readonly pass: 'forward' | 'backward',
    detail = '',
  ) {
    super(`${kind} at layer ${layer} (${pass} pass)${detail ? `: ${detail}` : ''}`);
  }
}

/** Raised before allocation when a request would not fit in memory. */
export class MemoryBudgetError extends Error {
  override readonly name = 'MemoryBudgetError';
  constructor(readonly requiredBytes: number, readonly budgetBytes: number, what: string) {
    super(
      `${what} would need ${formatBytes(requiredBytes)}, more than the memory budget of ${formatBytes(budgetBytes)}; use smaller widths, batch or nets`,
    );
  }
}

/** True for errors whose message is meant for the user (CLI prints one line, exit 2). */
export function isUserFacingError(error: unknown): error is InputError | NumericalBreakdownError | MemoryBudgetError {
  return error instanceof InputError || error instanceof NumericalBreakdownError || error instanceof MemoryBudgetError;
}

/** Longest echo of a bad value: a message stays one readable line even for a 20 KB input. */
export const MAX_ECHO_CHARS = 80;

export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= MAX_ECHO_CHARS) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, MAX_ECHO_CHARS - 3))}... (${value.length} characters)`;
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    // JSON.stringify gives undefined for functions and symbols.
    if (typeof text !== 'string') return typeof value;
    return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS - 3)}...` : text;
  } catch {
    // A cycle, or nesting so deep that stringifying overflows the stack (a 50,000-deep spec): say
    // what it is instead of falling over while reporting the error.
    return Array.isArray(value) ? 'a (deeply nested) array' : 'a (deeply nested) object';
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}
