/**
 * Random weight shapes: the fans computed from the PyTorch layout and from the Keras/JAX layout of
 * the same weight agree (true fans, framework fans, channels, kernel), for dense, convolution,
 * grouped and transposed weights of rank 2–5.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFans } from '../../src/vocabulary/fans.js';

/** A weight as its parts: channels (multiples of groups), kernel, groups, transposed. */
const weight = fc
  .record({
    groups: fc.integer({ min: 1, max: 8 }),
    inPerGroup: fc.integer({ min: 1, max: 64 }),
    outPerGroup: fc.integer({ min: 1, max: 64 }),
    kernel: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 0, maxLength: 3 }),
    transposed: fc.boolean(),
  })
  .map((w) => (w.kernel.length === 0 ? { ...w, groups: 1, transposed: false } : w));
type WeightShape = typeof weight extends fc.Arbitrary<infer W> ? W : never;

/** PyTorch: Conv (out, in/g, *k), ConvTranspose (in, out/g, *k), Linear (out, in). */
function torchShape(w: WeightShape): number[] {
  const inC = w.inPerGroup * w.groups;
  const outC = w.outPerGroup * w.groups;
  return w.transposed ? [inC, w.outPerGroup, ...w.kernel] : [outC, w.inPerGroup, ...w.kernel];
}

/** Keras/JAX: Conv (*k, in/g, out), ConvTranspose (*k, out/g, in), Dense (in, out). */
function kerasShape(w: WeightShape): number[] {
  const inC = w.inPerGroup * w.groups;
  const outC = w.outPerGroup * w.groups;
  return w.transposed ? [...w.kernel, w.outPerGroup, inC] : [...w.kernel, w.inPerGroup, outC];
}

describe('fans from torch and keras layouts of the same weight', () => {
  it('agree on true fans, framework fans, channels and kernel (500 weights)', () => {
    fc.assert(
      fc.property(weight, (w) => {
        const options = { groups: w.groups, transposed: w.transposed };
        const torch = computeFans(torchShape(w), { ...options, layout: 'torch' });
        const keras = computeFans(kerasShape(w), { ...options, layout: 'keras' });
        const rf = w.kernel.reduce((a: number, b: number) => a * b, 1);
        for (const key of ['fanIn', 'fanOut', 'receptiveField', 'frameworkFanIn', 'frameworkFanOut', 'inChannels', 'outChannels', 'groups'] as const) {
          expect(keras[key], key).toBe(torch[key]);
        }
        expect(keras.kernel).toEqual(torch.kernel);
        // The true fans are what each unit sums over / feeds, whatever the layout.
        expect(torch.fanIn).toBe(w.inPerGroup * rf);
        expect(torch.fanOut).toBe(w.outPerGroup * rf);
      }),
      { seed: 20240605, numRuns: 500 },
    );
  });

  it('disagree when a layout is misread (the property is not vacuous)', () => {
    // A conv weight read with the wrong layout puts the kernel where the channels are.
    const torch = computeFans([64, 3, 5, 5], { layout: 'torch' });
    const misread = computeFans([64, 3, 5, 5], { layout: 'keras' });
    expect(misread.fanIn).not.toBe(torch.fanIn);
  });
});
