/**
 * The report pipeline: resolve → derive → Monte Carlo for the chosen and each compared init → demos
 * → document → files, timing each part. Writing to disk is left to the caller.
 */
import type { Catalogue } from '../i18n/catalogue.js';
import { checkNetwork, type CheckOptions } from '../numeric/check.js';
import { runMatrixProductDemo } from '../numeric/demos/matrices.js';
import type { CheckReport } from '../numeric/measurement.js';
import { deriveNetwork } from '../symbolic/layer.js';
import type { Derivation } from '../symbolic/derivation.js';
import { resolveActivation } from '../vocabulary/activations/registry.js';
import type { InitRef } from '../vocabulary/init.js';
import { resolveNetwork, type NetworkSpec, type ResolvedNetwork } from '../vocabulary/network.js';
import { buildReport } from './build.js';
import type { ReportDocument } from './document.js';
import type { OutputFile } from '../fsutil/atomicWrite.js';
import { renderDocument, type ReportFormat } from './render.js';
import type { EvidenceRun } from './sections/evidence.js';
import type { Reproducibility } from './sections/footer.js';

export interface ReportRequest {
  spec: NetworkSpec;
  /** Init presets to compare with the chosen one (each becomes a Monte Carlo run and a plot column). */
  compare: readonly InitRef[];
  /** Monte Carlo settings; `nets: 0` skips the Monte Carlo (derivation and demos only). */
  monteCarlo: Pick<CheckOptions, 'nets' | 'seed' | 'batch' | 'level' | 'dtype'>;
  format: ReportFormat;
  outPath: string;
  reproducibility: Reproducibility;
  /** Per init: replicate networks done of total. */
  onProgress?: (init: string, done: number, total: number) => void;
  /** The Monte Carlo entry point (default `checkNetwork`); injectable for tests. */
  check?: (spec: NetworkSpec, options: CheckOptions) => Promise<CheckReport>;
}

export interface ReportTimings {
  derivationMs: number;
  monteCarloMs: number;
  demosMs: number;
  documentMs: number;
  plotsMs: number;
  katexMs: number;
  assembleMs: number;
}

export interface GeneratedReport {
  document: ReportDocument;
  files: OutputFile[];
  network: ResolvedNetwork;
  derivation: Derivation;
  runs: EvidenceRun[];
  timings: ReportTimings;
}

const initName = (ref: InitRef): string => (typeof ref === 'string' ? ref : ref.name);

export async function generateReport(cat: Catalogue, request: ReportRequest): Promise<GeneratedReport> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - t;
    t = now;
    return elapsed;
  };
  const network = resolveNetwork(request.spec);
  const compareNetworks = request.compare.map((init) => resolveNetwork({ ...request.spec, init }));
  const derivation = deriveNetwork(network);
  const derivationMs = lap();

  const runs: EvidenceRun[] = [];
  if ((request.monteCarlo.nets ?? 8) > 0) {
    const check = request.check ?? ((spec: NetworkSpec, options: CheckOptions) => checkNetwork(spec, options));
    const specs: { label: string; spec: NetworkSpec }[] = [
      { label: network.layers[0].init.name, spec: request.spec },
      ...request.compare.map((init, i) => ({ label: compareNetworks[i].layers[0].init.name || initName(init), spec: { ...request.spec, init } })),
    ];
    for (const { label, spec } of specs) {
      const report = await check(spec, { ...request.monteCarlo, onProgress: (done, total) => request.onProgress?.(label, done, total) });
      runs.push({ init: label, report });
    }
  }
  const monteCarloMs = lap();

  const demos = { sigmoid: resolveActivation('sigmoid'), matrices: runMatrixProductDemo({ seed: request.monteCarlo.seed ?? 1, trials: 200 }) };
  const demosMs = lap();

  const document = buildReport(cat, { network, derivation, runs, demos, reproducibility: request.reproducibility });
  const documentMs = lap();
  const { files, timings } = await renderDocument(document, request.format, request.outPath);
  return { document, files, network, derivation, runs, timings: { derivationMs, monteCarloMs, demosMs, documentMs, ...timings } };
}
