/** Number formatting for tables and prose: 4 significant digits, scientific with ×10ⁿ when needed. */

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * Formats a number for a reader: `0.003906`, `1.234×10⁻⁵`, `2.5×10⁶`. Never prints NaN: non-finite
 * values become '—' (or ∞ with its sign).
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e5) {
    // toPrecision writes 13780.6 as '1.378e+4' when the integer part has more than `digits` digits.
    const fixed = value.toPrecision(digits);
    return trimZeros(fixed.includes('e') ? String(Number(fixed)) : fixed).replace('-', '−');
  }
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  const exp = String(Number(exponent)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
  return `${trimZeros(mantissa).replace('-', '−')}×10${exp}`;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') && !fixed.includes('e') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A signed z-score with two decimals (U+2212 minus). */
export function formatZ(z: number): string {
  if (!Number.isFinite(z)) return '—';
  return z.toFixed(2).replace('-', '−');
}
