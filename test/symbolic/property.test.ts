import fc from 'fast-check';
import { compile } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveLayer } from '../../src/symbolic/layer.js';
import type { InitRef } from '../../src/vocabulary/init.js';
import { resolveInit } from '../../src/vocabulary/inits/registry.js';

const engine = createEngine();

/** Preset references, with the solved condition each must coincide with (for any fans), if any. */
const PRESETS: Array<{ ref: InitRef; condition?: string }> = [
  { ref: 'xavier_uniform', condition: 'compromise' },
  { ref: 'xavier_normal', condition: 'compromise' },
  { ref: { name: 'xavier_uniform', gain: 5 / 3 } },
  { ref: 'he_normal', condition: 'he' },
  { ref: 'he_uniform', condition: 'he' },
  { ref: { name: 'he_normal', mode: 'fan_out' } },
  { ref: { name: 'he_uniform', a: 0.2, nonlinearity: 'leaky_relu' } },
  { ref: 'lecun_normal', condition: 'forward' },
  { ref: 'lecun_uniform', condition: 'forward' },
  { ref: 'pytorch_default' },
  { ref: 'standard' },
  { ref: 'orthogonal' },
  { ref: { name: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }, condition: 'he' },
  { ref: { name: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' }, condition: 'compromise' },
  { ref: { name: 'variance_scaling', scale: 1, mode: 'fan_out', distribution: 'untruncated_normal' }, condition: 'backward' },
];

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('property: the derived variance is the preset’s variance formula', () => {
  it('for random fans and presets (fast-check, 60 runs, fixed seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.constantFrom(...PRESETS), (fanIn, fanOut, preset) => {
        const init = resolveInit(preset.ref, fanIn, fanOut);
        const direct = Number(compile(init.varianceExpression).evaluate({ n_in: fanIn, n_out: fanOut }));
        const d = deriveLayer({ fanIn, fanOut, init: preset.ref, engine });
        expect(relativeError(d.chosen.variance, direct)).toBeLessThan(1e-12);
        expect(relativeError(d.chosen.variance, init.variance)).toBeLessThan(1e-12);
        // The derived forward result n_in σ² γ² at γ² = 1 (identity), with σ² the preset's.
        const forward = d.sections.find((s) => s.id === 'forward')!;
        const forwardAtPreset = Number(compile(forward.result!).evaluate({ n_in: fanIn, sigma: Math.sqrt(direct), gamma: 1 }));
        expect(relativeError(forward.value!, fanIn * direct)).toBeLessThan(1e-12);
        expect(relativeError(forwardAtPreset, fanIn * direct)).toBeLessThan(1e-12);
        // Presets built on a classical condition equal its solution from the computer algebra.
        if (preset.condition) {
          const solved = d.conditions.find((c) => c.id === preset.condition)!;
          expect(relativeError(solved.variance, direct)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 60, seed: 20100513 },
    );
  });
});
