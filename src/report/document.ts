/**
 * The document model: what a report or a doc page says, independent of how it is written out.
 * Builders (`flagship.ts`, `docs/*.ts`) produce a {@link ReportDocument}; writers (`html.ts`,
 * `markdown.ts`) turn it into files. All text is plain text (writers escape it); math is LaTeX
 * rendered by KaTeX; figures are Vega-Lite specs rendered to SVG.
 */
import type { TopLevelSpec } from 'vega-lite';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'math'; latex: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'emph'; text: string }
  | { kind: 'link'; text: string; href: string };

/** One row of an aligned chain of equalities: the step's math and why it is allowed. */
export interface StepRow {
  /** 1-based step number within the document. */
  number: number;
  /** Translated rule name. */
  rule: string;
  latex: string;
  /** One sentence (may contain `$…$`). */
  note: Inline[];
  /** Assumptions checked at this step. */
  flags: { holds: boolean; text: Inline[] }[];
  /** Words on the kind of prediction the step makes, if any. */
  prediction?: Inline[];
}

export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4; text: string; id: string }
  | { kind: 'paragraph'; content: Inline[]; tone?: 'lead' | 'small' }
  | { kind: 'math'; latex: string }
  | { kind: 'steps'; rows: StepRow[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | {
      kind: 'table';
      caption?: Inline[];
      header: Inline[][];
      rows: Inline[][][];
      /** Per column; default left. */
      align?: ('left' | 'right' | 'center')[];
      /** Optional class per row, e.g. 'fail' to highlight. */
      rowTone?: (undefined | 'pass' | 'fail')[];
    }
  | { kind: 'figure'; id: string; spec: TopLevelSpec; caption: Inline[]; alt: string }
  | { kind: 'callout'; tone: 'note' | 'warning' | 'pass' | 'fail'; content: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'definitions'; items: { term: string; value: Inline[] }[] };

export interface ReportDocument {
  /** BCP 47 tag for `<html lang>`. */
  lang: string;
  title: string;
  subtitle?: Inline[];
  blocks: Block[];
  /** Shown last, in smaller type (the reproducibility footer). */
  footer?: Block[];
}

export const text = (value: string): Inline => ({ kind: 'text', text: value });
export const math = (latex: string): Inline => ({ kind: 'math', latex });
export const code = (value: string): Inline => ({ kind: 'code', text: value });

/**
 * Parses catalogue prose into inlines: `$…$` is math, `` `…` `` is code, `**…**` is strong, the rest
 * is text. Only use this on trusted prose (catalogues, doc sources); user-supplied strings go in as
 * {@link text} or {@link code} so they are never interpreted.
 */
export function prose(source: string): Inline[] {
  const out: Inline[] = [];
  const pattern = /\$([^$]+)\$|`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) out.push(text(source.slice(last, index)));
    if (match[1] !== undefined) out.push(math(match[1]));
    else if (match[2] !== undefined) out.push(code(match[2]));
    else out.push({ kind: 'strong', text: match[3] });
    last = index + match[0].length;
  }
  if (last < source.length) out.push(text(source.slice(last)));
  return out;
}

/**
 * Trusted prose with placeholders whose values are NOT interpreted: a string value becomes plain
 * text (user labels, sources), an inline array is spliced in as is. Use this whenever a value may come
 * from the user.
 *
 * @example proseFill('Activation {{name}}: $\\phi$', { name: userLabel })
 */
export function proseFill(template: string, values: Readonly<Record<string, string | number | Inline[]>>): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{\{(\w+)\}\}/g)) {
    const value = values[match[1]];
    if (value === undefined) throw new Error(`message placeholder {{${match[1]}}} has no value in "${template}"`);
    const index = match.index ?? 0;
    out.push(...prose(template.slice(last, index)));
    if (Array.isArray(value)) out.push(...value);
    else out.push(text(String(value)));
    last = index + match[0].length;
  }
  out.push(...prose(template.slice(last)));
  return out;
}

export const paragraph = (source: string, tone?: 'lead' | 'small'): Block => ({ kind: 'paragraph', content: prose(source), ...(tone ? { tone } : {}) });

/** A URL-safe id from a heading, stable across runs (ASCII letters and digits, else a counter). */
export function slug(value: string, fallback: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return s.length >= 3 ? s : fallback;
}

/** Every LaTeX string in a document, inline and display (for the render-everything test). */
export function collectLatex(doc: ReportDocument): { latex: string; display: boolean }[] {
  const found: { latex: string; display: boolean }[] = [];
  const inl = (items: Inline[]) => {
    for (const item of items) if (item.kind === 'math') found.push({ latex: item.latex, display: false });
  };
  const visit = (blocks: Block[]) => {
    for (const block of blocks) {
      switch (block.kind) {
        case 'paragraph':
        case 'callout':
          inl(block.content);
          break;
        case 'math':
          found.push({ latex: block.latex, display: true });
          break;
        case 'steps':
          for (const row of block.rows) {
            found.push({ latex: row.latex, display: true });
            inl(row.note);
            for (const flag of row.flags) inl(flag.text);
            if (row.prediction) inl(row.prediction);
          }
          break;
        case 'list':
          block.items.forEach(inl);
          break;
        case 'table':
          if (block.caption) inl(block.caption);
          block.header.forEach(inl);
          for (const row of block.rows) row.forEach(inl);
          break;
        case 'figure':
          inl(block.caption);
          break;
        case 'definitions':
          for (const item of block.items) inl(item.value);
          break;
        default:
          break;
      }
    }
  };
  if (doc.subtitle) inl(doc.subtitle);
  visit(doc.blocks);
  if (doc.footer) visit(doc.footer);
  return found;
}
