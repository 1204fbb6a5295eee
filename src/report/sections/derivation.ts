/**
 * Section 2, Derivation: every step of the symbolic engine as an aligned chain of equalities, each
 * with its rule name and one sentence; assumption failures shown at the step; the solved conditions.
 */
import type { Catalogue } from '../../i18n/catalogue.js';
import { fill } from '../../i18n/catalogue.js';
import type { Derivation, DerivationSection, DerivationStep } from '../../symbolic/derivation.js';
import { math, prose, text, type Block, type StepRow } from '../document.js';
import { formatNumber } from '../format.js';
import { flagWords } from './setup.js';

/** Numbers steps across a whole document. */
export interface StepCounter {
  next: number;
}

export function stepRow(cat: Catalogue, step: DerivationStep, counter: StepCounter): StepRow {
  const english = cat.meta.htmlLang === 'en';
  const rule = cat.rules[step.rule];
  return {
    number: counter.next++,
    rule: rule.name,
    latex: step.latex,
    // The engine writes its notes in English; other languages use the rule's sentence.
    note: english && step.note ? [text(step.note)] : prose(rule.sentence),
    flags: (step.assumptions ?? []).filter((f) => !f.holds).map((flag) => ({ holds: false, text: flagWords(cat, flag) })),
    ...(step.prediction ? { prediction: prose(cat.derivation.prediction[step.prediction]) } : {}),
  };
}

export function sectionBlocks(cat: Catalogue, section: DerivationSection, counter: StepCounter, level: 2 | 3 | 4 = 3): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level, text: cat.derivation.sections[section.id] ?? section.title, id: `derivation-${section.id}` },
  ];
  if (section.steps.length > 0) blocks.push({ kind: 'steps', rows: section.steps.map((s) => stepRow(cat, s, counter)) });
  if (section.resultLatex) {
    blocks.push({ kind: 'paragraph', content: [...prose(cat.derivation.result), text(' '), math(section.resultLatex)] });
  }
  return blocks;
}

export function conditionsBlocks(cat: Catalogue, derivation: Derivation, level: 2 | 3 | 4 = 3): Block[] {
  if (derivation.conditions.length === 0) return [];
  const col = cat.derivation.conditionsColumns;
  const names = cat.derivation.conditionNames as Record<string, string>;
  return [
    { kind: 'heading', level, text: cat.derivation.conditionsHeading, id: 'conditions' },
    {
      kind: 'table',
      header: [col.condition, col.variance, col.std, col.bound].map(prose),
      align: ['left', 'left', 'left', 'left'],
      rows: derivation.conditions.map((c) => [
        [text(`${names[c.id] ?? c.id}: `), math(c.conditionLatex)],
        [math(`${c.formulaLatex} \\approx ${formatNumber(c.variance)}`)],
        [math(`${c.stdLatex} \\approx ${formatNumber(c.std)}`)],
        [math(`${c.boundLatex} \\approx ${formatNumber(c.bound)}`)],
      ]),
    },
    {
      kind: 'paragraph',
      content: prose(
        fill(cat.derivation.chosen, {
          latex: derivation.chosen.varianceLatex,
          variance: formatNumber(derivation.chosen.variance),
          std: formatNumber(derivation.chosen.std),
          bound: formatNumber(derivation.chosen.uniformEquivalentBound),
        }),
      ),
    },
  ];
}

/** The whole derivation section; `sections` filters which derivation sections appear (default all). */
export function derivationBlocks(
  cat: Catalogue,
  derivation: Derivation,
  options: { counter?: StepCounter; headingLevel?: 2 | 3; sections?: readonly DerivationSection['id'][] } = {},
): Block[] {
  const counter = options.counter ?? { next: 1 };
  const level = options.headingLevel ?? 2;
  const sub = (level + 1) as 3 | 4;
  const blocks: Block[] = [
    { kind: 'heading', level, text: cat.derivation.heading, id: 'derivation' },
    { kind: 'paragraph', content: prose(cat.derivation.intro) },
    { kind: 'paragraph', content: prose(fill(cat.derivation.forLayer, { fanIn: derivation.fanIn, fanOut: derivation.fanOut })), tone: 'small' },
  ];
  for (const section of derivation.sections) {
    if (options.sections && !options.sections.includes(section.id)) continue;
    blocks.push(...sectionBlocks(cat, section, counter, sub));
  }
  blocks.push(...conditionsBlocks(cat, derivation, sub));
  return blocks;
}
