/** `varprop report` end to end, in process: HTML and Markdown, English and Chinese, escaping, speed. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import { checkNetwork } from '../../src/numeric/check.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { deriveNetwork } from '../../src/symbolic/layer.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { buildReport } from '../../src/report/build.js';
import { writeHtml } from '../../src/report/html.js';
import { writeMarkdown } from '../../src/report/markdown.js';
import { renderFigures } from '../../src/report/svg.js';
import { generateReport } from '../../src/report/generate.js';
import { formatNumber } from '../../src/report/format.js';

const small = ['--widths', '32,32,32', '--act', 'tanh', '--nets', '2', '--batch', '32'];
const fresh = () => mkdtempSync(join(tmpdir(), 'varprop-report-'));

describe('varprop report', () => {
  it('writes a self-contained HTML report with the five sections and prints a summary', async () => {
    const out = join(fresh(), 'report.html');
    const io = memoryIO();
    const code = await main(['report', ...small, '--compare', 'standard', '--out', out], io);
    expect(io.err).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(io.out).toMatch(/xavier_uniform: 6\/6 checks pass/);
    expect(io.out).toMatch(/standard: \d\/6 checks pass/);
    expect(io.out).toContain(out);
    const html = readFileSync(out, 'utf8');
    for (const heading of [en.setup.heading, en.derivation.heading, en.evidence.heading, en.demos.heading, en.footer.heading]) expect(html).toContain(`>${heading}</h2>`);
    // Self-contained: fonts as data URIs, no external URL anywhere but the SVG namespaces and citations.
    expect(html).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/);
    expect(html).not.toMatch(/url\((?!data:)/);
    expect(html).not.toMatch(/<script|<link|<img/i);
    expect(html).toContain('Content-Security-Policy');
    // Each flag of the command sits in a span that keeps it on one line (test/report/charts.test.ts).
    expect(html.replace(/<\/?span[^>]*>/g, '')).toContain('varprop report --widths 32,32,32 --act tanh --init xavier_uniform --compare standard --nets 2 --seed 1');
    expect(html).not.toContain('katex-error');
  });

  it('--format md writes Markdown with $$ math and SVGs beside it; a rerun replaces its own files, never a user\'s SVG', async () => {
    const dir = fresh();
    const out = join(dir, 'report.md');
    expect(await main(['report', ...small, '--format', 'md', '--out', out], memoryIO())).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/\$\$\n\\begin\{aligned\}/);
    expect(md).toMatch(/!\[[^\]]*\]\(report_files\/variance\.svg\)/);
    expect(readdirSync(join(dir, 'report_files')).sort()).toEqual(['histograms-1.svg', 'matrices.svg', 'sigmoid.svg', 'variance.svg']);
    // The same command again: report.md carries varprop's footer, so it and its SVGs are replaced.
    expect(await main(['report', ...small, '--format', 'md', '--out', out], memoryIO())).toBe(0);
    // A new report beside someone else's SVG folder refuses to touch it without --force.
    const other = join(dir, 'other.md');
    mkdirSync(join(dir, 'other_files'));
    writeFileSync(join(dir, 'other_files', 'variance.svg'), 'mine');
    const again = memoryIO();
    expect(await main(['report', ...small, '--format', 'md', '--out', other], again)).toBe(2);
    expect(again.err).toMatch(/other_files.*--force/);
    expect(readFileSync(join(dir, 'other_files', 'variance.svg'), 'utf8')).toBe('mine');
    expect(await main(['report', ...small, '--format', 'md', '--out', other, '--force'], memoryIO())).toBe(0);
  });

  it('--lang zh writes the whole report in Simplified Chinese', async () => {
    const out = join(fresh(), 'report.html');
    const io = memoryIO();
    expect(await main(['report', ...small, '--lang', 'zh', '--out', out], io)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<html lang="zh-Hans">');
    for (const heading of [zh.setup.heading, zh.derivation.heading, zh.evidence.heading, zh.demos.heading, zh.footer.heading]) expect(html).toContain(`>${heading}</h2>`);
    expect(html).toContain(zh.rules.linearity.name);
    // Rule sentences come from the catalogue, not the engine's English notes.
    expect(html).not.toContain(en.rules.linearity.name);
    expect(io.out).toMatch(/项检验通过/);
  });

  it('bad input is one line naming the flag, exit 2', async () => {
    for (const [args, pattern] of [
      [['--lang', 'fr'], /--lang/],
      [['--nets', '1'], /--nets = "1"/],
      [['--act', 'nope('], /activation|act/],
    ] as const) {
      const io = memoryIO();
      expect(await main(['report', ...small, ...args, '--out', join(fresh(), 'r.html')], io)).toBe(2);
      expect(io.err).toMatch(pattern);
    }
    const io = memoryIO();
    expect(await main(['report', '--act', 'tanh'], io)).toBe(2);
    expect(io.err).toMatch(/--widths/);
  });

  it('escapes hostile labels and commands in HTML and Markdown; trusted prose is never applied to them', async () => {
    const network = resolveNetwork({ widths: [16, 16, 16], activation: 'tanh', init: 'xavier_uniform' });
    const report = await checkNetwork({ widths: [16, 16, 16], activation: 'tanh' }, { nets: 2, batch: 16, seed: 3 });
    const hostile = '<script>alert(1)</script> $\\href{javascript:alert(1)}{x}$ **b**';
    const doc = buildReport(en, {
      network,
      derivation: deriveNetwork(network),
      runs: [{ init: hostile, report }],
      demos: { sigmoid: resolveActivation('sigmoid') },
      reproducibility: { command: `varprop report --out '${hostile}'`, version: '0', seed: 1 },
    });
    const figures = await renderFigures(doc);
    const html = writeHtml(doc, figures);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/href="javascript/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const md = writeMarkdown(doc, figures, 'r_files');
    // Code spans show their content literally on every Markdown renderer; everywhere else it is escaped.
    const outsideCode = md.markdown.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/<script/i);
    expect(outsideCode).toContain('&lt;script&gt;');
    for (const f of md.files) expect(f.content).not.toMatch(/<script/i);
    // The $…$ in the label stays text (escaped), it is not turned into math.
    expect(md.markdown).toContain('\\$\\\\href');
  });

  it('generates the main job\'s report for the chosen and compared inits (timings are measured in bench/)', async () => {
    const result = await generateReport(en, {
      spec: { widths: [784, 256, 256, 10], activation: 'tanh', init: 'xavier_uniform' },
      compare: ['standard', 'he_normal'],
      monteCarlo: { nets: 2, batch: 64, seed: 1 },
      format: 'html',
      outPath: 'unused.html',
      reproducibility: { command: 'varprop report --flagship', version: '0', seed: 1 },
    });
    for (const value of Object.values(result.timings)) expect(Number.isFinite(value)).toBe(true);
    expect(result.runs.map((r) => r.init)).toEqual(['xavier_uniform', 'standard', 'he_normal']);
  });
});

describe('formatNumber', () => {
  it('prints 4 significant digits, scientific with ×10ⁿ outside [1e-3, 1e5), and never NaN', () => {
    expect(formatNumber(0.0019230769)).toBe('0.001923');
    expect(formatNumber(1.5076923)).toBe('1.508');
    expect(formatNumber(2)).toBe('2');
    expect(formatNumber(13780.6)).toBe('13780');
    expect(formatNumber(10000)).toBe('10000');
    expect(formatNumber(-12345)).toBe('−12350');
    expect(formatNumber(1.234e-5)).toBe('1.234×10⁻⁵');
    expect(formatNumber(-2.5e23)).toBe('−2.5×10²³');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});

it('out/ is not touched by the in-process tests', () => {
  expect(existsSync(join(tmpdir(), 'out'))).toBe(false);
});
