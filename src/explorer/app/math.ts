/** KaTeX in the page, with the reports' strict options; prose with `$…$` rendered inline. */
import katex from 'katex';

/** Same settings as src/report/katex.ts (that module reads fonts with node:fs, so it stays in Node). */
const OPTIONS = { throwOnError: true, strict: 'error' as const, trust: false, output: 'htmlAndMathml' as const };

/** Renders LaTeX into a new element; a formula KaTeX rejects shows as code with a title, never throws. */
export function mathElement(latex: string, display: boolean): HTMLElement {
  const element = document.createElement(display ? 'div' : 'span');
  element.className = display ? 'math display' : 'math';
  try {
    katex.render(latex, element, { ...OPTIONS, displayMode: display });
  } catch (error) {
    element.textContent = latex;
    element.classList.add('math-error');
    element.title = error instanceof Error ? error.message : String(error);
  }
  return element;
}

/** Catalogue prose: `$…$` is math, the rest text (user input never comes through here). */
export function proseElement(source: string, tag: 'p' | 'span' = 'span'): HTMLElement {
  const element = document.createElement(tag);
  let last = 0;
  for (const match of source.matchAll(/\$([^$]+)\$/g)) {
    const index = match.index ?? 0;
    if (index > last) element.append(source.slice(last, index));
    element.append(mathElement(match[1], false));
    last = index + match[0].length;
  }
  if (last < source.length) element.append(source.slice(last));
  return element;
}
