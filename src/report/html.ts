/**
 * Writes a {@link ReportDocument} as one self-contained HTML file: KaTeX's CSS and fonts inlined as
 * data URIs, charts inlined as SVG, no scripts, and a Content-Security-Policy that forbids any
 * network request. Every piece of text is escaped; only KaTeX output and our own SVG are raw.
 */
import type { Block, Inline, ReportDocument, StepRow } from './document.js';
import { REPORT_CSS } from './css.js';
import { escapeHtml } from './escape.js';
import { katexCss, renderMath, splitAtEquals } from './katex.js';

/** Time spent per part while writing, in milliseconds (filled in when passed). */
export interface WriteTimings {
  katexMs: number;
}

/** No network at view time: fonts and images only from data: URIs, styles only inline, no scripts. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

class HtmlWriter {
  constructor(private readonly timings: WriteTimings) {}

  math(latex: string, display: boolean): string {
    const start = performance.now();
    try {
      return renderMath(latex, display);
    } finally {
      this.timings.katexMs += performance.now() - start;
    }
  }

  /** `displayStyle`: fractions and sums at full size (table cells, where inline style is cramped). */
  inline(items: readonly Inline[], displayStyle = false): string {
    return items
      .map((item) => {
        switch (item.kind) {
          case 'text':
            return escapeHtml(item.text);
          case 'math':
            return this.math(displayStyle ? `\\displaystyle ${item.latex}` : item.latex, false);
          case 'code':
            return `<code>${codeWithWholeFlags(item.text)}</code>`;
          case 'strong':
            return `<strong>${escapeHtml(item.text)}</strong>`;
          case 'emph':
            return `<em>${escapeHtml(item.text)}</em>`;
          case 'link':
            return `<a href="${escapeHtml(safeHref(item.href))}">${escapeHtml(item.text)}</a>`;
        }
      })
      .join('');
  }

  steps(rows: readonly StepRow[]): string {
    // A step whose left side is the previous step's right side continues the chain: only "= rhs".
    let previousRhs: string | null = null;
    const body = rows.map((row) => {
      const split = splitAtEquals(row.latex);
      let cells: string;
      const why = this.why(row);
      const rendered = split ? this.trySplit(split.lhs, split.rhs) : null;
      if (split && rendered) {
        const continues = previousRhs !== null && normalise(split.lhs) === previousRhs;
        previousRhs = normalise(split.rhs);
        cells = `<td class="lhs">${continues ? '' : `<div class="formula">${rendered.lhs}</div>`}</td><td class="rhs"><div class="formula">${rendered.rhs}</div>${why}</td>`;
      } else {
        previousRhs = null;
        cells = `<td class="whole" colspan="2"><div class="formula">${this.math(row.latex, true)}</div>${why}</td>`;
      }
      return `<tr id="step-${row.number}"><td class="no">(${row.number})</td>${cells}</tr>`;
    });
    return `<table class="steps"><tbody>${body.join('\n')}</tbody></table>`;
  }

  /** Both halves must render on their own; otherwise the caller renders the whole line. */
  private trySplit(lhs: string, rhs: string): { lhs: string; rhs: string } | null {
    try {
      return { lhs: this.math(`\\displaystyle ${lhs}`, false), rhs: this.math(`\\displaystyle {}= ${rhs}`, false) };
    } catch {
      return null;
    }
  }

  private why(row: StepRow): string {
    const flags = row.flags
      .map((flag) =>
        flag.holds
          ? `<div class="flag holds">✓ ${this.inline(flag.text)}</div>`
          : `<div class="flag fails"><span class="flag-label">⚠ </span>${this.inline(flag.text)}</div>`,
      )
      .join('');
    const prediction = row.prediction ? ` <span class="prediction">${this.inline(row.prediction)}</span>` : '';
    return `<div class="why"><span class="rule-name">${escapeHtml(row.rule)}.</span> ${this.inline(row.note)}${prediction}${flags}</div>`;
  }

  block(block: Block, figures: ReadonlyMap<string, string>): string {
    switch (block.kind) {
      case 'heading':
        return `<h${block.level} id="${escapeHtml(block.id)}">${escapeHtml(block.text)}</h${block.level}>`;
      case 'paragraph':
        return `<p${block.tone ? ` class="${block.tone}"` : ''}>${this.inline(block.content)}</p>`;
      case 'math':
        return this.math(block.latex, true);
      case 'steps':
        return this.steps(block.rows);
      case 'list': {
        const tag = block.ordered ? 'ol' : 'ul';
        return `<${tag}>${block.items.map((item) => `<li>${this.inline(item)}</li>`).join('')}</${tag}>`;
      }
      case 'table': {
        const align = (i: number) => {
          const a = block.align?.[i];
          return a && a !== 'left' ? ` class="${a}"` : '';
        };
        const head = `<thead><tr>${block.header.map((h, i) => `<th${align(i)}>${this.inline(h)}</th>`).join('')}</tr></thead>`;
        const rows = block.rows
          .map((row, r) => {
            const tone = block.rowTone?.[r];
            return `<tr${tone ? ` class="${tone}"` : ''}>${row.map((cell, i) => `<td${align(i)}>${this.inline(cell, true)}</td>`).join('')}</tr>`;
          })
          .join('\n');
        const caption = block.caption ? `<caption>${this.inline(block.caption)}</caption>` : '';
        return `<table class="data">${caption}${head}<tbody>${rows}</tbody></table>`;
      }
      case 'figure': {
        const svg = figures.get(block.id);
        if (svg === undefined) throw new Error(`figure ${block.id} was not rendered`);
        return `<figure id="${escapeHtml(block.id)}"><div class="chart" role="img" aria-label="${escapeHtml(block.alt)}">${svg}</div><figcaption>${this.inline(block.caption)}</figcaption></figure>`;
      }
      case 'callout':
        return `<div class="callout ${block.tone}">${this.inline(block.content)}</div>`;
      case 'code':
        return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
      case 'definitions':
        return `<dl class="defs">${block.items.map((d) => `<dt>${escapeHtml(d.term)}</dt><dd>${this.inline(d.value)}</dd>`).join('')}</dl>`;
    }
  }
}

/**
 * Inline code with every flag (`--out`, `-0.5`) in a span that does not break: browsers may break a
 * line after a hyphen, which printed `--out` as "-" and "-out" on two lines of the reproducibility
 * command. Lines still break at the spaces between arguments.
 */
export function codeWithWholeFlags(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part) => (/^-\S/.test(part) ? `<span class="flag-word">${escapeHtml(part)}</span>` : escapeHtml(part)))
    .join('');
}

function normalise(latex: string): string {
  return latex.replace(/\s+/g, '');
}

/** Only relative links and http(s) links; anything else (javascript:, data:) becomes '#'. */
function safeHref(href: string): string {
  return /^(https?:\/\/|\.{0,2}\/|#|[\w-]+(\.[\w-]+)*(#[\w-]*)?$)/.test(href) ? href : '#';
}

/**
 * Writes the document to an HTML string.
 *
 * @param figures - SVG per figure id (from {@link renderFigures}).
 */
export function writeHtml(
  doc: ReportDocument,
  figures: ReadonlyMap<string, string>,
  options: { timings?: WriteTimings; tableOfContents?: boolean; kicker?: string } = {},
): string {
  const timings = options.timings ?? { katexMs: 0 };
  const writer = new HtmlWriter(timings);
  const body = doc.blocks.map((b) => writer.block(b, figures)).join('\n');
  const footer = doc.footer ? `<footer class="repro">${doc.footer.map((b) => writer.block(b, figures)).join('\n')}</footer>` : '';
  const subtitle = doc.subtitle ? `<p class="subtitle">${writer.inline(doc.subtitle)}</p>` : '';
  const headings = doc.blocks.filter((b): b is Extract<Block, { kind: 'heading' }> => b.kind === 'heading' && b.level === 2);
  const toc =
    options.tableOfContents !== false && headings.length > 2
      ? `<nav class="toc"><ol>${headings.map((h) => `<li><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`).join('')}</ol></nav>`
      : '';
  const kicker = options.kicker ? `<p class="kicker">${escapeHtml(options.kicker)}</p>` : '';
  const start = performance.now();
  const allHtml = `${subtitle}${body}${footer}`;
  const css = katexCss(allHtml);
  timings.katexMs += performance.now() - start;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(doc.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="varprop">
<title>${escapeHtml(doc.title)}</title>
<style>${css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="title">${kicker}<h1>${escapeHtml(doc.title)}</h1>${subtitle}</header>
${toc}
${body}
${footer}
</main>
</body>
</html>
`;
}
