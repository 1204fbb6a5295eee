import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { ActivationRef } from '../../src/vocabulary/activation.js';
import { activationNames, describeActivations, resolveActivation } from '../../src/vocabulary/activations/registry.js';

/** Runs `fn`, expects an InputError, returns it. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('resolveActivation', () => {
  it('resolves every built-in name to an activation of that name', () => {
    expect(activationNames).toEqual(['identity', 'tanh', 'sigmoid', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'erf']);
    for (const name of activationNames) {
      expect(resolveActivation(name).name).toBe(name);
      expect(resolveActivation({ name }).name).toBe(name);
    }
  });

  it('applies parameter defaults and given values; labels round-trip', () => {
    expect(resolveActivation('leaky_relu').params).toEqual({ slope: 0.01 });
    expect(resolveActivation('elu').params).toEqual({ alpha: 1 });
    const leaky = resolveActivation({ name: 'leaky_relu', slope: 0.2 });
    expect(leaky.label).toBe('leaky_relu(0.2)');
    expect(leaky.phi(-1)).toBeCloseTo(-0.2, 15);
    expect(resolveActivation(leaky.label).params).toEqual({ slope: 0.2 });
    expect(resolveActivation('elu(0.5)').phi(-100)).toBeCloseTo(-0.5, 15);
  });

  it('builds custom activations from { expression } and from expression strings', () => {
    expect(resolveActivation({ expression: 'x/(1+abs(x))' }).name).toBe('custom');
    expect(resolveActivation('x*tanh(log(1+exp(x)))').name).toBe('custom');
    expect(resolveActivation('x').name).toBe('custom');
  });

  it('rejects an unknown name with the value, the allowed names and a suggestion', () => {
    const error = inputError(() => resolveActivation('tanhh'));
    expect(error.field).toBe('activation');
    expect(error.message).toContain('"tanhh"');
    for (const name of activationNames) expect(error.message).toContain(name);
    expect(error.message).toContain('Did you mean tanh?');
    expect(inputError(() => resolveActivation({ name: 'swish' })).message).toContain('"swish"');
  });

  it('rejects parameters a kind does not take, and bad parameter values', () => {
    expect(inputError(() => resolveActivation({ name: 'tanh', slope: 0.1 })).field).toBe('activation.slope');
    expect(inputError(() => resolveActivation({ name: 'leaky_relu', alpha: 1 })).message).toContain('only slope');
    const nan = inputError(() => resolveActivation({ name: 'leaky_relu', slope: Number.NaN }));
    expect(nan.message).toContain('slope = NaN');
    expect(inputError(() => resolveActivation({ name: 'elu', alpha: -1 })).message).toContain('alpha = -1');
    expect(inputError(() => resolveActivation('tanh(2)')).message).toContain('"tanh(2)"');
    expect(inputError(() => resolveActivation(42 as unknown as ActivationRef)).message).toContain('activation = 42');
    expect(inputError(() => resolveActivation(null as unknown as ActivationRef)).field).toBe('activation');
  });

  it('rejects malformed or unusable expressions with the expression in the message', () => {
    const cases: Array<[string, string]> = [
      ['x +* 2', 'does not parse'],
      ['x + y', 'Unknown symbol "y"'],
      ['max(0, x)', 'max() cannot be differentiated'],
      ['erf(x)', 'erf() cannot be differentiated'],
      ['x > 0 ? x : 0', 'not allowed'],
      ['x > 0', 'operator ">"'],
      ['f(x) = x', 'not allowed'],
      ['[x, 1]', 'not allowed'],
      ['2 + 3', 'does not depend on x'],
      ['log(x)', 'φ(0) is -Infinity'],
      ['sqrt(x)', 'not a real number'],
      ['1/x', 'φ(0) is Infinity'],
      ['x^(1/3)', 'not a real number'],
      ['import(x)', 'cannot be differentiated'],
      ['"x"', 'not a number'],
    ];
    for (const [expression, reason] of cases) {
      const error = inputError(() => resolveActivation(expression));
      expect(error.message, expression).toContain(JSON.stringify(expression));
      expect(error.message, expression).toContain(reason);
    }
    expect(inputError(() => resolveActivation({ expression: 'x + z' })).field).toBe('activation.expression');
    expect(inputError(() => resolveActivation('   ')).field).toBe('activation');
  });

  it('takes an error field name from the caller', () => {
    expect(inputError(() => resolveActivation('tanhh', 'layers[2].activation')).field).toBe('layers[2].activation');
  });
});

describe('describeActivations', () => {
  it('lists every name with its parameters, and the custom form', () => {
    const text = describeActivations();
    for (const name of activationNames) expect(text).toContain(name);
    expect(text).toContain('leaky_relu(slope=0.01)');
    expect(text).toContain('elu(alpha=1)');
    expect(text).toContain('x/(1+abs(x))');
  });
});
