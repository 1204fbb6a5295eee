import { describe, expect, it } from 'vitest';
import { streamMeasurement } from '../../src/explorer/app/measure.js';
import { DEFAULT_STATE, toNetworkSpec, type ExplorerState } from '../../src/explorer/app/state.js';
import { computeTheory } from '../../src/explorer/app/theory.js';
import { checkNetwork } from '../../src/numeric/check.js';
import type { MeasuredCurve } from '../../src/explorer/app/protocol.js';

// Small, fast settings; plain float64 backend (the engine's default in Node).
const relu: ExplorerState = { ...DEFAULT_STATE, widths: null, activation: 'relu', depth: 6, width: 64, batch: 64, nets: 5, seed: 3, dtype: 'float64' };

async function stream(state: ExplorerState) {
  const partials: { curve: MeasuredCurve; final: boolean }[] = [];
  const curve = await streamMeasurement(state, 'main', { onPartial: (c, final) => partials.push({ curve: c, final }) });
  return { curve, partials };
}

describe('explorer Monte Carlo stream', () => {
  it('reports after every replicate and ends with the same numbers as checkNetwork', async () => {
    const state = { ...relu, init: 'he_normal' };
    const { curve, partials } = await stream(state);
    expect(partials.map((p) => p.curve.replicatesDone)).toEqual([1, 2, 3, 4, 5]);
    expect(partials.map((p) => p.final)).toEqual([false, false, false, false, true]);
    const report = await checkNetwork(toNetworkSpec(state), { batch: state.batch, nets: state.nets, seed: state.seed, dtype: 'float64' });
    // Same engine, same seed, same statistics: identical to the last bit.
    expect(curve.forward.map((q) => q.estimate)).toEqual(report.layers.map((l) => l.forward.estimate));
    expect(curve.backward.map((q) => q.ciHigh)).toEqual(report.layers.map((l) => l.backward.ciHigh));
    expect(curve.distributions).toHaveLength(6);
  });

  it('relu + Xavier halves the forward variance per layer; He keeps it flat (99% intervals hold the exact prediction)', async () => {
    // E[h_1²] = n·Var[w]·γ²: 1 for Xavier, 2 for He; then ×½·n·Var[w] per layer.
    const predicted = { xavier_normal: (l: number) => 0.5 ** l, he_normal: () => 2 };
    for (const init of ['xavier_normal', 'he_normal'] as const) {
      const state = { ...relu, init };
      const theory = computeTheory(state).curves[0];
      theory.forwardExact.forEach((value, l) => expect(value).toBeCloseTo(predicted[init](l), 12));
      const { curve } = await stream(state);
      curve.forward.forEach((q, l) => {
        expect(q.ciLow).toBeLessThanOrEqual(predicted[init](l));
        expect(q.ciHigh).toBeGreaterThanOrEqual(predicted[init](l));
      });
      // ...and the intervals reject the other init's shape (scaled to the same first layer) deep in the net.
      const wrongShape = init === 'xavier_normal' ? () => 1 : (l: number) => 2 * 0.5 ** l;
      expect(curve.forward.some((q, l) => q.ciHigh < wrongShape(l) || q.ciLow > wrongShape(l))).toBe(true);
    }
  });

  it('a bad setting throws the vocabulary’s InputError in words', async () => {
    await expect(stream({ ...relu, activation: 'custom', expression: 'x/(1+abs(x)' })).rejects.toThrow(/expression/);
  });
});
