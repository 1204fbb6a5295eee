/**
 * The explorer's words come from the project's message catalogues (src/i18n), the same ones the
 * reports use: the `explorer` block for the page, and the shared blocks (rule names, chart labels,
 * assumption flags) for everything a report also says.
 */
import { catalogues, type Catalogue } from '../../i18n/catalogue.js';
import type { Language } from './state.js';

export type ExplorerMessages = Catalogue['explorer'];

export function catalogueFor(lang: Language): Catalogue {
  return catalogues[lang];
}
