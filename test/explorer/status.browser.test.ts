/**
 * The explorer's status line says what is running: once the theory is done and the Monte Carlo has
 * not reported yet, it says "Monte Carlo: 0 of N networks", not "Deriving…", and a progress bar
 * shows the networks done. The Monte Carlo worker is replaced by one that never answers, so the state
 * is held still and nothing depends on timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildExplorer } from '../../src/explorer/build.js';
import { serveStatic, type StaticServer } from '../../src/explorer/server.js';
import { browserTestsEnabled, CHROMIUM } from '../browserTests.js';

const enabled = browserTestsEnabled();
let outDir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!enabled) return;
  outDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'varprop-status-')), 'site');
  await buildExplorer({ outDir });
  server = await serveStatic(outDir);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  if (!enabled) return;
  await browser?.close();
  await server?.close();
  if (outDir) await rm(path.dirname(outDir), { recursive: true, force: true });
});

describe.skipIf(!enabled)('explorer status line', () => {
  it('says the Monte Carlo is running, not "Deriving…", once the theory is on screen', async () => {
    const page = await browser.newPage();
    // A Monte Carlo worker that never answers: the page stays between "theory done" and "first points".
    await page.route('**/worker-monte-carlo.js', (route) => route.fulfill({ contentType: 'text/javascript', body: 'self.onmessage = () => {};' }));
    await page.goto(`${server.url}?nets=6`);
    await page.waitForFunction(() => /Monte Carlo: 0 of 6/.test(document.querySelector('.status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.textContent('.status')).not.toMatch(/Deriving/);
    // The progress bar shows the same: 0 of 6 networks.
    expect(await page.$eval('progress.run-progress', (bar) => ({ hidden: (bar as HTMLProgressElement).hidden, value: (bar as HTMLProgressElement).value, max: (bar as HTMLProgressElement).max }))).toEqual({
      hidden: false,
      value: 0,
      max: 6,
    });
    await page.close();
  });

  it('the progress bar follows the Monte Carlo and is hidden when it is done', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}?nets=6`);
    await page.waitForFunction(() => Number(document.getElementById('app')?.dataset.ready ?? 0) > 0, undefined, { timeout: 60_000 });
    expect(await page.$eval('progress.run-progress', (bar) => (bar as HTMLProgressElement).hidden)).toBe(true);
    expect(await page.textContent('.status')).toMatch(/Monte Carlo: 6 networks/);
    await page.close();
  });
});
