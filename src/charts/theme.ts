/**
 * Shared look of every chart (reports and explorer): quiet axes, a print-friendly palette and the
 * document's sans-serif font. Pure data; no Node or DOM imports in src/charts/.
 */
import type { TopLevelSpec } from 'vega-lite';

export type ChartConfig = NonNullable<TopLevelSpec['config']>;

/** Okabe–Ito colours: distinguishable for colour-blind readers and in greyscale print. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** Kept short: Vega writes it on every text element of an SVG. */
export const FONT = "Helvetica, Arial, 'Noto Sans CJK SC', sans-serif";

export function chartConfig(): ChartConfig {
  return {
    font: FONT,
    // Per-mark ARIA descriptions would repeat the data in every SVG element; figures carry one label.
    aria: false,
    background: 'white',
    padding: 4,
    view: { stroke: '#d8d8d8' },
    axis: {
      labelFontSize: 10,
      titleFontSize: 11,
      titleFontWeight: 'normal',
      titleColor: '#333',
      labelColor: '#444',
      gridColor: '#ececec',
      domainColor: '#888',
      tickColor: '#888',
    },
    header: { labelFontSize: 11, titleFontSize: 11, labelColor: '#222', titleColor: '#222', titleFontWeight: 'normal' },
    legend: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', orient: 'bottom', direction: 'horizontal' },
    range: { category: PALETTE },
    line: { strokeWidth: 1.6 },
    point: { size: 36, filled: true },
  };
}
