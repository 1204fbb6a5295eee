/**
 * End-to-end, residual blocks and normalization (issue 9): the built explorer in headless Chromium
 * (Debian's, via playwright-core), as test/explorer/browser.test.ts does. A student turns residual
 * blocks on at depth 100 and sees the plotted forward variance stay near 1 where the plain net of the
 * same weight layers explodes. The plotted numbers are read from the variance panel's table, which
 * holds the chart's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildExplorer, PACKAGE_ROOT } from '../../src/explorer/build.js';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';
import { browserTestsEnabled, CHROMIUM } from '../browserTests.js';

const enabled = browserTestsEnabled();
const ARTIFACTS = path.join(PACKAGE_ROOT, 'artifacts');

let outDir: string;
let server: StaticServer;
let browser: Browser;
const consoleErrors: string[] = [];

async function openPage(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(server.url + query);
  await waitReady(page, 0);
  return page;
}

/** Waits until every Monte Carlo run of a generation newer than `after` is on screen. */
async function waitReady(page: Page, after: number): Promise<number> {
  const handle = await page.waitForFunction(
    (previous) => {
      const ready = Number(document.getElementById('app')?.dataset.ready ?? 0);
      return ready > previous ? ready : false;
    },
    after,
    { timeout: 90_000 },
  );
  return (await handle.jsonValue()) as number;
}

const generation = (page: Page) => page.evaluate(() => Number(document.getElementById('app')?.dataset.ready ?? 0));

async function change(page: Page, act: () => Promise<unknown>): Promise<void> {
  const before = await generation(page);
  await act();
  await waitReady(page, before);
}

/** Predicted (tested flavour) and measured forward E[h_l²] per weight layer, from table `index`. */
const forwardColumn = (page: Page, index = 0) =>
  page.$$eval(
    '.layer-table',
    (tables, i) =>
      Array.from(tables[i as number].querySelectorAll('tbody tr')).map((row) => {
        const cells = row.querySelectorAll('td');
        return { predicted: Number(cells[0].dataset.value), measured: Number(cells[1].dataset.value) };
      }),
    index,
  );

const tableNames = (page: Page) => page.$$eval('.layer-table', (tables) => tables.map((t) => (t as HTMLElement).dataset.init ?? ''));

const withinTenOfOne = (value: number) => value > 0.1 && value < 10;

beforeAll(async () => {
  if (!enabled) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  outDir = await mkdtemp(path.join(os.tmpdir(), 'varprop-explorer-residual-'));
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

describe.skipIf(!enabled)('explorer: residual blocks and normalization in headless Chromium', () => {
  it('at depth 100, residual blocks (α = 1/√L, pre layer_norm) stay within ×10 of 1; the plain net does not', async () => {
    // relu with n·Var[w] = 2.25 (He's is 2), 100 weight layers, a small Monte Carlo.
    const page = await openPage('?L=100&n=64&act=relu&init=xavier_normal&g=1.5&batch=16');
    const plain = await forwardColumn(page);
    expect(plain).toHaveLength(100);
    expect(Math.max(...plain.map((row) => row.predicted))).toBeGreaterThan(1e4);

    await change(page, () => page.check('#residual'));
    expect(await page.textContent('label[for="depth"]')).toMatch(/residual blocks/);
    await change(page, () => page.selectOption('#alpha-preset', 'inv_sqrt_depth'));
    await change(page, () => page.selectOption('#normalization', 'layer_norm'));
    expect(await page.inputValue('#placement')).toBe('pre');
    const params = new URL(page.url()).searchParams;
    expect([params.get('res'), params.get('a'), params.get('norm'), params.get('L')]).toEqual(['1', 'isqrtL', 'layer_norm', '100']);

    const residual = await forwardColumn(page);
    // 100 blocks of two weight layers each, every plotted prediction and measurement near 1.
    expect(residual).toHaveLength(200);
    for (const row of residual) expect(row.predicted, `predicted ${row.predicted}`).toSatisfy(withinTenOfOne);
    for (const row of residual) expect(row.measured, `measured ${row.measured}`).toSatisfy(withinTenOfOne);

    // The plain net with the same 200 weight layers, drawn beside it.
    await change(page, () => page.check('#compare-plain'));
    const names = await tableNames(page);
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/residual α=1\/√100, pre layer_norm/);
    expect(names[1]).toMatch(/plain$/);
    const beside = await forwardColumn(page, 1);
    expect(beside).toHaveLength(200);
    expect(Math.max(...beside.map((row) => row.predicted))).toBeGreaterThan(1e4);
    expect(beside.some((row) => !withinTenOfOne(row.measured))).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-residual-depth-100.png'), fullPage: true });
    await page.close();
  });

  it('the residual story sets it all up in one click, in Chinese', async () => {
    const page = await openPage('?lang=zh&L=2&n=16&batch=16');
    await change(page, () => page.selectOption('#story', 'residual'));
    expect(await page.textContent('.story-note')).toContain('残差块');
    expect(await page.inputValue('#depth')).toBe('100');
    expect(await page.isChecked('#residual')).toBe(true);
    expect(await page.isChecked('#compare-plain')).toBe(true);
    const [residual, plain] = [await forwardColumn(page, 0), await forwardColumn(page, 1)];
    expect(residual.every((row) => withinTenOfOne(row.predicted))).toBe(true);
    expect(plain.every((row) => withinTenOfOne(row.predicted))).toBe(false);
    await page.close();
  });

  it('has no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
