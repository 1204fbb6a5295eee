/**
 * Line charts of named curves: an activation and its derivative (the sigmoid demo), or a sequence on
 * a log axis (the product of random matrices).
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig } from './theme.js';

export interface CurvePoint {
  x: number;
  y: number;
  series: string;
}

export interface CurveChartLabels {
  x: string;
  y: string;
  series: string;
}

/** Samples `f` at `count` evenly spaced points of [from, to] (both ends included). */
export function sampleCurve(f: (x: number) => number, from: number, to: number, count: number, series: string): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let i = 0; i < count; i++) {
    const x = from + ((to - from) * i) / (count - 1);
    points.push({ x, y: f(x), series });
  }
  return points;
}

export function curvesSpec(
  points: readonly CurvePoint[],
  labels: CurveChartLabels,
  options: { logY?: boolean; width?: number; height?: number; seriesOrder?: string[] } = {},
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width: options.width ?? 420,
    height: options.height ?? 200,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: labels.x },
      y: {
        field: 'y',
        type: 'quantitative',
        title: labels.y,
        ...(options.logY ? { scale: { type: 'log' }, axis: { format: '.0e' } } : {}),
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: labels.series,
        ...(options.seriesOrder ? { scale: { domain: options.seriesOrder } } : {}),
      },
    },
  } as TopLevelSpec;
}
