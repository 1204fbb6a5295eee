/**
 * Writes a {@link ReportDocument} as Markdown with KaTeX-compatible math (`$…$` inline, `$$…$$`
 * display) and the charts as SVG files in a sibling folder, for a docs site or a GitHub page.
 */
import type { Block, Inline, ReportDocument, StepRow } from './document.js';
import { escapeMarkdown } from './escape.js';
import { splitAtEquals } from './katex.js';

export interface MarkdownOutput {
  markdown: string;
  /** Side files, paths relative to the Markdown file (e.g. `xavier_files/variance.svg`). */
  files: { path: string; content: string }[];
}

function inline(items: readonly Inline[], inTable = false): string {
  return items
    .map((item) => {
      switch (item.kind) {
        case 'text':
          return escapeMarkdown(item.text);
        case 'math':
          // A `|` inside a table cell would end the cell; \vert renders the same.
          return `$${inTable ? item.latex.replace(/\|/g, '\\vert ') : item.latex}$`;
        case 'code':
          return `\`${item.text.replace(/`/g, "'")}\``;
        case 'strong':
          return `**${escapeMarkdown(item.text)}**`;
        case 'emph':
          return `*${escapeMarkdown(item.text)}*`;
        case 'link':
          return `[${escapeMarkdown(item.text)}](${item.href.replace(/[()\s]/g, encodeURIComponent)})`;
      }
    })
    .join('');
}

/** A chain of steps as one aligned block, numbered, followed by the rule and sentence of each step. */
function steps(rows: readonly StepRow[]): string {
  const lines: string[] = [];
  let previous: string | null = null;
  for (const row of rows) {
    const split = splitAtEquals(row.latex);
    const tag = `&& \\text{(${row.number})}`;
    if (split) {
      const continues = previous === split.lhs.replace(/\s+/g, '');
      lines.push(`${continues ? '' : split.lhs} &= ${split.rhs} ${tag}`);
      previous = split.rhs.replace(/\s+/g, '');
    } else {
      lines.push(`& ${row.latex} ${tag}`);
      previous = null;
    }
  }
  const notes = rows.map((row) => {
    const prediction = row.prediction ? ` (${inline(row.prediction)})` : '';
    const flags = row.flags.map((f) => (f.holds ? ` ✓ ${inline(f.text)}` : `\n\n> ⚠ ${inline(f.text)}`)).join('');
    return `(${row.number}) **${escapeMarkdown(row.rule)}.** ${inline(row.note)}${prediction}${flags}`;
  });
  return `$$\n\\begin{aligned}\n${lines.join(' \\\\\n')}\n\\end{aligned}\n$$\n\n${notes.join('\n\n')}`;
}

function block(b: Block, figureDir: string, files: MarkdownOutput['files'], figures: ReadonlyMap<string, string>): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return inline(b.content);
    case 'math':
      return `$$\n${b.latex}\n$$`;
    case 'steps':
      return steps(b.rows);
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inline(item)}`).join('\n');
    case 'table': {
      const cell = (c: Inline[]) => inline(c, true).replace(/\n/g, ' ');
      const sep = b.header.map((_, i) => {
        const a = b.align?.[i];
        return a === 'right' ? '---:' : a === 'center' ? ':---:' : '---';
      });
      const lines = [
        `| ${b.header.map(cell).join(' | ')} |`,
        `| ${sep.join(' | ')} |`,
        ...b.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ];
      return `${b.caption ? `${inline(b.caption)}\n\n` : ''}${lines.join('\n')}`;
    }
    case 'figure': {
      const svg = figures.get(b.id);
      if (svg === undefined) throw new Error(`figure ${b.id} was not rendered`);
      const path = `${figureDir}/${b.id}.svg`;
      files.push({ path, content: svg });
      return `![${escapeMarkdown(b.alt)}](${encodeURI(path)})\n\n*${inline(b.caption)}*`;
    }
    case 'callout':
      return `> ${inline(b.content)}`;
    case 'code':
      return `\`\`\`\n${b.text.replace(/```/g, "'''")}\n\`\`\``;
    case 'definitions':
      return b.items.map((d) => `- **${escapeMarkdown(d.term)}:** ${inline(d.value)}`).join('\n');
  }
}

/**
 * @param figureDir - folder (relative to the Markdown file) the SVGs go into, e.g. `xavier_files`.
 */
export function writeMarkdown(doc: ReportDocument, figures: ReadonlyMap<string, string>, figureDir: string): MarkdownOutput {
  const files: MarkdownOutput['files'] = [];
  const parts = [`# ${escapeMarkdown(doc.title)}`];
  if (doc.subtitle) parts.push(`*${inline(doc.subtitle)}*`);
  for (const b of doc.blocks) parts.push(block(b, figureDir, files, figures));
  if (doc.footer) {
    parts.push('---');
    for (const b of doc.footer) parts.push(block(b, figureDir, files, figures));
  }
  return { markdown: `${parts.join('\n\n')}\n`, files };
}
