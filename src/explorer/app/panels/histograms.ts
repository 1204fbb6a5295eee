/** Histograms per layer: the reports' small-multiples chart (src/charts/histograms.ts). */
import { histogramBars, histogramGridSpec, type HistogramChartLabels } from '../../../charts/index.js';
import type { Catalogue } from '../../../i18n/catalogue.js';
import type { LayerDistribution } from '../../../numeric/measurement.js';

/** At most this many layer columns (evenly spaced, first and last kept), so deep nets stay legible. */
export const MAX_HISTOGRAM_COLUMNS = 8;

export function pickLayers(distributions: readonly LayerDistribution[], max = MAX_HISTOGRAM_COLUMNS): LayerDistribution[] {
  if (distributions.length <= max) return distributions.slice();
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(Math.round((i * (distributions.length - 1)) / (max - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => distributions[i]);
}

export function histogramSpec(distributions: readonly LayerDistribution[], catalogue: Catalogue, availableWidth: number) {
  const c = catalogue.charts;
  const labels: HistogramChartLabels = {
    preActivation: c.preActivation,
    gradient: c.gradient,
    value: c.value,
    density: c.density,
    layerTitle: c.layerTitle,
    layersShown: c.layersShown,
    layersShownOf: c.layersShownOf,
  };
  const layers = pickLayers(distributions, availableWidth < 520 ? 4 : MAX_HISTOGRAM_COLUMNS);
  // Each cell also carries its own y axis (about 55 px) because the scales are independent.
  const cellWidth = Math.max(60, Math.min(150, Math.floor((availableWidth - 70) / layers.length - 62)));
  // The title names the layers drawn ("layers 1, 3, 5 of 10") when some are left out.
  return histogramGridSpec(histogramBars(layers, labels), labels, { cellWidth, cellHeight: 70, totalLayers: distributions.length });
}
