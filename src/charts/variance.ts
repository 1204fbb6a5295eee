/**
 * Variance per layer on a log axis, one column per initialisation and one row per pass: prediction
 * lines (linear theory, mean field), exact predictions as rings, against Monte Carlo points with
 * error bars. The layout of
 * Glorot & Bengio (2010), figures 6 and 7.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CheckReport, QuantityCheck } from '../numeric/measurement.js';
import { chartConfig, PALETTE } from './theme.js';

export interface VarianceChartLabels {
  layer: string;
  variance: string;
  measured: string;
  linear: string;
  exact: string;
  meanField: string;
  series: string;
  forward: string;
  backward: string;
}

/** One point of the chart: a prediction (value) or a measurement (value with low/high). */
export interface VariancePoint {
  init: string;
  /** Already-translated row label (forward / backward). */
  quantity: string;
  layer: number;
  /** Already-translated series label. */
  series: string;
  value: number;
  low?: number;
  high?: number;
}

/**
 * Flattens check reports into chart points. Non-positive or non-finite values are dropped (a log
 * axis cannot show them); interval ends below zero are clipped to the estimate / 1000.
 */
export function variancePoints(
  runs: readonly { init: string; report: CheckReport }[],
  labels: VarianceChartLabels,
): VariancePoint[] {
  const points: VariancePoint[] = [];
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;
  for (const { init, report } of runs) {
    for (const layer of report.layers) {
      const quantities: [string, QuantityCheck][] = [
        [labels.forward, layer.forward],
        [labels.backward, layer.backward],
      ];
      for (const [quantity, q] of quantities) {
        const base = { init, quantity, layer: layer.layer };
        if (ok(q.linear)) points.push({ ...base, series: labels.linear, value: q.linear });
        if (ok(q.meanField)) points.push({ ...base, series: labels.meanField, value: q.meanField });
        if (ok(q.exact)) points.push({ ...base, series: labels.exact, value: q.exact });
        if (ok(q.estimate)) {
          const floor = q.estimate / 1000;
          points.push({
            ...base,
            series: labels.measured,
            value: q.estimate,
            low: Math.max(floor, Number.isFinite(q.ciLow) ? q.ciLow : floor),
            high: Number.isFinite(q.ciHigh) && q.ciHigh > 0 ? q.ciHigh : q.estimate,
          });
        }
      }
    }
  }
  return points;
}

/**
 * The Vega-Lite spec for {@link variancePoints}; `inits` fixes the column order. One row per pass,
 * each row one shared log y-scale across its columns (so the inits can be compared by eye: a
 * column of its own scale made 10 → 0.01 look like 1 → 1e-6); the two rows keep their own scales,
 * since forward and backward second moments are different quantities. Exact predictions are open
 * rings drawn over everything else: they often coincide with the mean-field line or a measured
 * point, and the legend must not name a series the reader cannot find.
 */
export function varianceByLayerSpec(
  points: readonly VariancePoint[],
  inits: readonly string[],
  labels: VarianceChartLabels,
  options: { columnWidth?: number; rowHeight?: number } = {},
): TopLevelSpec {
  const seriesDomain = [labels.measured, labels.linear, labels.meanField, labels.exact];
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: labels.series,
    scale: { domain: seriesDomain, range: [PALETTE[6], PALETTE[0], PALETTE[1], PALETTE[2]] },
  };
  const x = {
    field: 'layer',
    type: 'quantitative' as const,
    title: labels.layer,
    axis: { tickMinStep: 1, format: 'd' },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: labels.variance,
    scale: { type: 'log' as const },
    axis: { tickCount: 4, format: '~g', gridOpacity: 0.8 },
  };
  const isSeries = (series: string) => ({ field: 'series', equal: series });
  const cell = {
    width: options.columnWidth ?? 170,
    height: options.rowHeight ?? 150,
    layer: [
      {
        transform: [{ filter: { or: [isSeries(labels.linear), isSeries(labels.meanField)] } }],
        mark: { type: 'line', point: { size: 14, filled: true } },
        encoding: {
          x,
          y,
          color,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: labels.series,
            // Same field and title as colour, so Vega-Lite merges both into one legend.
            scale: { domain: seriesDomain, range: [[1, 0], [1, 0], [5, 3], [1, 0]] },
          },
        },
      },
      {
        transform: [{ filter: isSeries(labels.measured) }],
        mark: { type: 'rule', strokeWidth: 1.4 },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
      },
      {
        transform: [{ filter: isSeries(labels.measured) }],
        mark: { type: 'point', filled: true, size: 40, shape: 'circle' },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color },
      },
      {
        transform: [{ filter: isSeries(labels.exact) }],
        mark: { type: 'point', filled: false, size: 130, strokeWidth: 2, shape: 'circle' },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color },
      },
    ],
  };
  const row = (quantity: string, last: boolean) => ({
    transform: [{ filter: { field: 'quantity', equal: quantity } }],
    facet: {
      row: { field: 'quantity', type: 'nominal', title: null },
      column: { field: 'init', type: 'nominal', title: null, sort: [...inits], ...(last ? { header: { labels: false } } : {}) },
    },
    spec: cell,
    resolve: { scale: { y: 'shared' } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    data: { values: points.map((p) => ({ ...p })) },
    vconcat: [row(labels.forward, false), row(labels.backward, true)],
  } as TopLevelSpec;
}
