/**
 * Node-side chart rendering: Vega-Lite spec → Vega → SVG string with `vega`'s headless View (no
 * browser, no canvas). Chart specs themselves live in `src/charts/` and are shared with the explorer.
 */
import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to a standalone SVG document string.
 *
 * @param idPrefix - prefix for every element id in the SVG. Vega numbers clip paths and gradients
 *   with process-wide counters; renaming them makes the output independent of what was rendered
 *   before (byte-for-byte docs) and keeps ids unique when several SVGs are inlined in one page.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix = 'fig'): Promise<string> {
  // Loaded here, not at the top: vega and vega-lite are ≈300 modules that only a report with
  // figures needs; importing them statically made every CLI command pay for them at start-up.
  // (Node caches the modules, so later calls cost nothing.)
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  // Vega-Lite's warnings (e.g. about legend-less encodings) are for chart authors, not report readers.
  const quiet = { level: () => quiet, error: (...args: unknown[]) => { throw new Error(String(args[0])); }, warn: () => quiet, info: () => quiet, debug: () => quiet };
  const vegaSpec = compile(spec, { logger: quiet as never }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return renameIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Renames every `id="…"` in an SVG to `${prefix}-${k}` (k in order of appearance) and its references. */
export function renameIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  if (ids.length === 0) return svg;
  const mapping = new Map<string, string>();
  ids.forEach((id, k) => mapping.set(id, `${prefix}-${k + 1}`));
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) => {
    const renamed = mapping.get(id);
    return renamed ? `${lead}${renamed}` : whole;
  });
}

/** Renders every figure of a document (in order, so ids are deterministic) to SVG, keyed by figure id. */
export async function renderFigures(doc: { blocks: readonly { kind: string }[] }): Promise<Map<string, string>> {
  const figures = new Map<string, string>();
  for (const block of doc.blocks) {
    if (block.kind !== 'figure') continue;
    const figure = block as unknown as { id: string; spec: TopLevelSpec };
    figures.set(figure.id, await renderSvg(figure.spec, figure.id));
  }
  return figures;
}
