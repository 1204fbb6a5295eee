/**
 * The spread of per-network variance against depth: one thin line per sampled network (its
 * M_l = ‖a_l‖²/n at each layer), the exact mean E[M_l] and the exact band E[M_l] ± sd[M_l],
 * sd = E[M]·√(R_l − 1) with R_l = E[M²]/E[M]² from src/theory/fluctuations.ts, on a log axis.
 * Shows why a deep, narrow He network can explode or die in one draw although stable on average.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, PALETTE } from './theme.js';

export interface FluctuationPathPoint {
  layer: number;
  /** M of one network at that layer (> 0; zeros cannot be drawn on a log axis and are left out). */
  value: number;
  network: number;
}

export interface FluctuationBandPoint {
  layer: number;
  mean: number;
  /** E[M] + sd[M]. */
  upper: number;
  /** max(E[M] − sd[M], the axis floor). */
  lower: number;
}

export interface FluctuationChartLabels {
  layer: string;
  value: string;
  networks: string;
  mean: string;
  band: string;
}

/** Points of one sampled network per layer; non-positive or non-finite values are dropped. */
export function fluctuationPaths(trajectories: readonly (readonly number[])[]): FluctuationPathPoint[] {
  const points: FluctuationPathPoint[] = [];
  trajectories.forEach((values, network) => {
    values.forEach((value, l) => {
      if (Number.isFinite(value) && value > 0) points.push({ layer: l + 1, value, network });
    });
  });
  return points;
}

/** The exact band per layer from E[M] and R = E[M²]/E[M]², its lower edge clipped at `floor`. */
export function fluctuationBand(means: readonly number[], ratios: readonly number[], floor: number): FluctuationBandPoint[] {
  return means.map((mean, l) => {
    const sd = mean * Math.sqrt(Math.max(0, ratios[l] - 1));
    return { layer: l + 1, mean, upper: mean + sd, lower: Math.max(floor, mean - sd) };
  });
}

export function fluctuationSpreadSpec(
  paths: readonly FluctuationPathPoint[],
  band: readonly FluctuationBandPoint[],
  labels: FluctuationChartLabels,
  options: { width?: number; height?: number } = {},
): TopLevelSpec {
  const x = { field: 'layer', type: 'quantitative', title: labels.layer, axis: { tickMinStep: 1 } } as const;
  const y = { type: 'quantitative', scale: { type: 'log' }, axis: { format: '.0e' }, title: labels.value } as const;
  const legend = { field: 'series', type: 'nominal', title: null, scale: { domain: [labels.networks, labels.mean, labels.band], range: ['#9a9a9a', PALETTE[1], PALETTE[0]] } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width: options.width ?? 460,
    height: options.height ?? 260,
    layer: [
      {
        data: { values: band.map((p) => ({ ...p, series: labels.band })) },
        mark: { type: 'area', opacity: 0.18 },
        encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, color: legend },
      },
      {
        data: { values: paths.map((p) => ({ ...p, series: labels.networks })) },
        mark: { type: 'line', strokeWidth: 0.7, opacity: 0.55 },
        encoding: { x, y: { ...y, field: 'value' }, detail: { field: 'network', type: 'nominal' }, color: legend },
      },
      {
        data: { values: band.map((p) => ({ ...p, series: labels.mean })) },
        mark: { type: 'line', strokeWidth: 2.2 },
        encoding: { x, y: { ...y, field: 'mean' }, color: legend },
      },
    ],
  } as TopLevelSpec;
}
