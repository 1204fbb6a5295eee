/**
 * `value` rounded to `digits` significant digits and printed as the shortest decimal that reads back
 * as that number: 0.999999987 → '1', 1/3 → '0.333333'. Derivation steps and notes print their
 * numbers this way.
 */
export function formatSignificant(value: number, digits = 6): string {
  return String(Number(value.toPrecision(digits)));
}
