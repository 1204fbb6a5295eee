/**
 * The report builder (src/report/) reads KaTeX's stylesheet and fonts with `node:fs` to inline them.
 * In the report worker those reads are served from this in-memory table, filled by fetching the
 * same files from the build folder's `katex/` before the report is built. Paths are virtual:
 * `/katex/katex.min.css`, `/katex/fonts/<name>.woff2`.
 */
export const files = new Map<string, Uint8Array>();

/** The folder `require.resolve('katex/dist/…')` answers in the worker. */
export const KATEX_DIR = '/katex';

/** Fetches KaTeX's stylesheet and every woff2 font it names from `baseUrl` (ending in '/'). */
export async function preloadKatex(baseUrl: string): Promise<void> {
  const fetchBytes = async (relative: string): Promise<Uint8Array> => {
    const response = await fetch(new URL(relative, baseUrl));
    if (!response.ok) throw new Error(`could not load ${relative} for the report (HTTP ${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const css = await fetchBytes('katex.min.css');
  files.set(`${KATEX_DIR}/katex.min.css`, css);
  const fonts = new Set([...new TextDecoder().decode(css).matchAll(/url\((fonts\/[\w-]+\.woff2)\)/g)].map((m) => m[1]));
  await Promise.all(
    [...fonts].map(async (font) => {
      if (!files.has(`${KATEX_DIR}/${font}`)) files.set(`${KATEX_DIR}/${font}`, await fetchBytes(font));
    }),
  );
}
