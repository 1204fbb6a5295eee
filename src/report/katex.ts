/**
 * KaTeX rendering with the strictest settings (a formula that KaTeX would only warn about is an
 * error here), and KaTeX's stylesheet with its woff2 fonts inlined as data URIs so a report needs no
 * network and no side files.
 */
import katex from 'katex';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The options every formula is rendered with; tests use the same object. */
export const KATEX_OPTIONS = Object.freeze({
  throwOnError: true,
  strict: 'error' as const,
  trust: false,
  output: 'htmlAndMathml' as const,
});

/** Renders LaTeX to HTML; throws `katex.ParseError` on anything KaTeX would not render cleanly. */
export function renderMath(latex: string, displayMode: boolean): string {
  return katex.renderToString(latex, { ...KATEX_OPTIONS, displayMode });
}

/**
 * Splits `lhs = rhs` at its first top-level `=` (outside braces, `\left…\right` and environments)
 * so a chain of steps can be aligned on the equals sign. Returns null when there is no such `=` or
 * either side is empty.
 */
export function splitAtEquals(latex: string): { lhs: string; rhs: string } | null {
  let depth = 0;
  for (let i = 0; i < latex.length; i++) {
    const ch = latex[i];
    if (ch === '\\') {
      const word = /^\\([a-zA-Z]+)/.exec(latex.slice(i));
      if (word) {
        if (word[1] === 'left' || word[1] === 'begin') depth++;
        else if (word[1] === 'right' || word[1] === 'end') depth--;
        i += word[0].length - 1;
      } else {
        i++; // an escaped symbol such as \{ or \=
      }
    } else if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === '=' && depth === 0) {
      const lhs = latex.slice(0, i).trim();
      const rhs = latex.slice(i + 1).trim();
      return lhs && rhs ? { lhs, rhs } : null;
    }
  }
  return null;
}

const require = createRequire(import.meta.url);

/** KaTeX's font families and the woff2 files they use, read from the installed package. */
function katexDistDir(): string {
  return dirname(require.resolve('katex/dist/katex.min.css'));
}

/**
 * KaTeX's CSS with every `@font-face` reduced to its woff2 source, inlined as a data URI. When
 * `usedHtml` is given, font faces of families the rendered math never uses are dropped (KaTeX's
 * families map to CSS classes; see {@link usedFontFamilies}), which keeps documents small.
 */
export function katexCss(usedHtml?: string): string {
  const dir = katexDistDir();
  const css = readFileSync(join(dir, 'katex.min.css'), 'utf8');
  const used = usedHtml === undefined ? null : usedFontFamilies(css, usedHtml);
  return css.replace(/@font-face\{([^}]*)\}/g, (_whole, body: string) => {
    const family = /font-family:([\w-]+)/.exec(body)?.[1] ?? '';
    if (used && !used.has(family)) return '';
    const file = /url\((fonts\/[\w-]+\.woff2)\)/.exec(body)?.[1];
    if (!file) return '';
    const data = readFileSync(join(dir, file)).toString('base64');
    const rest = body.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`);
    return `@font-face{${rest}}`;
  });
}

/**
 * The KaTeX font families rendered HTML can need: KaTeX_Main always; another family when some CSS
 * rule that sets it has all of its class names present in the HTML.
 */
export function usedFontFamilies(css: string, html: string): Set<string> {
  const classes = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const c of m[1].split(/\s+/)) if (c) classes.add(c);
  const used = new Set<string>(['KaTeX_Main']);
  const body = css.replace(/@font-face\{[^}]*\}/g, '');
  for (const rule of body.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const family = /font-family:\s*([\w-]+)/.exec(rule[2])?.[1];
    if (!family?.startsWith('KaTeX_')) continue;
    for (const selector of rule[1].split(',')) {
      const names = [...selector.matchAll(/\.([\w-]+)/g)].map((m) => m[1]).filter((n) => n !== 'katex');
      if (names.length > 0 && names.every((n) => classes.has(n))) used.add(family);
    }
  }
  return used;
}
