/**
 * Variance per layer: the reports' chart (src/charts/variance.ts) fed with the explorer's theory
 * and streaming Monte Carlo statistics, plus the same numbers as an accessible table.
 */
import { varianceByLayerSpec, variancePoints, type VarianceChartLabels } from '../../../charts/index.js';
import { fill, type Catalogue } from '../../../i18n/catalogue.js';
import type { CheckReport, QuantityCheck } from '../../../numeric/measurement.js';
import type { TopLevelSpec } from 'vega-lite';
import { formatNumber, h } from '../dom.js';
import type { MeasuredCurve, TheoryCurve } from '../protocol.js';

/** A check report shaped for the shared chart: theory lines always, measured points when present. */
export function chartReport(theory: TheoryCurve, measured: MeasuredCurve | undefined): CheckReport {
  const quantity = (pass: 'forward' | 'backward', l: number): QuantityCheck => {
    const linear = pass === 'forward' ? theory.forwardLinear[l] : theory.backwardLinear[l];
    const meanField = pass === 'forward' ? theory.forwardMeanField[l] : theory.backwardMeanField[l];
    const exact = pass === 'forward' ? theory.forwardExact[l] : theory.backwardExact[l];
    const m = measured?.[pass][l];
    return {
      // A missing measurement is NaN here only, and the chart drops non-finite points.
      estimate: m ? m.estimate : NaN,
      stderr: m ? m.stderr : NaN,
      ciLow: m ? m.ciLow : NaN,
      ciHigh: m ? m.ciHigh : NaN,
      linear,
      // Where exact exists it equals mean field; draw it once, as exact.
      exact,
      meanField: exact === null ? meanField : NaN,
      tested: exact === null ? 'meanField' : 'exact',
      z: m ? m.z : NaN,
      pass: m ? m.pass : false,
    };
  };
  return {
    pass: false,
    elapsedSeconds: 0,
    layers: theory.forwardLinear.map((_, l) => ({
      layer: l + 1,
      fanIn: 0,
      fanOut: 0,
      forward: quantity('forward', l),
      backward: quantity('backward', l),
      weightGradient: quantity('forward', l),
    })),
  };
}

export function varianceLabels(catalogue: Catalogue): VarianceChartLabels {
  const c = catalogue.charts;
  return {
    layer: c.layer,
    variance: c.variance,
    measured: c.measured,
    linear: c.linear,
    exact: c.exact,
    meanField: c.meanField,
    series: c.series,
    forward: c.forward,
    backward: c.backward,
  };
}

export function varianceSpec(
  theory: readonly TheoryCurve[],
  measured: ReadonlyMap<string, MeasuredCurve>,
  catalogue: Catalogue,
  availableWidth: number,
): TopLevelSpec {
  const labels = varianceLabels(catalogue);
  const runs = theory.map((curve) => ({ init: curve.init, report: chartReport(curve, measured.get(curve.init)) }));
  const columns = Math.max(1, theory.length);
  // Facet columns share the width; leave room for the axis titles and the row labels.
  const columnWidth = Math.max(110, Math.min(columns === 1 ? 760 : 480, Math.floor((availableWidth - 120) / columns - 30)));
  return varianceByLayerSpec(variancePoints(runs, labels), theory.map((curve) => curve.init), labels, {
    columnWidth,
    rowHeight: availableWidth < 520 ? 150 : 170,
  });
}

/** The tested prediction of a quantity (exact where it exists, mean field otherwise). */
export function testedPrediction(theory: TheoryCurve, pass: 'forward' | 'backward', l: number): number {
  const exact = pass === 'forward' ? theory.forwardExact[l] : theory.backwardExact[l];
  if (exact !== null) return exact;
  return pass === 'forward' ? theory.forwardMeanField[l] : theory.backwardMeanField[l];
}

/** Geometric mean of the per-layer factor from the first to the last layer, or null when unusable. */
export function perLayerFactor(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const first = values[0];
  const last = values[values.length - 1];
  if (!(first > 0) || !(last > 0) || !Number.isFinite(first) || !Number.isFinite(last)) return null;
  return (last / first) ** (1 / (values.length - 1));
}

/** The per-layer numbers for one init, as a table (the chart's data, readable by screen readers). */
export function varianceTable(theory: TheoryCurve, measured: MeasuredCurve | undefined, catalogue: Catalogue): HTMLElement {
  const m = catalogue.explorer.panels;
  const cell = (q: QuantityCheck | undefined) => {
    if (!q) return h('td', { class: 'num pending' }, '…');
    const interval = q.ciHigh > q.ciLow ? ` [${formatNumber(q.ciLow)}, ${formatNumber(q.ciHigh)}]` : '';
    return h('td', { class: 'num', 'data-value': q.estimate }, formatNumber(q.estimate), h('span', { class: 'ci' }, interval));
  };
  return h(
    'table',
    { class: 'layer-table', 'data-init': theory.init },
    h('caption', {}, fill(m.tableCaption, { init: theory.init })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, m.columns.layer),
        h('th', { scope: 'col' }, m.columns.forwardPredicted),
        h('th', { scope: 'col' }, m.columns.forwardMeasured),
        h('th', { scope: 'col' }, m.columns.backwardPredicted),
        h('th', { scope: 'col' }, m.columns.backwardMeasured),
      ),
    ),
    h(
      'tbody',
      {},
      theory.forwardLinear.map((_, l) =>
        h(
          'tr',
          { 'data-layer': l + 1 },
          h('th', { scope: 'row' }, String(l + 1)),
          h('td', { class: 'num', 'data-value': testedPrediction(theory, 'forward', l) }, formatNumber(testedPrediction(theory, 'forward', l))),
          cell(measured?.forward[l]),
          h('td', { class: 'num', 'data-value': testedPrediction(theory, 'backward', l) }, formatNumber(testedPrediction(theory, 'backward', l))),
          cell(measured?.backward[l]),
        ),
      ),
    ),
  );
}
