/**
 * `npm run bench:explorer`: what a user of the explorer waits for (issue 13, goal 4), measured in
 * Debian's headless Chromium with the page's own User Timing entries (src/explorer/app/explorer.ts):
 *
 * - `varprop-input`: a control changed (setState); `varprop-change-N`: run N starts (a frame later);
 * - `varprop-first-points-N`: measure from `varprop-change-N` to the first Monte Carlo points drawn;
 * - `varprop-derivation-N`: measure from `varprop-change-N` to the derivation panel filled.
 *
 * (a) First load, in a fresh browser context each time (nothing cached): navigation → first Monte
 *     Carlo points and → derivation panel. Entries are relative to the navigation (timeOrigin).
 * (b) Changes on the default 10-layer × 256 network: the init select is moved five times, each to a
 *     different preset (so each derivation is new), waiting for the derivation and a second of idle
 *     between changes; input → first points (median of five) and input → derivation panel.
 * (c) `varprop explore --port 0` (the installed launcher: dist/ must be built) as a whole process until
 *     it prints its URL, with a build that is already up to date, paired A B A B with `node -e ''`.
 *
 * Prints a table and writes the `explorer` section of bench/results.json (the rest is kept).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildExplorer, PACKAGE_ROOT } from '../src/explorer/build.js';
import { serveStatic } from '../src/explorer/server.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const RESULTS = path.join(PACKAGE_ROOT, 'bench', 'results.json');
const FIRST_LOADS = 3;
/** Presets the init select offers; each change moves to the next, so every derivation is new. */
const CHANGE_INITS = ['he_normal', 'lecun_normal', 'xavier_uniform', 'he_uniform', 'xavier_normal'];
const PROCESS_PAIRS = 5;
const IDLE_BETWEEN_CHANGES_MS = 1000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value: number, digits = 0): number => Number(value.toFixed(digits));

/** The page's User Timing entries for run `generation`, in ms since navigation. */
interface RunEntries {
  input: number | null;
  change: number;
  firstPoints: number;
  derivation: number;
}

/** Waits until run `generation` has its first points and its derivation, then reads its entries. */
async function runEntries(page: Page, generation: number): Promise<RunEntries> {
  // Also stops when the derivation panel is filled without a measure (it shows an error instead).
  await page.waitForFunction(
    (n) =>
      performance.getEntriesByName(`varprop-first-points-${n}`).length > 0 &&
      (performance.getEntriesByName(`varprop-derivation-${n}`).length > 0 || document.querySelector('.derivation-host:not(.stale):not(:has(> p.muted))') !== null),
    generation,
    { timeout: 120_000, polling: 50 },
  );
  // Plain data only: tsx would wrap a named helper inside the page function in a `__name` call the page lacks.
  const [change, firstPoints, derivation, inputs] = await page.evaluate(
    (n) =>
      [`varprop-change-${n}`, `varprop-first-points-${n}`, `varprop-derivation-${n}`, 'varprop-input'].map((name) =>
        performance.getEntriesByName(name).map((entry) => entry.startTime + entry.duration),
      ),
    generation,
  );
  if (derivation.length === 0) throw new Error(`run ${generation} has no derivation; the panel says: ${(await page.textContent('.derivation-host'))?.slice(0, 200)}`);
  // The latest input before this run's change mark (none on first load).
  const before = inputs.filter((time) => time <= change[0]);
  return { input: before.length > 0 ? before[before.length - 1] : null, change: change[0], firstPoints: firstPoints[0], derivation: derivation[0] };
}

const generation = (page: Page) => page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('varprop-change-')).length);

interface FirstLoad {
  firstPointsMs: number;
  derivationMs: number;
  /** When the first run started (after the theory worker sent the vocabulary). */
  changeMs: number;
}

async function firstLoad(browser: Browser, url: string): Promise<FirstLoad> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const entries = await runEntries(page, 1);
    return { firstPointsMs: entries.firstPoints, derivationMs: entries.derivation, changeMs: entries.change };
  } finally {
    await context.close();
  }
}

interface Change {
  init: string;
  /** input → first Monte Carlo points drawn. */
  firstPointsMs: number;
  /** input → derivation panel filled. */
  derivationMs: number;
  /** input → the run's change mark (the frame the explorer waits to coalesce slider events). */
  frameMs: number;
}

async function changes(browser: Browser, url: string): Promise<Change[]> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await runEntries(page, 1);
    const figures: Change[] = [];
    for (const init of CHANGE_INITS) {
      await page.waitForTimeout(IDLE_BETWEEN_CHANGES_MS);
      const before = await generation(page);
      await page.selectOption('#init', init);
      await page.waitForFunction((n) => performance.getEntriesByName(`varprop-change-${n}`).length > 0, before + 1, { polling: 10 });
      const entries = await runEntries(page, before + 1);
      if (entries.input === null) throw new Error('the page recorded no varprop-input mark for the change');
      figures.push({
        init,
        firstPointsMs: entries.firstPoints - entries.input,
        derivationMs: entries.derivation - entries.input,
        frameMs: entries.change - entries.input,
      });
    }
    return figures;
  } finally {
    await context.close();
  }
}

/** Runs argv until `ready` matches its stdout (then ends it) or it exits; wall seconds. */
function timeProcess(argv: string[], ready: RegExp | null): Promise<{ seconds: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let seconds = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (ready && seconds === 0 && ready.test(stdout)) {
        seconds = (performance.now() - started) / 1000;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (ready === null) {
        if (code !== 0) reject(new Error(`${argv.join(' ')} exited with ${code}`));
        else resolve({ seconds: (performance.now() - started) / 1000, stderr });
      } else if (seconds === 0) {
        reject(new Error(`${argv.join(' ')} ended (${code ?? signal}) before printing its URL: ${stderr}`));
      } else {
        resolve({ seconds, stderr });
      }
    });
  });
}

interface ExploreFigure {
  varpropSeconds: number;
  referenceSeconds: number;
  medianRatio: number;
  pairs: number;
  /** Counted runs that rebuilt anyway (someone changed a source meanwhile): should be 0. */
  rebuilt: number;
}

async function exploreProcess(outDir: string): Promise<ExploreFigure> {
  const explore = ['node', 'bin/varprop.js', 'explore', '--port', '0', '--out-dir', outDir];
  const urlLine = /varprop explorer: http:\/\/127\.0\.0\.1:\d+\//;
  // The first run builds (or finds the build current); only the runs after it are counted.
  await timeProcess(explore, urlLine);
  const mine: number[] = [];
  const floor: number[] = [];
  const ratios: number[] = [];
  let rebuilt = 0;
  for (let i = 0; i < PROCESS_PAIRS; i++) {
    const a = await timeProcess(explore, urlLine);
    const b = await timeProcess(['node', '-e', ''], null);
    if (/building the explorer/.test(a.stderr)) rebuilt++;
    mine.push(a.seconds);
    floor.push(b.seconds);
    ratios.push(a.seconds / b.seconds);
  }
  return { varpropSeconds: median(mine), referenceSeconds: median(floor), medianRatio: median(ratios), pairs: PROCESS_PAIRS, rebuilt };
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`bench:explorer needs ${CHROMIUM} (apt-get install chromium)\n`);
    process.exitCode = 1;
    return;
  }
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench:explorer runs the installed launcher bin/varprop.js: build dist/ first (npm run build)\n');
    process.exitCode = 1;
    return;
  }
  const loadAverageAtStart = os.loadavg()[0];
  const work = await mkdtemp(path.join(os.tmpdir(), 'varprop-bench-explorer-'));
  const site = path.join(work, 'site');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const built = await buildExplorer({ outDir: site });
    const server = await serveStatic(site);
    let loads: FirstLoad[];
    let moved: Change[];
    try {
      loads = [];
      for (let i = 0; i < FIRST_LOADS; i++) loads.push(await firstLoad(browser, server.url));
      moved = await changes(browser, server.url);
    } finally {
      await server.close();
    }
    const explore = await exploreProcess(site);
    const loadAverageAtEnd = os.loadavg()[0];

    const firstLoadPoints = median(loads.map((l) => l.firstPointsMs));
    const firstLoadDerivation = median(loads.map((l) => l.derivationMs));
    const changePoints = median(moved.map((c) => c.firstPointsMs));
    const changeDerivation = median(moved.map((c) => c.derivationMs));
    const rows = [
      { what: 'first load: navigation → first Monte Carlo points', figure: `${round(firstLoadPoints)} ms`, goal: '≤ 1500 ms', met: firstLoadPoints <= 1500 },
      { what: 'first load: navigation → derivation panel', figure: `${round(firstLoadDerivation)} ms`, goal: '—', met: null },
      { what: 'change (10×256): input → first Monte Carlo points, median of 5', figure: `${round(changePoints)} ms`, goal: '≤ 200 ms', met: changePoints <= 200 },
      { what: 'change (10×256): input → derivation panel, median of 5', figure: `${round(changeDerivation)} ms`, goal: '≤ 300 ms', met: changeDerivation <= 300 },
      {
        what: "varprop explore --port 0 → URL printed (build current), vs node -e ''",
        figure: `${round(explore.varpropSeconds, 3)} s vs ${round(explore.referenceSeconds, 3)} s (×${round(explore.medianRatio, 1)})`,
        goal: '≤ 1 s',
        met: explore.varpropSeconds <= 1 && explore.rebuilt === 0,
      },
    ];
    const width = Math.max(...rows.map((r) => r.what.length));
    const figureWidth = Math.max(...rows.map((r) => r.figure.length));
    process.stdout.write(`explorer (headless Chromium, load average ${loadAverageAtStart.toFixed(2)} → ${loadAverageAtEnd.toFixed(2)}, ${os.cpus().length} CPUs)\n`);
    for (const r of rows) {
      const verdict = r.met === null ? '' : r.met ? 'met' : 'MISSED';
      process.stdout.write(`  ${r.what.padEnd(width)}  ${r.figure.padStart(figureWidth)}  ${r.goal.padEnd(9)} ${verdict}\n`);
    }
    process.stdout.write(`  first loads (ms, points / derivation / run start): ${loads.map((l) => `${round(l.firstPointsMs)}/${round(l.derivationMs)}/${round(l.changeMs)}`).join(', ')}\n`);
    process.stdout.write(`  changes (ms, points / derivation / frame): ${moved.map((c) => `${c.init} ${round(c.firstPointsMs)}/${round(c.derivationMs)}/${round(c.frameMs)}`).join(', ')}\n`);
    if (explore.rebuilt > 0) process.stdout.write(`  note: ${explore.rebuilt} of ${explore.pairs} explore runs rebuilt (a source changed meanwhile); the figure is not the unchanged case\n`);

    const results = JSON.parse(await readFile(RESULTS, 'utf8')) as Record<string, unknown>;
    results.explorer = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, chromium: browser.version() },
      loadAverageAtStart,
      loadAverageAtEnd,
      bundleBytes: built.totalBytes,
      firstLoad: { runs: loads.map((l) => ({ firstPointsMs: round(l.firstPointsMs), derivationMs: round(l.derivationMs), runStartMs: round(l.changeMs) })), medianFirstPointsMs: round(firstLoadPoints), medianDerivationMs: round(firstLoadDerivation), goal: 'first points ≤ 1500 ms', met: rows[0].met },
      changes: {
        network: '10 × 256 (the default)',
        runs: moved.map((c) => ({ init: c.init, firstPointsMs: round(c.firstPointsMs), derivationMs: round(c.derivationMs), frameMs: round(c.frameMs) })),
        medianFirstPointsMs: round(changePoints),
        medianDerivationMs: round(changeDerivation),
        goal: 'first points ≤ 200 ms, derivation ≤ 300 ms',
        met: { firstPoints: rows[2].met, derivation: rows[3].met },
      },
      explore: { command: 'varprop explore --port 0 (build current)', reference: "node -e ''", ...explore, goal: '≤ 1 s', met: rows[4].met },
    };
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`wrote the explorer section of ${path.relative(process.cwd(), RESULTS)}\n`);
  } finally {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
