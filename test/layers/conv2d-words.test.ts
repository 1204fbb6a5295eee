/**
 * A conv2d layer's words in a derivation: deriveNetwork over a network whose first layer is a
 * convolution states the conv sum and its fans, every step passes the engine's checks (re-checked
 * here at fresh points) and renders in KaTeX strict mode; wrong claims are rejected; a dense layer
 * prints exactly what it printed before kinds had words.
 */
import { describe, expect, it } from 'vitest';
import { conv2dKind } from '../../src/layers/conv2d.js';
import { CHECK_GEOMETRY, claimedInputGradient, claimedWeightGradient, conv2dWords, writtenOutForward } from '../../src/layers/conv2d/words.js';
import { denseWords } from '../../src/layers/dense.js';
import { DerivationCheckError } from '../../src/symbolic/check.js';
import { writtenOutChainRuleStep } from '../../src/symbolic/chainRule.js';
import type { DerivationSection } from '../../src/symbolic/derivation.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveLayer, deriveNetwork } from '../../src/symbolic/layer.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { allSteps, recheckStep, renderStrict } from '../symbolic/helpers.js';

const engine = createEngine();

// 3 → 8 channels, 3×3 kernel on 8×8: n_in = 3·9 = 27, n_out = 8·9 = 72, 6×6 = 36 output positions.
const convNetwork = resolveNetwork({
  widths: [3, 8, 16, 10],
  activation: 'relu',
  init: 'he_normal',
  layers: [{ kind: 'conv2d', kernelSize: 3 }, { kind: 'conv2d', kernelSize: [3, 5], groups: 8 }],
});
const derivation = deriveNetwork(convNetwork, { engine });
const section = (id: DerivationSection['id']) => derivation.sections.find((s) => s.id === id)!;

describe('conv2d words in deriveNetwork', () => {
  it('states the pre-activation sum over the receptive field and n_in = (C_in/G)·k_h·k_w', () => {
    const [definition, relabelled] = section('forward').steps;
    expect(definition.latex).toContain("o_{c,u,v} = \\sum_{c'=1}^{C_\\text{in}/G} \\sum_{i=0}^{k_h-1} \\sum_{j=0}^{k_w-1} w_{c,c',i,j} \\, x_{c',u+i,v+j}");
    expect(relabelled.latex).toContain('n_\\text{in} = \\tfrac{C_\\text{in}}{G} k_h k_w = 27');
    expect(relabelled.text).toContain('o_(c,p) = Σ_{r=1..n_in} w_(c,r)·x_(p+r)');
    // The engine's own chain then runs in the conv notation, ending at the dense result.
    expect(section('forward').steps.some((s) => s.text?.startsWith('Var[o_(c,p)] = Var[Σ_{r=1..n_in}'))).toBe(true);
    expect(section('forward').result).toBe('n_in*sigma^2*gamma^2');
    expect(section('forward').value).toBeCloseTo(27 * convNetwork.layers[0].init.variance, 15);
    expect(derivation).toMatchObject({ fanIn: 27, fanOut: 72 });
  });

  it('says the input gradient collects n_out = (C_out/G)·k_h·k_w terms away from the border', () => {
    const [chainRule, relabelled] = section('backward').steps;
    expect(chainRule.rule).toBe('chainRule');
    expect(chainRule.latex).toContain("w_{c,c',i,j} \\, \\partial o_{c,u'-i,v'-j}");
    expect(chainRule.note).toMatch(/border/);
    expect(chainRule.note).toMatch(/valid padding/);
    expect(relabelled.latex).toContain('n_\\text{out} = \\tfrac{C_\\text{out}}{G} k_h k_w = 72');
    expect(section('backward').result).toBe('n_out*sigma^2*var_do');
  });

  it('sums a shared kernel entry’s gradient over the P output positions', () => {
    const steps = section('weightGradient').steps;
    expect(steps[1].latex).toContain('P = H_\\text{out} W_\\text{out} = 36');
    expect(steps.some((s) => s.rule === 'iidSum' && s.text?.includes('= P·E[∂o²]·E[x²]'))).toBe(true);
    // x is the layer's input, E[x²] = γ², the same x as the forward section's (issue 12).
    expect(section('weightGradient').result).toBe('n_pos*gamma^2*var_do');
    expect(section('weightGradient').resultLatex).toMatch(/^P \\, /);
  });

  it('every step re-checks at fresh points and renders in KaTeX strict mode', () => {
    const steps = allSteps(derivation);
    expect(steps.filter((s) => s.check).length).toBeGreaterThan(40);
    for (const step of steps) {
      recheckStep(step);
      expect(() => renderStrict(step.latex)).not.toThrow();
    }
    for (const s of derivation.sections) if (s.resultLatex) expect(() => renderStrict(s.resultLatex!)).not.toThrow();
  });
});

describe('conv2d words reject wrong claims', () => {
  const layer = convNetwork.layers[0];

  it('a fan that disagrees with (C_in/G)·k_h·k_w', () => {
    const words = conv2dWords({ ...layer, fanIn: layer.fanIn + 1 });
    expect(() => words.forwardDefinition(engine)).toThrow(DerivationCheckError);
    const backward = conv2dWords({ ...layer, fanOut: 8 * 3 * 3 * 2 });
    expect(() => backward.inputGradientRule(engine)).toThrow(DerivationCheckError);
  });

  const presentation = { latex: '\\partial x', text: '∂x', note: 'test' };
  const forward = writtenOutForward(CHECK_GEOMETRY);

  it('the interior input-gradient formula at a border position (fewer patches cover it)', () => {
    const interior = { key: 'interior', forward, variable: 'x_0_1_2', claimed: claimedInputGradient(CHECK_GEOMETRY, 0, 1, 2) };
    expect(() => writtenOutChainRuleStep(engine, presentation, [interior])).not.toThrow();
    const corner = { key: 'corner', forward, variable: 'x_0_0_0', claimed: claimedInputGradient(CHECK_GEOMETRY, 0, 0, 0) };
    expect(() => writtenOutChainRuleStep(engine, presentation, [corner])).toThrow(DerivationCheckError);
  });

  it('a gradient shifted the wrong way (u′ + i instead of u′ − i)', () => {
    // Interior x_0 at (1, 2), group 0 = output channels 0 and 1; terms whose position leaves the 3×3 output are dropped.
    const terms: string[] = [];
    for (const c of [0, 1]) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) if (1 + i <= 2 && 2 + j <= 2) terms.push(`w_${c}_0_${i}_${j}*g_${c}_${1 + i}_${2 + j}`);
    expect(terms.length).toBeGreaterThan(0);
    const wrong = { key: 'mirrored', forward, variable: 'x_0_1_2', claimed: terms.join(' + ') };
    expect(() => writtenOutChainRuleStep(engine, presentation, [wrong])).toThrow(DerivationCheckError);
  });

  it('a weight gradient missing one output position', () => {
    const full = claimedWeightGradient(CHECK_GEOMETRY, 0, 0, 0, 0);
    expect(() => writtenOutChainRuleStep(engine, presentation, [{ key: 'full', forward, variable: 'w_0_0_0_0', claimed: full }])).not.toThrow();
    const missing = full.split(' + ').slice(1).join(' + ');
    expect(() => writtenOutChainRuleStep(engine, presentation, [{ key: 'missing', forward, variable: 'w_0_0_0_0', claimed: missing }])).toThrow(DerivationCheckError);
  });
});

describe('dense words are unchanged', () => {
  it('deriveLayer prints what it printed before layer kinds had words', () => {
    const d = deriveLayer({ fanIn: 300, fanOut: 100, activation: 'tanh', init: 'xavier_uniform', inputVariance: 0.7, engine });
    const forward = d.sections.find((s) => s.id === 'forward')!;
    expect(forward.steps[0].latex).toBe('\\mathbb{E}\\left[o_{i}\\right] = \\mathbb{E}\\left[\\sum_{j=1}^{n_\\text{in}} w_{ij} x_{j}\\right]');
    expect(forward.steps[0].text).toBe('E[o_i] = E[Σ_{j=1..n_in} w_ij·x_j]');
    const backward = d.sections.find((s) => s.id === 'backward')!;
    expect(backward.steps[0].latex).toBe(
      '\\partial x_{j} = \\sum_{i=1}^{n_\\text{out}} \\frac{\\partial o_{i}}{\\partial x_{j}} \\partial o_{i} = \\sum_{i=1}^{n_\\text{out}} w_{ij} \\partial o_{i}',
    );
    const gradient = d.sections.find((s) => s.id === 'weightGradient')!;
    expect(gradient.steps[0].text).toBe('∂w_ij = Σ_{k=1..n_out} (∂o_k/∂w_ij)·∂o_k = ∂o_i·x_j');
    expect(gradient.result).toBe('gamma^2*var_do');
    // Passing the dense words explicitly is the same derivation.
    expect(deriveLayer({ fanIn: 300, fanOut: 100, activation: 'tanh', init: 'xavier_uniform', inputVariance: 0.7, engine, words: denseWords })).toEqual(d);
  });

  it('the dense kind’s words do not depend on the layer; the conv kind’s carry its numbers', () => {
    const dense = resolveNetwork({ widths: [5, 4] }).layers[0];
    expect(conv2dKind.words!(convNetwork.layers[0]).sharedOver).toEqual({ range: 'n_pos', latex: 'P' });
    expect(() => conv2dKind.words!(dense)).toThrow(/not a conv2d layer/);
  });
});
