/**
 * End-to-end, the views of issues 10 and 11: the built explorer in headless Chromium (Debian's, via
 * playwright-core), as test/explorer/browser.test.ts does; skipped without it. Each view is opened by
 * its link (small sizes), and its numbers table is compared with the library functions run here in
 * Node on the same setting; its chart must be drawn. Waits are on the card's data-ready attribute
 * (set when the theory and the final Monte Carlo are on screen), never on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildExplorer, PACKAGE_ROOT } from '../../src/explorer/build.js';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';
import { decodeState } from '../../src/explorer/app/state.js';
import { spectrumSpec, transformerViewSpec } from '../../src/explorer/app/views/networks.js';
import { recipeDepths } from '../../src/recipes/measure.js';
import { findRecipe } from '../../src/recipes/registry.js';
import { predictBlocks } from '../../src/recipes/transformerDepth.js';
import { predictFluctuations } from '../../src/theory/fluctuations.js';
import { predictJacobianSpectrum } from '../../src/theory/jacobian.js';
import { boundaryPoint, signalPropagation } from '../../src/theory/signal.js';
import { mlpRoles, predictWidthExponents } from '../../src/theory/widthExponents.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { parametrizations } from '../../src/vocabulary/parametrizations.js';
import { browserTestsEnabled, CHROMIUM } from '../browserTests.js';

const enabled = browserTestsEnabled();
const ARTIFACTS = path.join(PACKAGE_ROOT, 'artifacts');

let outDir: string;
let server: StaticServer;
let browser: Browser;
const consoleErrors: string[] = [];

/** Opens a link and waits until the view's card says it is done. */
async function openView(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(server.url + query);
  await page.waitForSelector('.view-card[data-ready]', { timeout: 90_000 });
  return page;
}

/** The data-value of the cells of `selector`'s rows, per row. */
const tableValues = (page: Page, selector: string) =>
  page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => Array.from(row.querySelectorAll('td[data-value]')).map((cell) => (cell as HTMLElement).dataset.value ?? '')));

/**
 * The page's numbers against the library's in Node: equal to 12 significant digits (the browser's
 * quadrature can differ from Node's in the last bit).
 */
function expectSameNumbers(page: readonly number[], library: readonly number[]): void {
  expect(page).toHaveLength(library.length);
  page.forEach((value, i) => expect(Math.abs(value - library[i])).toBeLessThanOrEqual(1e-12 * Math.abs(library[i])));
}

/** True when the view has drawn at least `count` charts with marks in them. */
const drawnCharts = (page: Page) => page.$$eval('.view-chart svg', (svgs) => svgs.filter((svg) => svg.querySelectorAll('path, rect, line, circle').length > 10).length);

beforeAll(async () => {
  if (!enabled) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  outDir = await mkdtemp(path.join(os.tmpdir(), 'varprop-explorer-views-'));
  await buildExplorer({ outDir });
  server = await serveStatic(outDir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  if (!enabled) return;
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe.skipIf(!enabled)('explorer: the views of issues 10 and 11 in headless Chromium', () => {
  it('order to chaos: a custom activation\'s boundary and its 6ξ_c, as signal.ts computes them', async () => {
    const query = '?view=signal&act=custom&expr=x%2F(1%2Babs(x))&g=1.3&sb2=0.05';
    const page = await openView(query);
    const activation = resolveActivation({ expression: 'x/(1+abs(x))' });
    const expected = signalPropagation(activation, 1.69, 0.05);
    const quantities = Object.fromEntries(
      await page.$$eval('.signal-quantities tbody tr', (rows) => rows.map((row) => [(row as HTMLElement).dataset.quantity, Number((row.querySelector('td') as HTMLElement).dataset.value)])),
    );
    expect(quantities.chi1).toBeCloseTo(expected.chi1, 12);
    expect(quantities.trainableDepth).toBeCloseTo(expected.trainableDepth, 9);
    expect(quantities.criticalWeightVar).toBeCloseTo(expected.criticalWeightVar!, 9);
    const boundary = (await tableValues(page, '.signal-boundary')).map(([sigmaB2, sigmaW2]) => [Number(sigmaB2), Number(sigmaW2)]);
    expect(boundary.length).toBeGreaterThan(10);
    for (const [sigmaB2, sigmaW2] of boundary.filter((_, i) => i % 8 === 0)) expect(sigmaW2).toBeCloseTo(boundaryPoint(activation, sigmaB2).criticalWeightVar, 9);
    expect(await page.textContent('.signal-readout')).toMatch(/ordered/);
    expect(await drawnCharts(page)).toBe(2);
    // The tab shows which view this is, and the variance panels are out of the way.
    expect(await page.getAttribute('#view-tab-signal', 'aria-selected')).toBe('true');
    expect(await page.isVisible('.variance-card')).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-view-signal.png'), fullPage: true });
    await page.close();
  });

  it('Jacobian spectrum: Gaussian and orthogonal side by side, predicted moments from jacobian.ts, measured with intervals', async () => {
    const query = '?view=spectrum&L=4&jn=16&act=tanh&g=1.0905&sb2=0.001&gx2=0.0893822&nets=4';
    const page = await openView(query);
    const state = decodeState(query).state;
    const rows = await page.$$eval('.spectrum-moments tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td[data-value]');
        return { law: (tr as HTMLElement).dataset.law, quantity: (tr as HTMLElement).dataset.quantity, predicted: Number((cells[0] as HTMLElement).dataset.value), measured: Number((cells[1] as HTMLElement).dataset.value) };
      }),
    );
    expect(rows).toHaveLength(4);
    for (const law of ['gaussian', 'orthogonal'] as const) {
      const prediction = predictJacobianSpectrum(resolveNetwork(spectrumSpec(state, law)));
      const mean = rows.find((row) => row.law === law && row.quantity === 'mean')!;
      const variance = rows.find((row) => row.law === law && row.quantity === 'variance')!;
      expect(mean.predicted).toBeCloseTo(prediction.meanSquaredSingularValue.value, 12);
      expect(variance.predicted).toBeCloseTo(prediction.varianceSquaredSingularValue!.value, 12);
      expect(mean.measured).toBeGreaterThan(0);
    }
    // Both laws' histograms are panels of one chart.
    expect(await drawnCharts(page)).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-view-spectrum.png'), fullPage: true });
    await page.close();
  });

  it('finite width: per-network lines with the exact band; R_l is predictFluctuations\', decided at three layers', async () => {
    const query = '?view=spread&act=relu&init=he_normal&L=6&fn=10&fnets=400';
    const page = await openView(query);
    const rows = await page.$$eval('.spread-ratios tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td[data-value]');
        return { mean: Number((cells[0] as HTMLElement).dataset.value), ratio: Number((cells[1] as HTMLElement).dataset.value), measured: (cells[2] as HTMLElement).dataset.value };
      }),
    );
    const prediction = predictFluctuations(resolveNetwork({ widths: new Array(7).fill(10), activation: 'relu', init: 'he_normal' }));
    const layerRatios = prediction.sites.filter((site) => site.kind === 'dense').map((site) => site.secondMomentRatio);
    expectSameNumbers(rows.map((row) => row.ratio), layerRatios);
    expect(rows.every((row) => Math.abs(row.mean - 2) < 1e-12)).toBe(true);
    expect(rows.map((row) => row.measured !== '')).toEqual([true, false, true, false, false, true]);
    expect(await page.textContent('.spread-summary')).toMatch(/Of 400 networks/);
    // One line per drawn network (60), plus the band and the mean.
    expect(await page.$$eval('.view-chart svg path', (paths) => paths.length)).toBeGreaterThan(60);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-view-spread.png'), fullPage: true });
    await page.close();
  });

  it('transformer: per block E[x²] and token cosine from predictBlocks, unscaled and 1/√L, with Monte Carlo', async () => {
    const query = '?view=transformer&tp=post_ln&tL=4&tT=4&td=8&th=2&nets=3';
    const page = await openView(query);
    const state = decodeState(query).state;
    const rows = await page.$$eval('.transformer-blocks tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td[data-value]');
        return { scaling: (tr as HTMLElement).dataset.scaling, variance: Number((cells[0] as HTMLElement).dataset.value), cosine: Number((cells[2] as HTMLElement).dataset.value), measuredCosine: Number((cells[3] as HTMLElement).dataset.value) };
      }),
    );
    const scaled = predictBlocks(resolveNetwork(transformerViewSpec(state, 1 / Math.sqrt(4))));
    const unscaled = predictBlocks(resolveNetwork(transformerViewSpec(state, 1)));
    expectSameNumbers(rows.filter((row) => row.scaling === 'unscaled').map((row) => row.cosine), unscaled.map((row) => row.tokenCosine.predicted));
    expectSameNumbers(rows.filter((row) => row.scaling === 'scaled').map((row) => row.variance), scaled.map((row) => row.variance.predicted));
    expect(rows.every((row) => row.measuredCosine > -1 && row.measuredCosine <= 1)).toBe(true);
    expect(await drawnCharts(page)).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-view-transformer.png'), fullPage: true });
    await page.close();
  });

  it('residual recipes: the recipe story in Chinese, its table the recipe\'s claim and propagate()', async () => {
    const page = await openView('?lang=zh&view=recipes&rc=skipinit&rL=5&rn=16&nets=3');
    expect(await page.textContent('#view-title')).toBe('残差配方');
    const rows = await page.$$eval('.recipe-quantities tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td[data-value]');
        return { quantity: (tr as HTMLElement).dataset.quantity, predicted: Number((cells[0] as HTMLElement).dataset.value), claim: Number((cells[1] as HTMLElement).dataset.value), measured: (cells[2] as HTMLElement).dataset.value };
      }),
    );
    const recipe = findRecipe('skipinit');
    const [depth] = await recipeDepths(recipe, recipe.defaults, [5], 16, [], { nets: 2, batch: 1, seed: 1, dtype: 'float64', level: 0.99 });
    expect(rows).toHaveLength(4);
    expectSameNumbers(rows.map((row) => row.predicted), rows.map((row) => depth[row.quantity as 'forward'].predicted));
    expectSameNumbers(rows.map((row) => row.claim), rows.map((row) => depth[row.quantity as 'forward'].claim));
    expect(rows.find((row) => row.quantity === 'forward')?.measured).not.toBe('');
    expect(await drawnCharts(page)).toBe(1);
    await page.close();
  });

  it('width scaling: a tab click opens it; the predicted exponents are predictWidthExponents\', the fit is measured', async () => {
    const page = await openView('?view=recipes&rL=2&rn=8&nets=2');
    await page.click('#view-tab-widthscale');
    await page.waitForSelector('#view-widthscale.view-card[data-ready]', { timeout: 90_000 });
    expect(new URL(page.url()).searchParams.get('view')).toBe('widthscale');
    const before = await page.getAttribute('#view-widthscale', 'data-ready');
    await page.selectOption('#parametrization', 'sp');
    expect(new URL(page.url()).searchParams.get('param')).toBe('sp');
    await page.waitForFunction((previous) => {
      const ready = document.getElementById('view-widthscale')?.dataset.ready;
      return ready !== undefined && ready !== previous;
    }, before, { timeout: 90_000 });
    const rows = await page.$$eval('.scaling-exponents tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td[data-value]');
        return { predicted: Number((cells[0] as HTMLElement).dataset.value), measured: Number((cells[1] as HTMLElement).dataset.value) };
      }),
    );
    const predicted = predictWidthExponents(parametrizations.sp, 'sgd', mlpRoles(4)).map((layer) => layer.update);
    expectSameNumbers(rows.map((row) => row.predicted), predicted);
    expect(rows.every((row) => Number.isFinite(row.measured))).toBe(true);
    expect(await drawnCharts(page)).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-view-widthscale.png'), fullPage: true });
    await page.close();
  });

  it('has no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
