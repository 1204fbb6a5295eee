/**
 * What each view draws from its theory and Monte Carlo: the chart specs (shared ones from src/charts
 * and the phase panel, or ./charts.ts) and the numbers behind them as tables, every cell carrying its
 * exact value in `data-value` (the browser tests read them). Nothing is computed here but the layout.
 */
import type { TopLevelSpec } from 'vega-lite';
import { coordinateCheckSpec } from '../../../charts/coordinateCheck.js';
import { fluctuationBand, fluctuationPaths, fluctuationSpreadSpec } from '../../../charts/fluctuations.js';
import { spectrumHistogramSpec } from '../../../charts/spectrum.js';
import { fill, type Catalogue } from '../../../i18n/catalogue.js';
import type { Verdict } from '../../../numeric/decision.js';
import { formatNumber, h, replaceChildren } from '../dom.js';
import { phaseBounds, phaseSpec } from '../panels/phase.js';
import { blockCurvesSpec, trainableDepthSpec, type BlockCurvePoint } from './charts.js';
import type {
  RecipesMeasured,
  RecipesTheory,
  SignalTheory,
  SpectrumMeasured,
  SpectrumTheory,
  SpreadMeasured,
  SpreadTheory,
  TransformerMeasured,
  TransformerTheory,
  ViewMeasured,
  ViewTheory,
  WidthScaleMeasured,
  WidthScaleTheory,
} from './data.js';

/** The parts of a view's card that drawing fills. */
export interface ViewPanel {
  card: HTMLElement;
  status: HTMLElement;
  charts: HTMLElement;
  readout: HTMLElement;
  numbers: HTMLElement;
}

type Words = Catalogue['explorer']['views'];

/** Fills the readout and tables of `panel`; returns the chart specs in order. */
export function drawView(theory: ViewTheory, measured: ViewMeasured | null, catalogue: Catalogue, panel: ViewPanel, width: number): TopLevelSpec[] {
  const same = <T extends ViewMeasured>(view: T['view']) => (measured?.view === view ? (measured as T) : null);
  switch (theory.view) {
    case 'signal':
      return drawSignal(theory, catalogue, panel, width);
    case 'spectrum':
      return drawSpectrum(theory, same<SpectrumMeasured>('spectrum'), catalogue.explorer.views, panel, width);
    case 'spread':
      return drawSpread(theory, same<SpreadMeasured>('spread'), catalogue.explorer.views, panel, width);
    case 'transformer':
      return drawTransformer(theory, same<TransformerMeasured>('transformer'), catalogue.explorer.views, panel, width);
    case 'recipes':
      return drawRecipes(theory, same<RecipesMeasured>('recipes'), catalogue.explorer.views, panel, width);
    case 'widthscale':
      return drawWidthScale(theory, same<WidthScaleMeasured>('widthscale'), catalogue.explorer.views, panel, width);
  }
}

/** A number with `digits` significant digits and its exact value in `data-value`. */
export function valueCell(value: number | null | undefined, digits = 4): HTMLTableCellElement {
  return h('td', { 'data-value': value === null || value === undefined ? '' : String(value) }, formatNumber(value, digits));
}

function intervalCell(low: number | undefined, high: number | undefined): HTMLTableCellElement {
  if (low === undefined || high === undefined) return h('td', {}, '—');
  return h('td', { 'data-low': String(low), 'data-high': String(high) }, `[${formatNumber(low)}, ${formatNumber(high)}]`);
}

function verdictCell(verdict: Verdict | null | undefined, m: Words): HTMLTableCellElement {
  return h('td', { class: verdict ? `verdict ${verdict}` : '', 'data-verdict': verdict ?? '' }, verdict ? m.verdicts[verdict] : '—');
}

function table(className: string, caption: string, header: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return h('table', { class: `view-table ${className}` }, h('caption', {}, caption), h('thead', {}, h('tr', {}, header.map((cell) => h('th', { scope: 'col' }, cell)))), h('tbody', {}, rows));
}

// ---- issue 10 ------------------------------------------------------------------------------------

function drawSignal(theory: SignalTheory, catalogue: Catalogue, panel: ViewPanel, width: number): TopLevelSpec[] {
  const m = catalogue.explorer.views;
  const s = m.signal;
  const current = theory.current;
  const chartWidth = Math.min(460, Math.max(260, width / 2 - 40));
  const readout: (HTMLElement | string)[] = [];
  if ('error' in current) readout.push(h('p', { class: 'notice' }, fill(s.noSignal, { message: current.error })));
  else {
    readout.push(
      h(
        'p',
        { class: 'signal-readout' },
        fill(s.readout, {
          sigmaW2: formatNumber(theory.diagram.current.sigmaW2, 4),
          sigmaB2: formatNumber(theory.diagram.current.sigmaB2, 3),
          phase: s.phases[current.phase],
          trainable: formatNumber(current.trainableDepth),
          depth: theory.depth,
        }),
      ),
    );
  }
  if (theory.boundaryEndsAt !== null) readout.push(h('p', { class: 'muted' }, fill(s.boundaryEnds, { sigmaB2: formatNumber(theory.boundaryEndsAt) })));
  replaceChildren(panel.readout, readout);
  const quantityRows =
    'error' in current
      ? []
      : (['qStar', 'cStar', 'chi1', 'chiC', 'xiQ', 'xiC', 'xiGrad', 'trainableDepth', 'criticalWeightVar'] as const).map((key) =>
          h('tr', { 'data-quantity': key }, h('th', { scope: 'row' }, s.quantities[key]), valueCell(current[key], 5)),
        );
  replaceChildren(
    panel.numbers,
    table('signal-quantities', theory.activation, [m.columns.quantity, m.labels.meanField], quantityRows),
    h(
      'details',
      { class: 'numbers' },
      h('summary', {}, s.boundaryTable),
      table(
        'signal-boundary',
        s.boundaryTable,
        [s.biasVar, s.criticalWeightVar],
        theory.diagram.criticalLine.map((point) => h('tr', {}, valueCell(point.sigmaB2, 4), valueCell(point.sigmaW2, 6))),
      ),
    ),
  );
  const critical = 'error' in current ? null : current.criticalWeightVar;
  const trainable = 'error' in current ? false : theory.depth <= current.trainableDepth;
  return [
    phaseSpec(theory.diagram, catalogue, chartWidth),
    trainableDepthSpec(
      theory.depthCurve,
      critical,
      { weightVar: theory.diagram.current.sigmaW2, depth: theory.depth, trainable },
      { weightVar: s.weightVar, depth: s.depth, curve: s.curve, boundary: s.boundary, network: s.network },
      { width: chartWidth, maxWeightVar: phaseBounds(theory.diagram).maxSigmaW2 },
    ),
  ];
}

function drawSpectrum(theory: SpectrumTheory, measured: SpectrumMeasured | null, m: Words, panel: ViewPanel, width: number): TopLevelSpec[] {
  const s = m.spectrum;
  replaceChildren(panel.readout);
  const rows = theory.laws.flatMap((law) => {
    const got = measured?.laws.find((l) => l.law === law.law);
    const name = s[law.law];
    return [
      h('tr', { 'data-law': law.law, 'data-quantity': 'mean' }, h('th', { scope: 'row' }, `${name}: ${s.mean}`), h('td', {}, m.labels[law.mean.label]), valueCell(law.mean.value), valueCell(got?.mean.estimate), intervalCell(got?.mean.ciLow, got?.mean.ciHigh), verdictCell(got?.mean.verdict, m)),
      h(
        'tr',
        { 'data-law': law.law, 'data-quantity': 'variance' },
        h('th', { scope: 'row' }, `${name}: ${s.variance}`),
        h('td', {}, law.variance ? m.labels[law.variance.label] : fill(s.noVariance, { reason: law.varianceUnavailable ?? '' })),
        valueCell(law.variance?.value),
        valueCell(got?.variance.estimate),
        intervalCell(got?.variance.ciLow, got?.variance.ciHigh),
        verdictCell(got?.variance.verdict, m),
      ),
    ];
  });
  replaceChildren(panel.numbers, table('spectrum-moments', `${theory.depth} × ${theory.width}, σ_w² = ${formatNumber(theory.weightVar, 5)}`, [m.columns.quantity, m.columns.label, m.columns.predicted, m.columns.measured, m.columns.interval, m.columns.verdict], rows));
  const panels = theory.laws.map((law) => ({
    row: `L = ${theory.depth}, n = ${theory.width}`,
    column: s[law.law],
    eigenvalues: measured?.laws.find((l) => l.law === law.law)?.eigenvalues ?? [],
    predictedMean: law.mean.value,
    predictedStd: law.variance && law.variance.value >= 0 ? Math.sqrt(law.variance.value) : null,
  }));
  const cellWidth = Math.max(140, Math.min(320, Math.floor(width / 2) - 60));
  return [spectrumHistogramSpec(panels, { value: s.value, density: s.density, predictedMean: s.predictedMean, predictedSpread: s.predictedSpread }, { cellWidth, cellHeight: 150 })];
}

function drawSpread(theory: SpreadTheory, measured: SpreadMeasured | null, m: Words, panel: ViewPanel, width: number): TopLevelSpec[] {
  const s = m.spread;
  replaceChildren(
    panel.readout,
    measured ? h('p', { class: 'spread-summary' }, fill(s.summary, { nets: measured.nets, above: measured.aboveTenfold, below: measured.belowTenth, vanished: measured.vanished })) : null,
  );
  const rows = theory.layers.map((layer) => {
    const got = measured?.layers.find((row) => row.layer === layer.layer);
    return h('tr', { 'data-layer': String(layer.layer) }, h('th', { scope: 'row' }, String(layer.layer)), valueCell(layer.mean), h('td', {}, m.labels[layer.label]), valueCell(layer.ratio), valueCell(got?.estimate), intervalCell(got?.ciLow, got?.ciHigh), verdictCell(got?.verdict, m));
  });
  replaceChildren(panel.numbers, table('spread-ratios', s.ratio, [m.columns.layer, s.mean2, m.columns.label, m.columns.predicted, m.columns.measured, m.columns.interval, m.columns.verdict], rows));
  const lines = measured?.lines ?? [];
  const positive = lines.flat().filter((v) => Number.isFinite(v) && v > 0);
  const floor = Math.max(1e-12, Math.min(...theory.layers.map((l) => l.mean * 1e-3), ...positive) / 2);
  return [
    fluctuationSpreadSpec(
      fluctuationPaths(lines),
      fluctuationBand(
        theory.layers.map((l) => l.mean),
        theory.layers.map((l) => l.ratio),
        floor,
      ),
      { layer: s.layer, value: s.value, networks: s.networks, mean: s.mean, band: s.band },
      { width: Math.min(720, width), height: 300 },
    ),
  ];
}

// ---- issue 11 ------------------------------------------------------------------------------------

function drawTransformer(theory: TransformerTheory, measured: TransformerMeasured | null, m: Words, panel: ViewPanel, width: number): TopLevelSpec[] {
  const s = m.transformer;
  const name = (scaling: 'unscaled' | 'scaled') => s[scaling];
  const points = (quantity: 'variance' | 'tokenCosine'): BlockCurvePoint[] =>
    theory.stacks.flatMap((stack) => {
      const got = measured?.stacks.find((x) => x.scaling === stack.scaling)?.rows;
      return stack.rows.map((row, i) => ({
        block: row.block + 1,
        series: name(stack.scaling),
        predicted: row[quantity].predicted,
        estimate: got?.[i]?.[quantity].estimate,
        ciLow: got?.[i]?.[quantity].ciLow,
        ciHigh: got?.[i]?.[quantity].ciHigh,
      }));
    });
  const breakdowns = measured?.stacks.filter((stack) => stack.breakdown).map((stack) => `${name(stack.scaling)}: ${stack.breakdown}`) ?? [];
  replaceChildren(panel.readout, breakdowns.length > 0 ? h('p', { class: 'notice' }, breakdowns.join('; ')) : null);
  const rows = theory.stacks.flatMap((stack) => {
    const got = measured?.stacks.find((x) => x.scaling === stack.scaling)?.rows;
    return stack.rows.map((row, i) =>
      h(
        'tr',
        { 'data-scaling': stack.scaling, 'data-block': String(row.block + 1) },
        h('th', { scope: 'row' }, `${row.block + 1}`),
        h('td', {}, name(stack.scaling)),
        valueCell(row.variance.predicted),
        valueCell(got?.[i]?.variance.estimate),
        valueCell(row.tokenCosine.predicted),
        valueCell(got?.[i]?.tokenCosine.estimate),
        intervalCell(got?.[i]?.tokenCosine.ciLow, got?.[i]?.tokenCosine.ciHigh),
        verdictCell(got?.[i]?.tokenCosine.verdict, m),
      ),
    );
  });
  replaceChildren(
    panel.numbers,
    h(
      'details',
      { class: 'numbers' },
      h('summary', {}, `${theory.preset}, L = ${theory.blocks}`),
      table('transformer-blocks', `${theory.preset}, L = ${theory.blocks} (${m.labels.meanField})`, [m.columns.block, s.scaling, `${s.variance}: ${m.columns.predicted}`, `${s.variance}: ${m.columns.measured}`, `${s.cosine}: ${m.columns.predicted}`, `${s.cosine}: ${m.columns.measured}`, m.columns.interval, m.columns.verdict], rows),
    ),
  );
  const seriesOrder = [s.unscaled, s.scaled];
  const chartWidth = Math.min(460, Math.max(260, width / 2 - 40));
  return [
    blockCurvesSpec(points('variance'), { block: s.block, value: s.variance }, { width: chartWidth, logY: true, seriesOrder }),
    blockCurvesSpec(points('tokenCosine'), { block: s.block, value: s.cosine }, { width: chartWidth, seriesOrder }),
  ];
}

function drawRecipes(theory: RecipesTheory, measured: RecipesMeasured | null, m: Words, panel: ViewPanel, width: number): TopLevelSpec[] {
  const s = m.recipes;
  const own = fill(s.own, { recipe: theory.title });
  const got = fill(s.measured, { recipe: theory.title });
  const points: BlockCurvePoint[] = [
    ...theory.perBlock.map((p) => ({ block: p.block, series: s.unscaled, predicted: p.unscaled })),
    ...theory.perBlock.map((p) => ({ block: p.block, series: own, predicted: p.recipe })),
    ...(measured?.perBlock.map((p) => ({ block: p.block, series: got, estimate: p.estimate, ciLow: p.ciLow, ciHigh: p.ciHigh })) ?? []),
  ];
  const depth = measured?.depth ?? theory.depth;
  const breakdown = depth.monteCarlo?.breakdown;
  replaceChildren(panel.readout, h('p', { class: 'muted' }, theory.source), breakdown ? h('p', { class: 'notice' }, breakdown) : null);
  const rows = (['forward', 'backward', 'inputGradient', 'lastBranchWeightGradient'] as const).map((name) => {
    const q = depth[name];
    return h('tr', { 'data-quantity': name }, h('th', { scope: 'row' }, s.quantities[name]), h('td', {}, m.labels[q.prediction]), valueCell(q.predicted), valueCell(q.claim), valueCell(q.estimate), intervalCell(q.ciLow, q.ciHigh), verdictCell(q.verdict, m));
  });
  replaceChildren(panel.numbers, table('recipe-quantities', `${theory.title}, L = ${theory.blocks}, n = ${theory.width}`, [m.columns.quantity, m.columns.label, m.columns.predicted, s.claim, m.columns.measured, m.columns.interval, m.columns.verdict], rows));
  return [blockCurvesSpec(points, { block: s.block, value: s.value }, { width: Math.min(720, width), logY: true, seriesOrder: [own, got, s.unscaled] })];
}

function drawWidthScale(theory: WidthScaleTheory, measured: WidthScaleMeasured | null, m: Words, panel: ViewPanel, width: number): TopLevelSpec[] {
  const s = m.widthscale;
  const result = measured?.result;
  replaceChildren(panel.readout, result ? null : h('p', { class: 'muted' }, s.pending));
  const rows = theory.layers.map((layer, l) => {
    const fit = result?.layers[l];
    return h(
      'tr',
      { 'data-layer': String(l + 1) },
      h('th', { scope: 'row' }, String(l + 1)),
      h('td', {}, layer.role),
      valueCell(layer.update, 3),
      valueCell(fit?.update.exponent, 3),
      intervalCell(fit?.update.ciLow, fit?.update.ciHigh),
      verdictCell(fit?.update.verdict, m),
      valueCell(layer.activation, 3),
      valueCell(fit?.activation.exponent, 3),
    );
  });
  replaceChildren(
    panel.numbers,
    table(
      'scaling-exponents',
      `${theory.parametrization} + ${theory.optimizer}, n = ${theory.widths.join(', ')} (${m.labels.leadingOrder})`,
      [m.columns.layer, s.role, `${s.update}: ${m.columns.predicted}`, `${s.update}: ${m.columns.measured}`, m.columns.interval, m.columns.verdict, `${s.activation}: ${m.columns.predicted}`, `${s.activation}: ${m.columns.measured}`],
      rows,
    ),
  );
  if (!result) return [];
  const curves = result.layers.map((layer) => ({
    label: fill(s.layerName, { layer: layer.layer, role: layer.role }),
    sizes: layer.update.sizes,
    intercept: layer.update.intercept,
    exponent: layer.update.exponent,
    predictedExponent: layer.update.predictedExponent,
  }));
  return [coordinateCheckSpec(curves, { width: s.width, rms: s.rms, layer: s.layer, fit: s.fit, prediction: s.prediction }, { width: Math.min(640, width), height: 280 })];
}
