/** `toBeNearIsometric`: linear orthogonal chains are isometric, relu and Gaussian ones are not, and a false claim fails. */
import { describe, expect, it } from 'vitest';
import '../../src/testing/index.js';
import { checkNearIsometry } from '../../src/testing/jacobian.js';
import { criticalPoint } from '../../src/theory/criticality.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';

const widths = [64, 64, 64, 64, 64];

describe('toBeNearIsometric', () => {
  it('an orthogonal linear chain is isometric; so is tanh with orthogonal weights near the end of its critical line (τ = 0.15)', async () => {
    await expect({ widths, activation: 'identity', init: 'orthogonal' }).toBeNearIsometric();
    const biasVar = 1e-4;
    const { criticalWeightVar, qStar } = criticalPoint(resolveActivation('tanh'), biasVar);
    const tanh = { widths, activation: 'tanh', init: { name: 'orthogonal', gain: Math.sqrt(criticalWeightVar) }, biasStd: Math.sqrt(biasVar), inputVariance: (qStar - biasVar) / criticalWeightVar };
    await expect(tanh).toBeNearIsometric({ tolerance: 0.15 });
  });

  it('relu (any weights) and Gaussian linear chains are decidedly not isometric', async () => {
    await expect({ widths, activation: 'relu', init: { name: 'orthogonal', gain: Math.SQRT2 } }).not.toBeNearIsometric();
    await expect({ widths, activation: 'identity', init: 'xavier_normal' }).not.toBeNearIsometric();
  });

  it('a false claim fails with the measured mean and spread in the message', async () => {
    await expect(expect({ widths, activation: 'relu', init: 'he_normal' }).toBeNearIsometric()).rejects.toThrow(/Var\[λ\]\/m₁² \d.*\(fails\)/);
    expect(checkNearIsometry({ widths, activation: 'relu', init: 'he_normal' }).verdict).toBe('fails');
  });
});
