/**
 * The attention kind and sequence inputs: the numeric face is the gradient of its forward (finite
 * differences through layer_norm, attention, a per-token dense layer and rms_norm, causal or not);
 * per-token kinds act on each token with shared weights; the softmax collision probability π(T, ν)
 * matches its closed limits and a direct simulation; the moment face holds under the Monte Carlo
 * check, and a deliberately wrong one (uniform attention, π = 1/T, at logit variance 1) is rejected.
 */
import { describe, expect, it } from 'vitest';
import { attentionKind, type AttentionNode } from '../../src/layers/attention.js';
import type { NumericContext, ResolvedNode, WeightNode } from '../../src/layers/kind.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { softmaxCollisions } from '../../src/layers/softmaxCollision.js';
import { createRandom } from '../../src/math/random.js';
import { checkResolvedNetwork } from '../../src/numeric/check.js';
import { createFloat64Scratch } from '../../src/numeric/engine.js';
import type { Matrix } from '../../src/numeric/kernels/backend.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { predictionSeries } from '../../src/symbolic/predict.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { inputErrorOf } from '../layers/inputError.js';

function sequenceNetwork(causal: boolean) {
  return resolveNetwork({
    input: { tokens: 5, width: 6 },
    layers: [{ kind: 'layer_norm' }, { kind: 'attention', heads: 2, causal, init: 'xavier_normal' }, { kind: 'dense', width: 4, init: 'he_normal' }, { kind: 'rms_norm' }],
  });
}

/** Loss Σ y·g through the top-level nodes with fixed parameters (seed 11), and its input gradient. */
function lossAndGradient(causal: boolean, x: Float64Array, coefficients: Float64Array, withGradient: boolean): { loss: number; gradient?: Float64Array } {
  const network = sequenceNetwork(causal);
  const backend = createPlainBackend('float64');
  const batch = 3;
  const buffers = new Map<string, Float64Array>();
  const context: NumericContext = {
    backend,
    random: createRandom(11),
    scratch: createFloat64Scratch(),
    buffers: { take: (node, slot, length) => buffers.get(node.path + slot) ?? buffers.set(node.path + slot, new Float64Array(length)).get(node.path + slot)! },
    batch,
  };
  const records: { node: ResolvedNode; input: Matrix; state: unknown }[] = [];
  let signal = backend.allocate(batch, network.input.units);
  backend.view(signal).set(x);
  const runner = { forward: () => undefined, backward: () => undefined };
  for (const node of network.nodes) {
    const result = builtInLayerKinds[node.kind].numeric.forward(node, signal, context, runner)!;
    records.push({ node, input: signal, state: result.state });
    signal = result.output;
  }
  const y = backend.view(signal);
  let loss = 0;
  for (let i = 0; i < y.length; i++) loss += y[i] * coefficients[i];
  if (!withGradient) return { loss };
  const units = signal.cols;
  let gradient = backend.allocate(units, batch);
  const g = backend.view(gradient);
  for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) g[u * batch + b] = coefficients[b * units + u];
  for (const { node, input, state } of records.reverse()) {
    gradient = builtInLayerKinds[node.kind].numeric.backward(node, state as never, input, gradient, context, true, runner)!.inputGradient!;
  }
  return { loss, gradient: Float64Array.from(backend.view(gradient)) };
}

describe('attention: numeric face', () => {
  for (const causal of [false, true]) {
    it(`backward is the gradient of forward (finite differences, ${causal ? 'causal' : 'bidirectional'})`, () => {
      const random = createRandom(5);
      const x = new Float64Array(3 * 30);
      random.fillNormal(x);
      const coefficients = new Float64Array(3 * 20);
      random.fillNormal(coefficients);
      const { gradient } = lossAndGradient(causal, x, coefficients, true);
      let worst = 0;
      for (let b = 0; b < 3; b++) {
        for (let u = 0; u < 30; u++) {
          const step = 1e-6;
          const up = Float64Array.from(x);
          up[b * 30 + u] += step;
          const down = Float64Array.from(x);
          down[b * 30 + u] -= step;
          const numeric = (lossAndGradient(causal, up, coefficients, false).loss - lossAndGradient(causal, down, coefficients, false).loss) / (2 * step);
          worst = Math.max(worst, Math.abs(numeric - gradient![u * 3 + b]));
        }
      }
      expect(worst).toBeLessThan(1e-6);
    });
  }
});

describe('sequence inputs', () => {
  it('a dense layer on a sequence has fanIn = token width and shares its weights over the tokens', () => {
    const network = resolveNetwork({ input: { tokens: 16, width: 64 }, layers: [{ kind: 'dense', width: 32 }] });
    const dense = network.nodes[0] as WeightNode;
    expect([dense.layer.fanIn, dense.layer.fanOut, dense.layer.tokens, dense.output.units]).toEqual([64, 32, 16, 512]);
    // E[(∂w)²] sums one term per token.
    expect(propagate(network).sites[0].weightGradient?.secondMoment).toBe(16);
  });

  it('layer_norm on a sequence normalizes each token over its width', () => {
    const network = resolveNetwork({ input: { tokens: 8, width: 32 }, layers: [{ kind: 'layer_norm' }, { kind: 'dense', width: 32 }] });
    expect((network.nodes[0] as ResolvedNode & { units: number }).units).toBe(32);
  });

  it('refuses attention without a sequence, heads that do not divide the width, and bad input fields', () => {
    expect(inputErrorOf(() => resolveNetwork({ input: 64, layers: [{ kind: 'attention', heads: 4 }] })).field).toBe('0.kind');
    expect(inputErrorOf(() => resolveNetwork({ input: { tokens: 4, width: 30 }, layers: [{ kind: 'attention', heads: 4 }] })).field).toBe('0.heads');
    expect(inputErrorOf(() => resolveNetwork({ input: { tokens: 0, width: 30 }, layers: [{ kind: 'dense', width: 4 }] })).field).toBe('input.tokens');
    expect(inputErrorOf(() => resolveNetwork({ input: { tokens: 4, width: 8, heads: 2 }, layers: [{ kind: 'dense', width: 4 }] })).field).toBe('input.heads');
    expect(inputErrorOf(() => resolveNetwork({ input: { tokens: 4, width: 8 }, layers: [{ kind: 'attention', heads: 2, valueInit: 'nope' }, { kind: 'dense', width: 4 }] })).field).toBe('0.valueInit');
  });

  it('per-projection inits override init, each at its fans', () => {
    const network = resolveNetwork({ input: { tokens: 4, width: 8 }, layers: [{ kind: 'attention', heads: 2, headWidth: 3, init: 'lecun_normal', outputInit: 'xavier_normal' }, { kind: 'dense', width: 8 }] });
    const node = network.nodes[0] as AttentionNode;
    expect(node.inits.query.variance).toBeCloseTo(1 / 8, 12);
    expect(node.inits.output.variance).toBeCloseTo(2 / (6 + 8), 12);
    expect(attentionKind.fields).toContain('causal');
  });
});

describe('softmax collision probability π(T, ν) = E[Σ P²]', () => {
  it('is 1/T at ν = 0, (1 + ν(1 − 1/T))/T for small ν, and 1 for one token', () => {
    expect(softmaxCollisions(8, 0)).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8]);
    const small = softmaxCollisions(16, 1e-3);
    expect(small[15]).toBeCloseTo((1 + 1e-3 * (1 - 1 / 16)) / 16, 7);
    expect(small[0]).toBe(1);
  });

  it('agrees with a direct simulation of softmax rows (within 4 standard errors)', () => {
    const random = createRandom(7);
    for (const [T, nu] of [[2, 1], [16, 1], [16, 16], [64, 4]] as const) {
      const predicted = softmaxCollisions(T, nu)[T - 1];
      const draws = 20000;
      let sum = 0;
      let sumSquares = 0;
      const z = new Float64Array(T);
      for (let n = 0; n < draws; n++) {
        random.fillNormal(z, 0, Math.sqrt(nu));
        const max = Math.max(...z);
        let total = 0;
        for (let s = 0; s < T; s++) total += (z[s] = Math.exp(z[s] - max));
        let collision = 0;
        for (let s = 0; s < T; s++) collision += (z[s] / total) ** 2;
        sum += collision;
        sumSquares += collision * collision;
      }
      const mean = sum / draws;
      const stderr = Math.sqrt((sumSquares / draws - mean * mean) / draws);
      expect(Math.abs(predicted - mean), `T = ${T}, ν = ${nu}`).toBeLessThan(4 * stderr);
    }
  });
});

describe('attention: moment face against the Monte Carlo check', () => {
  // Mean-field: d → ∞ at fixed T and ν; the softmax's preference for tokens aligned with the query's
  // key direction adds a relative O(ν·T/d), ~1% here (T = 8, ν = 0.25, d = 256).
  const queryKey = { name: 'variance_scaling', scale: 0.5, mode: 'fan_in', distribution: 'untruncated_normal' };
  const spec = (causal: boolean, init: Record<string, unknown> = { init: 'lecun_normal', queryInit: queryKey, keyInit: queryKey }) => ({
    input: { tokens: 8, width: 256 },
    layers: [
      { kind: 'dense', width: 256, init: 'lecun_normal' },
      { kind: 'attention', heads: 4, causal, ...init },
      { kind: 'dense', width: 256, init: 'lecun_normal' },
    ],
  });
  const options = { nets: 16, batch: 8, dtype: 'float64' as const, seed: 3, level: 0.99 };

  for (const causal of [false, true]) {
    it(`holds for one ${causal ? 'causal' : 'bidirectional'} attention layer at logit variance 1/4`, async () => {
      const report = await checkResolvedNetwork(resolveNetwork(spec(causal)), options);
      expect(report.pass).toBe(true);
    });
  }

  it('rejects uniform attention (π = 1/T) where the logits have variance 1 (Xavier on every projection)', async () => {
    const network = resolveNetwork(spec(false, { init: 'xavier_normal' }));
    const report = await checkResolvedNetwork(network, { ...options, predictions: (n) => predictionSeries(n, propagate(n, 'linear')) });
    expect(report.pass).toBe(false);
    expect(report.sites?.find((site) => site.path === '2')?.forward.verdict).toBe('fails');
  });
});
