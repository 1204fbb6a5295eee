/**
 * The Monte Carlo side of the explorer, run in a worker: the project's engine (`measureNetwork`,
 * the same code `varprop check` runs) and its statistics (`checkResolvedNetwork`), streamed one
 * replicate network at a time. Pure of DOM and worker globals, so Node tests run it too.
 */
import { measureNetwork } from '../../numeric/engine.js';
import { checkResolvedNetwork, type MeasureFunction } from '../../numeric/check.js';
import type { CheckReport, RawMeasurement, ReplicateValues } from '../../numeric/measurement.js';
import type { ResolvedNetwork } from '../../vocabulary/network.js';
import type { KernelBackend } from '../../numeric/kernels/backend.js';
import type { MeasuredCurve } from './protocol.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import { catalogues } from '../../i18n/catalogue.js';
import { curveLabel, toNetworkSpec, type ExplorerState } from './state.js';

/** Confidence level of the explorer's intervals (the reports' default). */
export const LEVEL = 0.99;
export const HISTOGRAM_BINS = 40;

export interface StreamOptions {
  /** Called with the statistics so far after every replicate network, and once more at the end. */
  onPartial(curve: MeasuredCurve, final: boolean): void;
  /** The engine (default: the project's `measureNetwork`). */
  measure?: MeasureFunction;
  /** The kernel backend for the default engine (default: the engine's plain backend). */
  backend?: KernelBackend;
}

/**
 * Measures the main or comparison network of `state`, reporting statistics after every replicate.
 * Statistics of a partial run come from the same check code as the final one: the replicates so far
 * are handed to `checkResolvedNetwork` as a finished measurement.
 */
export async function streamMeasurement(state: ExplorerState, which: 'main' | 'compare', options: StreamOptions): Promise<MeasuredCurve> {
  const started = performance.now();
  const network = resolveNetwork(toNetworkSpec(state, which));
  // The same name the theory curve has (theory.ts), so points and lines meet.
  const init = curveLabel(state, which, catalogues[state.lang].explorer.architecture);
  const engine: MeasureFunction = options.measure ?? ((net, measureOptions) => measureNetwork(net, measureOptions, { backend: options.backend }));
  const total = state.nets;
  const settings = { batch: state.batch, seed: state.seed, dtype: state.dtype, level: LEVEL };

  // Sequential sampling from one replicate: the engine calls `shouldStop` after each network with
  // every replicate so far, which is where partial statistics are published.
  const streaming: MeasureFunction = (net, measureOptions) =>
    engine(net, {
      ...measureOptions,
      nets: 1,
      maxNets: total,
      shouldStop: (replicates) => {
        if (replicates.length < total) void publish(net, replicates);
        return replicates.length >= total;
      },
    });

  let publishing = Promise.resolve();
  const publish = (net: ResolvedNetwork, replicates: readonly ReplicateValues[]): Promise<void> => {
    const snapshot = replicates.slice();
    publishing = publishing.then(async () => {
      const report = await statisticsOf(net, snapshot, settings);
      options.onPartial(toCurve(init, report, snapshot.length, total, null, performance.now() - started), false);
    });
    return publishing;
  };

  const report = await checkResolvedNetwork(network, {
    ...settings,
    nets: Math.min(2, total),
    maxNets: total,
    histogramBins: HISTOGRAM_BINS,
    measure: streaming,
  });
  await publishing;
  const curve = toCurve(init, report, report.nets ?? total, total, report.distributions ?? null, performance.now() - started);
  if (report.breakdown) curve.breakdown = report.breakdown;
  options.onPartial(curve, true);
  return curve;
}

/** Statistics for replicates already measured, through the check layer (no second implementation). */
async function statisticsOf(
  network: ResolvedNetwork,
  replicates: ReplicateValues[],
  settings: { batch: number; seed: number; dtype: 'float32' | 'float64'; level: number },
): Promise<CheckReport> {
  const done: MeasureFunction = async () =>
    ({
      replicates,
      distributions: [],
      elapsedSeconds: 0,
      dtype: settings.dtype,
      batch: settings.batch,
      seed: settings.seed,
    }) satisfies RawMeasurement;
  return checkResolvedNetwork(network, { ...settings, nets: 2, measure: done });
}

function toCurve(
  init: string,
  report: CheckReport,
  done: number,
  total: number,
  distributions: MeasuredCurve['distributions'],
  elapsedMs: number,
): MeasuredCurve {
  // With one replicate there is no interval yet: show the point alone.
  const clean = (q: CheckReport['layers'][number]['forward']) =>
    done < 2 ? { ...q, stderr: 0, ciLow: q.estimate, ciHigh: q.estimate } : q;
  return {
    init,
    forward: report.layers.map((layer) => clean(layer.forward)),
    backward: report.layers.map((layer) => clean(layer.backward)),
    replicatesDone: done,
    replicatesTotal: total,
    distributions,
    elapsedMs,
  };
}
