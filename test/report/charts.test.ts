/**
 * Report charts say what they show (issue 14): one y-scale per row of the variance figure, exact
 * predictions visible over the other series, histograms that name the layers drawn, subscripts in
 * axis titles, and a reproducibility command whose flags do not break across lines.
 */
import { describe, expect, it } from 'vitest';
import { histogramGridSpec, layerRanges, type HistogramBar } from '../../src/charts/histograms.js';
import { varianceByLayerSpec, type VariancePoint } from '../../src/charts/variance.js';
import { catalogues } from '../../src/i18n/catalogue.js';
import { REPORT_CSS } from '../../src/report/css.js';
import { codeWithWholeFlags } from '../../src/report/html.js';

const labels = catalogues.en.charts;
type Row = { transform: Array<{ filter: { field: string; equal: string } }>; resolve: { scale: { y: string } }; spec: { layer: Array<{ transform: Array<{ filter: unknown }>; mark: { type: string; filled?: boolean } }> } };

function points(): VariancePoint[] {
  const out: VariancePoint[] = [];
  for (const init of ['a', 'b', 'c']) {
    for (const quantity of [labels.forward, labels.backward]) {
      for (const layer of [1, 2, 3]) {
        const scale = init === 'a' ? 1 : init === 'b' ? 1e-4 : 100;
        out.push({ init, quantity, layer, series: labels.meanField, value: scale * layer });
        out.push({ init, quantity, layer, series: labels.exact, value: scale * layer });
        out.push({ init, quantity, layer, series: labels.measured, value: scale * layer, low: scale * layer * 0.9, high: scale * layer * 1.1 });
      }
    }
  }
  return out;
}

describe('variance per layer', () => {
  const spec = varianceByLayerSpec(points(), ['a', 'b', 'c'], labels) as unknown as { vconcat: Row[]; resolve?: unknown };

  it('one row per pass, each with one y-scale shared by its columns (not one per column)', () => {
    expect(spec.resolve).toBeUndefined();
    expect(spec.vconcat.map((row) => row.transform[0].filter.equal)).toEqual([labels.forward, labels.backward]);
    for (const row of spec.vconcat) expect(row.resolve.scale.y).toBe('shared');
  });

  it('exact predictions are open rings drawn last, over the lines and the measured points', () => {
    const layers = spec.vconcat[0].spec.layer;
    const last = layers[layers.length - 1];
    expect(last.transform[0].filter).toEqual({ field: 'series', equal: labels.exact });
    expect(last.mark).toMatchObject({ type: 'point', filled: false });
    // No other layer draws the exact series (where it hid under the mean-field line).
    for (const layer of layers.slice(0, -1)) expect(JSON.stringify(layer.transform)).not.toContain(`"${labels.exact}"`);
  });
});

describe('histograms', () => {
  const bar = (layer: number): HistogramBar => ({ kind: labels.preActivation, layer, layerTitle: `layer ${layer}`, x0: -1, x1: 1, density: 0.5 });

  it('name the layers drawn, and of how many, when some are not drawn', () => {
    const spec = histogramGridSpec([1, 2, 3, 5, 8].map(bar), labels, { totalLayers: 8 }) as unknown as { title: { text: string } };
    expect(spec.title.text).toBe('layers 1–3, 5, 8 of 8');
    const zh = histogramGridSpec([1, 2].map(bar), catalogues.zh.charts, { totalLayers: 2 }) as unknown as { title: { text: string } };
    expect(zh.title.text).toBe('第 1, 2 层（共 2 层）');
  });

  it('layerRanges writes runs of three or more as a range', () => {
    expect(layerRanges([8, 1, 2, 3, 5])).toBe('1–3, 5, 8');
    expect(layerRanges([4, 5])).toBe('4, 5');
    expect(layerRanges([])).toBe('');
  });
});

describe('labels and commands', () => {
  it('chart labels use subscripts, not TeX underscores (M_k printed as is on an axis)', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const [key, value] of Object.entries(catalogues[lang].charts)) expect(value, `${lang} charts.${key}`).not.toMatch(/[A-Za-z]_[A-Za-z0-9]/);
    }
    expect(labels.logNorm).toBe('ln ‖Mₖ ⋯ M₁ v‖');
  });

  it('the reproducibility command keeps each flag on one line', () => {
    const html = codeWithWholeFlags('varprop report --widths 4,4 --out - --level 0.99');
    expect(html).toContain('<span class="flag-word">--out</span> -');
    expect(html).toContain('<span class="flag-word">--widths</span> 4,4');
    expect(html.replace(/<[^>]+>/g, '')).toBe('varprop report --widths 4,4 --out - --level 0.99');
    expect(REPORT_CSS).toMatch(/code \.flag-word \{ white-space: nowrap; \}/);
  });
});
