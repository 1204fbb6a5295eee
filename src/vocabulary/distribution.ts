import type { RandomSource } from '../math/random.js';

/**
 * The contract every weight distribution fulfils; one file per kind under `distributions/`.
 * Moments are given both as numbers and as mathjs/nerdamer-syntax expressions in the distribution's
 * own parameter symbols so the symbolic engine can derive with them.
 */
export interface WeightDistribution {
  /** 'normal' | 'uniform' | 'truncated_normal' | 'orthogonal' | 'constant' */
  readonly name: string;
  /** Parameters, e.g. { std: 0.04 } or { bound: 0.07 } or { gain: 1 } or { value: 0.1 }. */
  readonly params: Readonly<Record<string, number>>;
  /** Human label, e.g. `U(-0.0760, 0.0760)`. */
  readonly label: string;
  /** LaTeX of the law, e.g. `\mathcal{U}(-a, a)`. */
  readonly latex: string;
  readonly mean: number;
  readonly variance: number;
  /** E[w⁴] (orthogonal: the large-width value 3σ⁴ is acceptable, say so in the note). */
  readonly fourthMoment: number;
  /** Symbolic variance in the law's parameter symbols, mathjs syntax, e.g. `a^2/3`. */
  readonly varianceExpression: string;
  /** LaTeX of the variance, e.g. `\frac{a^2}{3}`. */
  readonly varianceLatex: string;
  /** Extra facts worth printing (e.g. truncated normal: pre-truncation σ vs actual std). */
  readonly notes: readonly string[];
  /**
   * Fill `out` (row-major, shape [rows, cols] = [fanIn, fanOut] of a dense weight) with samples.
   * Orthogonal needs the shape; the others ignore it.
   */
  sample(random: RandomSource, out: Float32Array | Float64Array, rows: number, cols: number): void;
}
