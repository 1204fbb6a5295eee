/**
 * End-to-end: the built explorer in headless Chromium (Debian's, via playwright-core). Builds into a
 * temporary folder, serves it with the explorer's own server, moves controls and checks that the
 * numbers move the way the theory says. Screenshots and timings go to artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildExplorer, formatKiB, PACKAGE_ROOT } from '../../src/explorer/build.js';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';
import { browserTestsEnabled, CHROMIUM } from '../browserTests.js';

const enabled = browserTestsEnabled();
const ARTIFACTS = path.join(PACKAGE_ROOT, 'artifacts');

let outDir: string;
let server: StaticServer;
let browser: Browser;
let bundleBytes = 0;
const consoleErrors: string[] = [];
const figures: Record<string, unknown> = {};
/** What the page exposes for these tests: the explorer's run timings. */
type ExplorerWindow = { varprop: { explorer: { timings: unknown[] } } };

async function openPage(query = '', viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(server.url + query);
  await waitReady(page, 0);
  return page;
}

/** Waits until every Monte Carlo run of a generation newer than `after` is on screen; returns it. */
async function waitReady(page: Page, after: number): Promise<number> {
  const handle = await page.waitForFunction(
    (previous) => {
      const ready = Number(document.getElementById('app')?.dataset.ready ?? 0);
      return ready > previous ? ready : false;
    },
    after,
    { timeout: 45_000 },
  );
  return (await handle.jsonValue()) as number;
}

const generation = (page: Page) => page.evaluate(() => Number(document.getElementById('app')?.dataset.ready ?? 0));

/** Runs `act` (which changes a control) and waits for the resulting run to finish. */
async function change(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await generation(page);
  await act();
  await waitReady(page, before);
}

const summary = (page: Page) =>
  page.$eval('.summary', (el) => ({
    forward: Number((el as HTMLElement).dataset.forwardFactor),
    backward: Number((el as HTMLElement).dataset.backwardFactor),
    source: (el as HTMLElement).dataset.source,
    text: el.textContent ?? '',
  }));

/** Predicted and measured forward E[h_l²] per layer from the first numbers table. */
const forwardColumn = (page: Page) =>
  page.$$eval('.layer-table:first-of-type tbody tr', (rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      return { predicted: Number(cells[0].dataset.value), measured: Number(cells[1].dataset.value) };
    }),
  );

beforeAll(async () => {
  if (!enabled) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  outDir = await mkdtemp(path.join(os.tmpdir(), 'varprop-explorer-'));
  const built = await buildExplorer({ outDir });
  bundleBytes = built.totalBytes;
  figures.bundle = Object.fromEntries(Object.entries(built.files).map(([file, size]) => [file, formatKiB(size)]));
  figures.buildMs = Math.round(built.elapsedMs);
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
  await writeFile(path.join(ARTIFACTS, 'explorer-figures.json'), `${JSON.stringify({ ...figures, totalBytes: bundleBytes }, null, 2)}\n`).catch(() => undefined);
});

describe.skipIf(!enabled)('explorer in headless Chromium', () => {
  it('loads, then relu + Xavier halves the forward variance per layer and He keeps it flat', async () => {
    const started = Date.now();
    const page = await openPage();
    figures.firstLoadMs = Date.now() - started;
    figures.firstLoadTimings = await page.evaluate(() => (window as unknown as ExplorerWindow).varprop.explorer.timings[0]);
    figures.navigation = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const bytes = performance.getEntriesByType('resource').reduce((sum, r) => sum + ((r as PerformanceResourceTiming).transferSize || 0), nav.transferSize || 0);
      return { domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd), loadMs: Math.round(nav.loadEventEnd), transferredBytes: bytes };
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-desktop-tanh.png'), fullPage: true });

    await change(page, () => page.selectOption('#activation', 'relu').then(() => undefined));
    expect(await page.inputValue('#init')).toBe('xavier_normal');
    const xavier = await summary(page);
    expect(xavier.source).toBe('measured');
    // Exact theory: E[h_l²] = 2^{-(l-1)}; the measured per-layer factor (geometric mean over 9 steps).
    const xavierColumn = await forwardColumn(page);
    xavierColumn.forEach((row, l) => expect(row.predicted).toBeCloseTo(0.5 ** l, 10));
    expect(xavier.forward).toBeGreaterThan(0.45);
    expect(xavier.forward).toBeLessThan(0.55);

    await change(page, () => page.selectOption('#init', 'he_normal').then(() => undefined));
    const he = await summary(page);
    (await forwardColumn(page)).forEach((row) => expect(row.predicted).toBeCloseTo(2, 10));
    expect(he.forward).toBeGreaterThan(0.9);
    expect(he.forward).toBeLessThan(1.1);
    // The derivation names the relu-specific step (He et al.'s non-zero-mean input).
    await page.waitForSelector('.derivation-section[data-section="nonZeroMeanInput"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-desktop-relu-he.png'), fullPage: true });
    await page.close();
  });

  it('updates a 10-layer, width-256 network quickly after a change (timings recorded)', async () => {
    const page = await openPage('?act=tanh');
    await page.focus('#gain');
    const runs: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      await change(page, () => page.keyboard.press('ArrowRight'));
      runs.push(await page.evaluate(() => (window as unknown as ExplorerWindow).varprop.explorer.timings.at(-1)));
    }
    figures.changeTimings = runs;
    const firstPoints = runs.map((r) => (r as { firstMeasuredMs: number }).firstMeasuredMs).sort((a, b) => a - b);
    figures.medianFirstPointsMs = firstPoints[2];
    // The gain moved by 5 slider steps, and the URL says so.
    expect(new URL(page.url()).searchParams.get('g')).toBe('1.05');
    // A loose bound (the machine is shared); the measured figures are in artifacts/explorer-figures.json.
    expect(firstPoints[2]).toBeLessThan(3000);
    await page.close();
  });

  it('the phase diagram answers the keyboard and moves the gain', async () => {
    const page = await openPage('?act=tanh&sb2=0.05&L=4&n=64');
    const readout = await page.textContent('#phase-readout');
    expect(readout).toMatch(/χ₁ = /);
    await change(page, async () => {
      await page.focus('#phase-chart');
      await page.keyboard.press('Shift+ArrowRight');
    });
    // σ_w² went from 1 to 1.1: xavier_normal at equal widths has n·Var[w] = g², so g = √1.1.
    expect(Number(new URL(page.url()).searchParams.get('g'))).toBeCloseTo(Math.sqrt(1.1), 3);
    expect(await page.textContent('#phase-readout')).not.toBe(readout);
    // Drag the point with the mouse to the upper right: both the gain and σ_b² grow.
    const box = (await page.locator('#phase-chart svg').boundingBox())!;
    await change(page, async () => {
      await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.8);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
      await page.mouse.up();
    });
    const dragged = new URL(page.url()).searchParams;
    expect(Number(dragged.get('g'))).toBeGreaterThan(Math.sqrt(1.1));
    expect(Number(dragged.get('sb2'))).toBeGreaterThan(0.05);
    await page.locator('.phase-card').screenshot({ path: path.join(ARTIFACTS, 'explorer-phase.png') });
    await page.close();
  });

  it('reports a custom expression that does not parse, in words, and accepts a good one', async () => {
    const page = await openPage('?L=4&n=64&batch=32');
    await page.selectOption('#activation', 'custom');
    await page.waitForSelector('#expression');
    await page.fill('#expression', 'x/(1+abs(x)');
    await page.waitForFunction(() => document.getElementById('expression')?.getAttribute('aria-invalid') === 'true');
    const message = (await page.textContent('#expression-status')) ?? '';
    expect(message).toMatch(/is not allowed: expected/);
    expect(message).not.toMatch(/at \w+ \(|TypeError|undefined/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-custom-error.png') });
    await change(page, () => page.fill('#expression', 'x/sqrt(1+x^2)'));
    expect(await page.getAttribute('#expression', 'aria-invalid')).toBe('false');
    expect(await page.textContent('#expression-status')).toMatch(/Understood/);
    expect(new URL(page.url()).searchParams.get('expr')).toBe('x/sqrt(1+x^2)');
    await page.close();
  });

  it('a URL reproduces its state, numbers included', async () => {
    const page = await openPage('?L=6&n=64&act=relu&cmp=standard&batch=32');
    await change(page, async () => {
      await page.fill('#seed', '5');
      await page.press('#seed', 'Enter');
    });
    const url = page.url();
    expect(new URL(url).searchParams.get('seed')).toBe('5');
    const before = { summary: (await summary(page)).text, column: await forwardColumn(page) };
    const again = await openPage(url.slice(server.url.length));
    expect(await again.inputValue('#activation')).toBe('relu');
    expect(await again.inputValue('#seed')).toBe('5');
    expect(await again.inputValue('#depth')).toBe('6');
    expect(await again.inputValue('#compare')).toBe('standard');
    expect((await summary(again)).text).toBe(before.summary);
    expect(await forwardColumn(again)).toEqual(before.column);
    expect(await again.locator('.layer-table').count()).toBe(2);
    await page.close();
    await again.close();
  });

  it('tells a classic story, in Chinese, on a phone', async () => {
    const page = await openPage('?lang=zh&L=4&n=64', { width: 390, height: 844 });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toContain('探索器');
    await change(page, () => page.selectOption('#story', 'glorot').then(() => undefined));
    expect(await page.textContent('.story-note')).toContain('Xavier');
    expect(await page.inputValue('#depth')).toBe('5');
    expect(await page.inputValue('#compare')).toBe('standard');
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-phone-zh.png'), fullPage: true });
    await page.close();
  });

  it('the symmetry story: constant weights get measured, and the derivation panel says why it has none', async () => {
    const page = await openPage('?L=2&n=16&batch=32');
    await change(page, () => page.selectOption('#story', 'symmetry').then(() => undefined));
    expect(await page.inputValue('#init')).toBe('constant');
    const notice = await page.waitForSelector('.derivation-host .notice', { timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/constant.*positive variance/);
    expect(await page.locator('.layer-table').count()).toBe(2);
    await page.close();
  });

  it('download report builds the same HTML report as varprop report, in the page', async () => {
    const page = await openPage('?L=3&n=32&act=tanh&init=xavier_uniform&cmp=standard&nets=3&batch=32');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('#download-report')]);
    expect(download.suggestedFilename()).toBe('varprop-tanh-xavier_uniform.html');
    const file = await download.path();
    const html = await readFile(file, 'utf8');
    // A self-contained report: KaTeX fonts inlined, both inits' evidence, the reproducibility footer.
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('data:font/woff2;base64,');
    expect(html).toContain('standard');
    // Each flag of the command sits in a span that keeps it on one line (test/report/charts.test.ts).
    expect(html.replace(/<\/?span[^>]*>/g, '')).toContain('varprop report --widths 32,32,32,32 --act tanh --init xavier_uniform --compare standard --batch 32 --nets 3 --seed 1');
    expect(html).not.toContain('katex-error');
    await writeFile(path.join(ARTIFACTS, 'explorer-report.html'), html);
    await page.close();
  });

  it('download report falls back to the exact command when the report worker cannot start', async () => {
    await rm(path.join(outDir, 'worker-report.js'));
    const page = await openPage('?L=3&n=32&act=relu&init=he_normal');
    // The failed worker load is expected here; keep it out of the console-error check.
    const errorsBefore = consoleErrors.length;
    await page.click('#download-report');
    const command = await page.waitForSelector('.notice .command');
    expect(await command.textContent()).toBe('varprop report --widths 32,32,32,32 --act relu --init he_normal --batch 64 --nets 6 --seed 1 --lang en --out report.html');
    consoleErrors.splice(errorsBefore);
    await page.close();
  });

  it('has no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
