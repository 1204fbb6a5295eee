/** Section 1, Setup: the network, its layers and the assumptions in words and symbols. */
import type { Catalogue } from '../../i18n/catalogue.js';
import { fill } from '../../i18n/catalogue.js';
import type { Derivation } from '../../symbolic/derivation.js';
import { networkWidths, type ResolvedNetwork } from '../../vocabulary/network.js';
import { code, math, prose, proseFill, text, type Block, type Inline } from '../document.js';
import { formatNumber } from '../format.js';

/** Symbols for each assumption: math, identical in every language. */
const ASSUMPTION_SYMBOLS = {
  independence: 'w_{ij} \\perp x_j, \\quad w_{ij} \\perp \\partial_{h_i}\\mathcal{L}',
  zeroMean: '\\mathbb{E}[w_{ij}] = \\mathbb{E}[x_j] = 0',
  identical: 'w_{ij} \\overset{\\text{iid}}{\\sim} \\mathcal{D}_l, \\quad x_j \\overset{\\text{iid}}{\\sim} \\mathcal{D}_x',
  inputVariance: '\\operatorname{Var}[x_j] = \\gamma^2',
} as const;

/** The failing assumption flags of a derivation, one per id, in order of first appearance. */
export function failingAssumptions(derivation: Derivation | undefined): { id: string; note: string }[] {
  const seen = new Map<string, string>();
  for (const section of derivation?.sections ?? []) {
    for (const step of section.steps) {
      for (const flag of step.assumptions ?? []) if (!flag.holds && !seen.has(flag.id)) seen.set(flag.id, flag.note);
    }
  }
  return [...seen].map(([id, note]) => ({ id, note }));
}

/** Words for an assumption flag in the catalogue's language (the engine writes English notes). */
export function flagWords(cat: Catalogue, flag: { id: string; note: string }): Inline[] {
  // Engine notes are plain text (they may quote a user's custom expression): never parsed.
  if (cat.meta.htmlLang === 'en') return [text(flag.note)];
  const words = (cat.assumptionFlags as Record<string, string>)[flag.id] ?? cat.assumptionFlags.generic;
  return prose(words);
}

export function setupBlocks(cat: Catalogue, network: ResolvedNetwork, derivation?: Derivation, headingLevel: 2 | 3 = 2): Block[] {
  const widths = networkWidths(network).join(', ');
  const first = network.layers[0];
  const act = first.activation;
  const init = first.init;
  const uniformActivation = network.layers.every((l) => l.activation.label === act.label);
  const uniformInit = network.layers.every((l) => l.init.label === init.label);
  const blocks: Block[] = [
    { kind: 'heading', level: headingLevel, text: cat.setup.heading, id: 'setup' },
    { kind: 'paragraph', content: prose(fill(cat.setup.network, { layers: network.layers.length, widths })) },
  ];
  const definitions: { term: string; value: Inline[] }[] = [];
  if (uniformActivation) {
    definitions.push({
      term: cat.setup.activationTerm,
      value: [code(act.label), text('  '), math(`\\phi(x) = ${act.latex}, \\quad \\phi'(x) = ${act.derivativeLatex}`)],
    });
  }
  if (uniformInit) {
    definitions.push({
      term: cat.setup.initTerm,
      value: [code(init.label), text('  '), math(`\\operatorname{Var}[w] = ${init.varianceLatex}`), text('. '), ...proseFill(cat.setup.source, { source: init.source })],
    });
  }
  definitions.push({
    term: cat.setup.inputTerm,
    value: [
      ...prose(fill(cat.setup.inputVariance, { value: formatNumber(network.inputVariance) })),
      text(' '),
      ...(network.layers.some((l) => l.biasVariance > 0)
        ? prose(fill(cat.setup.bias, { value: formatNumber(network.layers[0].biasVariance) }))
        : prose(cat.setup.noBias)),
    ],
  });
  blocks.push({ kind: 'definitions', items: definitions });
  const col = cat.setup.layerColumns;
  blocks.push({
    kind: 'table',
    caption: prose(cat.setup.layerTableCaption),
    header: [col.layer, col.fanIn, col.fanOut, col.law, col.variance, col.forwardGain, col.backwardGain].map(prose),
    align: ['left', 'right', 'right', 'left', 'right', 'right', 'right'],
    rows: network.layers.map((layer) => [
      [text(String(layer.index))],
      [text(String(layer.fanIn))],
      [text(String(layer.fanOut))],
      [text(layer.init.distribution.label)],
      [text(formatNumber(layer.init.variance))],
      [text(formatNumber(layer.fanIn * layer.init.variance))],
      [text(formatNumber(layer.fanOut * layer.init.variance))],
    ]),
  });
  blocks.push({ kind: 'heading', level: (headingLevel + 1) as 3 | 4, text: cat.setup.assumptionsHeading, id: 'assumptions' });
  blocks.push({ kind: 'paragraph', content: prose(cat.setup.assumptionsIntro) });
  blocks.push({
    kind: 'list',
    ordered: false,
    items: (Object.keys(ASSUMPTION_SYMBOLS) as (keyof typeof ASSUMPTION_SYMBOLS)[]).map((id) => [
      ...prose(cat.setup.assumptions[id]),
      text(' '),
      math(ASSUMPTION_SYMBOLS[id]),
    ]),
  });
  const failing = failingAssumptions(derivation);
  const activationNote = cat.meta.htmlLang === 'en' && act.assumptionNote ? [text(act.assumptionNote)] : null;
  if (failing.length > 0 || activationNote) {
    // The activation's own note already covers what its flags say; flags speak only without one.
    const notes: Inline[] = activationNote ?? [];
    for (const flag of activationNote ? [] : failing) {
      if (notes.length > 0) notes.push(text(' '));
      notes.push(...flagWords(cat, flag));
    }
    blocks.push({ kind: 'callout', tone: 'warning', content: proseFill(cat.setup.activationNoteIntro, { name: act.label, note: notes }) });
  }
  return blocks;
}
