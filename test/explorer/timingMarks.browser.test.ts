/**
 * The User Timing entries bench/explorer.ts reads (`npm run bench:explorer`) exist and are in order,
 * so the benchmark's instrumentation cannot disappear unnoticed: a run's `varprop-change-N` mark,
 * `varprop-first-points-N` and `varprop-derivation-N` measured from it and ending after it, and a
 * control's `varprop-input` mark before the run it starts. Nothing here is timed; the test waits on
 * the entries themselves. Skipped without chromium, like the other browser suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildExplorer } from '../../src/explorer/build.js';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';
import { browserTestsEnabled, CHROMIUM } from '../browserTests.js';

const enabled = browserTestsEnabled();
let outDir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!enabled) return;
  outDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'varprop-marks-')), 'site');
  await buildExplorer({ outDir });
  server = await serveStatic(outDir);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  if (!enabled) return;
  await browser?.close();
  await server?.close();
  if (outDir) await rm(path.dirname(outDir), { recursive: true, force: true });
});

interface Entry {
  startTime: number;
  end: number;
}

/** Waits for run `n`'s first points and derivation, then returns its entries and every input mark. */
async function entriesOf(page: Page, n: number): Promise<{ change: Entry[]; firstPoints: Entry[]; derivation: Entry[]; inputs: Entry[] }> {
  // Waits on the panel itself too (filled: no longer stale, no placeholder), so a missing measure or
  // a derivation error fails the expectations below at once rather than by a timeout.
  await page.waitForFunction(
    (generation) =>
      performance.getEntriesByName(`varprop-first-points-${generation}`).length > 0 &&
      (performance.getEntriesByName(`varprop-derivation-${generation}`).length > 0 ||
        document.querySelector('.derivation-host:not(.stale):not(:has(> p.muted))') !== null),
    n,
    { timeout: 90_000 },
  );
  const [change, firstPoints, derivation, inputs] = await page.evaluate(
    (generation) =>
      [`varprop-change-${generation}`, `varprop-first-points-${generation}`, `varprop-derivation-${generation}`, 'varprop-input'].map((name) =>
        performance.getEntriesByName(name).map((entry) => ({ startTime: entry.startTime, end: entry.startTime + entry.duration })),
      ),
    n,
  );
  return { change, firstPoints, derivation, inputs };
}

describe.skipIf(!enabled)('explorer timing marks (read by npm run bench:explorer)', () => {
  it('marks the first run and a change, and measures first points and derivation from the change mark', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);

    const load = await entriesOf(page, 1);
    expect(load.change).toHaveLength(1);
    expect(load.inputs).toHaveLength(0); // nothing was changed yet
    expect(load.derivation, `derivation panel: ${(await page.textContent('.derivation-card'))?.slice(0, 160)}`).toHaveLength(1);
    for (const measure of [load.firstPoints, load.derivation]) {
      expect(measure).toHaveLength(1);
      expect(measure[0].startTime).toBe(load.change[0].startTime);
      expect(measure[0].end).toBeGreaterThan(load.change[0].startTime);
    }

    await page.selectOption('#init', 'he_normal');
    const moved = await entriesOf(page, 2);
    expect(moved.change).toHaveLength(1);
    expect(moved.change[0].startTime).toBeGreaterThan(load.firstPoints[0].end);
    expect(moved.inputs.length).toBeGreaterThan(0);
    expect(moved.inputs[moved.inputs.length - 1].startTime).toBeLessThanOrEqual(moved.change[0].startTime);
    expect(moved.derivation, `derivation panel: ${(await page.textContent('.derivation-card'))?.slice(0, 160)}`).toHaveLength(1);
    for (const measure of [moved.firstPoints, moved.derivation]) {
      expect(measure).toHaveLength(1);
      expect(measure[0].startTime).toBe(moved.change[0].startTime);
      expect(measure[0].end).toBeGreaterThan(moved.change[0].startTime);
    }
    await page.close();
  }, 180_000);
});
