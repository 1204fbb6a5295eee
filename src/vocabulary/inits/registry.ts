/**
 * The table of init presets. Each family lives in its own file; adding one is adding a file and a
 * line in `presets` below. `resolveInit` turns a preset reference and concrete fans into the law
 * the weights are drawn from, with its variance as a number and as a formula in n_in, n_out.
 *
 * @example
 * ```ts
 * const init = resolveInit('xavier_uniform', 784, 256);
 * init.variance;              // 0.00192307… = 2/(784+256)
 * init.distribution.params;   // { bound: 0.0759555… }
 * init.varianceExpression;    // '2/(n_in+n_out)'
 * ```
 */
import { InputError } from '../../errors.js';
import { requirePositiveInteger } from '../fields.js';
import type { InitRef, ResolvedInit } from '../init.js';
import { constant } from './constant.js';
import { heNormal, heUniform } from './he.js';
import { lecunNormal, lecunUniform } from './lecun.js';
import type { InitOptions, InitPresetEntry } from './options.js';
import { orthogonal } from './orthogonal.js';
import { pytorchDefault } from './pytorchDefault.js';
import { standard } from './standard.js';
import { varianceScaling } from './varianceScaling.js';
import { xavierNormal, xavierUniform } from './xavier.js';

const presets: readonly InitPresetEntry[] = [
  xavierUniform,
  xavierNormal,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  pytorchDefault,
  varianceScaling,
  orthogonal,
  standard,
  constant,
];

/** Canonical preset names, in table order. */
export const initNames: readonly string[] = presets.map((preset) => preset.name);

/** Every preset's name, aliases, options and one-line description (for `--help`, docs, explorer). */
export function describeInits(): { name: string; aliases: string[]; options: string[]; description: string }[] {
  return presets.map((preset) => ({
    name: preset.name,
    aliases: [...preset.aliases],
    options: [...preset.options],
    description: preset.description,
  }));
}

/** The preset a name or alias refers to (case-insensitive), or undefined. */
export function findInitPreset(name: string): InitPresetEntry | undefined {
  const key = name.trim().toLowerCase();
  return presets.find((preset) => preset.name === key || preset.aliases.includes(key));
}

/**
 * Resolves an init reference at concrete fans. Throws {@link InputError} (field `init`,
 * `init.<option>`, `fanIn` or `fanOut`) for unknown presets, unknown or bad options and fans that
 * are not positive integers.
 * @param field the field path used in error messages instead of `init`, e.g. `layers[1].init`
 */
export function resolveInit(ref: InitRef, fanIn: number, fanOut: number, field = 'init'): ResolvedInit {
  try {
    return resolveInitAt(ref, fanIn, fanOut);
  } catch (error) {
    if (field !== 'init' && error instanceof InputError && /^init(\.|$)/.test(error.field)) {
      throw new InputError(field + error.field.slice(4), error.value, error.allowed, error.hint);
    }
    throw error;
  }
}

function resolveInitAt(ref: InitRef, fanIn: number, fanOut: number): ResolvedInit {
  requirePositiveInteger('fanIn', fanIn);
  requirePositiveInteger('fanOut', fanOut);
  const allowedNames = `one of ${initNames.join(', ')} (or an alias: ${presets.flatMap((p) => p.aliases).join(', ')})`;
  let name: unknown;
  let options: InitOptions;
  if (typeof ref === 'string' && ref.includes('(')) {
    ({ name, options } = parseCallSyntax(ref));
  } else if (typeof ref === 'string') {
    name = ref;
  } else if (ref !== null && typeof ref === 'object' && !Array.isArray(ref)) {
    name = (ref as { name?: unknown }).name;
    options = ref;
    if (typeof name !== 'string') throw new InputError('init.name', name, allowedNames);
  } else {
    throw new InputError('init', ref, `a preset name or an object { name, ...options } with name ${allowedNames}`);
  }
  const preset = findInitPreset(name as string);
  if (!preset) throw new InputError(options ? 'init.name' : 'init', name, allowedNames);
  if (options) {
    for (const key of Object.keys(options)) {
      if (key !== 'name' && !preset.options.includes(key)) {
        throw new InputError(
          `init.${key}`,
          (options as Record<string, unknown>)[key],
          `an option of ${preset.name} (${['name', ...preset.options].join(', ')})`,
        );
      }
    }
  }
  return preset.resolve(fanIn, fanOut, options);
}

/**
 * Reads the call syntax that labels print, e.g. `kaiming_normal(mode=fan_out, nonlinearity=relu)` or
 * `xavier_uniform(gain=1.4142)`, into a name and options, so a label can be passed back in (CLI flags,
 * URLs). Values that read as finite numbers become numbers; the rest stay strings.
 */
export function parseCallSyntax(text: string): { name: string; options: Exclude<InitRef, string> } {
  const call = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*$/s.exec(text);
  if (!call) throw new InputError('init', text, 'a preset name, optionally with options as name(key=value, ...)');
  const options: Record<string, string | number> = { name: call[1] };
  for (const part of call[2].split(',').filter((piece) => piece.trim() !== '')) {
    const equals = part.indexOf('=');
    const key = part.slice(0, equals).trim();
    const raw = part.slice(equals + 1).trim();
    if (equals < 0 || key === '' || raw === '') {
      throw new InputError('init', text, 'options written as key=value, e.g. kaiming_normal(mode=fan_out, a=0.1)', `cannot read "${part.trim()}"`);
    }
    const number = Number(raw);
    options[key] = Number.isFinite(number) ? number : raw;
  }
  // Option values are validated by the preset itself, like those of an object reference.
  return { name: call[1], options: options as unknown as Exclude<InitRef, string> };
}
