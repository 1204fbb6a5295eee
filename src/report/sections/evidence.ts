/**
 * Section 3, Evidence: per-layer tables of predicted against measured, variance-per-layer plots for
 * the chosen and compared inits side by side, and per-layer histograms.
 */
import { histogramBars, histogramGridSpec } from '../../charts/histograms.js';
import { varianceByLayerSpec, variancePoints } from '../../charts/variance.js';
import type { Catalogue } from '../../i18n/catalogue.js';
import { fill } from '../../i18n/catalogue.js';
import type { CheckReport, QuantityCheck } from '../../numeric/measurement.js';
import { prose, proseFill, text, type Block, type Inline } from '../document.js';
import { formatNumber, formatZ } from '../format.js';

export interface EvidenceRun {
  /** The init's label as the reader should see it (user-influenced: always treated as text). */
  init: string;
  report: CheckReport;
}

const QUANTITIES = ['forward', 'backward', 'weightGradient'] as const;

function predictionCell(value: number | null, tested: boolean, cat: Catalogue): Inline[] {
  if (value === null || !Number.isFinite(value)) return [text(cat.evidence.none)];
  const shown = formatNumber(value);
  return tested ? [{ kind: 'strong', text: shown }] : [text(shown)];
}

function measuredCell(q: QuantityCheck): Inline[] {
  return [text(`${formatNumber(q.estimate)} [${formatNumber(q.ciLow, 3)}, ${formatNumber(q.ciHigh, 3)}]`)];
}

export function checkTable(cat: Catalogue, run: EvidenceRun): Block {
  const col = cat.evidence.columns;
  const level = Math.round((run.report.level ?? 0.99) * 100);
  const rows: Inline[][][] = [];
  const tones: ('pass' | 'fail' | undefined)[] = [];
  for (const layer of run.report.layers) {
    for (const name of QUANTITIES) {
      const q = layer[name];
      rows.push([
        [text(String(layer.layer))],
        prose(cat.evidence.quantities[name]),
        predictionCell(q.linear, false, cat),
        predictionCell(q.exact, q.tested === 'exact', cat),
        predictionCell(q.meanField, q.tested === 'meanField', cat),
        measuredCell(q),
        [text(formatZ(q.z))],
        [{ kind: 'emph', text: q.pass ? cat.evidence.pass : cat.evidence.fail }],
      ]);
      tones.push(q.pass ? undefined : 'fail');
    }
  }
  return {
    kind: 'table',
    header: [col.layer, col.quantity, col.linear, col.exact, col.meanField, fill(col.measured, { level }), col.z, col.verdict].map(prose),
    align: ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows,
    rowTone: tones,
  };
}

function verdictCallout(cat: Catalogue, run: EvidenceRun): Block[] {
  const checks = run.report.layers.flatMap((l) => QUANTITIES.map((q) => l[q]));
  const failed = checks.filter((q) => !q.pass).length;
  const blocks: Block[] = [
    failed === 0
      ? { kind: 'callout', tone: 'pass', content: proseFill(cat.evidence.allPass, { count: checks.length, init: run.init }) }
      : { kind: 'callout', tone: 'fail', content: proseFill(cat.evidence.someFail, { failed, count: checks.length, init: run.init }) },
  ];
  const b = run.report.breakdown;
  if (b) {
    blocks.push({
      kind: 'callout',
      tone: 'warning',
      content: proseFill(cat.evidence.breakdown, { init: run.init, kind: cat.evidence.kinds[b.kind], layer: b.layer, pass: cat.evidence.passes[b.pass] }),
    });
  }
  return blocks;
}

/** A stable figure id from an index (init labels may be anything). */
const figureId = (name: string, index?: number) => (index === undefined ? name : `${name}-${index + 1}`);

export function evidenceBlocks(
  cat: Catalogue,
  runs: readonly EvidenceRun[],
  options: { headingLevel?: 2 | 3; histograms?: 'all' | 'first' | 'none'; figurePrefix?: string } = {},
): Block[] {
  const level = options.headingLevel ?? 2;
  const sub = (level + 1) as 3 | 4;
  const prefix = options.figurePrefix ?? '';
  const blocks: Block[] = [{ kind: 'heading', level, text: cat.evidence.heading, id: 'evidence' }];
  if (runs.length === 0) {
    blocks.push({ kind: 'paragraph', content: prose(cat.evidence.notRun) });
    return blocks;
  }
  const first = runs[0].report;
  const level100 = Math.round((first.level ?? 0.99) * 100);
  blocks.push({
    kind: 'paragraph',
    content: prose(fill(cat.evidence.intro, { nets: first.nets ?? '?', batch: first.batch ?? '?', dtype: first.dtype ?? 'float32', level: level100 })),
  });
  blocks.push({ kind: 'paragraph', content: prose(cat.evidence.predictionsExplained), tone: 'small' });

  const labels = cat.charts;
  blocks.push({ kind: 'heading', level: sub, text: cat.evidence.varianceFigureHeading, id: 'variance-per-layer' });
  const inits = runs.map((r) => r.init);
  blocks.push({
    kind: 'figure',
    id: `${prefix}${figureId('variance')}`,
    spec: varianceByLayerSpec(variancePoints(runs, labels), inits, labels, {
      columnWidth: runs.length >= 3 ? 170 : runs.length === 2 ? 240 : 420,
    }),
    caption: prose(fill(cat.evidence.varianceFigureCaption, { level: level100 })),
    alt: fill(cat.evidence.varianceFigureAlt, { inits: inits.join(cat.meta.listSeparator) }),
  });

  runs.forEach((run, index) => {
    blocks.push({ kind: 'heading', level: sub, text: fill(cat.evidence.tableHeading, { init: run.init }), id: `table-${index + 1}` });
    blocks.push(...verdictCallout(cat, run));
    blocks.push(checkTable(cat, run));
  });

  const histograms = options.histograms ?? 'all';
  runs.forEach((run, index) => {
    if (histograms === 'none' || (histograms === 'first' && index > 0)) return;
    const distributions = run.report.distributions;
    if (!distributions || distributions.length === 0) return;
    blocks.push({ kind: 'heading', level: sub, text: fill(cat.evidence.histogramHeading, { init: run.init }), id: `histograms-${index + 1}` });
    const count = distributions.length;
    blocks.push({
      kind: 'figure',
      id: `${prefix}${figureId('histograms', index)}`,
      spec: histogramGridSpec(histogramBars(distributions, labels), labels, {
        cellWidth: Math.max(90, Math.min(160, Math.floor(600 / count))),
        totalLayers: run.report.layers.length,
      }),
      caption: proseFill(cat.evidence.histogramCaption, { init: run.init }),
      alt: fill(cat.evidence.histogramAlt, { init: run.init }),
    });
  });
  return blocks;
}
