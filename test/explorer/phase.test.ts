import { describe, expect, it } from 'vitest';
import { criticalSigmaW2, fixedPoint, isTanhLike, orderToChaosLine } from '../../src/explorer/app/phase.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import type { Activation } from '../../src/vocabulary/activation.js';

const tanh = resolveActivation('tanh');

describe('mean-field phase diagram', () => {
  it('tanh: the order-to-chaos line starts at σ_w² = 1 and reaches 1.7609546 at σ_b² = 0.05 (Schoenholz et al. 2017, fig. 1), by root finding', () => {
    expect(criticalSigmaW2(tanh, 0)).toBe(1);
    // Interpolating between the 60 drawn points gave 1.758942.
    expect(Math.abs(criticalSigmaW2(tanh, 0.05) / 1.7609546 - 1)).toBeLessThan(1e-7);
    const line = orderToChaosLine(tanh);
    expect(line[0]).toEqual({ sigmaW2: 1, sigmaB2: 0 });
    expect(line[line.length - 1].sigmaB2).toBe(0.5);
  });

  it('every point of the line has χ₁ = 1 at its fixed point; points beside it are ordered / chaotic', () => {
    const line = orderToChaosLine(tanh).filter((p) => p.sigmaB2 > 1e-3);
    expect(line.length).toBeGreaterThan(10);
    for (const point of line) {
      expect(fixedPoint(tanh, point.sigmaW2, point.sigmaB2).chi1).toBeCloseTo(1, 6);
      expect(fixedPoint(tanh, point.sigmaW2 * 0.9, point.sigmaB2).chi1).toBeLessThan(1);
      expect(fixedPoint(tanh, point.sigmaW2 * 1.1, point.sigmaB2).chi1).toBeGreaterThan(1);
    }
  });

  it('gain 1/√E[tanh(z)²] = 1.5925 has the fixed point q* = 1 exactly; PyTorch’s 5/3 does not', () => {
    const m2 = tanh.moments(1).secondMoment;
    expect(fixedPoint(tanh, 1 / m2, 0).qStar).toBeCloseTo(1, 8);
    expect(fixedPoint(tanh, (5 / 3) ** 2, 0).qStar).toBeGreaterThan(1.05);
  });

  it('without bias, σ_w² ≤ 1 collapses to q* = 0 with χ₁ = σ_w²', () => {
    expect(fixedPoint(tanh, 0.8, 0)).toEqual({ qStar: 0, chi1: 0.8 });
    expect(fixedPoint(tanh, 1, 0)).toEqual({ qStar: 0, chi1: 1 });
  });

  it('a wrong χ₁ (using m2 in place of d2) misses the known critical point', () => {
    // The line built from the wrong moment would put σ_b² = 0.05 somewhere else than 1.76.
    const wrong: Pick<Activation, 'moments' | 'slopeAtZero'> = {
      slopeAtZero: 1,
      moments: (q) => {
        const m = tanh.moments(q);
        return { ...m, derivativeSecondMoment: m.secondMoment / q };
      },
    };
    // With d2 = m2/q the line is σ_b² = q − m2(q)/d2(q) = 0: it never reaches σ_b² = 0.05.
    expect(() => criticalSigmaW2({ ...wrong, predictionKind: 'meanField', label: 'wrong' }, 0.05)).toThrow(/line of wrong reaches/);
  });

  it('draws the diagram for odd saturating activations only', () => {
    const drawn = ['tanh', 'erf', 'x/(1+abs(x))'];
    const notDrawn = ['relu', 'identity', 'sigmoid', 'gelu', 'selu', 'softplus'];
    for (const name of drawn) expect(isTanhLike(resolveActivation(name)), name).toBe(true);
    for (const name of notDrawn) expect(isTanhLike(resolveActivation(name)), name).toBe(false);
  });
});

describe('the explorer says what χ₁ governs', () => {
  it('the signal length settles at q*; χ₁ multiplies perturbations and gradients (was: signals "fade or blow up")', async () => {
    const { en } = await import('../../src/i18n/en.js');
    const { zh } = await import('../../src/i18n/zh.js');
    expect(en.explorer.panels.phaseHelp).toContain('the signal\'s length settles at the fixed point q*');
    expect(en.explorer.panels.phaseHelp).toContain('multiplies small perturbations and gradients');
    expect(en.explorer.panels.phaseHelp).not.toMatch(/signals and gradients fade|blow up/);
    expect(zh.explorer.panels.phaseHelp).toContain('不动点 q*');
    expect(zh.explorer.panels.phaseHelp).not.toContain('信号和梯度随深度衰减');
  });
});
