/**
 * The parametrization tables: the three μP formulations (Tensor Programs V Table 3, the mup 1.0.0
 * package's, Tensor Programs IV's) train the same effective weights, SP and NTK do not, and a
 * parametrization named wrongly is refused in one line.
 */
import { describe, expect, it } from 'vitest';
import {
  effectiveExponents,
  maximalUpdateParametrization,
  mupFormulations,
  ntkParametrization,
  OPTIMIZERS,
  resolveOptimizer,
  resolveParametrization,
  standardParametrization,
  WEIGHT_ROLES,
  type AbcExponents,
} from '../../src/vocabulary/parametrizations.js';

describe('parametrizations as abc tables', () => {
  it('μP as Table 3 of Tensor Programs V: init 1/fan_in, 1/fan_in² (output); SGD lr fan_out, 1, 1/fan_in; Adam lr 1, 1/fan_in, 1/fan_in', () => {
    const table = (role: 'input' | 'hidden' | 'output', optimizer: 'sgd' | 'adam') => effectiveExponents(maximalUpdateParametrization.roles[role], optimizer);
    // As powers of the width n (the input's fan-in and the output's fan-out are fixed).
    expect(table('input', 'sgd')).toEqual({ initVariance: 0, learningRate: 1 });
    expect(table('hidden', 'sgd')).toEqual({ initVariance: -1, learningRate: 0 });
    expect(table('output', 'sgd')).toEqual({ initVariance: -2, learningRate: -1 });
    expect(table('input', 'adam').learningRate).toBe(0);
    expect(table('hidden', 'adam').learningRate).toBe(-1);
    expect(table('output', 'adam').learningRate).toBe(-1);
  });

  it('the three μP formulations have the same effective exponents for SGD and Adam', () => {
    for (const formulation of mupFormulations) {
      for (const role of WEIGHT_ROLES) {
        for (const optimizer of OPTIMIZERS) {
          expect(effectiveExponents(formulation.roles[role], optimizer), `${formulation.name} ${role} ${optimizer}`).toEqual(
            effectiveExponents(maximalUpdateParametrization.roles[role], optimizer),
          );
        }
      }
    }
  });

  it('the abc symmetry: (a + θ, b − θ, c − 2θ) is the same SGD training, (a + θ, b − θ, c − θ) the same Adam training', () => {
    const exponents: AbcExponents = { a: 0.25, b: 0.5, c: { sgd: 0.5, adam: 1 } };
    for (const theta of [-1, -0.5, 0.3, 2]) {
      const shifted: AbcExponents = { a: exponents.a + theta, b: exponents.b - theta, c: { sgd: exponents.c.sgd - 2 * theta, adam: exponents.c.adam - theta } };
      for (const optimizer of OPTIMIZERS) expect(effectiveExponents(shifted, optimizer)).toEqual(effectiveExponents(exponents, optimizer));
    }
  });

  it('SP and NTK initialize alike (Var[W] ∝ 1/n in hidden and output layers) and differ in the learning rate they imply', () => {
    for (const role of WEIGHT_ROLES) {
      expect(effectiveExponents(standardParametrization.roles[role], 'sgd').initVariance).toBe(effectiveExponents(ntkParametrization.roles[role], 'sgd').initVariance);
    }
    expect(effectiveExponents(standardParametrization.roles.hidden, 'sgd').learningRate).toBe(0);
    expect(effectiveExponents(ntkParametrization.roles.hidden, 'sgd').learningRate).toBe(-1);
  });

  it('a deliberately wrong table is told apart: μP with SP\'s output init is not μP', () => {
    const wrong = { ...maximalUpdateParametrization.roles.output, b: 1 / 2 };
    expect(effectiveExponents(wrong, 'sgd')).not.toEqual(effectiveExponents(maximalUpdateParametrization.roles.output, 'sgd'));
  });

  it('names: sp, ntk, mup; sgd, adam; anything else in one line', () => {
    expect(resolveParametrization('mup', '--param')).toBe(maximalUpdateParametrization);
    expect(() => resolveParametrization('mup-package', '--param')).toThrow('--param = "mup-package" is not allowed: expected one of sp, ntk, mup');
    expect(() => resolveParametrization('toString', '--param')).toThrow('expected one of sp, ntk, mup');
    expect(resolveOptimizer('adam', '--optimizer')).toBe('adam');
    expect(() => resolveOptimizer('lion', '--optimizer')).toThrow('--optimizer = "lion" is not allowed: expected one of sgd, adam');
  });
});
