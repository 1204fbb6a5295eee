/**
 * Monte Carlo of the input–output Jacobian's spectrum: sample replicate networks with the kinds'
 * numeric faces, form J = ∂y/∂x at sampled inputs, and take the eigenvalues of JᵀJ (the squared
 * singular values) with ml-matrix's symmetric eigen-decomposition.
 *
 * How J is formed without a layer of its own: replicate r draws, from `replicateRandom(seed, r)`,
 * k inputs x_i ~ N(0, γ² I), then runs the tree forward through the engine's own walk
 * (`inputGradientOf` of src/numeric/engine.ts: each node drawing its parameters as it runs) on a
 * batch of n_L copies of each x_i, and backward from the unit-major gradient [n_L, k·n_L] whose
 * block i is the identity. Column i·n_L + j of the input gradient is then
 * Jᵢᵀ e_j, row j of Jᵢ: the backward pass of every kind, run on basis vectors. Every copy of x_i sees
 * the same weights and the same φ′(h), so the masks and normalizations are those of x_i itself.
 *
 * Per Jacobian, of its n_0 squared singular values λ: the mean m̂₁ = tr(JᵀJ)/n_0 and the spectral
 * variance (1/n_0)Σλ² − m̂₁²; per replicate, their averages over its k inputs (so replicates stay
 * independent). The eigenproblem is solved on the smaller Gram matrix (JJᵀ when n_L < n_0, padded
 * with n_0 − n_L zeros: they are eigenvalues of JᵀJ too).
 */
import { EigenvalueDecomposition, Matrix as DenseMatrix } from 'ml-matrix';
import { InputError, MemoryBudgetError, NumericalBreakdownError } from '../errors.js';
import type { NumericContext } from '../layers/kind.js';
import { replicateRandom } from '../math/random.js';
import { secondMomentInterval } from '../math/statistics.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';
import { DEFAULT_TOLERANCE, decidePrediction, simultaneousLevel, type Verdict } from './decision.js';
import { createFloat64Scratch, createNodeBuffers, inputGradientOf } from './engine.js';
import type { KernelBackend } from './kernels/backend.js';
import { createPlainBackend } from './kernels/plain.js';
import { DEFAULT_MEMORY_BUDGET_BYTES, estimateMemory } from './memory.js';
import { JACOBIAN_DEFAULTS, LEADING_ORDER_TOLERANCE, MAX_JACOBIAN_FLOPS, MAX_SPECTRUM_SIDE, ROUNDING_TOLERANCE } from './measurement.js';

export { JACOBIAN_DEFAULTS, LEADING_ORDER_TOLERANCE, MAX_JACOBIAN_FLOPS, MAX_SPECTRUM_SIDE, ROUNDING_TOLERANCE };

export interface JacobianRunOptions {
  /** Replicate networks (≥ 2). */
  nets: number;
  /** Inputs per network at which J is formed (default 1). */
  inputsPerNet?: number;
  seed: number;
  /** Bytes the run may use (default 4 GiB, as the engine). */
  memoryBudgetBytes?: number;
  /** Spectra kept for histograms: the eigenvalues of the first this-many replicates (default all). */
  keepSpectra?: number;
}

/** One replicate's spectrum statistics (averaged over its inputs). */
export interface SpectrumReplicate {
  meanSquaredSingularValue: number;
  varianceSquaredSingularValue: number;
}

export interface JacobianMeasurement {
  replicates: SpectrumReplicate[];
  /** Squared singular values of the kept replicates' Jacobians, pooled. */
  eigenvalues: number[];
  inputUnits: number;
  outputUnits: number;
  inputsPerNet: number;
  seed: number;
}

/** Floating-point operations of one replicate: forward and backward on k·n_L rows, and the eigenproblem. */
function replicateFlops(network: ResolvedNetwork, inputsPerNet: number): number {
  const outputUnits = network.nodes[network.nodes.length - 1].output.units;
  const batch = inputsPerNet * outputUnits;
  const passes = network.layers.reduce((sum, layer) => sum + 6 * batch * layer.fanIn * layer.outputUnits, 0);
  const side = Math.min(network.input.units, outputUnits);
  return passes + inputsPerNet * (2 * side * side * Math.max(network.input.units, outputUnits) + 10 * side ** 3);
}

/**
 * Refuses, before anything is allocated, a Jacobian whose eigenproblem or passes would not fit the
 * time ({@link MAX_SPECTRUM_SIDE}, {@link MAX_JACOBIAN_FLOPS}) or the memory budget.
 */
export function assertJacobianFits(network: ResolvedNetwork, options: Pick<JacobianRunOptions, 'nets' | 'inputsPerNet' | 'memoryBudgetBytes'>): void {
  const inputsPerNet = options.inputsPerNet ?? 1;
  const outputUnits = network.nodes[network.nodes.length - 1].output.units;
  const side = Math.min(network.input.units, outputUnits);
  if (side > MAX_SPECTRUM_SIDE) {
    throw new InputError('Jacobian', `${outputUnits}×${network.input.units}`, `a Jacobian whose smaller side is at most ${MAX_SPECTRUM_SIDE} (its eigen-decomposition is O(side³): about 5 s per Jacobian at ${MAX_SPECTRUM_SIDE})`);
  }
  const flops = replicateFlops(network, inputsPerNet) * options.nets;
  if (flops > MAX_JACOBIAN_FLOPS) {
    throw new InputError('Jacobian', `${outputUnits}×${network.input.units}`, `a run of at most ${MAX_JACOBIAN_FLOPS.toExponential(0)} floating-point operations (about a minute); this one needs ${flops.toExponential(1)}`, 'Use fewer --nets, fewer inputs per net or smaller widths');
  }
  const batch = inputsPerNet * outputUnits;
  const passes = estimateMemory(network, { batch, dtype: 'float64' }).totalBytes;
  // The Jacobian, the Gram matrix, its eigenvectors and the decomposition's working copy.
  const spectrum = 8 * (network.input.units * batch + 3 * side * side);
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  if (passes + spectrum > budget) throw new MemoryBudgetError(passes + spectrum, budget, `the ${outputUnits}×${network.input.units} Jacobian of one replicate network (passes on ${batch} rows and its eigen-decomposition)`);
}

/**
 * The Jacobians of replicate network `index` at its `inputsPerNet` sampled inputs, each row-major
 * n_L × n_0.
 */
export function replicateJacobians(network: ResolvedNetwork, index: number, seed: number, inputsPerNet = 1, backend: KernelBackend = createPlainBackend('float64')): Float64Array[] {
  const n0 = network.input.units;
  const nL = network.nodes[network.nodes.length - 1].output.units;
  const batch = inputsPerNet * nL;
  const random = replicateRandom(seed, index);
  const context: NumericContext = { backend, random, scratch: createFloat64Scratch(), buffers: createNodeBuffers(backend.dtype), batch };
  const drawn = new Float64Array(inputsPerNet * n0);
  random.fillNormal(drawn, 0, Math.sqrt(network.inputVariance));
  const input = backend.allocate(batch, n0);
  const rows = backend.view(input);
  for (let i = 0; i < inputsPerNet; i++) {
    const x = drawn.subarray(i * n0, (i + 1) * n0);
    for (let j = 0; j < nL; j++) rows.set(x, (i * nL + j) * n0);
  }
  // Unit-major [n_L, k·n_L]: block i is the identity.
  const gradient = backend.allocate(nL, batch);
  const basis = backend.view(gradient);
  basis.fill(0);
  for (let i = 0; i < inputsPerNet; i++) for (let j = 0; j < nL; j++) basis[j * batch + i * nL + j] = 1;
  const inputGradient = inputGradientOf(network, input, gradient, context);
  if (!inputGradient) throw new NumericalBreakdownError('exploded', network.layers.length, 'backward', 'a node broke down while the Jacobian was formed');
  const values = backend.view(inputGradient);
  const jacobians = Array.from({ length: inputsPerNet }, () => new Float64Array(nL * n0));
  for (let a = 0; a < n0; a++) {
    for (let i = 0; i < inputsPerNet; i++) {
      const jacobian = jacobians[i];
      for (let j = 0; j < nL; j++) {
        const value = values[a * batch + i * nL + j];
        if (!Number.isFinite(value)) throw new NumericalBreakdownError('exploded', network.layers.length, 'backward', `the Jacobian of replicate ${index} has a non-finite entry`);
        jacobian[j * n0 + a] = value;
      }
    }
  }
  backend.release(inputGradient);
  return jacobians;
}

/**
 * The n_0 squared singular values of a row-major rows × cols matrix J (eigenvalues of JᵀJ),
 * ascending; rounding below zero is clamped to 0.
 */
export function squaredSingularValues(jacobian: Float64Array, rows: number, cols: number): Float64Array {
  const j = DenseMatrix.from1DArray(rows, cols, jacobian);
  const gram = rows < cols ? j.mmul(j.transpose()) : j.transpose().mmul(j);
  const eigenvalues = new EigenvalueDecomposition(gram, { assumeSymmetric: true }).realEigenvalues;
  const all = new Float64Array(cols);
  all.set(eigenvalues.map((value) => Math.max(0, value)), cols - eigenvalues.length);
  return all.sort();
}

function spectrumStatistics(values: Float64Array): SpectrumReplicate {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { meanSquaredSingularValue: mean, varianceSquaredSingularValue: squares / values.length };
}

/**
 * Measures the spectrum on `options.nets` replicate networks (in this thread, plain float64 backend).
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ widths: [128, 128, 128, 128, 128], activation: 'tanh', init: 'orthogonal' });
 * measureJacobianSpectrum(network, { nets: 20, seed: 1 }).replicates[0].meanSquaredSingularValue;
 * ```
 */
export function measureJacobianSpectrum(network: ResolvedNetwork, options: JacobianRunOptions): JacobianMeasurement {
  const inputsPerNet = options.inputsPerNet ?? 1;
  if (!Number.isInteger(options.nets) || options.nets < 2) throw new InputError('nets', options.nets, 'an integer ≥ 2 (an interval needs two replicate networks)');
  if (!Number.isInteger(inputsPerNet) || inputsPerNet < 1) throw new InputError('inputsPerNet', inputsPerNet, 'a positive integer');
  assertJacobianFits(network, options);
  const n0 = network.input.units;
  const nL = network.nodes[network.nodes.length - 1].output.units;
  const keep = options.keepSpectra ?? options.nets;
  const backend = createPlainBackend('float64');
  const replicates: SpectrumReplicate[] = [];
  const eigenvalues: number[] = [];
  for (let r = 0; r < options.nets; r++) {
    const perInput = replicateJacobians(network, r, options.seed, inputsPerNet, backend).map((jacobian) => {
      const spectrum = squaredSingularValues(jacobian, nL, n0);
      if (r < keep) for (const value of spectrum) eigenvalues.push(value);
      return spectrumStatistics(spectrum);
    });
    replicates.push({
      meanSquaredSingularValue: perInput.reduce((s, v) => s + v.meanSquaredSingularValue, 0) / inputsPerNet,
      varianceSquaredSingularValue: perInput.reduce((s, v) => s + v.varianceSquaredSingularValue, 0) / inputsPerNet,
    });
  }
  return { replicates, eigenvalues, inputUnits: n0, outputUnits: nL, inputsPerNet, seed: options.seed };
}

/** What is compared: a predicted value, and how it is known to hold. */
export interface SpectrumPredictionInput {
  value: number;
  label: 'exact' | 'meanField' | 'leadingOrder';
}

/** One moment of the spectrum, predicted and measured (the CLI's JSON contract). */
export interface SpectrumComparison {
  predicted: number | null;
  label: 'exact' | 'meanField' | 'leadingOrder' | null;
  /** Mean over replicate networks. */
  estimate: number;
  ciLow: number;
  ciHigh: number;
  /** Relative band around the prediction. */
  tolerance: number;
  verdict: Verdict | null;
}

/**
 * Below this fraction of m̂₁², a spectral variance is rounding (an orthogonal linear chain has exactly
 * equal singular values; its eigen-decomposition returns them to about 1e-15 relative), and so is a
 * predicted one (quadrature gives identity's μ₂ = 1 + 2e-16).
 */
export const ZERO_VARIANCE_FLOOR = 1e-9;

export interface SpectrumDecisionOptions {
  /** Family level: a correct prediction fails with probability at most 1 − level (default 0.99). */
  level?: number;
  /** Bands by label (defaults: exact 0, meanField 5%, leadingOrder {@link LEADING_ORDER_TOLERANCE}). */
  tolerance?: Partial<Record<'exact' | 'meanField' | 'leadingOrder', number>>;
}

/**
 * Compares the per-replicate mean and variance of the squared singular values with their predictions
 * through the one decision procedure (src/numeric/decision.ts), Bonferroni over the quantities tested.
 * A predicted variance below {@link ZERO_VARIANCE_FLOOR}·m̂₁² is 0: it holds when every replicate's
 * variance is below {@link ZERO_VARIANCE_FLOOR}·m̂₁² too, and fails otherwise.
 */
export function decideJacobianSpectrum(
  measurement: JacobianMeasurement,
  predicted: { mean: SpectrumPredictionInput; variance: SpectrumPredictionInput | null },
  options: SpectrumDecisionOptions = {},
): { meanSquaredSingularValue: SpectrumComparison; varianceSquaredSingularValue: SpectrumComparison; intervalLevel: number } {
  const level = options.level ?? 0.99;
  const tolerances = { exact: ROUNDING_TOLERANCE, meanField: DEFAULT_TOLERANCE.meanField, leadingOrder: LEADING_ORDER_TOLERANCE, ...options.tolerance };
  const intervalLevel = simultaneousLevel(level, 1, predicted.variance ? 2 : 1);
  const means = measurement.replicates.map((r) => r.meanSquaredSingularValue);
  const meanOfMeans = means.reduce((a, b) => a + b, 0) / means.length;
  const variances = measurement.replicates.map((r) => r.varianceSquaredSingularValue);
  const compare = (values: number[], prediction: SpectrumPredictionInput | null): SpectrumComparison => {
    if (!prediction) {
      const { estimate, ciLow, ciHigh } = secondMomentInterval(values, intervalLevel, 1);
      return { predicted: null, label: null, estimate, ciLow, ciHigh, tolerance: 0, verdict: null };
    }
    const tolerance = tolerances[prediction.label];
    const decision = decidePrediction(values, prediction.value, intervalLevel, tolerance);
    const verdict = Math.abs(prediction.value) <= ZERO_VARIANCE_FLOOR * meanOfMeans ** 2 ? (values.every((v, i) => v <= ZERO_VARIANCE_FLOOR * means[i] ** 2) ? 'holds' : 'fails') : decision.verdict;
    return { predicted: prediction.value, label: prediction.label, estimate: decision.estimate, ciLow: decision.ciLow, ciHigh: decision.ciHigh, tolerance, verdict };
  };
  return { meanSquaredSingularValue: compare(means, predicted.mean), varianceSquaredSingularValue: compare(variances, predicted.variance), intervalLevel };
}
