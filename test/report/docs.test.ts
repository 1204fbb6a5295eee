/**
 * docs/ is generated: a committed document that differs from what the code generates now is out of
 * date. The same run renders every formula of every document with KaTeX's strictest settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocs, docTopics, type DocFile } from '../../src/report/docs/index.js';
import { collectLatex, type ReportDocument } from '../../src/report/document.js';
import { KATEX_OPTIONS } from '../../src/report/katex.js';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
let files: DocFile[] = [];
let documents: ReportDocument[] = [];

beforeAll(async () => {
  ({ files, documents } = await buildDocs());
}, 180_000);

describe('docs/', () => {
  it('every committed document is up to date (run `npm run docs` to regenerate)', () => {
    const stale = files.filter((f) => !existsSync(join(DOCS, f.path)) || readFileSync(join(DOCS, f.path), 'utf8') !== f.content).map((f) => f.path);
    expect(stale).toEqual([]);
  });

  it('has an index and a Markdown and an HTML file per topic, small enough to commit', () => {
    const paths = files.map((f) => f.path);
    for (const slug of ['xavier', 'he-relu', 'lecun-selu', 'sigmoid', 'tanh-gain', 'jacobians', 'conv-fans', 'index']) {
      for (const prefix of ['', 'zh/']) {
        expect(paths).toContain(`${prefix}${slug}.md`);
        expect(paths).toContain(`${prefix}${slug}.html`);
      }
    }
    // The HTML embeds KaTeX's rendering and fonts: about 0.55 MB per topic and language. Every file
    // stays under 2 MiB (what a repository should hold), and the whole under 1 MiB per page.
    const total = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
    for (const f of files) expect(Buffer.byteLength(f.content), f.path).toBeLessThan(2 * 1024 * 1024);
    expect(total).toBeLessThan(docTopics.length * 2 * 1024 * 1024);
    for (const f of files.filter((f) => f.path.endsWith('.svg'))) expect(Buffer.byteLength(f.content), f.path).toBeLessThan(400 * 1024);
  });

  it('contains no dates or timings, so it regenerates byte for byte', () => {
    for (const f of files) {
      expect(f.content, f.path).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
      expect(f.content, f.path).not.toMatch(/elapsed|seconds/i);
    }
  });

  it('every formula renders in KaTeX with throwOnError and strict "error"', () => {
    const formulas = documents.flatMap(collectLatex);
    expect(formulas.length).toBeGreaterThan(200);
    for (const { latex, display } of formulas) {
      expect(() => katex.renderToString(latex, { ...KATEX_OPTIONS, displayMode: display }), latex).not.toThrow();
    }
    // The Markdown keeps the same math: every $$ block renders too.
    for (const f of files.filter((f) => f.path.endsWith('.md'))) {
      for (const block of f.content.matchAll(/\$\$\n([\s\S]*?)\n\$\$/g)) {
        expect(() => katex.renderToString(block[1], { ...KATEX_OPTIONS, displayMode: true }), block[1]).not.toThrow();
      }
    }
  });

  it('the KaTeX settings reject what they should (a wrong formula fails loudly)', () => {
    expect(() => katex.renderToString('\\frac{1}{', { ...KATEX_OPTIONS })).toThrow();
    // LaTeX-incompatible input (a Unicode letter in math mode) is only a warning by default;
    // strict: 'error' makes it an error.
    expect(() => katex.renderToString('é', { ...KATEX_OPTIONS })).toThrow(/strict/);
    expect(() => katex.renderToString('é', { ...KATEX_OPTIONS, strict: 'ignore' })).not.toThrow();
    // trust is off: \href must not produce a link.
    expect(katex.renderToString('\\href{javascript:alert(1)}{x}', { ...KATEX_OPTIONS, throwOnError: false, strict: 'ignore' })).not.toContain('href="javascript');
  });
});
