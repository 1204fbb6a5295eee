/**
 * Demo: the product of 100 Gaussian 4×4 matrices explodes (Dive into Deep Learning §5.4.1), and
 * how fast is predicted by the top Lyapunov exponent of Gaussian matrices (Newman 1986; Cohen &
 * Newman 1984):
 *
 *   λ₁ = ½ [ln(2σ²) + ψ(N/2)],   entries N(0, σ²), N × N matrices,
 *
 * the almost-sure growth rate (1/T) ln‖M_T ⋯ M_1 v‖. Why it is exact step by step: a Gaussian
 * matrix is rotation invariant, so for any unit vector u, ‖W u‖² ~ σ² χ²_N independent of u, and
 * E[ln ‖W u‖] = ½(ln σ² + E[ln χ²_N]) = ½(ln σ² + ln 2 + ψ(N/2)). The mean square, by contrast,
 * grows by E‖W u‖² = N σ² per step. With σ² = 1/N the mean square is preserved while
 * λ₁ = ½[ln(2/N) + ψ(N/2)] < 0 (Jensen): the *typical* product shrinks.
 */
import type { RandomSource } from '../../math/random.js';
import { createRandom } from '../../math/random.js';
import { digamma, tInterval } from '../../math/statistics.js';
import { InputError } from '../../errors.js';
import { integerOption, levelOption, seedOption } from './validate.js';

export interface MatrixProductOptions {
  /** Matrix size N (default 4). */
  size?: number;
  /** Matrices in the product (default 100). */
  steps?: number;
  /** Independent products for the statistics (default 400). */
  trials?: number;
  seed?: number;
  /** Confidence level of the intervals (default 0.99). */
  level?: number;
  /** Trajectories to return in full for plotting (default 5). */
  trajectories?: number;
}

export interface MatrixProductCase {
  /** 'standard' (σ² = 1) or 'scaled' (σ² = 1/N). */
  id: 'standard' | 'scaled';
  variance: number;
  /** λ₁ = ½[ln(2σ²) + ψ(N/2)], predicted log-growth per step. */
  lyapunovPredicted: number;
  /** Mean over trials of (1/T) ln‖M_T⋯M_1 v‖, with its interval. */
  lyapunovMeasured: { estimate: number; stderr: number; ciLow: number; ciHigh: number };
  /** N σ², the predicted mean-square growth per step. */
  meanSquareGrowthPredicted: number;
  /** Mean over trials and steps of ‖W u‖² for the running unit vector u, with its interval. */
  meanSquareGrowthMeasured: { estimate: number; stderr: number; ciLow: number; ciHigh: number };
  /** Per step t = 1..T: mean over trials of ln‖M_t⋯M_1 v‖, and λ₁·t. */
  meanLogNorm: number[];
  predictedLogNorm: number[];
  /** A few trials' ln‖M_t⋯M_1 v‖, for plotting. */
  sampleLogNorms: number[][];
  /** The largest |entry| of the full product of trial 0 (float64), e.g. ~1e23 for σ² = 1. */
  productMaxEntry: number;
}

export interface MatrixProductResult {
  size: number;
  steps: number;
  trials: number;
  seed: number;
  level: number;
  cases: MatrixProductCase[];
}

/** λ₁ = ½[ln(2σ²) + ψ(N/2)] for N×N matrices with N(0, σ²) entries. */
export function gaussianTopLyapunov(size: number, variance: number): number {
  return 0.5 * (Math.log(2 * variance) + digamma(size / 2));
}

function positiveInteger(field: string, value: number, max: number): number {
  return integerOption(field, value, 1, max);
}

/** out = W·v for an N×N row-major W. */
function multiply(w: Float64Array, v: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += w[i * n + j] * v[j];
    out[i] = sum;
  }
}

function runCase(id: 'standard' | 'scaled', variance: number, o: Required<MatrixProductOptions>, random: RandomSource): MatrixProductCase {
  const n = o.size;
  const std = Math.sqrt(variance);
  const w = new Float64Array(n * n);
  const v = new Float64Array(n);
  const next = new Float64Array(n);
  const logSums = new Float64Array(o.steps);
  const growthRates: number[] = [];
  const meanSquares: number[] = [];
  const sampleLogNorms: number[][] = [];
  let productMaxEntry = 0;
  for (let trial = 0; trial < o.trials; trial++) {
    // A unit start vector; renormalise every step and accumulate the log so nothing overflows.
    random.fillNormal(v, 0, 1);
    let norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i] /= norm;
    let logNorm = 0;
    let squareSum = 0;
    const trajectory: number[] = [];
    let product: Float64Array | undefined = trial === 0 ? identity(n) : undefined;
    for (let t = 0; t < o.steps; t++) {
      random.fillNormal(w, 0, std);
      if (product) product = matmul(w, product, n);
      multiply(w, v, next, n);
      let sq = 0;
      for (let i = 0; i < n; i++) sq += next[i] * next[i];
      squareSum += sq;
      norm = Math.sqrt(sq);
      logNorm += Math.log(norm);
      for (let i = 0; i < n; i++) v[i] = next[i] / norm;
      logSums[t] += logNorm;
      if (trial < o.trajectories) trajectory.push(logNorm);
    }
    if (product) productMaxEntry = product.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    if (trial < o.trajectories) sampleLogNorms.push(trajectory);
    growthRates.push(logNorm / o.steps);
    meanSquares.push(squareSum / o.steps);
  }
  const lyapunovPredicted = gaussianTopLyapunov(n, variance);
  const summary = (values: number[]) => {
    const { estimate, stderr, ciLow, ciHigh } = tInterval(values, o.level);
    return { estimate, stderr, ciLow, ciHigh };
  };
  return {
    id,
    variance,
    lyapunovPredicted,
    lyapunovMeasured: summary(growthRates),
    meanSquareGrowthPredicted: n * variance,
    meanSquareGrowthMeasured: summary(meanSquares),
    meanLogNorm: Array.from(logSums, (s) => s / o.trials),
    predictedLogNorm: Array.from({ length: o.steps }, (_, t) => lyapunovPredicted * (t + 1)),
    sampleLogNorms,
    productMaxEntry,
  };
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * n + k] * b[k * n + j];
  return c;
}

/** Runs both cases (σ² = 1 and σ² = 1/N) with one seeded stream. */
export function runMatrixProductDemo(options: MatrixProductOptions = {}): MatrixProductResult {
  const o: Required<MatrixProductOptions> = {
    size: positiveInteger('size', options.size ?? 4, 256),
    steps: positiveInteger('steps', options.steps ?? 100, 100_000),
    trials: positiveInteger('trials', options.trials ?? 400, 1_000_000),
    seed: seedOption(options.seed ?? 1),
    level: levelOption(options.level ?? 0.99),
    trajectories: integerOption('trajectories', options.trajectories ?? 5, 0, 1000),
  };
  if (o.trials < 2) throw new InputError('trials', o.trials, 'at least 2 (for an interval)');
  const random = createRandom(o.seed);
  return {
    size: o.size,
    steps: o.steps,
    trials: o.trials,
    seed: o.seed,
    level: o.level,
    cases: [runCase('standard', 1, o, random), runCase('scaled', 1 / o.size, o, random)],
  };
}

/** Plain-text summary for the CLI. */
export function formatMatrixProductDemo(result: MatrixProductResult): string {
  const lines = [`Product of ${result.steps} Gaussian ${result.size}×${result.size} matrices (${result.trials} trials, seed ${result.seed})`];
  for (const c of result.cases) {
    const m = c.lyapunovMeasured;
    const s = c.meanSquareGrowthMeasured;
    lines.push(
      '',
      `σ² = ${c.variance === 1 ? '1' : `1/${result.size}`}:`,
      `  typical log-growth per step: measured ${m.estimate.toFixed(4)} [${m.ciLow.toFixed(4)}, ${m.ciHigh.toFixed(4)}], predicted λ₁ = ½[ln(2σ²) + ψ(N/2)] = ${c.lyapunovPredicted.toFixed(4)}`,
      `  mean-square growth per step: measured ${s.estimate.toFixed(4)} [${s.ciLow.toFixed(4)}, ${s.ciHigh.toFixed(4)}], predicted Nσ² = ${c.meanSquareGrowthPredicted.toFixed(4)}`,
      `  after ${result.steps} steps the typical norm is e^${(c.lyapunovPredicted * result.steps).toFixed(1)} ≈ ${Math.exp(c.lyapunovPredicted * result.steps).toExponential(2)}; largest entry of one full product: ${c.productMaxEntry.toExponential(2)}`,
    );
  }
  lines.push('', 'With σ² = 1/N the mean square is preserved, yet λ₁ < 0: the typical product shrinks (Jensen: E[ln X] < ln E[X]).', '');
  return lines.join('\n');
}
