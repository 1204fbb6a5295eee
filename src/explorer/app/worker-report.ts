/**
 * The report worker: builds the same self-contained HTML report as `varprop report`, with the same
 * pipeline (src/report/generate.ts) and engine, for the page's current setting. Node-only reads in
 * the report builder (KaTeX's stylesheet and fonts) are served by the shims in shims/, mapped in at
 * build time (build.ts).
 */
import { getCatalogue } from '../../i18n/catalogue.js';
import { generateReport } from '../../report/generate.js';
import { preloadKatex } from './shims/files.js';
import { initRef, reportCommand, toNetworkSpec, type ExplorerState } from './state.js';
import { post, scope, serve } from './worker-common.js';

/** Set by the build (esbuild `define`) from package.json. */
declare const VARPROP_VERSION: string;

let katexReady: Promise<void> | null = null;

export async function buildReportHtml(state: ExplorerState): Promise<string> {
  katexReady ??= preloadKatex(new URL('./katex/', scope.location.href).href);
  await katexReady;
  const result = await generateReport(getCatalogue(state.lang), {
    spec: toNetworkSpec(state),
    compare: state.compareInit ? [initRef(state.compareInit, state.compareGain)] : [],
    monteCarlo: { nets: state.nets, seed: state.seed, batch: state.batch, level: 0.99, dtype: state.dtype },
    format: 'html',
    outPath: 'report.html',
    reproducibility: {
      command: reportCommand(state),
      seed: state.seed,
      version: VARPROP_VERSION,
      date: `${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    },
  });
  const html = result.files[0]?.content;
  if (typeof html !== 'string') throw new Error('the report builder returned no HTML');
  return html;
}

serve(async (message) => {
  if (message.type !== 'report') throw new Error(`the report worker does not handle ${message.type}`);
  post({ type: 'report', id: message.id, html: await buildReportHtml(message.state) });
});
