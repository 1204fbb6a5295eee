/**
 * Assembles the full report document (the five sections of issue 4) from already computed parts:
 * the resolved network, its derivation, the Monte Carlo runs and the demos. No computation here.
 */
import type { Catalogue } from '../i18n/catalogue.js';
import { fill } from '../i18n/catalogue.js';
import type { Derivation } from '../symbolic/derivation.js';
import { networkWidths, type ResolvedNetwork } from '../vocabulary/network.js';
import { prose, type ReportDocument } from './document.js';
import { demoBlocks, type DemoInputs } from './sections/demos.js';
import { derivationBlocks } from './sections/derivation.js';
import { evidenceBlocks, type EvidenceRun } from './sections/evidence.js';
import { footerBlocks, type Reproducibility } from './sections/footer.js';
import { setupBlocks } from './sections/setup.js';

export interface ReportParts {
  network: ResolvedNetwork;
  derivation: Derivation;
  /** The chosen init first, then each compared init. Empty when no Monte Carlo was run. */
  runs: readonly EvidenceRun[];
  demos: DemoInputs;
  reproducibility: Reproducibility;
}

export function buildReport(cat: Catalogue, parts: ReportParts): ReportDocument {
  const first = parts.network.layers[0];
  return {
    lang: cat.meta.htmlLang,
    title: fill(cat.report.title, { init: first.init.name, activation: first.activation.label }),
    subtitle: prose(fill(cat.report.subtitle, { widths: networkWidths(parts.network).join('–') })),
    blocks: [
      ...setupBlocks(cat, parts.network, parts.derivation),
      ...derivationBlocks(cat, parts.derivation),
      ...evidenceBlocks(cat, parts.runs),
      ...demoBlocks(cat, parts.demos),
    ],
    footer: footerBlocks(cat, parts.reproducibility),
  };
}
