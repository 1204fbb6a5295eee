/**
 * docs/signal-propagation: every decimal in its prose comes from the engine (DocContext.fact), in
 * English and Chinese; its tables are src/theory/signal.ts's numbers; the Monte Carlo rows do not
 * reject the c-map.
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import { paragraph, type Block, type ReportDocument } from '../../src/report/document.js';
import { signalPropagationTopic } from '../../src/report/docs/signal-propagation.js';
import type { DocContext, DocLang } from '../../src/report/docs/topic.js';
import { formatNumber } from '../../src/report/format.js';
import { signalPropagation } from '../../src/theory/signal.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';

const NUMBER = /−?\d+(?:\.\d+)?×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d+\.\d+/g;

async function build(lang: DocLang): Promise<{ doc: ReportDocument; numbers: Set<string>; paragraphs: Block[] }> {
  const numbers = new Set<string>();
  const paragraphs: Block[] = [];
  const context: DocContext = {
    lang,
    cat: lang === 'zh' ? zh : en,
    t: (english, chinese) => (lang === 'zh' ? chinese : english),
    check: () => Promise.reject(new Error('this page runs its own two-input Monte Carlo')),
    fact: (value, digits) => {
      const formatted = formatNumber(value, digits);
      numbers.add(formatted.replace('−', ''));
      return formatted;
    },
    say: (source, tone) => {
      const block = paragraph(source, tone);
      paragraphs.push(block);
      return block;
    },
  };
  return { doc: await signalPropagationTopic.build(context), numbers, paragraphs };
}

describe('docs/signal-propagation', () => {
  it('states only engine numbers in its prose, in both languages, and tabulates the theory', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const { doc, numbers, paragraphs } = await build(lang);
      for (const block of paragraphs) {
        const prose = block.kind === 'paragraph' ? block.content.map((inline) => ('latex' in inline ? inline.latex : inline.text)).join('') : '';
        for (const match of prose.matchAll(NUMBER)) expect(numbers.has(match[0].replace('−', '')), `${lang}: ${match[0]}`).toBe(true);
      }
      const tables = doc.blocks.filter((block) => block.kind === 'table');
      const theory = tables[1];
      const tanh = signalPropagation(resolveActivation('tanh'), 2.5, 0.05);
      expect(theory.kind === 'table' && theory.rows[1].map((cell) => cell.map((inline) => ('text' in inline ? inline.text : '')).join(''))).toEqual(
        expect.arrayContaining([formatNumber(tanh.cStar), formatNumber(tanh.xiC), 'chaotic']),
      );
      const measured = tables[2];
      expect(measured.kind === 'table' && measured.rows.every((row) => row[row.length - 1][0].kind === 'text' && (row[row.length - 1][0] as { text: string }).text !== 'fails')).toBe(true);
    }
  }, 120_000);
});
