/**
 * The built-in `scale` kind (y = c·x): its moment face composes c² forward and backward, exactly;
 * the Monte Carlo agrees; a deliberately wrong face (c instead of c²) is rejected; a negative factor
 * is refused in one line naming the field.
 */
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/numeric/check.js';
import { propagate } from '../../src/symbolic/propagate.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { inputErrorOf } from './inputError.js';

const spec = {
  input: 32,
  layers: [
    { kind: 'dense', width: 32, init: 'he_normal' },
    { kind: 'activation', activation: 'relu' },
    { kind: 'scale', factor: 3 },
    { kind: 'dense', width: 32, init: 'lecun_normal' },
  ],
};

describe('scale kind', () => {
  it('propagates c²·E[x²] forward and c²·E[(∂y)²] backward, exact', () => {
    const sites = propagate(resolveNetwork(spec)).sites;
    const scale = sites.find((s) => s.kind === 'scale')!;
    expect(scale.output.secondMoment).toBeCloseTo(9 * scale.input.secondMoment, 12);
    expect(scale.inputGradient.secondMoment).toBeCloseTo(9 * scale.gradient.secondMoment, 12);
    expect(scale.output.exact && scale.inputGradient.exact).toBe(true);
    expect(scale.forwardRule.expression).toBe('c^2*q');
  });

  it('the Monte Carlo passes; the same series with c in place of c² is rejected', async () => {
    const options = { nets: 16, batch: 128, seed: 3, dtype: 'float64' as const };
    expect((await checkNetwork(spec, options)).pass).toBe(true);
    // Per weight layer: E[h²] = 2, c²·1; E[d²] = 32·(1/32)·c²·½, 1; E[(∂W)²] = 1·E[d₁²], c²·1·1.
    const series = (c2: number) => () => ({ forward: [2, c2], backward: [c2 / 2, 1], weightGradient: [c2 / 2, c2] });
    expect((await checkNetwork(spec, { ...options, predictions: series(9) })).pass).toBe(true);
    expect((await checkNetwork(spec, { ...options, predictions: series(3) })).pass).toBe(false);
  }, 30_000);

  it('refuses a negative or missing factor, naming the field', () => {
    expect(inputErrorOf(() => resolveNetwork({ input: 4, layers: [{ kind: 'scale', factor: -1 }] }))?.field).toBe('0.factor');
    expect(inputErrorOf(() => resolveNetwork({ input: 4, layers: [{ kind: 'scale' }] }))?.field).toBe('0.factor');
  });
});
