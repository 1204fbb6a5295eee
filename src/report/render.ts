/**
 * Document → files: renders the charts to SVG, then writes HTML (one self-contained file) or
 * Markdown (a `.md` file plus its SVGs in a sibling `<name>_files/` folder). Returns the files and
 * the time each part took; writing to disk is the caller's (see `fsutil/atomicWrite.ts`).
 */
import { basename, dirname, extname, join } from 'node:path';
import type { OutputFile } from '../fsutil/atomicWrite.js';
import type { ReportDocument } from './document.js';
import { writeHtml } from './html.js';
import { writeMarkdown } from './markdown.js';
import { renderFigures } from './svg.js';

export type ReportFormat = 'html' | 'md';

export interface RenderTimings {
  /** Vega-Lite → SVG for every figure. */
  plotsMs: number;
  /** KaTeX rendering and the inlined KaTeX stylesheet. */
  katexMs: number;
  /** Assembling the HTML/Markdown text (excluding KaTeX). */
  assembleMs: number;
}

/** The folder a Markdown report's SVGs go into, relative to the report: `xavier.md` → `xavier_files`. */
export function sideFolderName(outPath: string): string {
  return `${basename(outPath, extname(outPath))}_files`;
}

export async function renderDocument(
  doc: ReportDocument,
  format: ReportFormat,
  outPath: string,
  options: { kicker?: string; figures?: ReadonlyMap<string, string> } = {},
): Promise<{ files: OutputFile[]; timings: RenderTimings }> {
  const t0 = performance.now();
  const figures = options.figures ?? (await renderFigures(doc));
  const t1 = performance.now();
  const timings: RenderTimings = { plotsMs: t1 - t0, katexMs: 0, assembleMs: 0 };
  if (format === 'html') {
    const katex = { katexMs: 0 };
    const html = writeHtml(doc, figures, { timings: katex, kicker: options.kicker });
    timings.katexMs = katex.katexMs;
    timings.assembleMs = performance.now() - t1 - katex.katexMs;
    return { files: [{ path: outPath, content: html, named: true }], timings };
  }
  const folder = sideFolderName(outPath);
  const { markdown, files } = writeMarkdown(doc, figures, folder);
  timings.assembleMs = performance.now() - t1;
  const dir = dirname(outPath);
  return {
    files: [{ path: outPath, content: markdown, named: true }, ...files.map((f) => ({ path: join(dir, f.path), content: f.content, named: false }))],
    timings,
  };
}
