/**
 * Reading a preset's options out of an {@link InitRef} object, and writing numbers into variance
 * formulas. Every bad option throws {@link InputError} with the field path `init.<option>`.
 */
import { InputError } from '../../errors.js';
import type { FanMode, InitPreset, InitRef } from '../init.js';

export type InitOptions = Exclude<InitRef, string> | undefined;

/** A preset as the registry holds it: the {@link InitPreset} contract plus the options it reads. */
export interface InitPresetEntry extends InitPreset {
  /** Option keys the preset reads besides `name`. */
  readonly options: readonly string[];
}

/** A number option: default when absent; must be finite and, unless `allowNegative`, ≥ 0 (> 0 if `positive`). */
export function numberOption(
  options: InitOptions,
  key: 'gain' | 'a' | 'scale' | 'value',
  fallback: number,
  { positive = false, allowNegative = false }: { positive?: boolean; allowNegative?: boolean } = {},
): number {
  const value: unknown = options?.[key];
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (allowNegative || value >= 0) &&
    (!positive || value > 0);
  if (!ok) {
    throw new InputError(
      `init.${key}`,
      value,
      allowNegative ? 'a finite number' : positive ? 'a finite number > 0' : 'a finite number >= 0',
    );
  }
  return value as number;
}

/** A string option restricted to `allowed`. */
export function choiceOption<T extends string>(options: InitOptions, key: 'mode' | 'nonlinearity' | 'distribution', allowed: readonly T[], fallback: T): T {
  const value: unknown = options?.[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InputError(`init.${key}`, value, `one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** The fan a mode scales by, as a number. */
export function fanValue(mode: FanMode, fanIn: number, fanOut: number): number {
  return mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
}

/** The fan a mode scales by, in the symbols n_in, n_out (mathjs syntax, parenthesised when compound). */
export function fanExpression(mode: FanMode): string {
  return mode === 'fan_in' ? 'n_in' : mode === 'fan_out' ? 'n_out' : '((n_in+n_out)/2)';
}

/** The fan a mode scales by, in LaTeX. */
export function fanLatex(mode: FanMode): string {
  return mode === 'fan_in'
    ? 'n_\\text{in}'
    : mode === 'fan_out'
      ? 'n_\\text{out}'
      : '\\frac{n_\\text{in}+n_\\text{out}}{2}';
}

/** A number as mathjs (and nerdamer) read it; parenthesised when negative. */
export function numberExpression(value: number): string {
  const text = String(value);
  return value < 0 ? `(${text})` : text;
}

/** A number in LaTeX: `1e-7` becomes `1 \times 10^{-7}`. */
export function numberLatex(value: number): string {
  const text = String(value);
  const match = /^(-?[\d.]+)e([+-]?\d+)$/.exec(text);
  if (!match) return text;
  return `${match[1]} \\times 10^{${Number(match[2])}}`;
}

/** Label a preset with its options, e.g. `he_normal(mode=fan_out, nonlinearity=relu)`. */
export function presetLabel(name: string, parts: Record<string, string | number | undefined>): string {
  const shown = Object.entries(parts).filter(([, v]) => v !== undefined);
  return shown.length === 0 ? name : `${name}(${shown.map(([k, v]) => `${k}=${v}`).join(', ')})`;
}
