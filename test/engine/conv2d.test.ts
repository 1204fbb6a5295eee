import { describe, expect, it } from 'vitest';
import { conv2dLayer } from '../../src/layers/conv2d.js';
import { createFloat64Scratch } from '../../src/numeric/engine.js';
import { transposeInto } from '../../src/numeric/kernels/transpose.js';
import { uploadMatrix } from '../../src/numeric/kernels/backend.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { createRandom } from '../../src/math/random.js';
import { resolveNetwork, type ResolvedLayer } from '../../src/vocabulary/network.js';

interface Case {
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  groups: number;
  size: [number, number];
}

const cases: Case[] = [
  { name: '3→4 channels, 3×3 kernel', inChannels: 3, outChannels: 4, kernel: [3, 3], groups: 1, size: [6, 5] },
  { name: '4→6 channels, 2×3 kernel, 2 groups', inChannels: 4, outChannels: 6, kernel: [2, 3], groups: 2, size: [5, 6] },
];

function convLayer(c: Case): ResolvedLayer {
  return resolveNetwork({
    widths: [c.inChannels, c.outChannels],
    init: 'he_normal',
    inputSize: c.size,
    layers: [{ kind: 'conv2d', kernelSize: c.kernel, groups: c.groups }],
  }).layers[0];
}

/**
 * Direct convolution, NHWC, weights w[(ky·kw + kx)·groupIn + c, o] (the layout the layer draws):
 * h[b, oy, ox, o] = Σ_{ky,kx,c} x[b, oy+ky, ox+kx, g·groupIn + c] · w[(ky,kx,c), o], g = group of o.
 */
function directConv(x: Float64Array, w: Float64Array, c: Case, batch: number): Float64Array {
  const [H, W] = c.size;
  const [kh, kw] = c.kernel;
  const [Ho, Wo] = [H - kh + 1, W - kw + 1];
  const groupIn = c.inChannels / c.groups;
  const groupOut = c.outChannels / c.groups;
  const h = new Float64Array(batch * Ho * Wo * c.outChannels);
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++)
        for (let o = 0; o < c.outChannels; o++) {
          const g = Math.floor(o / groupOut);
          let sum = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++)
              for (let ci = 0; ci < groupIn; ci++)
                sum += x[((b * H + oy + ky) * W + ox + kx) * c.inChannels + g * groupIn + ci] * w[((ky * kw + kx) * groupIn + ci) * c.outChannels + o];
          h[((b * Ho + oy) * Wo + ox) * c.outChannels + o] = sum;
        }
  return h;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe.each(cases)('conv2d via im2col: $name', (c) => {
  const batch = 3;
  const layer = convLayer(c);
  const backend = createPlainBackend('float64');
  const depth = c.kernel[0] * c.kernel[1] * (c.inChannels / c.groups);
  // The same stream the layer samples from gives the same weights.
  const weights = new Float64Array(depth * c.outChannels);
  layer.init.distribution.sample(createRandom(21), weights, depth, c.outChannels);
  const x = new Float64Array(batch * layer.inputUnits);
  createRandom(22).fillNormal(x);
  const upstream = new Float64Array(batch * layer.outputUnits); // g = ∂ℓ/∂h for ℓ = Σ g ⊙ h
  createRandom(23).fillNormal(upstream);
  const loss = (input: Float64Array, w: Float64Array) => dot(directConv(input, w, c, batch), upstream);

  const run = () => {
    const state = conv2dLayer.sample(layer, createRandom(21), backend, createFloat64Scratch());
    const input = uploadMatrix(backend, x, batch, layer.inputUnits);
    const h = conv2dLayer.forward(layer, state, input, backend);
    const forward = Float64Array.from(backend.view(h));
    const e = backend.allocate(layer.outputUnits, batch);
    transposeInto(upstream, backend.view(e), batch, layer.outputUnits);
    const result = conv2dLayer.backward(layer, state, input, e, backend, true);
    const inputGradient = new Float64Array(batch * layer.inputUnits);
    transposeInto(backend.view(result.inputGradient!), inputGradient, layer.inputUnits, batch);
    return { forward, inputGradient, weightGradientSumSquares: result.weightGradientSumSquares };
  };

  it('forward equals the direct convolution', () => {
    const { forward } = run();
    const expected = directConv(x, weights, c, batch);
    expect(forward.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(forward[i]).toBeCloseTo(expected[i], 12);
  });

  it('input gradient equals central finite differences of ℓ = Σ g ⊙ h', () => {
    const { inputGradient } = run();
    const step = 1e-5;
    for (const i of [0, 7, Math.floor(x.length / 2), x.length - 1]) {
      const plus = Float64Array.from(x);
      const minus = Float64Array.from(x);
      plus[i] += step;
      minus[i] -= step;
      const fd = (loss(plus, weights) - loss(minus, weights)) / (2 * step);
      expect(inputGradient[i]).toBeCloseTo(fd, 7);
    }
  });

  it('Σ (∂W)² equals the sum over all weights of squared finite differences', () => {
    const { weightGradientSumSquares } = run();
    const step = 1e-5;
    let expected = 0;
    for (let i = 0; i < weights.length; i++) {
      const plus = Float64Array.from(weights);
      const minus = Float64Array.from(weights);
      plus[i] += step;
      minus[i] -= step;
      const fd = (loss(x, plus) - loss(x, minus)) / (2 * step);
      expected += fd * fd;
    }
    expect(weightGradientSumSquares).toBeCloseTo(expected, 6);
    // The check is sharp: dropping one output channel's contribution would be rejected.
    expect(Math.abs(weightGradientSumSquares - expected * (1 - 1 / c.outChannels))).toBeGreaterThan(1e-3);
  });
});
