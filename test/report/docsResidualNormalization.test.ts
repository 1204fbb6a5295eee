/**
 * The residual-scaling and normalization pages: every decimal number in their prose came from the
 * engine (DocContext.fact), in English and Chinese, and the claims made with those numbers hold when
 * recomputed here by independent arithmetic (not by the functions the pages call).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import { checkNetwork } from '../../src/numeric/check.js';
import type { CheckReport } from '../../src/numeric/measurement.js';
import { normalizationTopic, normalizedAt, NORMALIZATION_SCALES, NORMALIZATION_WIDTH } from '../../src/report/docs/normalization.js';
import { RESIDUAL_DEPTH, residualTopic } from '../../src/report/docs/residual.js';
import { DOC_MONTE_CARLO, type DocContext, type DocLang, type DocTopic } from '../../src/report/docs/topic.js';
import { paragraph, type Block, type ReportDocument } from '../../src/report/document.js';
import { formatNumber } from '../../src/report/format.js';

interface Built {
  doc: ReportDocument;
  numbers: string[];
  paragraphs: Block[];
}

const runs = new Map<string, Promise<CheckReport>>();
async function build(topic: DocTopic, lang: DocLang): Promise<Built> {
  const numbers: string[] = [];
  const paragraphs: Block[] = [];
  const context: DocContext = {
    lang,
    cat: lang === 'zh' ? zh : en,
    t: (english, chinese) => (lang === 'zh' ? chinese : english),
    check: (spec, options = {}) => {
      const key = JSON.stringify([spec, options]);
      if (!runs.has(key)) runs.set(key, checkNetwork(spec, { ...DOC_MONTE_CARLO, ...options }));
      return runs.get(key)!;
    },
    fact: (value, digits) => {
      const formatted = formatNumber(value, digits);
      numbers.push(formatted);
      return formatted;
    },
    say: (source, tone) => {
      const block = paragraph(source, tone);
      paragraphs.push(block);
      return block;
    },
  };
  return { doc: await topic.build(context), numbers, paragraphs };
}

const proseOf = (block: Block) => (block.kind === 'paragraph' ? block.content.map((inline) => ('latex' in inline ? inline.latex : inline.text)).join('') : '');
const NUMBER = /−?\d+(?:\.\d+)?×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d+\.\d+|\d+e[+-]\d+/g;

const built = new Map<string, Built>();
beforeAll(async () => {
  for (const topic of [residualTopic, normalizationTopic]) for (const lang of ['en', 'zh'] as const) built.set(`${lang}/${topic.slug}`, await build(topic, lang));
}, 120_000);

const prose = (key: string) => built.get(key)!.paragraphs.map(proseOf).join('\n');

describe('residual and normalization pages: numbers come from the engine', () => {
  for (const key of ['en/residual', 'zh/residual', 'en/normalization', 'zh/normalization']) {
    it(`${key}: every decimal number in its prose passed through fact, none in e-notation`, () => {
      const { numbers, paragraphs } = built.get(key)!;
      expect(paragraphs.length).toBeGreaterThan(3);
      const stated = new Set(numbers.map((n) => n.replace('−', '')));
      for (const text of paragraphs.map(proseOf)) {
        expect(text).not.toMatch(/\d\.\d+e[+-]\d/);
        for (const match of text.matchAll(NUMBER)) expect(stated.has(match[0].replace('−', '')), `${key}: "${match[0]}"`).toBe(true);
      }
    });
  }

  it('both languages state the same numbers', () => {
    expect(built.get('zh/residual')!.numbers).toEqual(built.get('en/residual')!.numbers);
    expect(built.get('zh/normalization')!.numbers).toEqual(built.get('en/normalization')!.numbers);
  });
});

describe('the claims of the residual page hold', () => {
  const L = RESIDUAL_DEPTH;
  it('(β² + α²)^L: 2^L for α = 1, (1 + 1/L)^L < e for α = 1/√L; a 10% too large He variance gives 1.1^L', () => {
    const text = prose('en/residual');
    expect(text).toContain(`after ${L} blocks it is 2^{${L}} = ${formatNumber(2 ** L)} times`);
    const scaled = (1 + 1 / L) ** L;
    expect(scaled).toBeLessThan(Math.E);
    expect(text).toContain(`\\alpha = ${formatNumber(1 / Math.sqrt(L), 2)} and the last block's second moment is ${formatNumber(scaled)}`);
    expect(text).toContain(`a variance 10% too large gives 1.1^{${L}} = ${formatNumber(1.1 ** L)} after ${L} layers`);
    expect(text).toContain(`sees ${formatNumber(2 ** -(L - 1))} of the input's second moment`);
  });

  it('the Monte Carlo of the scaled tower lands near (1 + 1/L)^L, the unscaled one is astronomically larger', () => {
    const text = prose('en/residual');
    const match = /after block \d+ is (\S+) against the exact (\S+); with \\alpha = 1 it is (\S+) against (\S+)\./.exec(text);
    expect(match).not.toBeNull();
    const parse = (s: string) => {
      const sci = /^(.+)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(s);
      if (!sci) return Number(s);
      const exp = Number([...sci[2]].map((c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)).map((i) => (i === 0 ? '-' : String(i - 1))).join(''));
      return Number(sci[1]) * 10 ** exp;
    };
    const [scaledMeasured, scaledExact, plainMeasured, plainExact] = match!.slice(1, 5).map(parse);
    expect(scaledExact).toBeCloseTo((1 + 1 / L) ** L, 3);
    expect(Math.abs(scaledMeasured / scaledExact - 1)).toBeLessThan(0.25);
    expect(plainExact / 2 ** L).toBeCloseTo(1, 3);
    expect(plainMeasured).toBeGreaterThan(1e25);
  });
});

describe('the claims of the normalization page hold', () => {
  const n = NORMALIZATION_WIDTH;
  /** E[(∂x)²]/E[(∂y)²] across a layer_norm with ε = 0, from the Jacobian (n − 1 − 2 + 1)/(n v̄) and E[1/v] ≈ (1 + 2/(n − 1))/v̄. */
  const factor = (s: number) => {
    const v = s * (1 - 1 / n);
    return ((n - 2) * (1 + 2 / (n - 1))) / (n * v);
  };

  it('the backward factors stated are ≈ 1/s, by the closed form', () => {
    const text = prose('en/normalization');
    const [small, , large] = NORMALIZATION_SCALES;
    expect(text).toContain(`the gradient shrinks by ${formatNumber(factor(large))}, below a vanished one (${formatNumber(small)}) it grows by ${formatNumber(factor(small))}`);
    expect(factor(large) * large).toBeCloseTo(1.015, 2);
  });

  it('ε = 1e-5 keeps a signal of second moment 1e-6 at v/(v + ε) ≈ 0.09, not 1', () => {
    const v = 1e-6 * (1 - 1 / n);
    expect(prose('en/normalization')).toContain(`leaves layer_norm at ${formatNumber(v / (v + 1e-5))}, not one`);
  });

  it('measured: the forward second moment after the normalization is 1, and the backward factor within 10% of the closed form', async () => {
    for (const s of NORMALIZATION_SCALES) {
      const report = await checkNetwork(normalizedAt(s), { ...DOC_MONTE_CARLO });
      const [signal, norm] = report.sites!;
      expect(norm.forward.estimate).toBeCloseTo(1, 5);
      expect(Math.abs(signal.backward.estimate / norm.backward.estimate / factor(s) - 1)).toBeLessThan(0.1);
    }
  });
});
