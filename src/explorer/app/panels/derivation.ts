/**
 * The derivation panel: the symbolic engine's steps rendered with KaTeX, rule names and sentences
 * from the shared catalogue, and steps whose assumption fails for the chosen activation highlighted
 * with the reason.
 */
import { fill, type Catalogue } from '../../../i18n/catalogue.js';
import type { Derivation, DerivationStep } from '../../../symbolic/derivation.js';
import { h } from '../dom.js';
import { mathElement, proseElement } from '../math.js';

function flagText(catalogue: Catalogue, id: string, fallback: string): string {
  const flags = catalogue.assumptionFlags as Record<string, string>;
  return flags[id] ?? (fallback || flags.generic);
}

function stepElement(step: DerivationStep, number: number, catalogue: Catalogue, lang: string): HTMLElement {
  const rule = catalogue.rules[step.rule];
  const broken = (step.assumptions ?? []).filter((flag) => !flag.holds);
  const prediction = step.prediction ? catalogue.derivation.prediction[step.prediction] : null;
  // The engine writes its notes in English; other languages use the catalogue's sentence for the rule.
  const note = lang === 'en' && step.note ? step.note : rule.sentence;
  return h(
    'li',
    { class: `step${broken.length > 0 ? ' broken' : ''}`, 'data-rule': step.rule, id: `step-${number}` },
    h('div', { class: 'step-head' }, h('span', { class: 'step-number' }, String(number)), h('span', { class: 'rule' }, rule.name), prediction && h('span', { class: `prediction ${step.prediction}` }, proseElement(prediction))),
    mathElement(step.latex, true),
    proseElement(note, 'p'),
    broken.map((flag) =>
      h('p', { class: 'flag', role: 'note' }, h('strong', {}, `${catalogue.derivation.assumptionFails}: `), proseElement(flagText(catalogue, flag.id, lang === 'en' ? flag.note : ''))),
    ),
  );
}

export function derivationElement(derivation: Derivation, catalogue: Catalogue, lang: string): HTMLElement {
  let number = 0;
  const sectionTitles = catalogue.derivation.sections as Record<string, string>;
  // Where an assumption breaks, listed first with links, so a reader need not scroll to find it.
  const broken: { number: number; ids: string[] }[] = [];
  let counter = 0;
  for (const section of derivation.sections) {
    for (const step of section.steps) {
      counter++;
      const ids = (step.assumptions ?? []).filter((flag) => !flag.holds).map((flag) => flag.id);
      if (ids.length > 0) broken.push({ number: counter, ids });
    }
  }
  return h(
    'div',
    { class: 'derivation' },
    broken.length > 0 &&
      h(
        'p',
        { class: 'broken-summary' },
        h('strong', {}, `${catalogue.derivation.assumptionFails}: `),
        broken.flatMap((b, i) => [i > 0 ? ', ' : '', h('a', { href: `#step-${b.number}` }, fill(catalogue.derivation.stepLabel, { n: b.number }))]),
      ),
    h(
      'p',
      { class: 'muted' },
      fill(catalogue.explorer.panels.derivationFor, {
        fanIn: derivation.fanIn,
        fanOut: derivation.fanOut,
        activation: derivation.activation,
        init: derivation.init,
      }),
    ),
    derivation.sections.map((section) =>
      h(
        'section',
        { class: 'derivation-section', 'data-section': section.id },
        h('h3', {}, sectionTitles[section.id] ?? section.title),
        h('ol', { class: 'steps' }, section.steps.map((step) => stepElement(step, ++number, catalogue, lang))),
        section.resultLatex && h('div', { class: 'result' }, h('span', { class: 'muted' }, catalogue.derivation.result), mathElement(section.resultLatex, true)),
      ),
    ),
    derivation.conditions.length > 0 &&
      h(
        'section',
        { class: 'derivation-section', 'data-section': 'solutions' },
        h('h3', {}, catalogue.derivation.conditionsHeading),
        h(
          'ul',
          { class: 'conditions' },
          derivation.conditions.map((condition) =>
            h(
              'li',
              {},
              h('span', { class: 'rule' }, (catalogue.derivation.conditionNames as Record<string, string>)[condition.id] ?? condition.id),
              mathElement(condition.conditionLatex, false),
              ' ⇒ ',
              mathElement(`\\sigma^2 = ${condition.formulaLatex},\\quad a = ${condition.boundLatex}`, false),
            ),
          ),
        ),
      ),
  );
}
