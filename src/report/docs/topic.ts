/**
 * A documentation topic: one page of docs/, built from the symbolic engine, the vocabulary and a
 * small seeded Monte Carlo run. Prose is written here; every formula and number comes from the
 * engine or the vocabulary.
 */
import type { Catalogue } from '../../i18n/catalogue.js';
import type { CheckOptions } from '../../numeric/check.js';
import type { CheckReport } from '../../numeric/measurement.js';
import type { NetworkSpec } from '../../vocabulary/network.js';
import type { Block, ReportDocument } from '../document.js';

export interface DocContext {
  /** The document's language: docs/ in English, docs/zh/ in Simplified Chinese. */
  lang: DocLang;
  /** The message catalogue of `lang` (shared sections: derivation, evidence, setup). */
  cat: Catalogue;
  /** This document's own prose in its language: `t(english, chinese)`. */
  t(en: string, zh: string): string;
  /** Monte Carlo with the docs' fixed settings (small and seeded, so docs regenerate byte for byte). */
  check(spec: NetworkSpec, options?: Partial<CheckOptions>): Promise<CheckReport>;
  /**
   * Formats a number the engine computed (`formatNumber`) for prose, and records it as stated by
   * this document. test/report/docsNumbers.test.ts fails when prose states a decimal number that did
   * not come through here, so numbers in prose cannot be typed in by hand.
   */
  fact(value: number, digits?: number): string;
  /**
   * A paragraph of this document's own prose (`paragraph` of src/report/document.ts), recorded so that
   * the test can check its numbers; shared sections (derivation, evidence) build their own.
   */
  say(source: string, tone?: 'lead' | 'small'): Block;
}

export type DocLang = 'en' | 'zh';

export interface DocTopic {
  /** File name without extension, e.g. `xavier`. */
  slug: string;
  title: string;
  /** One sentence for the index. */
  summary: string;
  /** Title and summary in Simplified Chinese (docs/zh/). */
  zh: { title: string; summary: string };
  build(context: DocContext): Promise<ReportDocument>;
}

/** Fixed Monte Carlo settings of every doc: small, so the freshness test runs in seconds. */
export const DOC_MONTE_CARLO = { nets: 4, batch: 128, seed: 1, dtype: 'float32', level: 0.99 } as const;
