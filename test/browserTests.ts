/**
 * Whether the browser suites can run here. They drive Debian's Chromium; on a machine without it
 * (a fresh clone) they are skipped with one line that says how to enable them, so the README's
 * `npm test` passes. `.ci/run` installs Chromium and sets VARPROP_BROWSER_TESTS=required, so there a
 * missing browser fails the suites instead of skipping them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const SKIP_LINE = 'browser tests skipped: install chromium (apt-get install chromium) to run them';

/** True when the browser suites should run; otherwise prints {@link SKIP_LINE} once per test run. */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM) || process.env.VARPROP_BROWSER_TESTS === 'required') return true;
  // Each suite runs in its own worker process; the first to claim the marker (named after the
  // vitest process, the workers' parent) prints the line, so a run shows it once.
  try {
    writeFileSync(join(tmpdir(), `varprop-browser-skip-${process.ppid}`), '', { flag: 'wx' });
    process.stderr.write(`${SKIP_LINE}\n`);
  } catch {
    // another suite of this run has said it
  }
  return false;
}
