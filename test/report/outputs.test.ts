/**
 * `varprop report` and `varprop docs` never lose a user's file: an existing file varprop did not
 * write is refused without --force (one line, exit 2), a device or FIFO never, and `--out -` writes
 * the report to standard output.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

// --nets 0 skips the Monte Carlo: these tests are about where the bytes go.
const tiny = ['--widths', '4,4', '--nets', '0'];
const fresh = () => mkdtempSync(join(tmpdir(), 'varprop-outputs-'));

const oneLine = (text: string) => {
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/undefined|NaN|\n\s+at /);
};

describe('report --out', () => {
  it('refuses to replace a file varprop did not write, in one line with exit 2; --force replaces it', async () => {
    const dir = fresh();
    const target = join(dir, 'package.json');
    writeFileSync(target, '{"name":"precious"}');
    const io = memoryIO();
    expect(await main(['report', ...tiny, '--out', target], io)).toBe(2);
    oneLine(io.err);
    expect(io.err).toMatch(/package\.json.*not written by varprop.*--force/);
    expect(readFileSync(target, 'utf8')).toBe('{"name":"precious"}');
    expect(await main(['report', ...tiny, '--out', target, '--force'], memoryIO())).toBe(0);
    expect(readFileSync(target, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('replaces its own report when run again', async () => {
    const out = join(fresh(), 'report.html');
    expect(await main(['report', ...tiny, '--out', out], memoryIO())).toBe(0);
    expect(await main(['report', ...tiny, '--out', out], memoryIO())).toBe(0);
  });

  it('never replaces a FIFO (a stand-in for a device node), even with --force', async () => {
    const dir = fresh();
    const fifo = join(dir, 'fakenull');
    execFileSync('mkfifo', [fifo]);
    const io = memoryIO();
    expect(await main(['report', ...tiny, '--out', fifo, '--force'], io)).toBe(2);
    oneLine(io.err);
    expect(io.err).toMatch(/fakenull.*named pipe/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['fakenull']);
  });

  it('--out - writes the HTML to standard output and the summary to standard error', async () => {
    const dir = fresh();
    const io = memoryIO();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await main(['report', ...tiny, '--out', '-'], io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(io.out).toMatch(/^<!DOCTYPE html>/);
    expect(io.out.trimEnd()).toMatch(/<\/html>$/);
    expect(readdirSync(dir)).toEqual([]); // no file called "-"
  });

  it('--out - with --format md is refused in words (its SVGs need a folder)', async () => {
    const io = memoryIO();
    expect(await main(['report', ...tiny, '--format', 'md', '--out', '-'], io)).toBe(2);
    oneLine(io.err);
    expect(io.err).toMatch(/--format = "md".*html with --out -/);
  });

  it('a missing or empty --out says what is needed, not "undefined", and suggests --flagship only when it fits', async () => {
    const missing = memoryIO();
    expect(await main(['report', ...tiny], missing)).toBe(2);
    oneLine(missing.err);
    expect(missing.err).toMatch(/--out is required/);
    const empty = memoryIO();
    expect(await main(['report', '--flagship', '--nets', '0', '--out', ''], empty)).toBe(2);
    oneLine(empty.err);
    expect(empty.err).toMatch(/--out = "" is not allowed/);
    expect(empty.err).not.toMatch(/--flagship/);
  });
});

describe('docs --out', () => {
  it('refuses to overwrite a user\'s docs/index.md before generating anything', async () => {
    const dir = fresh();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'index.md'), '# My project\n');
    const io = memoryIO();
    expect(await main(['docs', '--out', docs], io)).toBe(2);
    oneLine(io.err);
    expect(io.err).toMatch(/index\.md.*--force/);
    expect(readdirSync(docs)).toEqual(['index.md']);
    expect(readFileSync(join(docs, 'index.md'), 'utf8')).toBe('# My project\n');
  });
});
