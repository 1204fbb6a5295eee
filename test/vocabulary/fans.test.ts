import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { computeFans } from '../../src/vocabulary/fans.js';

describe('computeFans', () => {
  it('pins the torch conv weight (64, 3, 3, 3): fan_in 27, fan_out 576', () => {
    const fans = computeFans([64, 3, 3, 3]);
    expect(fans).toMatchObject({ fanIn: 27, fanOut: 576, receptiveField: 9, frameworkFanIn: 27, frameworkFanOut: 576 });
    expect(fans.notes).toEqual([]);
  });

  it('reads dense weights in both layouts: torch (out, in), keras (in, out)', () => {
    expect(computeFans([256, 784])).toMatchObject({ fanIn: 784, fanOut: 256, receptiveField: 1 });
    expect(computeFans([784, 256], { layout: 'keras' })).toMatchObject({ fanIn: 784, fanOut: 256, receptiveField: 1 });
  });

  it('gives the same fans for the same weight in torch and keras layouts (1d, 2d, 3d; grouped; transposed)', () => {
    const cases: Array<{ torch: number[]; keras: number[]; groups?: number; transposed?: boolean }> = [
      { torch: [64, 3, 3, 3], keras: [3, 3, 3, 64] },
      { torch: [16, 8, 5], keras: [5, 8, 16] },
      { torch: [32, 4, 3, 3, 3], keras: [3, 3, 3, 4, 32] },
      { torch: [64, 8, 3, 3], keras: [3, 3, 8, 64], groups: 4 },
      { torch: [32, 16, 3, 3], keras: [3, 3, 16, 32], transposed: true, groups: 2 },
    ];
    for (const { torch, keras, groups, transposed } of cases) {
      const a = computeFans(torch, { layout: 'torch', groups, transposed });
      const b = computeFans(keras, { layout: 'keras', groups, transposed });
      for (const key of ['fanIn', 'fanOut', 'receptiveField', 'frameworkFanIn', 'frameworkFanOut', 'inChannels', 'outChannels'] as const) {
        expect(b[key], `${torch} ${key}`).toBe(a[key]);
      }
    }
  });

  it('grouped conv (64, 8, 3, 3), groups 4: true fan_out 144, frameworks report 576, with a note', () => {
    const fans = computeFans([64, 8, 3, 3], { groups: 4 });
    expect(fans).toMatchObject({ inChannels: 32, outChannels: 64, fanIn: 72, fanOut: 144, frameworkFanIn: 72, frameworkFanOut: 576 });
    expect(fans.notes.join(' ')).toMatch(/4× the true fan_out/);
  });

  it('depthwise conv (32, 1, 3, 3), groups 32: fan_in = fan_out = 9', () => {
    expect(computeFans([32, 1, 3, 3], { groups: 32 })).toMatchObject({ fanIn: 9, fanOut: 9, frameworkFanOut: 288 });
  });

  it('transposed conv: torch weight (in 16, out 8, 4, 4): true fan_in 256, fan_out 128; framework swaps them', () => {
    const fans = computeFans([16, 8, 4, 4], { transposed: true });
    expect(fans).toMatchObject({ inChannels: 16, outChannels: 8, fanIn: 256, fanOut: 128, frameworkFanIn: 128, frameworkFanOut: 256 });
    expect(fans.notes[0]).toMatch(/swapped/);
  });

  it('rejects shapes no layer has, naming the field and value', () => {
    const cases: Array<[unknown[], Parameters<typeof computeFans>[1], string]> = [
      [[64], {}, 'shape'],
      [[], {}, 'shape'],
      [[64, 0, 3], {}, 'shape[1]'],
      [[64, -3, 3], {}, 'shape[1]'],
      [[64, 2.5, 3], {}, 'shape[1]'],
      [[64, 3, Number.NaN], {}, 'shape[2]'],
      [[64, 3, 3, 3], { groups: 5 }, 'groups'],
      [[64, 3, 3, 3], { groups: 0 }, 'groups'],
      [[64, 3], { groups: 2 }, 'groups'],
      [[64, 3, 3], { layout: 'jax' as never }, 'layout'],
    ];
    for (const [shape, options, field] of cases) {
      let error: unknown;
      try {
        computeFans(shape as number[], options);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(shape)).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe(field);
      expect((error as InputError).message).toMatch(/is not allowed: expected/);
    }
  });
});
