/** Section 5: the reproducibility footer (exact command, seed, version, date). */
import type { Catalogue } from '../../i18n/catalogue.js';
import { fill } from '../../i18n/catalogue.js';
import { code, prose, text, type Block } from '../document.js';

export interface Reproducibility {
  command: string;
  seed?: number;
  version: string;
  /** ISO date; omitted in committed docs so they regenerate byte for byte. */
  date?: string;
}

export function footerBlocks(cat: Catalogue, repro: Reproducibility): Block[] {
  const f = cat.footer;
  const items = [{ term: f.command, value: [code(repro.command)] }];
  if (repro.seed !== undefined) items.push({ term: f.seed, value: [text(String(repro.seed))] });
  items.push({ term: f.version, value: [text(repro.version)] });
  if (repro.date) items.push({ term: f.date, value: [text(repro.date)] });
  return [
    { kind: 'heading', level: 2, text: f.heading, id: 'reproducibility' },
    { kind: 'definitions', items },
    { kind: 'paragraph', content: prose(fill(f.generated, { version: repro.version })), tone: 'small' },
  ];
}
