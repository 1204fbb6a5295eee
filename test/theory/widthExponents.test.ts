/**
 * Exponents derived from the abc tables (src/theory/widthExponents.ts) against what Tensor
 * Programs IV/V and the mup README state: μP keeps every pre-activation and its one-step update
 * Θ(1) except the output at init (n^{−1/2}); SP's updates grow (SGD: √n hidden, n output; Adam: n
 * hidden); NTK's hidden updates vanish like n^{−1/2} (the kernel regime); every parametrization is
 * stable at init in the hidden layers; the predictions do not change under the abc symmetry.
 */
import { describe, expect, it } from 'vitest';
import { mlpRoles, predictWidthExponents } from '../../src/theory/widthExponents.js';
import { mupFormulations, ntkParametrization, standardParametrization, maximalUpdateParametrization, type Parametrization } from '../../src/vocabulary/parametrizations.js';

const roles = mlpRoles(4);
const updates = (p: Parametrization, optimizer: 'sgd' | 'adam') => predictWidthExponents(p, optimizer, roles).map((l) => l.update);
const activations = (p: Parametrization) => predictWidthExponents(p, 'sgd', roles).map((l) => l.activation);

describe('width exponents from the abc table', () => {
  it('μP: every update Θ(1), for SGD and Adam, in every formulation; the output is n^(−1/2) at init', () => {
    for (const formulation of mupFormulations) {
      for (const optimizer of ['sgd', 'adam'] as const) expect(updates(formulation, optimizer)).toEqual([0, 0, 0, 0]);
      expect(activations(formulation)).toEqual([0, 0, 0, -0.5]);
    }
  });

  it('SP: SGD updates n^(−1/2) (input), √n (hidden), n (output); Adam n in hidden layers and n^(3/2) at the output', () => {
    expect(updates(standardParametrization, 'sgd')).toEqual([-0.5, 0.5, 0.5, 1]);
    expect(updates(standardParametrization, 'adam')).toEqual([0, 1, 1, 1.5]);
  });

  it('NTK: SGD hidden updates n^(−1/2), output Θ(1) (the kernel regime, TP4 r = 1/2)', () => {
    expect(updates(ntkParametrization, 'sgd')).toEqual([-0.5, -0.5, -0.5, 0]);
  });

  it('stable at init: SP, NTK and μP keep hidden pre-activations Θ(1)', () => {
    for (const p of [standardParametrization, ntkParametrization, maximalUpdateParametrization]) expect(activations(p).slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('a wrong table gives a different prediction: μP with SP\'s output init (1/fan_in) makes the output Θ(1) at init and every update grow like √n', () => {
    const wrong: Parametrization = { ...maximalUpdateParametrization, roles: { ...maximalUpdateParametrization.roles, output: { ...maximalUpdateParametrization.roles.output, b: 1 / 2 } } };
    expect(activations(wrong)[3]).toBe(0);
    expect(updates(wrong, 'sgd')).toEqual([0.5, 0.5, 0.5, 1]);
  });

  it('an MLP has input and output layers', () => {
    expect(mlpRoles(2)).toEqual(['input', 'output']);
    expect(() => mlpRoles(1)).toThrow('at least 2 weight layers');
  });
});
