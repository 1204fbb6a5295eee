import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { deriveBackward } from '../../src/symbolic/backward.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveForward } from '../../src/symbolic/forward.js';
import { deriveLayer, deriveNetwork } from '../../src/symbolic/layer.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { deriveNonZeroMeanInput } from '../../src/symbolic/nonZeroMeanInput.js';
import { deriveNetworkSection } from '../../src/symbolic/networkSection.js';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { deriveWeightGradient } from '../../src/symbolic/weightGradient.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { allSteps, recheckStep, renderStrict } from './helpers.js';

// One engine for the file: it caches computer-algebra solutions and quadratures (no global state).
const engine = createEngine();

const ACTIVATIONS = ['identity', 'tanh', 'sigmoid', 'relu', { name: 'leaky_relu', slope: 0.2 }, 'elu', 'selu', 'gelu', 'silu', 'softplus', 'erf', 'x/(1+abs(x))'];
const INITS = ['xavier_uniform', 'xavier_normal', 'he_normal', 'he_uniform', 'lecun_normal', 'lecun_uniform', 'pytorch_default', 'standard', 'orthogonal'];

describe('deriveLayer: Xavier for 784 → 256', () => {
  const d = deriveLayer({ fanIn: 784, fanOut: 256, activation: 'tanh', init: 'xavier_uniform', engine });

  it('pins the textbook numbers', () => {
    expect(d.chosen.std).toBeCloseTo(0.0438529, 7);
    expect(d.chosen.uniformBound).toBeCloseTo(0.0759555, 7);
    expect(d.chosen.uniformEquivalentBound).toBeCloseTo(0.0759555, 7);
    expect(d.chosen.variance).toBeCloseTo(2 / 1040, 15);
    const compromise = d.conditions.find((c) => c.id === 'compromise');
    expect(compromise?.stdFormula).toBe('sqrt(2/(n_in+n_out))');
    expect(compromise?.boundFormula).toBe('sqrt(6/(n_in+n_out))');
  });

  it('has the sections in order, with the forward result n_in σ² γ²', () => {
    expect(d.sections.map((s) => s.id)).toEqual(['forward', 'backward', 'weightGradient', 'conditions', 'init']);
    const forward = d.sections[0];
    expect(forward.result).toBe('n_in*sigma^2*gamma^2');
    expect(forward.value).toBeCloseTo((784 * 2) / 1040, 12);
    expect(d.sections[1].result).toBe('n_out*sigma^2*var_do');
  });

  it('flags tanh’s linearity where γ² replaces E[x²]', () => {
    const flagged = d.sections[0].steps.at(-1);
    expect(flagged?.assumptions?.map((a) => a.id)).toContain('linearNearZero');
  });

  it('says which condition the chosen init satisfies', () => {
    const init = d.sections.find((s) => s.id === 'init');
    expect(init?.steps.some((s) => s.note.includes("Xavier's compromise"))).toBe(true);
  });
});

describe('every step of every derivation checks and renders', () => {
  for (const activation of ACTIVATIONS) {
    it(`activation ${JSON.stringify(activation)}`, () => {
      const init = INITS[ACTIVATIONS.indexOf(activation) % INITS.length];
      const d = deriveLayer({ fanIn: 300, fanOut: 100, activation, init, inputVariance: 0.7, engine });
      const steps = allSteps(d);
      expect(steps.length).toBeGreaterThan(20);
      for (const step of steps) {
        expect(step.note.length).toBeGreaterThan(0);
        if (step.rule !== 'definition' && step.rule !== 'chainRule') expect(step.check).toBeDefined();
        recheckStep(step);
        expect(() => renderStrict(step.latex)).not.toThrow();
        for (const flag of step.assumptions ?? []) expect(flag.note.length).toBeGreaterThan(0);
      }
      for (const section of d.sections) if (section.resultLatex) renderStrict(section.resultLatex);
      for (const c of d.conditions) {
        for (const latex of [c.conditionLatex, c.formulaLatex, c.stdLatex, c.boundLatex]) renderStrict(latex);
        expect(Number.isFinite(c.std) && Number.isFinite(c.bound)).toBe(true);
      }
    });
  }
});

describe('deriveNetwork', () => {
  it('adds the network section: propagate()\'s own numbers, every step checked', () => {
    const network = resolveNetwork({ widths: [784, 256, 256, 10], activation: 'tanh', init: 'xavier_uniform' });
    const d = deriveNetwork(network, { engine });
    const section = d.sections.at(-1)!;
    expect(section.id).toBe('network');
    expect(d.fanIn).toBe(784);
    // The same numbers the check tests: mean-field for tanh, not a linearisation.
    const prediction = predictNetwork(network);
    section.perLayer!.forward.forEach((v, i) => expect(v).toBe(prediction.layers[i].forward.meanField));
    section.perLayer!.backward.forEach((v, i) => expect(v).toBe(prediction.layers[i].backward.meanField));
    expect(section.perSite!.map((s) => s.path)).toEqual(network.sites.map((s) => s.path));
    expect(section.steps.some((s) => s.prediction === 'meanField')).toBe(true);
    for (const step of section.steps) {
      recheckStep(step);
      renderStrict(step.latex);
    }
  });
});

describe('assumptions that fail are flagged where they matter', () => {
  it('sigmoid: not zero-mean, E[x²] = Var[x] + ¼', () => {
    const sigmoid = resolveActivation('sigmoid');
    const section = deriveNonZeroMeanInput({ activation: sigmoid, engine, fanIn: 100, variance: 0.01 });
    const flagged = section.steps.find((s) => s.assumptions?.some((a) => a.id === 'zeroMean' && !a.holds));
    expect(flagged?.rule).toBe('varianceDefinition');
    // E[σ(z)²] = 0.2933790359 (issue 2), mean ½.
    expect(section.value).toBeCloseTo(100 * 0.01 * 0.2933790359, 9);
    const d = deriveLayer({ fanIn: 100, fanOut: 100, activation: 'sigmoid', engine });
    expect(d.sections.map((s) => s.id)).toContain('nonZeroMeanInput');
  });

  it('relu: halves the second moment (exact), and He’s condition is its gain condition', () => {
    const d = deriveLayer({ fanIn: 512, fanOut: 512, activation: 'relu', init: 'he_normal', engine });
    const flags = allSteps(d).flatMap((s) => s.assumptions ?? []);
    expect(flags.some((f) => f.id === 'halvesSecondMoment')).toBe(true);
    const nonZero = d.sections.find((s) => s.id === 'nonZeroMeanInput');
    expect(nonZero?.steps.some((s) => s.prediction === 'exact')).toBe(true);
    const gain = d.conditions.find((c) => c.id === 'gain');
    expect(gain?.stdFormula).toBe('sqrt(2/n_in)');
    expect(gain?.variance).toBeCloseTo(d.chosen.variance, 15);
  });

  it('tanh is zero-mean: no non-zero-mean section, but mean-field moments downstream', () => {
    const d = deriveLayer({ fanIn: 64, fanOut: 64, activation: 'tanh', engine });
    expect(d.sections.map((s) => s.id)).not.toContain('nonZeroMeanInput');
    expect(allSteps(d).some((s) => s.prediction === 'meanField')).toBe(true);
    // Forward gain of tanh: 1/√E[tanh(z)²] = 1.59253742 (issue 2).
    const gain = d.conditions.find((c) => c.id === 'gain');
    expect(Math.sqrt(gain!.variance * 64)).toBeCloseTo(1.59253742, 7);
  });
});

describe('the separate derivations', () => {
  it('backward: Var[∂x_j] = n_out σ² Var[∂o]', () => {
    const section = deriveBackward({ engine, fanOut: 256, variance: 1 / 256 });
    expect(section.result).toBe('n_out*sigma^2*var_do');
    expect(section.value).toBeCloseTo(1, 15);
    expect(section.steps[0].rule).toBe('chainRule');
  });

  it('weight gradient: Var[∂w] = E[x²] Var[∂o]', () => {
    expect(deriveWeightGradient({ engine }).result).toBe('gamma^2*var_do');
    const relu = deriveWeightGradient({ engine, activation: resolveActivation('relu'), q: 2 });
    expect(relu.result).toBe('1*var_do'); // E[relu(h)²] = q/2 = 1
  });

  it('forward without options uses symbols only', () => {
    const section = deriveForward({ engine });
    expect(section.value).toBeUndefined();
    expect(section.steps.at(-1)?.latex).toBe('n_\\text{in} \\mathbb{E}\\left[w^{2}\\right] \\mathbb{E}\\left[x^{2}\\right] = n_\\text{in} \\sigma^{2} \\gamma^{2}');
  });

  it('network section: identity with LeCun keeps E[h²] = γ²; relu with He keeps it exactly', () => {
    const section = (spec: Parameters<typeof resolveNetwork>[0]) => deriveNetworkSection(resolveNetwork(spec), engine);
    const linear = section({ widths: [100, 80, 60, 40], init: 'lecun_normal', inputVariance: 3 });
    expect(linear.perLayer?.forward).toHaveLength(3);
    for (const v of linear.perLayer!.forward) expect(v).toBeCloseTo(3, 12);
    const relu = section({ widths: [100, 80, 60, 40], activation: 'relu', init: 'he_normal' });
    // Layer 1 sees the raw input (no relu before it): 2·γ²; after that relu halves and He doubles.
    expect(relu.perLayer!.forward.map((v) => Number(v.toFixed(12)))).toEqual([2, 2, 2]);
    // Backward with fan_in He: each layer multiplies by n_out·(2/n_in)·½ = n_out/n_in.
    expect(relu.perLayer!.backward[0]).toBeCloseTo((80 / 80) * (60 / 80) * (40 / 60), 12);
    expect(relu.perSite!.every((site) => site.forwardExact && site.backwardExact)).toBe(true);
  });
});

describe('bad input', () => {
  for (const [fanIn, fanOut] of [[0, 10], [-3, 10], [2.5, 10], [Number.NaN, 10], [10, 0]] as const) {
    it(`fans ${fanIn}, ${fanOut} → InputError naming the field`, () => {
      expect(() => deriveLayer({ fanIn, fanOut, engine })).toThrow(InputError);
      try {
        deriveLayer({ fanIn, fanOut, engine });
      } catch (error) {
        expect((error as InputError).field).toBe(fanIn === 10 ? 'fanOut' : 'fanIn');
        expect((error as Error).message).toContain('a positive integer');
      }
    });
  }

  it('unknown activation or init, bad input variance', () => {
    expect(() => deriveLayer({ fanIn: 10, fanOut: 10, activation: 'tanhh', engine })).toThrow(InputError);
    expect(() => deriveLayer({ fanIn: 10, fanOut: 10, init: 'nope', engine })).toThrow(InputError);
    expect(() => deriveLayer({ fanIn: 10, fanOut: 10, inputVariance: -1, engine })).toThrow(InputError);
  });
});

describe('one layer input, one second moment (issue 12)', () => {
  it('derive with γ² = 2 uses E[x²] = 2 for the layer input in the forward and the weight-gradient sections alike', () => {
    const d = deriveLayer({ fanIn: 784, fanOut: 256, activation: 'tanh', init: 'xavier_uniform', inputVariance: 2, engine });
    const weight = d.sections.find((s) => s.id === 'weightGradient')!;
    expect(weight.result).toBe('gamma^2*var_do');
    // No step substitutes the activation's m₂ for the layer input's E[x²] (0.519976 = E[tanh(√2 z)²]).
    for (const step of allSteps(d)) expect(step.latex).not.toMatch(/0\.519976/);
  });
});
