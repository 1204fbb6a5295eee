/**
 * The probabilistic model a derivation works in: which random-variable families exist, their
 * moments (as mathjs expressions in the symbols), which ones are defined from others
 * (o_i = Σ_j w_ij x_j), and which range every index runs over.
 *
 * Assumptions the model encodes, stated once: members of different families are independent,
 * members of one family are independent and identically distributed, and a family declared
 * `zeroMean` has E[X] = 0. Rules may rely on these; the numeric check evaluates both sides of every
 * step with {@link FamilySpec.moments}, so a rule that relies on something the moments contradict
 * is rejected.
 */
import type { Expr } from './expression.js';

export interface FamilySpec {
  /** LaTeX of a member, e.g. indices ['i', 'j'] → `w_{ij}`; no indices → `w`. */
  latex(indices: readonly string[]): string;
  /** Plain-text form of a member, e.g. `w_ij`. */
  text(indices: readonly string[]): string;
  /** Raw moments E[X^k] as mathjs expressions in the symbols, at least k = 1 and 2. */
  moments?: Readonly<Record<number, string>>;
  /** The assumption the zero-mean rule may use. */
  zeroMean?: boolean;
  /** A derived variable, defined from other families (its bound indices are renamed on use). */
  definition?: (indices: readonly string[]) => Expr;
}

export interface SymbolSpec {
  latex: string;
  text: string;
}

export interface RandomModel {
  families: Readonly<Record<string, FamilySpec>>;
  /** Range symbol of each index name that may occur free: e.g. i → n_out, j → n_in. */
  ranges: Readonly<Record<string, string>>;
  /** Display forms of the scalar symbols. */
  symbols: Readonly<Record<string, SymbolSpec>>;
}

/** Display forms of the symbols every derivation shares. */
export const standardSymbols: Readonly<Record<string, SymbolSpec>> = {
  n_in: { latex: 'n_\\text{in}', text: 'n_in' },
  n_out: { latex: 'n_\\text{out}', text: 'n_out' },
  sigma: { latex: '\\sigma', text: 'σ' },
  gamma: { latex: '\\gamma', text: 'γ' },
  var_do: { latex: '\\operatorname{Var}[\\partial o]', text: 'Var[∂o]' },
  var_dy: { latex: '\\operatorname{Var}[\\partial y]', text: 'Var[∂y]' },
};

/** Renders `name_{ij}` from a base and indices. */
export function indexedLatex(base: string, indices: readonly string[]): string {
  if (indices.length === 0) return base;
  return `${base}_{${indices.map(latexIndex).join('')}}`;
}

export function indexedText(base: string, indices: readonly string[]): string {
  if (indices.length === 0) return base;
  return `${base}_${indices.map((i) => i.replace(/_/g, '')).join('')}`;
}

/** Concrete indices from an explicit expansion (`j_3`) print as `j3`. */
function latexIndex(index: string): string {
  const match = /^([a-z])_(\d+)$/.exec(index);
  return match ? `${match[1]}_${match[2]}` : index;
}
