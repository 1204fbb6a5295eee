/**
 * The coordinate-check plot (mup README, "Coord Check"): per weight layer, the RMS of a
 * pre-activation or of its one-step update against the width, both on log axes, with what mup users
 * do not draw: the least-squares fit (solid) and the predicted exponent (dashed), the prediction
 * drawn through the measured point at the smallest width (it fixes the slope, not the prefactor).
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig } from './theme.js';

/** One layer's curve: geometric-mean RMS per width, the fitted line and the predicted exponent. */
export interface CoordinateCurve {
  /** Legend label, e.g. 'layer 2 (hidden)'. */
  label: string;
  sizes: readonly { width: number; rms: number }[];
  /** ln RMS = intercept + exponent·ln n. */
  intercept: number;
  exponent: number;
  predictedExponent: number;
}

export interface CoordinateChartLabels {
  width: string;
  rms: string;
  layer: string;
  fit: string;
  prediction: string;
}

export function coordinateCheckSpec(curves: readonly CoordinateCurve[], labels: CoordinateChartLabels, options: { width?: number; height?: number } = {}): TopLevelSpec {
  const points: { width: number; rms: number; layer: string }[] = [];
  const lines: { width: number; rms: number; layer: string; line: string; kind: string }[] = [];
  for (const curve of curves) {
    const first = curve.sizes[0];
    for (const { width, rms } of curve.sizes) {
      points.push({ width, rms, layer: curve.label });
      lines.push({ width, rms: Math.exp(curve.intercept + curve.exponent * Math.log(width)), layer: curve.label, line: `${curve.label}#fit`, kind: labels.fit });
      lines.push({ width, rms: first.rms * (width / first.width) ** curve.predictedExponent, layer: curve.label, line: `${curve.label}#prediction`, kind: labels.prediction });
    }
  }
  const x = { field: 'width', type: 'quantitative', title: labels.width, scale: { type: 'log', base: 2 }, axis: { values: curves[0]?.sizes.map((s) => s.width) } } as const;
  const y = { field: 'rms', type: 'quantitative', title: labels.rms, scale: { type: 'log' } } as const;
  const color = { field: 'layer', type: 'nominal', title: labels.layer } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width: options.width ?? 420,
    height: options.height ?? 230,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line' },
        encoding: {
          x,
          y,
          color,
          detail: { field: 'line', type: 'nominal' },
          strokeDash: { field: 'kind', type: 'nominal', title: null, scale: { domain: [labels.fit, labels.prediction], range: [[1, 0], [5, 3]] } },
        },
      },
      { data: { values: points }, mark: { type: 'point', tooltip: true }, encoding: { x, y, color } },
    ],
  } as TopLevelSpec;
}
