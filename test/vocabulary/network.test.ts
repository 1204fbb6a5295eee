import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { resolveNetwork, validateNetworkSpec } from '../../src/vocabulary/network.js';

function errorOf(spec: unknown): InputError {
  try {
    resolveNetwork(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(spec)}`);
}

describe('resolveNetwork', () => {
  it('applies the defaults: identity, xavier_uniform, no bias, input variance 1', () => {
    const network = resolveNetwork({ widths: [784, 256, 10] });
    expect(network.inputVariance).toBe(1);
    expect(network.layers).toHaveLength(2);
    const [first, second] = network.layers;
    expect(first).toMatchObject({ index: 1, kind: 'dense', fanIn: 784, fanOut: 256, inputUnits: 784, outputUnits: 256, biasVariance: 0 });
    expect(first.activation.name).toBe('identity');
    expect(first.init.name).toBe('xavier_uniform');
    expect(first.init.distribution.params.bound).toBeCloseTo(0.0759555, 7);
    expect(second).toMatchObject({ index: 2, fanIn: 256, fanOut: 10 });
  });

  it('takes shared settings and per-layer overrides', () => {
    const network = resolveNetwork({
      widths: [100, 50, 20, 5],
      activation: 'tanh',
      init: { name: 'he_normal', nonlinearity: 'tanh' },
      biasStd: 0.1,
      inputVariance: 2,
      layers: [{}, { activation: { name: 'leaky_relu', slope: 0.2 }, init: 'lecun_normal', biasStd: 0 }],
    });
    expect(network.inputVariance).toBe(2);
    // The activation after each weight layer; none follows the last (the output is its pre-activation).
    expect(network.layers.map((layer) => layer.activation.name)).toEqual(['tanh', 'leaky_relu', 'identity']);
    expect(network.layers.map((layer) => layer.init.name)).toEqual(['he_normal', 'lecun_normal', 'he_normal']);
    expect(network.layers[0].init.variance).toBeCloseTo(25 / 9 / 100, 15);
    expect(network.layers.map((layer) => layer.biasVariance)).toEqual([0.1 ** 2, 0, 0.1 ** 2]);
  });

  it('conv2d layers: channels, (c_in/groups)·kh·kw fans, spatial shrink by k − 1, then a dense layer flattens', () => {
    const network = resolveNetwork({
      widths: [3, 8, 16, 10],
      activation: 'relu',
      init: 'he_normal',
      inputSize: [8, 8],
      layers: [
        { kind: 'conv2d', kernelSize: 3 },
        { kind: 'conv2d', kernelSize: [3, 5], groups: 8 },
      ],
    });
    const [conv1, conv2, dense] = network.layers;
    expect(conv1).toMatchObject({ kind: 'conv2d', fanIn: 27, fanOut: 72, inputUnits: 192, outputUnits: 8 * 36 });
    expect(conv1.conv).toEqual({ inChannels: 3, outChannels: 8, kernel: [3, 3], groups: 1, inputSize: [8, 8], outputSize: [6, 6] });
    expect(conv2).toMatchObject({ fanIn: 1 * 15, fanOut: 2 * 15, inputUnits: 288, outputUnits: 16 * 4 * 2 });
    expect(conv2.conv?.outputSize).toEqual([4, 2]);
    expect(dense).toMatchObject({ kind: 'dense', fanIn: 128, fanOut: 10, inputUnits: 128, outputUnits: 10 });
    expect(conv1.init.variance).toBeCloseTo(2 / 27, 15);
  });

  it('validateNetworkSpec returns the spec unchanged when valid', () => {
    const spec = { widths: [4, 3], activation: 'relu' };
    expect(validateNetworkSpec(spec)).toBe(spec);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});

describe('validation names the field path, the value and what is allowed', () => {
  const cases: Array<[string, unknown, string, RegExp?]> = [
    ['not an object', 'widths', 'network'],
    ['non-array widths', { widths: '784,10' }, 'widths', /array of at least 2 positive integers/],
    ['fewer than 2 widths', { widths: [784] }, 'widths'],
    ['zero width', { widths: [784, 0, 10] }, 'widths[1]', /widths\[1\] = 0 is not allowed: expected a positive integer/],
    ['negative width', { widths: [784, 256, -3] }, 'widths[2]', /= -3/],
    ['fractional width', { widths: [784, 2.5] }, 'widths[1]', /= 2\.5/],
    ['non-finite width', { widths: [784, Number.POSITIVE_INFINITY] }, 'widths[1]'],
    ['NaN width', { widths: [Number.NaN, 3] }, 'widths[0]', /= NaN/],
    ['unknown activation', { widths: [4, 3], activation: 'tanhh' }, 'activation', /"tanhh".*Did you mean tanh/],
    ['unknown init', { widths: [4, 3], init: 'xavier' }, 'init', /"xavier".*one of xavier_uniform/],
    ['bad init option', { widths: [4, 3], init: { name: 'he_normal', mode: 'fan_avg' } }, 'init.mode', /"fan_avg".*fan_in, fan_out/],
    ['layer init', { widths: [4, 3, 2], layers: [{}, { init: { name: 'xavier_uniform', gain: -2 } }] }, 'layers[1].init.gain'],
    ['layer activation', { widths: [4, 3, 2], layers: [{}, { activation: 'nope' }] }, 'layers[1].activation'],
    ['negative biasStd', { widths: [4, 3], biasStd: -0.1 }, 'biasStd', /-0\.1.*finite number >= 0/],
    ['NaN biasStd', { widths: [4, 3], biasStd: Number.NaN }, 'biasStd'],
    ['negative inputVariance', { widths: [4, 3], inputVariance: -1 }, 'inputVariance'],
    ['infinite inputVariance', { widths: [4, 3], inputVariance: Number.POSITIVE_INFINITY }, 'inputVariance'],
    ['unknown key', { widths: [4, 3], activations: 'relu' }, 'activations', /known field \(widths, activation, init/],
    ['unknown layer key', { widths: [4, 3], layers: [{ kernel: 3 }] }, 'layers[0].kernel', /known field \(kind, activation, init, biasStd, kernelSize/],
    ['unknown kind', { widths: [4, 3], layers: [{ kind: 'conv3d' }] }, 'layers[0].kind', /one of dense, conv2d/],
    ['kernel larger than input', { widths: [3, 8], inputSize: [4, 4], layers: [{ kind: 'conv2d', kernelSize: 5 }] }, 'layers[0].kernelSize', /at most the spatial input 4×4/],
    ['kernel larger after shrinking', { widths: [3, 8, 8], inputSize: [6, 6], layers: [{ kind: 'conv2d', kernelSize: 3 }, { kind: 'conv2d', kernelSize: 5 }] }, 'layers[1].kernelSize', /4×4/],
    ['fractional kernel', { widths: [3, 8], layers: [{ kind: 'conv2d', kernelSize: [3, 1.5] }] }, 'layers[0].kernelSize[1]'],
    ['missing kernel', { widths: [3, 8], layers: [{ kind: 'conv2d' }] }, 'layers[0].kernelSize', /required for conv2d/],
    ['kernel on dense', { widths: [3, 8], layers: [{ kernelSize: 3 }] }, 'layers[0].kernelSize'],
    ['groups not dividing', { widths: [6, 8], layers: [{ kind: 'conv2d', kernelSize: 3, groups: 4 }] }, 'layers[0].groups', /divisor of both channel counts/],
    ['conv after dense', { widths: [3, 8, 8], layers: [{}, { kind: 'conv2d', kernelSize: 3 }] }, 'layers[1].kind'],
    ['too many layers', { widths: [3, 8], layers: [{}, {}] }, 'layers', /at most 1/],
    ['bad inputSize', { widths: [3, 8], inputSize: [8, 0] }, 'inputSize[1]'],
    ['orthogonal conv', { widths: [3, 8], init: 'orthogonal', layers: [{ kind: 'conv2d', kernelSize: 3 }] }, 'init', /other than orthogonal/],
  ];
  for (const [title, spec, field, message] of cases) {
    it(`${title} → ${field}`, () => {
      const error = errorOf(spec);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(/ (is not allowed|is required): expected /);
      expect(error.message).not.toMatch(/\n/);
      if (message) expect(error.message).toMatch(message);
    });
  }
});
