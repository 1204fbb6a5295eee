/**
 * The framework audit (src/audit/frameworkAudit.ts, src/vocabulary/frameworks.ts): each framework's
 * default variance is what its source says; the Monte Carlo of a network under each default agrees
 * with it and rejects a deliberately wrong constant (PyTorch 1/fan_in for 1/(3·fan_in), Keras and
 * JAX with the 0.7737 truncation loss they correct, TF.js without the loss it does not correct);
 * the findings carry the exact gains from computeGains and the fans from computeFans.
 */
import { describe, expect, it } from 'vitest';
import { auditFramework, findings, inputActivations, resolveWithInits } from '../../src/audit/frameworkAudit.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { checkResolvedNetwork } from '../../src/numeric/check.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { TRUNCATED_VARIANCE_FACTOR } from '../../src/vocabulary/distributions/truncatedNormal.js';
import { frameworkDefaults, frameworkLayerInit, truncatedVarianceFactor, type FrameworkName } from '../../src/vocabulary/frameworks.js';
import { computeGains } from '../../src/vocabulary/gains.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

/** Var[w]·(fan_in + fan_out)/2 or ·fan_in, as each framework's source states its default (file comment of frameworks.ts). */
const stated: Record<FrameworkName, (fanIn: number, fanOut: number) => number> = {
  pytorch: (fanIn) => 1 / (3 * fanIn),
  keras: (fanIn, fanOut) => 2 / (fanIn + fanOut),
  jax: (fanIn) => 1 / fanIn,
  tfjs: (fanIn, fanOut) => TRUNCATED_VARIANCE_FACTOR * (2 / (fanIn + fanOut)),
};
/** The same with the constant deliberately wrong. */
const wrong: Record<FrameworkName, (fanIn: number, fanOut: number) => number> = {
  pytorch: (fanIn) => 1 / fanIn,
  keras: (fanIn, fanOut) => TRUNCATED_VARIANCE_FACTOR * (2 / (fanIn + fanOut)),
  jax: (fanIn) => TRUNCATED_VARIANCE_FACTOR / fanIn,
  tfjs: (fanIn, fanOut) => 2 / (fanIn + fanOut),
};
const frameworks = Object.keys(frameworkDefaults) as FrameworkName[];

describe('framework defaults', () => {
  const mlp = { widths: [200, 100, 100], activation: 'relu' };

  for (const name of frameworks) {
    it(`${name}: the default variance per layer is the source's formula`, () => {
      const network = resolveNetwork(mlp);
      for (const layer of network.layers) {
        const init = frameworkLayerInit(frameworkDefaults[name], layer);
        expect(init.variance / stated[name](layer.fanIn, layer.fanOut)).toBeCloseTo(1, 12);
      }
    });

    it(`${name}: Monte Carlo of an identity layer under the default agrees, and rejects the wrong constant`, async () => {
      const spec = { widths: [256, 128], activation: 'identity' };
      const network = resolveWithInits(spec, (layer) => frameworkLayerInit(frameworkDefaults[name], layer).init);
      const options = { nets: 24, batch: 64, seed: 11, dtype: 'float64' as const };
      // E[h²] = fan_in·Var[w]·E[x²] with x ~ N(0, 1); E[d²] = 1 at the output; E[(∂W)²] = 1·1.
      const series = (variance: (fanIn: number, fanOut: number) => number) => () => ({ forward: [256 * variance(256, 128)], backward: [1], weightGradient: [1] });
      expect((await checkResolvedNetwork(network, { ...options, predictions: series(stated[name]) })).pass).toBe(true);
      expect((await checkResolvedNetwork(network, { ...options, predictions: series(wrong[name]) })).pass).toBe(false);
    }, 30_000);
  }

  it('depthwise convolutions: Keras and TF.js count fan_in = C·k² (DepthwiseConv2D), PyTorch and Flax fan_out = C·k² (groups = C)', () => {
    const spec = { widths: [32, 32], inputSize: [8, 8] as [number, number], layers: [{ kind: 'conv2d' as const, kernelSize: 3, groups: 32 }] };
    const layer = resolveNetwork(spec).layers[0];
    expect([layer.fanIn, layer.fanOut]).toEqual([9, 9]);
    const fans = (name: FrameworkName) => {
      const init = frameworkLayerInit(frameworkDefaults[name], layer);
      return [init.frameworkFanIn, init.frameworkFanOut];
    };
    expect(fans('keras')).toEqual([288, 9]);
    expect(fans('tfjs')).toEqual([288, 9]);
    expect(fans('pytorch')).toEqual([9, 288]);
    expect(fans('jax')).toEqual([9, 288]);
    // Keras' glorot_uniform on it: 2/(288 + 9) instead of 2/(9 + 9).
    expect(frameworkLayerInit(frameworkDefaults.keras, layer).variance).toBeCloseTo(2 / 297, 14);
  });

  it('truncated normals: E[Z² | |Z| < 2] is the 0.7737 of the distributions module; PyTorch\'s absolute ±2 at std 0.02 truncates nothing', () => {
    expect(truncatedVarianceFactor(2)).toBeCloseTo(TRUNCATED_VARIANCE_FACTOR, 13);
    expect(truncatedVarianceFactor(100)).toBe(1);
    const torch = findings(frameworkDefaults.pytorch).find((f) => f.id.startsWith('truncated-normal'))!;
    expect(torch.values.varianceOverStd2AtSmallStd).toBe(1);
    expect(torch.values.varianceOverStd2AtStd1).toBeCloseTo(TRUNCATED_VARIANCE_FACTOR, 13);
    const uncorrected = findings(frameworkDefaults.tfjs).filter((f) => f.id.startsWith('truncated-normal'));
    expect(uncorrected.map((f) => f.values.varianceOverStd2)).toEqual([TRUNCATED_VARIANCE_FACTOR, TRUNCATED_VARIANCE_FACTOR]);
  });

  it('calculate_gain against the exact gains of computeGains (sigmoid, selu, tanh), PyTorch only', () => {
    const gains = findings(frameworkDefaults.pytorch);
    for (const name of ['sigmoid', 'selu', 'tanh']) {
      const finding = gains.find((f) => f.id === `calculate-gain-${name}`)!;
      const activation = resolveActivation(name);
      expect(finding.values.exactGain).toBe(computeGains(activation).forwardGain);
      expect(finding.values.pytorchGain).toBe(activation.pytorchGain);
    }
    expect(findings(frameworkDefaults.keras).some((f) => f.id.startsWith('calculate-gain'))).toBe(false);
  });

  it('the audit: PyTorch on a relu net loses 1/6 a layer after the first; the preserving choice keeps 1, exactly', () => {
    const audit = auditFramework({ widths: [64, 64, 64, 64], activation: 'relu' }, frameworkDefaults.pytorch);
    expect(audit.layers.map((l) => l.forward.framework)).toEqual([1 / 3, 1 / 18, 1 / 108].map((v) => expect.closeTo(v, 14)));
    expect(audit.layers.every((l) => l.forward.preserving === 1 || Math.abs(l.forward.preserving - 1) < 1e-12)).toBe(true);
    expect(audit.layers.map((l) => l.inputActivation)).toEqual(['identity', 'relu', 'relu']);
    expect(audit.layers[1].ratio).toBeCloseTo(1 / 6, 14);
    expect(audit.layers[0].forward.prediction).toBe('exact');
  });

  it('a residual tree: a branch\'s first layer reads the block input (identity), the layer after relu reads relu', () => {
    const spec = { input: 16, layers: [{ kind: 'residual', alpha: 0.5, branch: [{ kind: 'dense', width: 16, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 16 }] }] };
    expect(inputActivations(resolveNetwork(spec)).map((a) => a.label)).toEqual(['identity', 'relu']);
    const audit = auditFramework(spec, frameworkDefaults.jax);
    expect(audit.layers).toHaveLength(2);
  });
});

describe('varprop audit', () => {
  async function run(argv: string[]) {
    const io = memoryIO();
    const code = await main(argv, io);
    return { code, out: io.out, err: io.err };
  }

  it('--json: the contract named in --help', async () => {
    const { code, out } = await run(['audit', '--framework', 'keras', '--widths', '32,32,10', '--act', 'tanh', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['framework', 'label', 'version', 'layers', 'summary', 'findings']);
    expect(Object.keys(json.layers[0])).toEqual([
      'layer', 'path', 'kind', 'fanIn', 'fanOut', 'frameworkFanIn', 'frameworkFanOut', 'init', 'variance', 'inputActivation', 'gain', 'preservingVariance', 'ratio', 'forward', 'backward',
    ]);
    expect(json.version).toContain('Keras 3');
    expect(Object.keys(json.findings[0])).toEqual(['id', 'text', 'values', 'source']);
  });

  it('prints the table, the depth summary and the reasons with their sources', async () => {
    const { code, out } = await run(['audit', '--framework', 'pytorch', '--widths', '64,64,64', '--act', 'sigmoid']);
    expect(code).toBe(0);
    expect(out).toContain('kaiming_uniform_(a=√5)');
    expect(out).toMatch(/calculate_gain\('sigmoid'\) = 1 against the exact forward gain 1\.846/);
    expect(out).toContain('[torch/nn/init.py trunc_normal_]');
  });

  it('bad framework: one line, exit 2', async () => {
    const { code, err } = await run(['audit', '--framework', 'mxnet', '--widths', '4,4']);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/--framework = "mxnet" is not allowed: expected one of pytorch, keras, jax, tfjs/);
  });
});
