/**
 * Message catalogues: every word a report, the CLI summary or the explorer shows, one catalogue per
 * language. `en` defines the key set; every other language is typed as {@link Catalogue}, so a
 * missing or extra key is a type error. Math is never translated: LaTeX inside `$…$` stays as is.
 *
 * Templates use `{{name}}` placeholders (double braces, so LaTeX groups such as `\text{in}` are
 * never mistaken for one), filled by {@link fill}.
 */
import { InputError } from '../errors.js';
import { en } from './en.js';
import { zh } from './zh.js';

/** Turns every string literal type of a nested object into `string`, keeping the key structure. */
export type Widen<T> = T extends string ? string : { [K in keyof T]: Widen<T[K]> };

/** The key set every language must provide (the shape of the English catalogue). */
export type Catalogue = Widen<typeof en>;

export type Lang = 'en' | 'zh';

/** The language table: adding a language is adding a file and one entry here. */
export const catalogues: Readonly<Record<Lang, Catalogue>> = { en, zh };

export const languages = Object.keys(catalogues) as Lang[];

/** Looks up a catalogue; throws {@link InputError} naming `field` for an unknown language. */
export function getCatalogue(lang: string, field = '--lang'): Catalogue {
  if (!(languages as string[]).includes(lang)) throw new InputError(field, lang, `one of ${languages.join(', ')}`);
  return catalogues[lang as Lang];
}

/**
 * Fills `{{name}}` placeholders. A placeholder without a value is a programming error and throws, so a
 * half-filled sentence never reaches a reader.
 *
 * @example fill('{{n}} layers', { n: 3 }) // '3 layers'
 */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`message placeholder {{${name}}} has no value in "${template}"`);
    return String(value);
  });
}

/** The placeholders a template uses, sorted (tests check that translations use the same ones). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
}
