/**
 * Two inputs through the same sampled networks (src/numeric/correlation.ts): the c-map that
 * propagate() composes is not rejected, a deliberately wrong one (a bias that forgets σ_b² in
 * E[y_a y_b]) is; the measured decay rate of |c_l − c*| agrees with the c-map's, which approaches
 * 1/ξ_c, on tanh and relu. Fixed seeds; level 99% with Bonferroni over the sites.
 */
import { describe, expect, it } from 'vitest';
import { biasKind } from '../../src/layers/bias.js';
import type { LayerKind } from '../../src/layers/kind.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { checkCorrelation, measureCorrelationDecay } from '../../src/numeric/correlation.js';
import { decidePrediction, DEFAULT_TOLERANCE } from '../../src/numeric/decision.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { signalNetworkSpec, signalPropagation } from '../../src/theory/signal.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { builtInCatalogue, resolveNetwork } from '../../src/vocabulary/network.js';

/** The bias face with its c-map step wrong: E[y_a y_b] = E[h_a h_b], forgetting the shared σ_b². */
const biasForgettingCross: LayerKind = {
  ...biasKind,
  moments: {
    ...biasKind.moments,
    forward(node, input, flavour, run) {
      const result = biasKind.moments.forward(node, input, flavour, run);
      if (input.cross === undefined || !result.crossRule) return result;
      return { ...result, output: { ...result.output, cross: input.cross }, crossRule: { ...result.crossRule, expression: 'k', values: { k: input.cross } } };
    },
  },
};

const SPEC = { widths: [200, 200, 200, 200, 200], activation: 'tanh', init: 'xavier_normal', biasStd: 0.5 };
const OPTIONS = { pairs: 30, nets: 10, seed: 3, inputCorrelation: 0.2 };

describe('checkCorrelation', () => {
  it('does not reject the c-map propagate() composes; rejects one whose bias forgets σ_b²', () => {
    const network = resolveNetwork(SPEC);
    const right = checkCorrelation(network, OPTIONS);
    expect(right.replicates).toBe(10);
    expect(right.sites.map((site) => site.verdict)).not.toContain('fails');
    const wrongKinds = { ...builtInCatalogue, layerKinds: { ...builtInLayerKinds, bias: biasForgettingCross } };
    const wrong = checkCorrelation(network, OPTIONS, propagate(resolveNetwork(SPEC, wrongKinds), 'meanField', { inputCorrelation: 0.2 }));
    expect(wrong.verdict).toBe('fails');
    // The first dense layer precedes every bias: there the wrong map is still right.
    expect(wrong.sites[0].verdict).not.toBe('fails');
  });

  it('tests E[y_a y_b] strictly where it is exact (dense, bias) and in the mean-field band after φ', () => {
    const check = checkCorrelation(resolveNetwork(SPEC), { ...OPTIONS, nets: 4 });
    expect(check.sites[0].crossExact).toBe(true);
    expect(check.sites[0].cross.tolerance).toBe(0);
    expect(check.sites[2].kind).toBe('activation');
    expect(check.sites[2].cross.tolerance).toBe(DEFAULT_TOLERANCE.meanField);
  });
});

describe('the decay of |c_l − c*| with depth', () => {
  // Started at c₀ = 0.9, close to c* = 1 of the ordered phase, so the c-map is near its linearisation.
  for (const [name, weightVar, biasVar, closeness] of [['tanh', 1.5, 0.05, 0.1], ['relu', 1.8, 0.05, 0.6]] as const) {
    it(`${name} σ_w² = ${weightVar}, σ_b² = ${biasVar}: the measured rate agrees with the c-map's; a rate 30% off is rejected`, () => {
      const signal = signalPropagation(resolveActivation(name), weightVar, biasVar);
      const network = resolveNetwork(signalNetworkSpec(name, weightVar, biasVar, 300, 24, signal.qStar));
      const decay = measureCorrelationDecay(network, { pairs: 30, nets: 12, seed: 7, inputCorrelation: 0.9, cStar: signal.cStar, floor: 0.01 });
      expect(decay.rate.verdict).not.toBe('fails');
      expect(decidePrediction(decay.rates, 1.3 * decay.predictedRate, 0.99, DEFAULT_TOLERANCE.meanField).verdict).toBe('fails');
      // The c-map's own rate over these layers approaches 1/ξ_c (relu more slowly: its map has a (1 − c)^{3/2} term).
      expect(Math.abs(decay.predictedRate * signal.xiC - 1)).toBeLessThan(closeness);
    }, 60_000);
  }
});
