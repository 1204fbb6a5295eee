/**
 * "Download report": the report worker builds the same HTML report as `varprop report` for the
 * current setting (same pipeline, catalogue and engine) and the page hands it to the browser as a
 * file. If that fails (an old browser, a missing file on the host), the caller shows the command.
 */
import type { ExplorerState } from './state.js';
import { TheoryClient, type WorkerFactory } from './workers.js';

export interface DownloadResult {
  /** True when a file was handed to the browser; false when the caller should show the command. */
  ok: boolean;
  error?: string;
}

/** The file name offered for the download, e.g. `varprop-tanh-xavier_normal.html`. */
export function reportFileName(state: ExplorerState): string {
  const act = state.activation === 'custom' ? 'custom' : state.activation;
  return `varprop-${act}-${state.init}.html`.replace(/[^\w.-]+/g, '_');
}

export class ReportDownloader {
  private client: TheoryClient | null = null;

  constructor(private readonly createWorker: WorkerFactory) {}

  async download(state: ExplorerState, window: Window): Promise<DownloadResult> {
    try {
      this.client ??= new TheoryClient(this.createWorker, () => undefined, 'report');
      const reply = await this.client.request({ type: 'report', state });
      if (reply.type === 'error') return { ok: false, error: reply.message };
      if (reply.type !== 'report') return { ok: false, error: 'unexpected reply' };
      const url = (window as Window & typeof globalThis).URL.createObjectURL(new Blob([reply.html], { type: 'text/html;charset=utf-8' }));
      const link = window.document.createElement('a');
      link.href = url;
      link.download = reportFileName(state);
      window.document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => (window as Window & typeof globalThis).URL.revokeObjectURL(url), 60_000);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
