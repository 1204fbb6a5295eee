import { describe, expect, it } from 'vitest';
import { brentRoot, criticalPoint, lengthFixedPoint, orderToChaosLine } from '../../src/theory/criticality.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';

const tanh = resolveActivation('tanh');

/** E[f(√q z)] by the composite Simpson rule on [−12, 12] in z, independent of src/math/quadrature.ts. */
function simpson(f: (x: number) => number, q: number, n = 20000): number {
  const a = -12;
  const h = 24 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = a + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * f(Math.sqrt(q) * z) * Math.exp(-z * z / 2);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe('criticality: the order-to-chaos line χ₁ = 1', () => {
  it('tanh at σ_b² = 0.05: σ_w² = 1.7609546 (Schoenholz et al. 2017, fig. 1) to 1e-8 relative, not the 1.758942 of interpolation', () => {
    const point = criticalPoint(tanh, 0.05);
    expect(Math.abs(point.criticalWeightVar / 1.7609546396 - 1)).toBeLessThan(1e-8);
    // Independently: q* is a fixed point of the length map and χ₁ = 1 there.
    const m2 = simpson((x) => Math.tanh(x) ** 2, point.qStar);
    const d2 = simpson((x) => (1 - Math.tanh(x) ** 2) ** 2, point.qStar);
    expect(Math.abs(point.criticalWeightVar * m2 + 0.05 - point.qStar)).toBeLessThan(1e-10);
    expect(Math.abs(point.criticalWeightVar * d2 - 1)).toBeLessThan(1e-9);
  });

  it('agrees with the fixed point found from σ_w² (two routes, one line) over a range of σ_b²', () => {
    for (const biasVar of [1e-4, 0.01, 0.1, 0.5, 2, 10]) {
      const point = criticalPoint(tanh, biasVar);
      const fixed = lengthFixedPoint(tanh, point.criticalWeightVar, biasVar);
      expect(fixed.qStar / point.qStar).toBeCloseTo(1, 9);
      expect(fixed.chi1).toBeCloseTo(1, 9);
      expect(lengthFixedPoint(tanh, point.criticalWeightVar * (1 - 1e-6), biasVar).chi1).toBeLessThan(1);
      expect(lengthFixedPoint(tanh, point.criticalWeightVar * (1 + 1e-6), biasVar).chi1).toBeGreaterThan(1);
    }
  });

  it('σ_b² = 0 is the end point (1/φ′(0)², q* = 0)', () => {
    expect(criticalPoint(tanh, 0)).toEqual({ biasVar: 0, criticalWeightVar: 1, qStar: 0, chi1: 1 });
  });

  it('refuses activations without a line and bad bias variances, naming the value', () => {
    expect(() => criticalPoint(resolveActivation('relu'), 0.05)).toThrow(/activation = "?relu"? is not allowed: expected an odd, saturating activation/);
    expect(() => criticalPoint(tanh, -1)).toThrow(/σ_b² = -1 is not allowed/);
    expect(() => criticalPoint(tanh, Number.NaN)).toThrow(/is not allowed/);
  });

  it('the drawn line ends exactly at the largest σ_b², on the line', () => {
    const line = orderToChaosLine(tanh, 0.05);
    const end = line[line.length - 1];
    expect(end.sigmaB2).toBe(0.05);
    expect(Math.abs(end.sigmaW2 / 1.7609546396 - 1)).toBeLessThan(1e-8);
  });

  it('brentRoot finds roots to the tolerance and refuses brackets without a sign change', () => {
    expect(brentRoot((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 14);
    expect(brentRoot((x) => Math.cos(x) - x, 0, 1)).toBeCloseTo(0.7390851332151607, 14);
    expect(() => brentRoot((x) => x * x + 1, -1, 1)).toThrow(RangeError);
  });
});
