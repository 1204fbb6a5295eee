/**
 * One set of predictions: for random trees (conv layers, biases, residual blocks, normalizations,
 * repeats), every number the derivation prints is propagate()'s, and the check tests exactly those
 * numbers. A second recursion anywhere would make these drift apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkResolvedNetwork } from '../../src/numeric/check.js';
import type { MeasureOptions, RawMeasurement } from '../../src/numeric/measurement.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveNetwork } from '../../src/symbolic/layer.js';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { resolveNetwork, type LayerNodeSpec, type ResolvedNetwork, type TreeNetworkSpec } from '../../src/vocabulary/network.js';

const activation = fc.constantFrom('relu', 'tanh', 'identity', 'gelu', 'leaky_relu');
const init = fc.constantFrom('he_normal', 'xavier_uniform', 'lecun_normal', 'orthogonal');
const width = fc.integer({ min: 2, max: 12 });

/** A block that keeps the width w: the body of a residual branch or a repeat. */
const keepingBlock = (w: number): fc.Arbitrary<LayerNodeSpec[]> =>
  fc.tuple(fc.boolean(), init, activation, init, fc.double({ min: 0, max: 1, noNaN: true })).map(([norm, first, act, second, bias]) => [
    ...(norm ? [{ kind: 'layer_norm' }] : []),
    { kind: 'dense', width: w, init: first, biasStd: Math.round(bias * 10) / 10 },
    { kind: 'activation', activation: act },
    { kind: 'dense', width: w, init: second },
  ]);

const treeSpec: fc.Arbitrary<TreeNetworkSpec> = fc
  .tuple(fc.boolean(), width, fc.integer({ min: 1, max: 3 }), fc.double({ min: 0, max: 1.5, noNaN: true }), fc.constantFrom('layer_norm', 'rms_norm', 'none'), init)
  .chain(([conv, w, times, alpha, norm, last]) =>
    keepingBlock(w).map((branch) => {
      const head: LayerNodeSpec[] = conv
        ? [{ kind: 'conv2d', channels: 3, kernelSize: 2, biasStd: 0.2 }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: w }]
        : [{ kind: 'dense', width: w, init: 'he_normal' }];
      const layers: LayerNodeSpec[] = [
        ...head,
        { kind: 'repeat', times, layers: [{ kind: 'residual', alpha: Math.round(alpha * 100) / 100, beta: 1, branch }] },
        ...(norm === 'none' ? [] : [{ kind: norm }]),
        { kind: 'dense', width: 3, init: last },
      ];
      return { input: conv ? ([2, 5, 5] as [number, number, number]) : w, layers };
    }),
  );

/** A stand-in engine: per-replicate values scattered around the predictions (the check's arithmetic only). */
function fakeMeasure(network: ResolvedNetwork, options: MeasureOptions): Promise<RawMeasurement> {
  const prediction = predictNetwork(network);
  const jitter = (value: number, r: number, i: number) => value * (1 + 0.01 * Math.sin(r * 7 + i));
  const replicates = Array.from({ length: options.nets }, (_, r) => ({
    forward: prediction.layers.map((l, i) => jitter(l.forward.meanField, r, i)),
    backward: prediction.layers.map((l, i) => jitter(l.backward.meanField, r, i + 1)),
    weightGradient: prediction.layers.map((l, i) => jitter(l.weightGradient.meanField, r, i + 2)),
    sites: {
      forward: prediction.sites.map((s, i) => jitter(s.forward.meanField, r, i)),
      backward: prediction.sites.map((s, i) => jitter(s.backward.meanField, r, i + 1)),
    },
  }));
  return Promise.resolve({ replicates, distributions: [], elapsedSeconds: 0, dtype: options.dtype, batch: options.batch, seed: options.seed });
}

describe('derive, predict and check read one propagation', () => {
  it('for random trees with convs, biases, residual blocks and normalizations', async () => {
    const engine = createEngine();
    await fc.assert(
      fc.asyncProperty(treeSpec, async (spec) => {
        const network = resolveNetwork(spec);
        const propagation = propagate(network);
        const section = deriveNetwork(network, { engine }).sections.find((s) => s.id === 'network')!;
        expect(section.perSite!.map((s) => [s.path, s.forward, s.backward])).toEqual(
          propagation.sites.map((s) => [s.path, s.output.secondMoment, s.gradient.secondMoment]),
        );
        // Every printed number of the network section is one of propagate's.
        const printed = new Set(propagation.sites.flatMap((s) => [s.output.secondMoment, s.inputGradient.secondMoment, s.weightGradient?.secondMoment]));
        for (const step of section.steps) if (step.check) expect(printed.has(Number(step.check.rhs))).toBe(true);
        const report = await checkResolvedNetwork(network, { nets: 4, batch: 8, seed: 1, measure: fakeMeasure });
        expect(report.sites!.map((s) => [s.path, s.kind, s.forward.meanField, s.backward.meanField])).toEqual(
          propagation.sites.map((s) => [s.path, s.kind, s.output.secondMoment, s.gradient.secondMoment]),
        );
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});
