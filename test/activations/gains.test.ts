import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { InputError } from '../../src/errors.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { computeGains } from '../../src/vocabulary/gains.js';

describe('computeGains', () => {
  it('tanh: forward 1.59253742 vs PyTorch 5/3, with an explanation', () => {
    const gains = computeGains(resolveActivation('tanh'));
    expect(gains.activation).toBe('tanh');
    expect(gains.q).toBe(1);
    expect(gains.forwardGain).toBeCloseTo(1.59253742, 8);
    expect(gains.backwardGain).toBeCloseTo(1 / Math.sqrt(0.4644029024), 8);
    expect(gains.centeredGain).toBeCloseTo(gains.forwardGain, 14); // mean 0
    expect(gains.pytorchGain).toBe(5 / 3);
    expect(gains.closedForm).toBe(false);
    expect(gains.explanation).toContain('5/3');
    expect(gains.explanation).toContain('1.5925');
  });

  it("PyTorch's calculate_gain values (torch/nn/init.py)", () => {
    const pytorch = (ref: Parameters<typeof resolveActivation>[0]) => computeGains(resolveActivation(ref)).pytorchGain;
    expect(pytorch('identity')).toBe(1);
    expect(pytorch('sigmoid')).toBe(1);
    expect(pytorch('tanh')).toBe(5 / 3);
    expect(pytorch('relu')).toBe(Math.SQRT2);
    expect(pytorch('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(pytorch({ name: 'leaky_relu', slope: 0.2 })).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(pytorch('selu')).toBe(0.75);
    for (const name of ['elu', 'gelu', 'silu', 'softplus', 'erf', 'x/(1+abs(x))']) expect(pytorch(name)).toBeNull();
  });

  it('explains exactly where PyTorch differs from the variance-preserving gain', () => {
    for (const name of ['identity', 'relu', 'leaky_relu', 'gelu']) expect(computeGains(resolveActivation(name)).explanation).toBeNull();
    for (const name of ['tanh', 'sigmoid', 'selu']) expect(computeGains(resolveActivation(name)).explanation).toMatch(/PyTorch/);
    expect(computeGains(resolveActivation('selu')).explanation).toContain('empirically');
  });

  it('relu keeps √2 at every q (homogeneity); sigmoid centred gain uses its variance', () => {
    for (const q of [0.01, 4, 25]) {
      const relu = computeGains(resolveActivation('relu'), q);
      expect(relu.forwardGain).toBeCloseTo(Math.SQRT2, 13);
      expect(relu.backwardGain).toBeCloseTo(Math.SQRT2, 13);
      expect(relu.centeredGain).toBeCloseTo(Math.sqrt(1 / (0.5 - 1 / (2 * Math.PI))), 12);
    }
    const sigmoid = computeGains(resolveActivation('sigmoid'));
    expect(sigmoid.forwardGain).toBeCloseTo(1.84622855, 8);
    expect(sigmoid.centeredGain).toBeCloseTo(1 / Math.sqrt(0.2933790359 - 0.25), 8);
    expect(computeGains(resolveActivation('selu')).forwardGain).toBeCloseTo(1, 12);
  });

  it('rejects bad q with the value in the message', () => {
    for (const q of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => computeGains(resolveActivation('tanh'), q)).toThrow(InputError);
    }
    expect(() => computeGains(resolveActivation('tanh'), -1)).toThrow('q = -1');
  });
});

describe('varprop gain (in-process)', () => {
  it('--json prints the contract fields', async () => {
    const io = memoryIO();
    expect(await main(['gain', 'tanh', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out) as Record<string, unknown>;
    for (const field of ['activation', 'mean', 'secondMoment', 'derivativeSecondMoment', 'forwardGain', 'backwardGain', 'centeredGain']) {
      expect(report).toHaveProperty(field);
    }
    expect(report.activation).toBe('tanh');
    expect(report.secondMoment as number).toBeCloseTo(0.3942944904, 10);
    expect(report.forwardGain as number).toBeCloseTo(1.59253742, 8);
    expect(report.pytorchGain).toBe(5 / 3);
    expect(report.closedForm).toBe(false);
    expect(typeof report.mean).toBe('number');
  });

  it('--json pytorchGain is null where PyTorch has none; --slope, --alpha and --q are applied', async () => {
    const gelu = memoryIO();
    await main(['gain', 'gelu', '--json'], gelu);
    expect(JSON.parse(gelu.out)).toMatchObject({ activation: 'gelu', pytorchGain: null, closedForm: true });
    const leaky = memoryIO();
    await main(['gain', 'leaky_relu', '--slope', '-0.2', '--json'], leaky);
    expect(JSON.parse(leaky.out).pytorchGain).toBeCloseTo(Math.sqrt(2 / 1.04), 14);
    const elu = memoryIO();
    await main(['gain', 'elu', '--alpha', '2', '--q', '4', '--json'], elu);
    expect(JSON.parse(elu.out)).toMatchObject({ activation: 'elu(2)', q: 4 });
  });

  it('accepts a custom expression', async () => {
    const io = memoryIO();
    expect(await main(['gain', 'x/(1+abs(x))', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ activation: 'x/(1+abs(x))', pytorchGain: null, closedForm: false });
  });

  it('prints a readable table with the explanation line', async () => {
    const io = memoryIO();
    expect(await main(['gain', 'tanh'], io)).toBe(0);
    expect(io.out).toMatch(/forward gain\s+1\.59253742/);
    expect(io.out).toMatch(/PyTorch gain\s+1\.666666667/);
    expect(io.out).toContain('1.5925.');
  });

  it('bad input: one line naming the value, exit 2', async () => {
    for (const [argv, value] of [
      [['gain', 'relu', '--q', '0'], '"0"'],
      [['gain', 'relu', '--q', '-2'], '"-2"'],
      [['gain', 'relu', '--q', 'NaN'], '"NaN"'],
      [['gain', 'relu', '--q', 'abc'], '"abc"'],
      [['gain', 'tanhh'], '"tanhh"'],
      [['gain', 'x +* 2'], '"x +* 2"'],
      [['gain', 'leaky_relu', '--slope', 'steep'], '"steep"'],
    ] as const) {
      const io = memoryIO();
      expect(await main([...argv], io), argv.join(' ')).toBe(2);
      expect(io.err).toContain(value);
      expect(io.err.trim().split('\n')).toHaveLength(1);
      expect(io.out).toBe('');
    }
  });
});
