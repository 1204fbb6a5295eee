/**
 * Mean-field predictions hold for tanh and a custom activation at width 512; deliberately wrong
 * formulas are rejected by the same machinery (level 0.99, Holm, fixed seeds).
 */
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/numeric/check.js';
import type { CheckReport } from '../../src/numeric/measurement.js';
import { predictLinear, predictNetwork } from '../../src/symbolic/predict.js';
import type { ResolvedNetwork } from '../../src/vocabulary/network.js';

const failing = (report: CheckReport) =>
  report.layers.flatMap((l) => (['forward', 'backward', 'weightGradient'] as const).filter((k) => !l[k].pass).map((k) => `${k}@${l.layer}`));

/** The theory's tested values (exact where it exists, else mean-field), to swap single quantities out of. */
function theory(network: ResolvedNetwork) {
  const p = predictNetwork(network).layers;
  const pick = (k: 'forward' | 'backward' | 'weightGradient') => p.map((l) => l[k].exact ?? l[k].meanField);
  return { forward: pick('forward'), backward: pick('backward'), weightGradient: pick('weightGradient') };
}

describe('mean-field predictions at width ≥ 512', () => {
  it('tanh under Xavier: mean-field holds, linear theory (≈1) is far outside the intervals', async () => {
    const report = await checkNetwork({ widths: [512, 512, 512, 512], activation: 'tanh', init: 'xavier_normal' }, { nets: 8, batch: 48, seed: 3 });
    expect(failing(report)).toEqual([]);
    expect(report.pass).toBe(true);
    const second = report.layers[1].forward;
    expect(second.tested).toBe('meanField');
    expect(second.exact).toBeNull();
    expect(second.meanField).toBeCloseTo(0.3943, 4);
    expect(second.linear).toBeCloseTo(1, 10);
    expect(second.ciHigh).toBeLessThan(0.45);
  });

  it('a custom expression x/(1+abs(x)) (softsign) under LeCun with biases: mean-field holds', async () => {
    const report = await checkNetwork(
      { widths: [512, 512, 512], activation: 'x/(1+abs(x))', init: 'lecun_normal', biasStd: 0.2 },
      { nets: 8, batch: 48, seed: 4 },
    );
    expect(failing(report)).toEqual([]);
    expect(report.layers[1].forward.tested).toBe('meanField');
  });
});

describe('deliberately wrong formulas are rejected', () => {
  it('fan_out in place of fan_in (unequal widths 400 → 100 → 200, LeCun): forward rejected', async () => {
    const spec = { widths: [400, 100, 200], activation: 'identity', init: 'lecun_normal' };
    const options = { nets: 8, batch: 32, seed: 5 };
    const right = await checkNetwork(spec, options);
    expect(right.pass).toBe(true);
    const wrong = await checkNetwork(spec, {
      ...options,
      predictions: (network) => {
        const t = theory(network);
        // q_l = n_out·Var[w]·E[a²] instead of n_in·Var[w]·E[a²]
        let aSquared = network.inputVariance;
        t.forward = network.layers.map((layer) => (aSquared = layer.fanOut * layer.init.variance * aSquared));
        return t;
      },
    });
    expect(wrong.pass).toBe(false);
    expect(failing(wrong)).toEqual(['forward@1', 'forward@2']);
  });

  it('fan_in in place of fan_out in the backward pass: rejected', async () => {
    const spec = { widths: [64, 256, 32, 128], activation: 'identity', init: 'xavier_uniform' };
    const wrong = await checkNetwork(spec, {
      nets: 8,
      batch: 32,
      seed: 6,
      predictions: (network) => {
        const t = theory(network);
        const layers = network.layers;
        const backward = new Array<number>(layers.length).fill(1);
        for (let l = layers.length - 2; l >= 0; l--) backward[l] = layers[l + 1].fanIn * layers[l + 1].init.variance * backward[l + 1];
        t.backward = backward;
        return t;
      },
    });
    expect(wrong.pass).toBe(false);
    expect(wrong.layers[0].backward.pass).toBe(false);
    expect(wrong.layers[1].backward.pass).toBe(false);
  });

  it("relu without He's factor ½ (linear theory's 2, 4, 8): rejected from layer 2 on; layer 1 (no relu before it) passes", async () => {
    const report = await checkNetwork(
      { widths: [128, 128, 128, 128], activation: 'relu', init: 'he_normal' },
      { nets: 8, batch: 32, seed: 7, predictions: (network) => ({ ...theory(network), forward: predictLinear(network).forward }) },
    );
    expect(report.layers.map((l) => l.forward.exact)).toEqual([2, 4, 8].map((v) => expect.closeTo(v, 9)));
    expect(report.layers.map((l) => l.forward.pass)).toEqual([true, false, false]);
    expect(report.pass).toBe(false);
  });

  it("tanh's linear theory over 6 layers: rejected, while mean-field passes on the same samples", async () => {
    const spec = { widths: new Array(7).fill(256), activation: 'tanh', init: 'xavier_normal' };
    const options = { nets: 6, batch: 32, seed: 8 };
    const meanField = await checkNetwork(spec, options);
    expect(failing(meanField)).toEqual([]);
    const linear = await checkNetwork(spec, { ...options, predictions: (network) => predictLinear(network) });
    expect(linear.pass).toBe(false);
    // every forward variance from layer 2 on (layer 1 is linear in the input either way)
    expect(linear.layers.map((l) => l.forward.pass)).toEqual([true, false, false, false, false, false]);
    // the samples were the same: only the tested prediction changed
    expect(linear.layers.map((l) => l.forward.estimate)).toEqual(meanField.layers.map((l) => l.forward.estimate));
  });
});
