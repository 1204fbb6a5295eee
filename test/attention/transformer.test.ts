/**
 * Transformer presets: each constant is the paper's (DeepNet Table 1, T-Fixup §3.3, GPT-2/nanoGPT),
 * each stack's per-block second moment and token cosine hold under the Monte Carlo decision, and a
 * stack built with the paper's constant rejects the prediction of the same stack with a deliberately
 * wrong constant (DeepNet's β and α, T-Fixup's 0.67, GPT-2's √(2L) taken as √L).
 */
import { describe, expect, it } from 'vitest';
import { bandVerdict, DEFAULT_TOLERANCE } from '../../src/numeric/decision.js';
import { checkResolvedNetwork } from '../../src/numeric/check.js';
import { deepNormConstants, gpt2ProjectionStd, tFixupScale, transformerSpec, type TransformerPreset } from '../../src/recipes/transformer.js';
import { measureBlocks } from '../../src/recipes/transformerDepth.js';
import { predictionSeries } from '../../src/symbolic/predict.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { resolveNetwork, type LayerNodeSpec, type TreeNetworkSpec } from '../../src/vocabulary/network.js';

const shape = { layers: 2, tokens: 8, width: 32, heads: 2 };
const options = { nets: 8, batch: 8, seed: 2, dtype: 'float64' as const, level: 0.99 };

/** The spec with every node rewritten by `edit` (a deliberately wrong constant). */
function rewrite(spec: TreeNetworkSpec, edit: (node: LayerNodeSpec) => LayerNodeSpec): TreeNetworkSpec {
  const walk = (node: LayerNodeSpec): LayerNodeSpec => {
    const edited = edit({ ...node });
    for (const key of ['layers', 'branch'] as const) if (Array.isArray(edited[key])) edited[key] = (edited[key] as LayerNodeSpec[]).map(walk);
    return edited;
  };
  return { ...spec, layers: spec.layers.map(walk) };
}

/**
 * Does the measurement of `right` reject the forward prediction of `wrong` (same tree shape) at some
 * weight layer's pre-activation? Forward only: through post-LN stacks at width 32 the layer_norm
 * backward factor (its second-order E[1/v] correction assumes v a mean of independent squares, but
 * half of v is the exactly normalized skip) is off by up to 15%, which is not what these presets set.
 */
async function rejects(right: TreeNetworkSpec, wrong: TreeNetworkSpec): Promise<boolean> {
  const wrongNetwork = resolveNetwork(wrong);
  const report = await checkResolvedNetwork(resolveNetwork(right), { ...options, predictions: () => predictionSeries(wrongNetwork, propagate(wrongNetwork)) });
  return report.layers.some((layer) => layer.forward.verdict === 'fails');
}

describe('preset constants, as the papers state them', () => {
  it('DeepNet Table 1: encoder-only, decoder-only and encoder-decoder', () => {
    expect(deepNormConstants('encoder', 6, 6)).toEqual({ alpha: 12 ** 0.25, beta: 48 ** -0.25 });
    expect(deepNormConstants('decoder', 6, 18)).toEqual({ alpha: 36 ** 0.25, beta: 144 ** -0.25 });
    const encoder = deepNormConstants('encoder_decoder', 6, 6);
    expect(encoder.alpha).toBeCloseTo(0.81 * (6 ** 5) ** (1 / 16), 12);
    expect(encoder.beta).toBeCloseTo(0.87 * (6 ** 5) ** (-1 / 16), 12);
    expect(deepNormConstants('encoder_decoder', 6, 6, 'decoder')).toEqual({ alpha: 18 ** 0.25, beta: 72 ** -0.25 });
    // The 1,000-layer claim rests on N·(v² + w²)/α² staying bounded: (2N)·2β²/α² = 1 for the encoder.
    for (const N of [6, 100, 1000]) {
      const { alpha, beta } = deepNormConstants('encoder', N, N);
      expect((2 * N * 2 * beta * beta) / (alpha * alpha)).toBeCloseTo(1, 12);
    }
  });

  it('T-Fixup and GPT-2', () => {
    expect(tFixupScale('encoder', 16, 16)).toBeCloseTo(0.67 / 2, 12);
    expect(tFixupScale('decoder', 16, 9)).toBeCloseTo(1 / 3, 12);
    expect(gpt2ProjectionStd(12)).toBeCloseTo(0.02 / Math.sqrt(24), 15);
  });

  it('the specs carry them: DeepNet skip α and β-gain on value, output and FFN; GPT-2 c_proj std', () => {
    const deepnet = transformerSpec('deepnet', { ...shape, layers: 6 });
    const attention = ((deepnet.layers[0].layers as LayerNodeSpec[])[0].branch as LayerNodeSpec[])[0];
    expect((deepnet.layers[0].layers as LayerNodeSpec[])[0].beta).toBe(12 ** 0.25);
    expect(attention.valueInit).toEqual({ name: 'xavier_normal', gain: 48 ** -0.25 });
    expect(attention.queryInit).toBe('xavier_normal');
    const gpt2 = resolveNetwork(transformerSpec('gpt2', { ...shape, layers: 12 }));
    const variances = gpt2.layers.map((layer) => layer.init.variance);
    expect(variances[0]).toBeCloseTo(0.02 ** 2, 15);
    expect(variances[1]).toBeCloseTo(0.02 ** 2 / 24, 15);
  });
});

describe('each preset under the Monte Carlo decision', () => {
  for (const preset of ['pre_ln', 'post_ln', 'deepnet', 'tfixup', 'gpt2'] as TransformerPreset[]) {
    it(`${preset}: per-block E[x²] and token cosine hold`, () => {
      const depth = measureBlocks(resolveNetwork(transformerSpec(preset, shape)), { nets: 8, batch: 8, seed: 2, level: 0.99 });
      expect(depth.monteCarlo?.pass).toBe(true);
    });
  }

  it('rank collapse: post-LN tokens align through depth, 1/√L branch scaling keeps them apart (predicted and measured)', () => {
    const run = (branchScale?: number) => measureBlocks(resolveNetwork(transformerSpec('post_ln', { ...shape, layers: 6, branchScale })), { nets: 8, batch: 8, seed: 2, level: 0.99 });
    const plain = run();
    const scaled = run(1 / Math.sqrt(6));
    expect(plain.monteCarlo?.pass && scaled.monteCarlo?.pass).toBe(true);
    expect(plain.blocks[5].tokenCosine.predicted).toBeGreaterThan(0.6);
    expect(scaled.blocks[5].tokenCosine.predicted).toBeLessThan(0.2);
    expect(plain.blocks[5].tokenCosine.ciLow).toBeGreaterThan(scaled.blocks[5].tokenCosine.ciHigh!);
  });
});

describe('a deliberately wrong constant is rejected', () => {
  it('GPT-2: c_proj std 0.02/√L instead of 0.02/√(2L)', async () => {
    const right = transformerSpec('gpt2', shape);
    const rightScale = 0.02 ** 2 / (2 * shape.layers);
    const wrong = rewrite(right, (node) => {
      const init = node.init as { scale?: number } | undefined;
      if (node.kind === 'dense' && init?.scale !== undefined && Math.abs(init.scale / (4 * shape.width) - rightScale) < 1e-15) node.init = { ...init, scale: init.scale * 2 };
      return node;
    });
    expect(JSON.stringify(wrong)).not.toBe(JSON.stringify(right));
    expect(await rejects(right, right)).toBe(false);
    expect(await rejects(right, wrong)).toBe(true);
  });

  it('T-Fixup: weights scaled by N^(-1/4) (the 0.67 dropped)', async () => {
    const right = transformerSpec('tfixup', shape);
    const gain = tFixupScale('encoder', shape.layers, shape.layers);
    const wrong = rewrite(right, (node) => {
      if (node.kind === 'dense') node.init = { name: 'xavier_normal', gain: gain / 0.67 };
      return node;
    });
    expect(await rejects(right, right)).toBe(false);
    expect(await rejects(right, wrong)).toBe(true);
  });

  it('DeepNet: β = (2N)^(-1/4) instead of (8N)^(-1/4) on the FFN, and skip α = 1 instead of (2N)^(1/4)', async () => {
    const right = transformerSpec('deepnet', shape);
    const wrongBeta = rewrite(right, (node) => {
      if (node.kind === 'dense') node.init = { name: 'xavier_normal', gain: (2 * shape.layers) ** -0.25 };
      return node;
    });
    expect(await rejects(right, right)).toBe(false);
    expect(await rejects(right, wrongBeta)).toBe(true);
    // α acts before the layer_norm, at the residual sum: decide that site against the wrong prediction.
    const wrongAlpha = resolveNetwork(rewrite(right, (node) => (node.kind === 'residual' ? { ...node, beta: 1 } : node)));
    const report = await checkResolvedNetwork(resolveNetwork(right), options);
    const site = report.sites!.find((s) => s.path === '0/0')!;
    const wrongPrediction = propagate(wrongAlpha).sites.find((s) => s.path === '0/0')!.output.secondMoment;
    expect(site.forward.verdict).not.toBe('fails');
    expect(bandVerdict(site.forward.ciLow / wrongPrediction, site.forward.ciHigh / wrongPrediction, DEFAULT_TOLERANCE.meanField)).toBe('fails');
  });
});
