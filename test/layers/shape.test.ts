/**
 * Shape and prediction faces of the built-in kinds: conv2d resolves its fans, units and spatial
 * sizes itself, resolveNetwork only chains the kinds, and the predictions ask the kind for its
 * factors.
 */
import { describe, expect, it } from 'vitest';
import { conv2dKind } from '../../src/layers/conv2d.js';
import { denseKind } from '../../src/layers/dense.js';
import { builtInLayerKinds, numericLayerKinds } from '../../src/layers/registry.js';
import { backwardFanFactor, positionsPerWeight, predictNetwork } from '../../src/symbolic/predict.js';
import { resolveInit } from '../../src/vocabulary/inits/registry.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { inputErrorOf } from './inputError.js';


describe('conv2d shape face', () => {
  it('resolves (C_in/G)·k_h·k_w fans, C·H·W units and the shrunk image', () => {
    const shape = conv2dKind.shape.resolve({ position: 0, at: 'layers[0]', override: { kernelSize: 3 }, input: { width: 3, spatial: [8, 8] }, outWidth: 8 });
    expect(shape).toEqual({
      fanIn: 27,
      fanOut: 72,
      inputUnits: 3 * 64,
      outputUnits: 8 * 36,
      conv: { inChannels: 3, outChannels: 8, kernel: [3, 3], groups: 1, inputSize: [8, 8], outputSize: [6, 6] },
      output: { width: 8, spatial: [6, 6], units: 288 },
    });
    const grouped = conv2dKind.shape.resolve({ position: 1, at: 'layers[1]', override: { kernelSize: [3, 5], groups: 8 }, input: shape.output, outWidth: 16 });
    expect(grouped).toMatchObject({ fanIn: 1 * 15, fanOut: 2 * 15, inputUnits: 288, outputUnits: 16 * 4 * 2, output: { spatial: [4, 2] } });
  });

  it('rejects what it cannot resolve, naming the field', () => {
    const afterDense = inputErrorOf(() => conv2dKind.shape.resolve({ position: 1, at: 'layers[1]', override: { kernelSize: 3 }, input: { width: 4, spatial: null, units: 4 }, outWidth: 4 }));
    expect(afterDense.field).toBe('layers[1].kind');
    const groups = inputErrorOf(() => conv2dKind.shape.resolve({ position: 0, at: 'layers[0]', override: { kernelSize: 3, groups: 4 }, input: { width: 6, spatial: [8, 8] }, outWidth: 8 }));
    expect(groups.field).toBe('layers[0].groups');
    expect(inputErrorOf(() => conv2dKind.shape.checkOverride({}, 'layers[2]')).field).toBe('layers[2].kernelSize');
    expect(inputErrorOf(() => conv2dKind.shape.checkOverride({ kernelSize: 3, groups: 0 }, 'layers[0]')).field).toBe('layers[0].groups');
    const orthogonal = resolveInit('orthogonal', 27, 72, 'init');
    expect(inputErrorOf(() => conv2dKind.shape.checkInit?.(orthogonal, 'orthogonal', 'init')).field).toBe('init');
  });

  it('dense flattens what a conv produced', () => {
    const shape = denseKind.shape.resolve({ position: 1, at: 'layers[1]', override: {}, input: { width: 8, spatial: [6, 6], units: 288 }, outWidth: 10 });
    expect(shape).toEqual({ fanIn: 288, fanOut: 10, inputUnits: 288, outputUnits: 10, output: { width: 10, spatial: null, units: 10 } });
    // The network input of a dense-first network is a vector of widths[0], whatever inputSize says.
    expect(denseKind.shape.resolve({ position: 0, at: 'layers[0]', override: {}, input: { width: 5, spatial: [8, 8] }, outWidth: 3 }).fanIn).toBe(5);
  });

  it('resolveNetwork is the chain of the kinds’ resolutions', () => {
    const network = resolveNetwork({ widths: [3, 8, 16, 10], layers: [{ kind: 'conv2d', kernelSize: 3 }, { kind: 'conv2d', kernelSize: [3, 5], groups: 8 }] });
    let input = { width: 3, spatial: [8, 8] as [number, number] | null, units: undefined as number | undefined };
    network.layers.forEach((layer, i) => {
      const override = network.spec.layers?.[i] ?? {};
      const shape = builtInLayerKinds[layer.kind].shape.resolve({ position: i, at: `layers[${i}]`, override, input: { ...input, width: network.spec.widths[i] }, outWidth: network.spec.widths[i + 1] });
      expect(layer).toMatchObject({ fanIn: shape.fanIn, fanOut: shape.fanOut, inputUnits: shape.inputUnits, outputUnits: shape.outputUnits });
      expect(layer.conv).toEqual(shape.conv);
      input = { ...shape.output, units: shape.output.units };
    });
  });

  it('the numeric table is the numeric faces of the one table', () => {
    expect(numericLayerKinds.conv2d).toBe(conv2dKind.numeric);
    expect(numericLayerKinds.dense).toBe(denseKind.numeric);
  });
});

describe('prediction factors come from the kind', () => {
  const network = resolveNetwork({ widths: [3, 8, 10], init: 'he_normal', layers: [{ kind: 'conv2d', kernelSize: 3 }] });
  const [conv, dense] = network.layers;

  it('conv: a kernel entry sums the 36 output positions; backward, the average fan of its inputs', () => {
    expect(positionsPerWeight(conv)).toBe(36);
    expect(positionsPerWeight(dense)).toBe(1);
    // Var[w]·fanIn·units_out/units_in = Var[w]·27·288/192.
    expect(backwardFanFactor(conv)).toBeCloseTo(conv.init.variance * 27 * 1.5, 14);
    expect(backwardFanFactor(dense)).toBeCloseTo(dense.init.variance * 10, 14);
  });

  it('predictNetwork asks the table it is given: a conv kind claiming one term per weight changes only the weight gradient, by 36', () => {
    const unshared = { ...builtInLayerKinds, conv2d: { ...conv2dKind, predict: { ...conv2dKind.predict, positionsPerWeight: () => 1 } } };
    const reference = predictNetwork(network);
    const altered = predictNetwork(network, unshared);
    expect(altered.layers[0].forward).toEqual(reference.layers[0].forward);
    expect(altered.layers[0].backward).toEqual(reference.layers[0].backward);
    expect(reference.layers[0].weightGradient.meanField / altered.layers[0].weightGradient.meanField).toBeCloseTo(36, 12);
    expect(altered.layers[1]).toEqual(reference.layers[1]);
  });
});
