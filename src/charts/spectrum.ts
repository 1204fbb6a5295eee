/**
 * The Jacobian spectrum as a grid of histograms (Vega-Lite): one panel per setting (rows: the
 * activation; columns: the weight law, Gaussian vs orthogonal side by side), the measured squared
 * singular values as bars, the predicted mean as a solid rule and mean ± one predicted standard
 * deviation as dashed rules.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, PALETTE } from './theme.js';

export interface SpectrumPanel {
  /** Row title, e.g. 'tanh (critical, σ_b² = 0.001)'. */
  row: string;
  /** Column title, e.g. 'Gaussian'. */
  column: string;
  /** Measured squared singular values (pooled over networks). */
  eigenvalues: readonly number[];
  predictedMean: number;
  /** √(predicted variance), or null where there is no variance prediction. */
  predictedStd: number | null;
}

export interface SpectrumChartLabels {
  value: string;
  density: string;
  /** Legend entries of the rules. */
  predictedMean: string;
  predictedSpread: string;
}

/** Equal-width histogram bins of one panel, as densities (they integrate to 1). */
function densityBars(panel: SpectrumPanel, bins: number) {
  const values = panel.eigenvalues;
  let high = 0;
  for (const v of values) high = Math.max(high, v);
  const upper = Math.max(high, panel.predictedMean + 2 * (panel.predictedStd ?? 0)) || 1;
  const width = upper / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]++;
  return counts.map((count, i) => ({ row: panel.row, column: panel.column, layer: 'bar', x0: i * width, x1: (i + 1) * width, density: count / (values.length * width) }));
}

function rules(panel: SpectrumPanel, labels: SpectrumChartLabels) {
  const lines = [{ row: panel.row, column: panel.column, layer: 'rule', x: panel.predictedMean, line: labels.predictedMean }];
  if (panel.predictedStd !== null) {
    for (const x of [panel.predictedMean - panel.predictedStd, panel.predictedMean + panel.predictedStd]) {
      if (x >= 0) lines.push({ row: panel.row, column: panel.column, layer: 'rule', x, line: labels.predictedSpread });
    }
  }
  return lines;
}

/**
 * @example
 * ```ts
 * spectrumHistogramSpec([{ row: 'linear', column: 'Gaussian', eigenvalues, predictedMean: 1, predictedStd: 2 }], labels);
 * ```
 */
export function spectrumHistogramSpec(panels: readonly SpectrumPanel[], labels: SpectrumChartLabels, options: { bins?: number; cellWidth?: number; cellHeight?: number } = {}): TopLevelSpec {
  const bins = options.bins ?? 30;
  const values = panels.flatMap((panel) => [...densityBars(panel, bins), ...rules(panel, labels)]);
  const unique = (key: 'row' | 'column') => [...new Set(panels.map((p) => p[key]))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    data: { values },
    facet: {
      row: { field: 'row', type: 'nominal', title: null, sort: unique('row') },
      column: { field: 'column', type: 'nominal', title: null, sort: unique('column') },
    },
    spec: {
      width: options.cellWidth ?? 200,
      height: options.cellHeight ?? 90,
      layer: [
        {
          transform: [{ filter: "datum.layer === 'bar'" }],
          mark: { type: 'rect', color: PALETTE[0], opacity: 0.8 },
          encoding: {
            x: { field: 'x0', type: 'quantitative', title: labels.value, axis: { tickCount: 4, format: '.2~g' } },
            x2: { field: 'x1' },
            y: { field: 'density', type: 'quantitative', title: labels.density, axis: { tickCount: 3, format: '.2~g' } },
          },
        },
        {
          transform: [{ filter: "datum.layer === 'rule'" }],
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            color: { field: 'line', type: 'nominal', title: null, scale: { range: [PALETTE[1], PALETTE[2]] } },
            strokeDash: { field: 'line', type: 'nominal', title: null, scale: { range: [[1, 0], [5, 3]] } },
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}
