/**
 * The two chart specs the views need that src/charts does not have: the trainable depth 6ξ_c
 * against σ_w² (Schoenholz et al. 2017, fig. 5, with the boundary and this network's depth), and
 * per-block curves (a predicted line per series, measured points with their intervals), drawn with
 * the shared theme like every other chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, PALETTE } from '../../../charts/index.js';

export interface TrainableDepthLabels {
  weightVar: string;
  depth: string;
  curve: string;
  boundary: string;
  network: string;
}

/**
 * 6ξ_c against σ_w² on a log depth axis, shaded below (trainable), a vertical rule at the critical
 * σ_w² (where ξ_c = ∞) and the network's (σ_w², L) as a point.
 */
export function trainableDepthSpec(
  curve: readonly { weightVar: number; trainableDepth: number }[],
  critical: number | null,
  network: { weightVar: number; depth: number; trainable: boolean },
  labels: TrainableDepthLabels,
  options: { width: number; maxWeightVar: number },
): TopLevelSpec {
  const depths = curve.map((p) => p.trainableDepth).concat(network.depth);
  // 6ξ_c diverges at the boundary: the axis stops at 10⁴ or well above the network's depth, and the
  // curve is clamped there.
  const top = Math.min(Math.max(...depths.filter(Number.isFinite), 10) * 2, Math.max(1e4, 20 * network.depth));
  const floor = Math.max(0.5, Math.min(...depths.filter((d) => d > 0)) / 2);
  const x = { field: 'weightVar' as const, type: 'quantitative' as const, title: labels.weightVar, scale: { domain: [0, options.maxWeightVar], nice: false, clamp: true } };
  const y = { type: 'quantitative' as const, title: labels.depth, scale: { type: 'log' as const, domain: [floor, top], clamp: true } };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: [labels.curve, labels.boundary, labels.network], range: [PALETTE[0], '#222', PALETTE[6]] } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width: options.width,
    height: Math.round(options.width * 0.5),
    layer: [
      {
        data: { values: curve.map((p) => ({ ...p, floor, series: labels.curve })) },
        mark: { type: 'area', opacity: 0.15, color: PALETTE[0] },
        encoding: { x, y: { ...y, field: 'trainableDepth' }, y2: { field: 'floor' } },
      },
      {
        data: { values: curve.map((p) => ({ ...p, series: labels.curve })) },
        mark: { type: 'line', point: true, strokeWidth: 2, clip: true },
        encoding: { x, y: { ...y, field: 'trainableDepth' }, color },
      },
      ...(critical === null
        ? []
        : [
            {
              data: { values: [{ weightVar: critical, series: labels.boundary }] },
              mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5 },
              encoding: { x, color },
            },
          ]),
      {
        data: { values: [{ ...network, series: labels.network }] },
        mark: { type: 'point', filled: true, size: 160, shape: 'diamond' as const },
        encoding: { x, y: { ...y, field: 'depth' }, color },
      },
    ],
  } as TopLevelSpec;
}

export interface BlockCurvePoint {
  block: number;
  series: string;
  predicted?: number;
  estimate?: number;
  ciLow?: number;
  ciHigh?: number;
}

export interface BlockCurveLabels {
  block: string;
  value: string;
}

/** Per-block values: a line per series (prediction), points with interval bars (Monte Carlo). */
export function blockCurvesSpec(points: readonly BlockCurvePoint[], labels: BlockCurveLabels, options: { width: number; logY?: boolean; seriesOrder: string[] }): TopLevelSpec {
  const x = { field: 'block', type: 'quantitative', title: labels.block, axis: { tickMinStep: 1 } } as const;
  const scale = options.logY ? { type: 'log' as const } : { zero: false };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: options.seriesOrder } } as const;
  const measured = points.filter((p) => p.estimate !== undefined && Number.isFinite(p.estimate) && (!options.logY || (p.estimate as number) > 0));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: chartConfig(),
    width: options.width,
    height: Math.round(options.width * 0.45),
    layer: [
      {
        data: { values: points.filter((p) => p.predicted !== undefined && Number.isFinite(p.predicted) && (!options.logY || (p.predicted as number) > 0)) },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: { field: 'predicted', type: 'quantitative', title: labels.value, scale }, color },
      },
      {
        data: { values: measured.filter((p) => Number.isFinite(p.ciLow) && Number.isFinite(p.ciHigh) && (!options.logY || (p.ciLow as number) > 0)) },
        mark: { type: 'rule', strokeWidth: 1.2 },
        encoding: { x, y: { field: 'ciLow', type: 'quantitative', scale }, y2: { field: 'ciHigh' }, color },
      },
      {
        data: { values: measured },
        mark: { type: 'point', filled: true, size: 30, tooltip: true },
        encoding: { x, y: { field: 'estimate', type: 'quantitative', scale }, color },
      },
    ],
  } as TopLevelSpec;
}
