import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InputError, MemoryBudgetError } from '../../src/errors.js';
import { measureNetwork } from '../../src/numeric/engine.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { createTfjsWasmBackend } from '../../src/numeric/kernels/tfjsWasm.js';
import type { MeasureOptions, RawMeasurement, ReplicateValues } from '../../src/numeric/measurement.js';
import { estimateMemory } from '../../src/numeric/memory.js';
import { nodeWasmDirectory } from '../../src/numeric/parallel/wasmPaths.js';
import { resolveNetwork, type NetworkSpec } from '../../src/vocabulary/network.js';

const base: MeasureOptions = { batch: 32, nets: 4, seed: 1, dtype: 'float64' };

function meanAndStderr(replicates: readonly ReplicateValues[], key: 'forward' | 'backward' | 'weightGradient', layer: number): { mean: number; stderr: number } {
  const values = replicates.map((r) => r[key][layer]);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, stderr: Math.sqrt(variance / values.length) };
}

function z(replicates: readonly ReplicateValues[], key: 'forward' | 'backward' | 'weightGradient', layer: number, predicted: number): number {
  const { mean, stderr } = meanAndStderr(replicates, key, layer);
  return (mean - predicted) / stderr;
}

/** |z| limit: two-sided 1e-4 under a normal approximation of the replicate mean (t with 19 df is wider; fixed seeds). */
const Z_LIMIT = 4.5;

function maxRelativeDifference(a: RawMeasurement, b: RawMeasurement): number {
  let worst = 0;
  a.replicates.forEach((r, i) => {
    for (const key of ['forward', 'backward', 'weightGradient'] as const) {
      r[key].forEach((v, l) => {
        worst = Math.max(worst, Math.abs(v - b.replicates[i][key][l]) / Math.abs(v));
      });
    }
  });
  return worst;
}

describe('measureNetwork', () => {
  it('is reproducible: same seed, same output; different seeds differ', async () => {
    const network = resolveNetwork({ widths: [20, 30, 10], activation: 'tanh', init: 'xavier_uniform', biasStd: 0.1 });
    const first = await measureNetwork(network, base);
    const again = await measureNetwork(network, base);
    expect(again.replicates).toEqual(first.replicates);
    expect(again.distributions).toEqual(first.distributions);
    const other = await measureNetwork(network, { ...base, seed: 2 });
    expect(other.replicates).not.toEqual(first.replicates);
  });

  it('returns per-layer values, merged histograms and moments', async () => {
    const network = resolveNetwork({ widths: [16, 24, 8], activation: 'relu', init: 'he_normal' });
    const raw = await measureNetwork(network, { ...base, histogramBins: 32 });
    expect(raw.replicates).toHaveLength(4);
    for (const r of raw.replicates) for (const key of ['forward', 'backward', 'weightGradient'] as const) expect(r[key]).toHaveLength(2);
    expect(raw.distributions.map((d) => d.layer)).toEqual([1, 2]);
    const first = raw.distributions[0].preActivation;
    expect(first.histogram.counts).toHaveLength(32);
    expect(first.histogram.counts.reduce((s, c) => s + c, 0)).toBe(4 * 32 * 24);
    // The merged second moment is the mean of the replicates' forward values (equal counts).
    expect(first.secondMoment).toBeCloseTo(meanAndStderr(raw.replicates, 'forward', 0).mean, 12);
    expect(raw.breakdown).toBeUndefined();
    expect([raw.batch, raw.seed, raw.dtype]).toEqual([32, 1, 'float64']);
  });

  it('linear 3-layer net: E[h_l²] = n·σ²·E[a²], backward and weight gradients too; a fan_out formula is rejected', async () => {
    const widths = [48, 96, 64, 32];
    const inputVariance = 2;
    const network = resolveNetwork({ widths, activation: 'identity', init: 'xavier_normal', inputVariance });
    const raw = await measureNetwork(network, { batch: 48, nets: 20, seed: 7, dtype: 'float64' });
    const variance = network.layers.map((l) => l.init.variance);
    // Forward: q_l = n_{l−1} σ_l² q_{l−1}, q_0 = γ².
    const q = [inputVariance];
    for (let l = 0; l < 3; l++) q.push(widths[l] * variance[l] * q[l]);
    // Backward: r_L = 1, r_l = n_{l+1} σ_{l+1}² r_{l+1}.
    const r = [0, 0, 1];
    for (let l = 1; l >= 0; l--) r[l] = widths[l + 2] * variance[l + 1] * r[l + 1];
    for (let l = 0; l < 3; l++) {
      expect(Math.abs(z(raw.replicates, 'forward', l, q[l + 1]))).toBeLessThan(Z_LIMIT);
      expect(Math.abs(z(raw.replicates, 'backward', l, r[l]))).toBeLessThan(Z_LIMIT);
      // Per-example E[(a_j d_i)²] = E[a²]·E[d²] (a and d independent in a linear net).
      expect(Math.abs(z(raw.replicates, 'weightGradient', l, q[l] * r[l]))).toBeLessThan(Z_LIMIT);
    }
    // Wrong formula: fan_out in place of fan_in at the first layer.
    expect(Math.abs(z(raw.replicates, 'forward', 0, widths[1] * variance[0] * inputVariance))).toBeGreaterThan(Z_LIMIT);
  });

  it('relu under He keeps E[h²] = 2 exactly in expectation; a missing factor ½ is rejected', async () => {
    const network = resolveNetwork({ widths: [64, 128, 128, 128], activation: 'relu', init: 'he_normal' });
    const raw = await measureNetwork(network, { batch: 64, nets: 16, seed: 3, dtype: 'float64' });
    for (let l = 0; l < 3; l++) expect(Math.abs(z(raw.replicates, 'forward', l, l === 0 ? 128 / 64 : 2))).toBeLessThan(Z_LIMIT);
    // Without ½: q_l = n σ² q_{l−1} = 2 q_{l−1} → 4 at layer 2.
    expect(Math.abs(z(raw.replicates, 'forward', 1, 4))).toBeGreaterThan(Z_LIMIT);
  });

  it('bias adds its variance: E[h_1²] = n σ² γ² + σ_b²', async () => {
    const network = resolveNetwork({ widths: [32, 64], activation: 'identity', init: 'lecun_normal', biasStd: 1.5 });
    const raw = await measureNetwork(network, { batch: 64, nets: 24, seed: 5, dtype: 'float64' });
    expect(Math.abs(z(raw.replicates, 'forward', 0, 1 + 2.25))).toBeLessThan(Z_LIMIT);
    expect(Math.abs(z(raw.replicates, 'forward', 0, 1))).toBeGreaterThan(Z_LIMIT);
  });

  it('float32 paths (plain and tfjs-wasm) agree with float64 to float32 tolerance', async () => {
    const network = resolveNetwork({
      widths: [3, 4, 6, 12],
      activation: 'tanh',
      init: 'xavier_uniform',
      biasStd: 0.2,
      inputSize: [7, 7],
      layers: [{ kind: 'conv2d', kernelSize: 3 }, { kind: 'conv2d', kernelSize: 2, groups: 2 }],
    });
    const f64 = await measureNetwork(network, base);
    const f32 = await measureNetwork(network, { ...base, dtype: 'float32' });
    const backend = await createTfjsWasmBackend({ wasmPaths: nodeWasmDirectory() });
    const tensorsBefore = tf.memory().numTensors;
    const wasm = await measureNetwork(network, { ...base, dtype: 'float32' }, { backend });
    expect(tf.memory().numTensors).toBe(tensorsBefore); // every wasm tensor released
    expect(maxRelativeDifference(f64, f32)).toBeLessThan(1e-4);
    expect(maxRelativeDifference(f64, wasm)).toBeLessThan(1e-4);
    expect(maxRelativeDifference(f64, f32)).toBeGreaterThan(0); // really a different precision
  });

  it('reports an explosion (gain 1e30) at the layer where values overflow, never NaN statistics', async () => {
    const spec: NetworkSpec = { widths: [16, 16, 16, 16, 16], activation: 'identity', init: { name: 'xavier_normal', gain: 1e30 } };
    const network = resolveNetwork(spec);
    // |h_1| ≈ 1e30, |h_2| ≈ 1e60: beyond float32's 3.4e38 at layer 2.
    const f32 = await measureNetwork(network, { ...base, dtype: 'float32' });
    expect(f32.breakdown).toEqual({ kind: 'exploded', layer: 2, pass: 'forward', path: '2' });
    expect(f32.replicates).toEqual([]);
    expect(f32.distributions).toEqual([]);
    // float64: |h_3|⁴ ≈ 1e360 overflows the fourth-moment sum at layer 3.
    const f64 = await measureNetwork(network, base);
    expect(f64.breakdown).toEqual({ kind: 'exploded', layer: 3, pass: 'forward', path: '4' });
  });

  it('reports vanishing (gain 1e-30) where float32 underflows to zero', async () => {
    const network = resolveNetwork({ widths: [16, 16, 16, 16], activation: 'identity', init: { name: 'xavier_normal', gain: 1e-30 } });
    const raw = await measureNetwork(network, { ...base, dtype: 'float32' });
    expect(raw.breakdown).toEqual({ kind: 'vanished', layer: 2, pass: 'forward', path: '2' });
  });

  it('detects a gradient that vanishes in the backward pass only', async () => {
    // φ(x) = 1 + x/1e15: the forward pass is healthy (h = W·1), but each φ′ = 1e-15 shrinks the
    // gradient by 1e-15; after four of them it is below float32's smallest value: an underflow.
    const network = resolveNetwork({ widths: [8, 8, 8, 8, 8, 8, 8], activation: { expression: '1 + x/1e15' }, init: 'lecun_normal' });
    const raw = await measureNetwork(network, { ...base, dtype: 'float32' });
    expect(raw.breakdown).toMatchObject({ kind: 'vanished', pass: 'backward' });
  });

  it('an exactly zero gradient that the theory predicts (φ′ ≡ 0) is measured as 0, not a breakdown', async () => {
    const network = resolveNetwork({ widths: [8, 8, 8, 8], activation: { expression: '1 + 0*x' }, init: 'lecun_normal' });
    const raw = await measureNetwork(network, base);
    expect(raw.breakdown).toBeUndefined();
    expect(raw.replicates[0].backward.slice(0, 2)).toEqual([0, 0]);
  });

  it('samples in rounds until shouldStop agrees, reporting progress', async () => {
    const network = resolveNetwork({ widths: [8, 8], activation: 'tanh' });
    const progress: [number, number][] = [];
    const raw = await measureNetwork(network, {
      ...base,
      nets: 2,
      maxNets: 10,
      shouldStop: (replicates) => replicates.length >= 5,
      onProgress: (done, total) => progress.push([done, total]),
    });
    // Rounds: 2, then +max(2, ⌈2/4⌉) = 4, then 6 ≥ 5.
    expect(raw.replicates).toHaveLength(6);
    expect(progress.map((p) => p[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.at(-1)).toEqual([6, 6]);
    const capped = await measureNetwork(network, { ...base, nets: 2, maxNets: 3, shouldStop: () => false });
    expect(capped.replicates).toHaveLength(3);
  });

  it('rejects bad options with InputError naming the field', async () => {
    const network = resolveNetwork({ widths: [4, 4] });
    await expect(measureNetwork(network, { ...base, batch: 0 })).rejects.toThrow(InputError);
    await expect(measureNetwork(network, { ...base, batch: 0 })).rejects.toThrow(/batch = 0/);
    await expect(measureNetwork(network, { ...base, nets: 1.5 })).rejects.toThrow(/nets = 1.5/);
    await expect(measureNetwork(network, { ...base, dtype: 'float16' as never })).rejects.toThrow(/dtype/);
    await expect(measureNetwork(network, { ...base, shouldStop: () => true, maxNets: 2 })).rejects.toThrow(/maxNets = 2/);
    await expect(measureNetwork(network, { ...base, dtype: 'float32' }, { backend: createPlainBackend('float64') })).rejects.toThrow(/dtype/);
  });

  it('refuses, before allocating, a network that needs 100 GiB', async () => {
    const network = resolveNetwork({ widths: [120_000, 120_000, 10] });
    const estimate = estimateMemory(network, { batch: 256, dtype: 'float32' });
    expect(estimate.totalBytes).toBeGreaterThan(50 * 2 ** 30);
    // Refused by the estimate, before anything is allocated (allocating 100 GiB would throw a RangeError
    // or exhaust memory, not a MemoryBudgetError); speed is in bench/, never a test.
    await expect(measureNetwork(network, { ...base, dtype: 'float32' })).rejects.toThrow(MemoryBudgetError);
    await expect(measureNetwork(network, { ...base, dtype: 'float32' })).rejects.toThrow(/GiB/);
    // A small network passes the default budget but not a tiny one.
    const small = resolveNetwork({ widths: [64, 64] });
    await expect(measureNetwork(small, base, { memoryBudgetBytes: 1024 })).rejects.toThrow(/memory budget of 1.0 KiB/);
  });
});
