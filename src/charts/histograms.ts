/**
 * Small multiples of per-layer histograms: pre-activations in one row, back-propagated gradients in
 * the other, one column per layer (Glorot & Bengio 2010, figures 3–7 show the same view).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Histogram, LayerDistribution } from '../numeric/measurement.js';
import { chartConfig, PALETTE } from './theme.js';

export interface HistogramChartLabels {
  preActivation: string;
  gradient: string;
  value: string;
  density: string;
  /** Template with `{{layer}}`, e.g. 'layer {{layer}}'. */
  layerTitle: string;
  /**
   * Chart title naming the layers drawn, with `{{layers}}` (e.g. 'layers {{layers}}'), and the same
   * with `{{total}}` for when the caller says how many layers were measured: a grid that shows only
   * some layers (or a layer with no finite histogram) says so instead of skipping it silently.
   */
  layersShown?: string;
  layersShownOf?: string;
}

export interface HistogramBar {
  kind: string;
  layerTitle: string;
  layer: number;
  x0: number;
  x1: number;
  /** Normalised so the bars of one histogram have area 1. */
  density: number;
}

function bars(kind: string, layer: number, layerTitle: string, h: Histogram): HistogramBar[] {
  const total = h.counts.reduce((a, b) => a + b, 0);
  const out: HistogramBar[] = [];
  h.counts.forEach((count, i) => {
    const x0 = h.edges[i];
    const x1 = h.edges[i + 1];
    const width = x1 - x0;
    if (!(width > 0) || !Number.isFinite(x0) || !Number.isFinite(x1)) return;
    out.push({ kind, layerTitle, layer, x0, x1, density: total > 0 ? count / (total * width) : 0 });
  });
  return out;
}

/** Flattens per-layer distributions into histogram bars with translated row and column titles. */
export function histogramBars(distributions: readonly LayerDistribution[], labels: HistogramChartLabels): HistogramBar[] {
  return distributions.flatMap((d) => {
    const title = labels.layerTitle.replace('{{layer}}', String(d.layer));
    return [
      ...bars(labels.preActivation, d.layer, title, d.preActivation.histogram),
      ...bars(labels.gradient, d.layer, title, d.gradient.histogram),
    ];
  });
}

/** Layer numbers as short ranges: [1, 2, 3, 5, 8] → '1–3, 5, 8'. */
export function layerRanges(layers: readonly number[]): string {
  const sorted = [...new Set(layers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** The title naming the layers drawn (undefined when the labels carry no template). */
function shownTitle(barsData: readonly HistogramBar[], labels: HistogramChartLabels, totalLayers: number | undefined): string | undefined {
  const layers = layerRanges(barsData.map((b) => b.layer));
  if (totalLayers !== undefined && labels.layersShownOf) return labels.layersShownOf.replace('{{layers}}', layers).replace('{{total}}', String(totalLayers));
  return labels.layersShown?.replace('{{layers}}', layers);
}

/**
 * One column per layer that has a histogram to draw; `totalLayers` (how many were measured) lets
 * the title say "layers 1–3, 5 of 8" when some are not drawn.
 */
export function histogramGridSpec(
  barsData: readonly HistogramBar[],
  labels: HistogramChartLabels,
  options: { cellWidth?: number; cellHeight?: number; totalLayers?: number } = {},
): TopLevelSpec {
  const layerOrder = [...new Map(barsData.map((b) => [b.layer, b.layerTitle])).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, t]) => t);
  const title = shownTitle(barsData, labels, options.totalLayers);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    ...(title ? { title: { text: title, anchor: 'start', fontSize: 11, fontWeight: 'normal', color: '#333' } } : {}),
    data: { values: barsData.map((b) => ({ ...b })) },
    facet: {
      row: { field: 'kind', type: 'nominal', title: null, sort: [labels.preActivation, labels.gradient] },
      column: { field: 'layerTitle', type: 'nominal', title: null, sort: layerOrder },
    },
    spec: {
      width: options.cellWidth ?? 120,
      height: options.cellHeight ?? 80,
      mark: { type: 'rect', color: PALETTE[0], opacity: 0.85 },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: labels.value, axis: { tickCount: 3, format: '.2~g' } },
        x2: { field: 'x1' },
        y: { field: 'density', type: 'quantitative', title: labels.density, axis: { tickCount: 3, format: '.2~g' } },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}
