/**
 * Monte Carlo agrees with the exact predictions (identity and relu-like networks, several widths and
 * depths, presets and laws, biases, a conv layer), and with them alone at *small* width, where the
 * mean-field q-map of tanh visibly fails. Every check is the Holm family test at level 0.99 with a
 * fixed seed, so a pass here is not luck of a loose tolerance: each quantity's interval is a 99% t
 * interval over independent replicate networks.
 */
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/numeric/check.js';
import type { CheckReport, QuantityCheck } from '../../src/numeric/measurement.js';
import type { NetworkSpec } from '../../src/vocabulary/network.js';

const quantities = (report: CheckReport): QuantityCheck[] => report.layers.flatMap((l) => [l.forward, l.backward, l.weightGradient]);

function expectAllExactPass(report: CheckReport): void {
  const failing = report.layers.flatMap((l) =>
    (['forward', 'backward', 'weightGradient'] as const).filter((k) => !l[k].pass).map((k) => `${k}@${l.layer} z=${l[k].z.toFixed(2)}`),
  );
  expect(failing).toEqual([]);
  expect(report.pass).toBe(true);
  expect(quantities(report).every((q) => q.tested === 'exact' && q.exact !== null)).toBe(true);
}

describe('exact predictions hold in expectation at any width (level 0.99, Holm)', () => {
  it.each<[string, NetworkSpec, { nets: number; batch: number; dtype: 'float32' | 'float64'; seed: number }]>([
    ['identity, xavier_uniform, unequal widths', { widths: [64, 32, 96, 48], activation: 'identity', init: 'xavier_uniform' }, { nets: 10, batch: 64, dtype: 'float32', seed: 1 }],
    ['identity, xavier_normal with gain and input variance 2.5', { widths: [40, 90, 30], activation: 'identity', init: { name: 'xavier_normal', gain: 1.3 }, inputVariance: 2.5 }, { nets: 10, batch: 64, dtype: 'float64', seed: 2 }],
    ['relu, he_normal, depth 5', { widths: [100, 80, 60, 40, 20, 10], activation: 'relu', init: 'he_normal' }, { nets: 10, batch: 64, dtype: 'float32', seed: 3 }],
    ['relu, he_uniform fan_out', { widths: [50, 120, 70], activation: 'relu', init: { name: 'he_uniform', mode: 'fan_out' } }, { nets: 10, batch: 64, dtype: 'float32', seed: 4 }],
    ['relu, lecun_normal', { widths: [64, 64, 64, 64], activation: 'relu', init: 'lecun_normal' }, { nets: 10, batch: 64, dtype: 'float32', seed: 5 }],
    ['relu, pytorch_default (kaiming_uniform a=√5)', { widths: [64, 128, 32], activation: 'relu', init: 'pytorch_default' }, { nets: 10, batch: 64, dtype: 'float32', seed: 6 }],
    ['leaky_relu(0.2), lecun_uniform, with biases', { widths: [48, 48, 48, 48], activation: { name: 'leaky_relu', slope: 0.2 }, init: 'lecun_uniform', biasStd: 0.3 }, { nets: 10, batch: 64, dtype: 'float64', seed: 7 }],
    ['relu, Keras variance_scaling (truncated normal)', { widths: [60, 40, 80], activation: 'relu', init: { name: 'variance_scaling', scale: 2 } }, { nets: 10, batch: 64, dtype: 'float32', seed: 8 }],
    ['identity, orthogonal', { widths: [32, 32, 64, 16], activation: 'identity', init: 'orthogonal' }, { nets: 10, batch: 64, dtype: 'float64', seed: 9 }],
  ])('%s', async (_name, spec, options) => {
    const report = await checkNetwork(spec, options);
    expectAllExactPass(report);
  });

  it('a conv layer: fan_in = channels × receptive field (3·3·3 = 27), valid padding, relu then dense', async () => {
    const spec: NetworkSpec = {
      widths: [3, 8, 6, 10],
      activation: 'relu',
      init: 'he_normal',
      inputSize: [8, 8],
      layers: [{ kind: 'conv2d', kernelSize: 3 }, { kind: 'conv2d', kernelSize: 3 }, { kind: 'dense' }],
    };
    const report = await checkNetwork(spec, { nets: 12, batch: 32, seed: 10 });
    expect(report.layers.map((l) => l.fanIn)).toEqual([27, 72, 6 * 4 * 4]);
    expectAllExactPass(report);
    // ...and the wrong fan (channels only, 3 instead of 27) is rejected on the first layer's forward variance.
    const wrong = await checkNetwork(spec, {
      nets: 12,
      batch: 32,
      seed: 10,
      predictions: (network) => {
        const right = report.layers;
        return {
          forward: right.map((l, i) => (i === 0 ? (network.layers[0].init.variance * 3) : l.forward.exact!)),
          backward: right.map((l) => l.backward.exact!),
          weightGradient: right.map((l) => l.weightGradient.exact!),
        };
      },
    });
    expect(wrong.pass).toBe(false);
    expect(wrong.layers[0].forward.pass).toBe(false);
    expect(wrong.layers[0].forward.z).toBeGreaterThan(10);
  });
});

describe('exact means exact: small width (6), many replicates', () => {
  // Each replicate is a whole network of width 6; 2000 of them resolve ~2% deviations.
  const small = { batch: 16, nets: 2000, dtype: 'float64' as const, seed: 21 };

  it('relu under He at width 6, depth 4: forward and weight gradient exact; backward off by dead examples (known)', async () => {
    // With 2000 replicates E[d²] at layers 2–3 comes out ~4% above n_out·σ²·½·E[d_next²] on every seed
    // tried (21–26): at width 6 a whole layer is often dead for an example, its h is then exactly 0,
    // and relu′(0) = 1 (src/vocabulary/activations/relu.ts; PyTorch uses 0) lets the gradient through,
    // so P(φ′ = 1) > ½. The theory's "exact" backward value assumes P(h = 0) = 0. Reported, not hidden:
    // this test fails if the deviation disappears (then restore the all-exact assertion).
    const report = await checkNetwork({ widths: [6, 6, 6, 6, 6], activation: 'relu', init: 'he_normal' }, small);
    const failing = report.layers.flatMap((l) => (['forward', 'backward', 'weightGradient'] as const).filter((k) => !l[k].pass).map((k) => `${k}@${l.layer}`));
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((f) => f.startsWith('backward@'))).toBe(true);
    for (const l of report.layers.slice(1, 3)) expect(l.backward.estimate / l.backward.exact!).toBeGreaterThan(1);
  });

  it('identity under xavier_uniform at widths 4–6: exact', async () => {
    expectAllExactPass(await checkNetwork({ widths: [4, 6, 4, 5], activation: 'identity', init: 'xavier_uniform' }, small));
  });

  it('tanh at width 6: the mean-field q-map is NOT exact there (rejected), which is why it is labelled meanField', async () => {
    const report = await checkNetwork({ widths: [6, 6, 6, 6, 6], activation: 'tanh', init: 'xavier_normal' }, small);
    expect(report.pass).toBe(false);
    expect(report.layers[3].forward.tested).toBe('meanField');
    expect(report.layers[3].forward.pass).toBe(false);
    expect(report.layers[3].forward.estimate).toBeLessThan(report.layers[3].forward.meanField);
  });
});
