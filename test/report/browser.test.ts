/**
 * Opens a generated report in headless Chromium (Debian's package, driven by playwright-core):
 * no KaTeX error nodes, no console errors, every request is the file itself or a data: URI (fonts
 * come from the file), the KaTeX fonts actually load, and screenshots are saved as artifacts.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { browserTestsEnabled, CHROMIUM } from '../browserTests.js';

const enabled = browserTestsEnabled();
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'artifacts');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser: Browser;
const reports: Record<string, string> = {};

beforeAll(async () => {
  if (!enabled) return;
  const dir = mkdtempSync(join(tmpdir(), 'varprop-browser-'));
  for (const lang of ['en', 'zh']) {
    const out = join(dir, `report-${lang}.html`);
    // The flagship setting with fewer replicates, to keep the test quick.
    const code = await main(['report', '--flagship', '--nets', '4', '--lang', lang, '--out', out], memoryIO());
    expect(code).toBe(0);
    reports[lang] = out;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!enabled)('report in Chromium', () => {
  it('chromium is installed', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`${lang}: renders without KaTeX errors, console errors or network requests, with KaTeX fonts loaded`, async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${reports[lang]}`, { waitUntil: 'load' });
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      expect(await page.locator('.katex-error').count()).toBe(0);
      expect(await page.locator('.katex').count()).toBeGreaterThan(100);
      expect(await page.locator('figure svg').count()).toBeGreaterThanOrEqual(5);
      expect(errors).toEqual([]);
      const external = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('file:'));
      expect(external).toEqual([]);
      const fonts = await page.evaluate(() => Array.from(document.fonts as unknown as Iterable<FontFace>).map((f) => ({ family: f.family, status: f.status })));
      const loaded = fonts.filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, ''));
      expect(loaded).toContain('KaTeX_Main');
      expect(loaded).toContain('KaTeX_Math');
      expect(fonts.filter((f) => f.status === 'error')).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, lang === 'en' ? 'report.png' : 'report-zh.png') });
      if (lang === 'en') {
        await page.locator('#evidence').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(ARTIFACTS, 'report-evidence.png'), clip: { x: 0, y: await page.evaluate(() => document.getElementById('evidence')!.getBoundingClientRect().top + window.scrollY), width: 1100, height: 1400 }, fullPage: true });
        // Printing works: emulate print media and render a PDF.
        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
        expect(pdf.length).toBeGreaterThan(50_000);
      }
      await page.close();
    });
  }
});
