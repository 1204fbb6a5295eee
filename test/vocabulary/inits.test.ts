import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import type { InitRef, ResolvedInit } from '../../src/vocabulary/init.js';
import { checkInitConsistency } from '../../src/vocabulary/inits/consistency.js';
import { calculatePytorchGain, pytorchGainNonlinearities } from '../../src/vocabulary/inits/he.js';
import { describeInits, initNames, resolveInit } from '../../src/vocabulary/inits/registry.js';
import katex from 'katex';

describe('pinned values', () => {
  it('Xavier uniform (784, 256): std 0.0438529, bound 0.0759555', () => {
    const init = resolveInit('xavier_uniform', 784, 256);
    expect(init.distribution.name).toBe('uniform');
    expect(init.distribution.params.bound).toBeCloseTo(0.0759555, 7);
    expect(Math.sqrt(init.variance)).toBeCloseTo(0.0438529, 7);
    expect(init.varianceExpression).toBe('2/(n_in+n_out)');
  });

  it('Xavier normal (784, 256): N(0, 0.0438529²); glorot_normal is an alias', () => {
    const init = resolveInit('glorot_normal', 784, 256);
    expect(init.name).toBe('xavier_normal');
    expect(init.distribution.params.std).toBeCloseTo(0.0438529, 7);
  });

  it('He normal at fan_in 784: std √(2/784) = 0.0505076; fan_out mode uses n_out', () => {
    expect(resolveInit('kaiming_normal', 784, 256).distribution.params.std).toBeCloseTo(0.0505076, 7);
    expect(resolveInit({ name: 'he_normal', mode: 'fan_out', nonlinearity: 'relu' }, 784, 256).variance).toBeCloseTo(2 / 256, 15);
  });

  it('PyTorch default: kaiming_uniform(a=√5) gives bound exactly 1/√fan_in, variance 1/(3·fan_in), as "standard"', () => {
    const init = resolveInit('pytorch_default', 784, 256);
    expect(init.distribution.params.bound).toBeCloseTo(1 / 28, 15);
    expect(init.variance).toBeCloseTo(1 / (3 * 784), 17);
    expect(resolveInit('standard', 784, 256).distribution.params.bound).toBe(1 / 28);
  });

  it('Keras VarianceScaling truncated_normal: pre-truncation σ = √(scale/n)/0.8796…, actual variance scale/n', () => {
    const init = resolveInit({ name: 'variance_scaling', scale: 2, mode: 'fan_avg' }, 300, 100);
    expect(init.distribution.name).toBe('truncated_normal');
    expect(init.distribution.params.std).toBeCloseTo(Math.sqrt(2 / 200) / 0.87962566103423978, 15);
    expect(init.distribution.variance).toBeCloseTo(0.01, 16);
    // 'normal' is Keras' legacy spelling of truncated_normal.
    expect(resolveInit({ name: 'variance_scaling', distribution: 'normal' }, 10, 10).distribution.name).toBe('truncated_normal');
    expect(resolveInit({ name: 'variance_scaling', distribution: 'untruncated_normal' }, 10, 10).distribution.name).toBe('normal');
    expect(resolveInit({ name: 'variance_scaling', distribution: 'uniform' }, 12, 10).distribution.params.bound).toBeCloseTo(0.5, 15);
  });

  it('LeCun: Var = 1/n_in, normal truncated as Keras, uniform limit √(3/n_in)', () => {
    expect(resolveInit('lecun_normal', 100, 7).distribution.name).toBe('truncated_normal');
    expect(resolveInit('lecun_uniform', 300, 7).distribution.params.bound).toBeCloseTo(0.1, 15);
  });

  it('calculate_gain as torch/nn/init.py: linear/conv/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1+0.01²)), selu 3/4', () => {
    expect(calculatePytorchGain('linear').value).toBe(1);
    expect(calculatePytorchGain('conv2d').value).toBe(1);
    expect(calculatePytorchGain('sigmoid').value).toBe(1);
    expect(calculatePytorchGain('tanh').value).toBeCloseTo(5 / 3, 15);
    expect(calculatePytorchGain('relu').value).toBe(Math.SQRT2);
    expect(calculatePytorchGain('leaky_relu').value).toBeCloseTo(1.4141428569978354, 15);
    expect(calculatePytorchGain('leaky_relu', 0.2).value).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculatePytorchGain('selu').value).toBe(0.75);
  });

  it('orthogonal: gain²/max(n_in, n_out); constant: 0', () => {
    expect(resolveInit({ name: 'orthogonal', gain: 2 }, 50, 200).variance).toBe(4 / 200);
    expect(resolveInit({ name: 'constant', value: 0.5 }, 50, 200).distribution.mean).toBe(0.5);
  });
});

/** Every preset with arbitrary valid options. */
const initRefArbitrary: fc.Arbitrary<InitRef> = fc.oneof(
  fc.constantFrom(...initNames, 'glorot_uniform', 'kaiming_uniform', 'torch_default', 'zeros'),
  fc.record({ name: fc.constantFrom('xavier_normal', 'xavier_uniform', 'orthogonal'), gain: fc.double({ min: 0.05, max: 4, noNaN: true }) }),
  fc.record({
    name: fc.constantFrom('he_normal', 'he_uniform'),
    a: fc.double({ min: -0.9, max: 3, noNaN: true }),
    mode: fc.constantFrom('fan_in' as const, 'fan_out' as const),
    nonlinearity: fc.constantFrom(...pytorchGainNonlinearities),
  }),
  fc.record({
    name: fc.constant('variance_scaling'),
    scale: fc.double({ min: 0.01, max: 10, noNaN: true }),
    mode: fc.constantFrom('fan_in' as const, 'fan_out' as const, 'fan_avg' as const),
    distribution: fc.constantFrom('truncated_normal' as const, 'untruncated_normal' as const, 'normal' as const, 'uniform' as const),
  }),
  fc.record({ name: fc.constant('constant'), value: fc.double({ min: -2, max: 2, noNaN: true }) }),
);
const fan = fc.integer({ min: 1, max: 4096 });

describe('variance: number = formula in n_in, n_out (mathjs) = law of the weights', () => {
  it('holds for every preset and option over random fans 1..4096 (fast-check, 600 runs)', () => {
    fc.assert(
      fc.property(initRefArbitrary, fan, fan, (ref, fanIn, fanOut) => {
        const init = resolveInit(ref, fanIn, fanOut);
        const check = checkInitConsistency(init, fanIn, fanOut);
        expect(check.consistent, `${init.label} at (${fanIn}, ${fanOut}): ${JSON.stringify(check)}`).toBe(true);
        expect(init.variance).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 600, seed: 20240601 },
    );
  });

  it('covers every preset name', () => {
    for (const name of initNames) {
      const init = resolveInit(name, 30, 40);
      expect(checkInitConsistency(init, 30, 40).consistent, name).toBe(true);
    }
  });

  it('detects a deliberately wrong formula, a wrong number and a wrong law with the same comparison', () => {
    const right = resolveInit('xavier_uniform', 784, 256);
    const wrongFormula: ResolvedInit = { ...right, varianceExpression: '1/(n_in+n_out)' };
    const wrongNumber: ResolvedInit = { ...right, variance: right.variance * 3 };
    const he = resolveInit('he_uniform', 784, 256);
    const wrongLaw: ResolvedInit = { ...he, varianceExpression: '2/n_out' };
    expect(checkInitConsistency(right, 784, 256).consistent).toBe(true);
    for (const wrong of [wrongFormula, wrongNumber, wrongLaw]) {
      expect(checkInitConsistency(wrong, 784, 256).consistent).toBe(false);
    }
    expect(checkInitConsistency(wrongFormula, 784, 256).discrepancy).toBeCloseTo(0.5, 12);
  });

  it('every varianceLatex renders with KaTeX (throwOnError)', () => {
    fc.assert(
      fc.property(initRefArbitrary, (ref) => {
        const init = resolveInit(ref, 64, 32);
        expect(() => katex.renderToString(init.varianceLatex, { throwOnError: true })).not.toThrow();
        expect(() => katex.renderToString(init.distribution.latex, { throwOnError: true })).not.toThrow();
        expect(() => katex.renderToString(init.distribution.varianceLatex, { throwOnError: true })).not.toThrow();
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe('errors', () => {
  function fieldOf(run: () => unknown): string {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).field;
    }
    throw new Error('expected an InputError');
  }

  it('names the field, the bad value and what is allowed', () => {
    expect(() => resolveInit('xavier', 10, 10)).toThrow(/^init = "xavier" is not allowed: expected one of xavier_uniform, xavier_normal/);
    expect(fieldOf(() => resolveInit({ name: 'he_normal', mode: 'fan_avg' }, 10, 10))).toBe('init.mode');
    expect(() => resolveInit({ name: 'he_normal', mode: 'fan_avg' }, 10, 10)).toThrow(/"fan_avg".*one of fan_in, fan_out/);
    expect(fieldOf(() => resolveInit({ name: 'he_normal', nonlinearity: 'swish' }, 10, 10))).toBe('init.nonlinearity');
    expect(fieldOf(() => resolveInit({ name: 'xavier_uniform', gain: -1 }, 10, 10))).toBe('init.gain');
    expect(fieldOf(() => resolveInit({ name: 'xavier_uniform', gain: Number.NaN }, 10, 10))).toBe('init.gain');
    expect(fieldOf(() => resolveInit({ name: 'variance_scaling', scale: 0 }, 10, 10))).toBe('init.scale');
    expect(fieldOf(() => resolveInit({ name: 'xavier_uniform', mode: 'fan_in' }, 10, 10))).toBe('init.mode');
    expect(() => resolveInit({ name: 'xavier_uniform', mode: 'fan_in' }, 10, 10)).toThrow(/an option of xavier_uniform \(name, gain\)/);
    expect(fieldOf(() => resolveInit({ name: 42 } as never, 10, 10))).toBe('init.name');
    expect(fieldOf(() => resolveInit('xavier_uniform', 0, 10))).toBe('fanIn');
    expect(fieldOf(() => resolveInit('xavier_uniform', 10, Number.NaN))).toBe('fanOut');
    expect(fieldOf(() => resolveInit('xavier_uniform', 10.5, 10))).toBe('fanIn');
    expect(fieldOf(() => resolveInit({ name: 'he_normal', mode: 'fan_avg' }, 10, 10, 'layers[2].init'))).toBe('layers[2].init.mode');
  });

  it('describes every preset with its aliases and options', () => {
    const described = describeInits();
    expect(described.map((d) => d.name)).toEqual([...initNames]);
    expect(described.find((d) => d.name === 'he_normal')).toMatchObject({ aliases: ['kaiming_normal'], options: ['a', 'mode', 'nonlinearity'] });
  });
});
