/**
 * The network tree: the shorthand expands to it, every node is addressed by its path, combinators
 * compose, bad trees are refused in one line naming the path, and propagate()'s numbers are the
 * ones the derivation prints and the check tests.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { expandWidths, MAX_NESTING, resolveNetwork, type NetworkSpec } from '../../src/vocabulary/network.js';
import { inputErrorOf } from './inputError.js';

const issueExample: NetworkSpec = {
  input: 256,
  inputVariance: 1,
  layers: [
    { kind: 'dense', width: 256, init: 'he_normal', biasStd: 0 },
    { kind: 'activation', activation: 'relu' },
    {
      kind: 'repeat',
      times: 10,
      layers: [
        {
          kind: 'residual',
          alpha: 0.5,
          beta: 1,
          branch: [
            { kind: 'layer_norm' },
            { kind: 'dense', width: 256, init: 'he_normal' },
            { kind: 'activation', activation: 'relu' },
            { kind: 'dense', width: 256, init: 'lecun_normal' },
          ],
        },
      ],
    },
    { kind: 'rms_norm' },
    { kind: 'dense', width: 16 },
  ],
};

describe('the tree form', () => {
  it('resolves the example of the description, with paths like 2/4/branch/1', () => {
    const network = resolveNetwork(issueExample);
    const paths = network.sites.map((s) => s.path);
    expect(paths.slice(0, 4)).toEqual(['0', '1', '2', '2/0']);
    expect(paths).toContain('2/4/branch/1');
    expect(network.sites.find((s) => s.path === '2/4/branch/1')?.kind).toBe('dense');
    // 1 + 10·2 + 1 weight layers, indexed in forward order.
    expect(network.layers.map((l) => l.index)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(network.layers[1].path).toBe('2/0/branch/1');
    expect(network.layers[1].activation.name).toBe('relu');
    expect(network.layers[2].activation.name).toBe('identity');
  });

  it('the shorthand expands to dense [bias] activation … dense [bias]', () => {
    const { tree } = expandWidths({ widths: [4, 3, 2], activation: 'tanh', biasStd: 0.5 });
    expect(tree.layers.map((n) => n.kind)).toEqual(['dense', 'bias', 'activation', 'dense', 'bias']);
    const network = resolveNetwork({ widths: [4, 3, 2], activation: 'tanh', biasStd: 0.5 });
    expect(network.layers.map((l) => [l.path, l.preActivationPath, l.biasVariance])).toEqual([
      ['0', '1', 0.25],
      ['3', '4', 0.25],
    ]);
  });

  it('biasStd on a tree node is sugar for a bias node after it', () => {
    const network = resolveNetwork({ input: 4, layers: [{ kind: 'dense', width: 3, biasStd: 0.5 }] });
    expect(network.sites.map((s) => `${s.path}:${s.kind}`)).toEqual(['0:dense', '0/bias:bias']);
    expect(network.layers[0].biasVariance).toBe(0.25);
  });

  it('a conv input is [channels, height, width]; conv after a dense layer is refused', () => {
    const network = resolveNetwork({ input: [3, 8, 8], layers: [{ kind: 'conv2d', channels: 4, kernelSize: 3 }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 5 }] });
    expect(network.layers.map((l) => [l.fanIn, l.fanOut])).toEqual([[27, 36], [144, 5]]);
    const error = inputErrorOf(() => resolveNetwork({ input: 8, layers: [{ kind: 'conv2d', channels: 4, kernelSize: 3 }] }));
    expect(error.field).toBe('0.kind');
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['unknown kind', { input: 4, layers: [{ kind: 'densse', width: 4 }] }, '0.kind', /one of dense, conv2d, bias/],
    ['branch changes the width', { input: 4, layers: [{ kind: 'residual', branch: [{ kind: 'dense', width: 5 }] }] }, '0.branch', /shape of its input, 4 units/],
    ['times < 1', { input: 4, layers: [{ kind: 'repeat', times: 0, layers: [{ kind: 'dense', width: 4 }] }] }, '0.times', /positive integer/],
    ['negative alpha', { input: 4, layers: [{ kind: 'residual', alpha: -1, branch: [{ kind: 'dense', width: 4 }] }] }, '0.alpha', />= 0/],
    ['nested path', { input: 4, layers: [{ kind: 'repeat', times: 2, layers: [{ kind: 'residual', branch: [{ kind: 'dense', width: 0 }] }] }] }, '0/0/branch/0.width', /positive integer/],
    ['unknown field', { input: 4, layers: [{ kind: 'dense', width: 4, widht: 4 }] }, '0.widht', /known field/],
    ['repeated block changes the width', { input: 4, layers: [{ kind: 'repeat', times: 2, layers: [{ kind: 'dense', width: 5 }] }] }, '0.layers', /shape of its input/],
    ['empty layers', { input: 4, layers: [] }, 'layers', /non-empty/],
    ['no weight layer', { input: 4, layers: [{ kind: 'activation', activation: 'relu' }] }, 'layers', /at least one dense or conv2d/],
    ['too many nodes', { input: 4, layers: [{ kind: 'repeat', times: 30000, layers: [{ kind: 'dense', width: 4 }] }] }, '0/19999', /at most 20000 nodes/],
  ];
  for (const [title, spec, field, allowed] of bad) {
    it(`refuses ${title} in one line naming ${field}`, () => {
      const error = inputErrorOf(() => resolveNetwork(spec));
      expect(error).toBeInstanceOf(InputError);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(allowed);
      expect(error.message).not.toMatch(/\n|undefined/);
    });
  }

  it(`refuses nesting deeper than ${MAX_NESTING} levels`, () => {
    let node: unknown = { kind: 'dense', width: 4 };
    for (let i = 0; i <= MAX_NESTING; i++) node = { kind: 'serial', layers: [node] };
    expect(inputErrorOf(() => resolveNetwork({ input: 4, layers: [node] })).message).toMatch(/at most 32 nested/);
  });
});

describe('the moment faces composed by propagate()', () => {
  it('residual: E‖x_{l+1}‖² = (β² + α²)·E‖x_l‖² for a relu branch (He, then LeCun), exactly', () => {
    const spec: NetworkSpec = {
      input: 64,
      layers: [
        { kind: 'dense', width: 64, init: 'lecun_normal' },
        { kind: 'repeat', times: 5, layers: [{ kind: 'residual', alpha: 0.6, beta: 0.9, branch: [{ kind: 'dense', width: 64, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 64, init: 'lecun_normal' }] }] },
      ],
    };
    const sites = propagate(resolveNetwork(spec)).sites.filter((s) => s.kind === 'residual');
    sites.forEach((site, r) => expect(site.output.secondMoment).toBeCloseTo((0.81 + 0.36) ** (r + 1), 12));
    expect(sites.every((s) => s.output.exact)).toBe(true);
  });

  it('normalization resets any scale: a signal of second moment 1e6 leaves layer_norm at ≈ 1, and the gradient shrinks by it', () => {
    const network = resolveNetwork({ input: 32, inputVariance: 1e6, layers: [{ kind: 'layer_norm', epsilon: 0 }, { kind: 'dense', width: 8 }] });
    const [norm] = propagate(network).sites;
    expect(norm.output.secondMoment).toBe(1);
    expect(norm.output.exact).toBe(true);
    expect(norm.inputGradient.secondMoment).toBeLessThan(1e-6 * norm.gradient.secondMoment * 1.2);
  });

  it('the prediction per weight layer is read off the sites: no second recursion', () => {
    const network = resolveNetwork(issueExample);
    const prediction = predictNetwork(network);
    const byPath = new Map(prediction.sites.map((s) => [s.path, s]));
    for (const layer of prediction.layers) {
      const source = network.layers[layer.layer - 1];
      expect(layer.forward).toEqual(byPath.get(source.preActivationPath)!.forward);
      expect(layer.backward).toEqual(byPath.get(source.preActivationPath)!.backward);
    }
  });
});

describe('the engine walks combinators without double-freeing', () => {
  it('a repeated residual block after a dense layer runs every replicate (it once reported a false "vanished")', async () => {
    const { measureNetwork } = await import('../../src/numeric/engine.js');
    const network = resolveNetwork({ input: 8, layers: [{ kind: 'dense', width: 8 }, { kind: 'repeat', times: 2, layers: [{ kind: 'residual', branch: [{ kind: 'dense', width: 8 }, { kind: 'dense', width: 8 }] }] }] });
    const raw = await measureNetwork(network, { nets: 4, batch: 4, seed: 1, dtype: 'float64' });
    expect(raw.breakdown).toBeUndefined();
    expect(raw.replicates).toHaveLength(4);
  });
});

describe('structural zeros are values, not breakdowns', () => {
  it('a residual branch at α = 0 (ReZero) and a zero-initialized last branch layer (Fixup) are measured and checked', async () => {
    const { checkNetwork } = await import('../../src/numeric/check.js');
    const branch = (last: unknown) => [{ kind: 'dense', width: 16, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 16, init: last }];
    const rezero = { input: 16, layers: [{ kind: 'dense', width: 16 }, { kind: 'repeat', times: 3, layers: [{ kind: 'residual', alpha: 0, branch: branch('lecun_normal') }] }] };
    const fixup = { input: 16, layers: [{ kind: 'dense', width: 16 }, { kind: 'repeat', times: 3, layers: [{ kind: 'residual', branch: branch({ name: 'constant', value: 0 }) }] }] };
    for (const spec of [rezero, fixup]) {
      const report = await checkNetwork(spec, { nets: 24, batch: 16, seed: 3, dtype: 'float64' });
      expect(report.breakdown).toBeUndefined();
      expect(report.pass).toBe(true);
    }
    // A zero that is not predicted is still a breakdown: gain 1e-200 underflows float64 (products of tiny weights).
    const underflow = await checkNetwork({ widths: [8, 8, 8, 8], init: { name: 'xavier_normal', gain: 1e-200 } }, { nets: 2, batch: 4, seed: 1, dtype: 'float64' });
    expect(underflow.breakdown?.kind).toBe('vanished');
  });
});
