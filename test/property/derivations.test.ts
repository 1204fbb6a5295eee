/**
 * Random derivations: every step of every derivation is numerically consistent (both sides of its
 * check agree at random points, via checkIdentity) and its LaTeX renders in KaTeX in strict mode.
 */
import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { deriveLayer } from '../../src/symbolic/layer.js';
import { checkIdentity, type SymbolDomain } from '../../src/testing/identity.js';
import { initPreset } from './arbitraries.js';

const activation = fc.oneof(
  fc.constantFrom('identity', 'tanh', 'sigmoid', 'relu', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'erf'),
  fc.double({ min: 0, max: 1, noNaN: true }).map((slope) => ({ name: 'leaky_relu', slope: Math.round(slope * 100) / 100 })),
  fc.constantFrom('x/(1+abs(x))', 'x*tanh(log(1+exp(x)))', '(1.2*x + 0.8*abs(x))/2', 'sin(x)'),
);
const fan = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 100_000 }));
const layer = fc.record({ fanIn: fan, fanOut: fan, activation, init: initPreset });

describe('random derivations', () => {
  it('every step checks numerically and renders in KaTeX strict mode (30 layers)', () => {
    let steps = 0;
    fc.assert(
      fc.property(layer, (options) => {
        const derivation = deriveLayer(options);
        for (const section of derivation.sections) {
          for (const step of section.steps) {
            steps++;
            expect(() => katex.renderToString(step.latex, { throwOnError: true, strict: 'error', displayMode: true }), step.latex).not.toThrow();
            if (!step.check) continue;
            const at = (step.check as { at?: Record<string, number> }).at ?? {};
            const symbols: Record<string, SymbolDomain> = { ...at };
            const result = checkIdentity(step.check.lhs, step.check.rhs, { symbols, points: 8, seed: steps });
            expect(result.verdict, `${section.id}/${step.rule}: ${result.explanation}`).not.toBe('fails');
          }
          if (section.resultLatex) katex.renderToString(section.resultLatex, { throwOnError: true, strict: 'error' });
        }
        for (const condition of derivation.conditions) {
          for (const latex of [condition.conditionLatex, condition.formulaLatex, condition.stdLatex, condition.boundLatex]) {
            katex.renderToString(latex, { throwOnError: true, strict: 'error' });
          }
          expect(condition.bound).toBeCloseTo(Math.sqrt(3) * condition.std, 12);
        }
      }),
      { seed: 20240605, numRuns: 30 },
    );
    expect(steps).toBeGreaterThan(30 * 20);
  });

  it('the step check is not vacuous: a perturbed step is caught', () => {
    const derivation = deriveLayer({ fanIn: 300, fanOut: 100, activation: 'relu', init: 'he_normal' });
    // Steps whose two sides are identically 0 (zero means) cannot be perturbed by a factor.
    const checked = derivation.sections
      .flatMap((s) => s.steps)
      .filter((s) => s.check && checkIdentity(s.check.rhs, '0', { symbols: { ...((s.check as { at?: Record<string, number> }).at ?? {}) } }).verdict === 'fails');
    expect(checked.length).toBeGreaterThan(3);
    for (const step of checked) {
      const at = (step.check as { at?: Record<string, number> }).at ?? {};
      const result = checkIdentity(step.check!.lhs, `1.01*(${step.check!.rhs})`, { symbols: { ...at } });
      expect(result.verdict, step.check!.rhs).toBe('fails');
    }
  });
});
