import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_STATE,
  LIMITS,
  decodeState,
  encodeState,
  initDisplayName,
  reportCommand,
  stateWidths,
  toNetworkSpec,
  withWidthMode,
  type ExplorerState,
} from '../../src/explorer/app/state.js';
import { STORIES, applyStory } from '../../src/explorer/app/stories.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

const base: ExplorerState = { ...DEFAULT_STATE, widths: null };

describe('explorer state in the URL', () => {
  it('the default state has an empty query, and an empty query gives the defaults', () => {
    expect(encodeState(base)).toBe('');
    expect(decodeState('')).toEqual({ state: base, problems: [] });
  });

  it('round-trips every field', () => {
    const state: ExplorerState = {
      depth: 3,
      width: 64,
      widths: [784, 256, 128, 10],
      activation: 'custom',
      expression: 'x/(1+abs(x))',
      activationParam: 0.2,
      init: 'he_normal',
      gain: 1.25,
      biasVariance: 0.05,
      inputVariance: 2,
      batch: 32,
      nets: 6,
      seed: 42,
      dtype: 'float64',
      compareInit: 'standard',
      compareGain: 0.5,
      lang: 'zh',
    };
    expect(decodeState(`?${encodeState(state)}`).state).toEqual(state);
  });

  it('round-trips random valid states (property)', () => {
    const stateArb = fc.record({
      depth: fc.integer({ min: LIMITS.depth.min, max: LIMITS.depth.max }),
      width: fc.integer({ min: 1, max: 4096 }),
      activation: fc.constantFrom('tanh', 'relu', 'leaky_relu', 'custom', 'sigmoid'),
      expression: fc.constantFrom('x/(1+abs(x))', 'x*tanh(log(1+exp(x)))', 'sin(x) + x^3 & "quoted"'),
      activationParam: fc.double({ min: 0, max: 10, noNaN: true }),
      init: fc.constantFrom('xavier_uniform', 'he_normal', 'constant', 'orthogonal'),
      gain: fc.double({ min: 0, max: 4, noNaN: true }),
      biasVariance: fc.double({ min: 0, max: 4, noNaN: true }),
      inputVariance: fc.double({ min: 1e-4, max: 100, noNaN: true }),
      batch: fc.integer({ min: 1, max: 4096 }),
      nets: fc.integer({ min: 2, max: 64 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      dtype: fc.constantFrom('float32' as const, 'float64' as const),
      compareInit: fc.option(fc.constantFrom('standard', 'he_normal'), { nil: null }),
      compareGain: fc.double({ min: 0, max: 4, noNaN: true }),
      lang: fc.constantFrom('en' as const, 'zh' as const),
    });
    fc.assert(
      fc.property(stateArb, (partial) => {
        const state: ExplorerState = { ...partial, widths: null };
        const decoded = decodeState(encodeState(state));
        expect(decoded.problems).toEqual([]);
        // The expression is only kept in links when it is in use.
        const expected = state.activation === 'custom' ? state : { ...state, expression: DEFAULT_STATE.expression };
        expect(decoded.state).toEqual(expected);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('ignores bad values with a reason and keeps the defaults', () => {
    const { state, problems } = decodeState('?L=0&n=abc&g=-1&w=3,x&dtype=float16&lang=fr&nets=1');
    expect(state).toEqual(base);
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).toMatch(/L=0: expected an integer from 1 to 200/);
    expect(problems.join('\n')).toMatch(/dtype=float16: expected float32 or float64/);
  });

  it('per-layer widths set the depth and switch back to uniform widths', () => {
    const { state } = decodeState('w=784,256,10');
    expect(state.depth).toBe(2);
    expect(stateWidths(state)).toEqual([784, 256, 10]);
    const uniform = withWidthMode(state, false);
    expect(uniform.widths).toBeNull();
    expect(stateWidths(uniform)).toEqual([10, 10, 10]);
  });
});

describe('explorer state → network description', () => {
  it('builds a spec the vocabulary resolves, with gain, bias and input variance', () => {
    const state: ExplorerState = { ...base, depth: 2, width: 100, init: 'xavier_normal', gain: 2, biasVariance: 0.04, inputVariance: 3 };
    const spec = toNetworkSpec(state);
    expect(spec).toEqual({ widths: [100, 100, 100], activation: 'tanh', init: { name: 'xavier_normal', gain: 2 }, biasStd: 0.2, inputVariance: 3 });
    const network = resolveNetwork(spec);
    // Xavier with gain g at equal widths: n·Var[w] = g².
    expect(network.layers[0].fanIn * network.layers[0].init.variance).toBeCloseTo(4, 12);
    expect(network.layers[0].biasVariance).toBeCloseTo(0.04, 12);
  });

  it('gain is dropped for presets without one, and is the value of a constant init', () => {
    expect(toNetworkSpec({ ...base, init: 'he_normal', gain: 3 }).init).toBe('he_normal');
    expect(toNetworkSpec({ ...base, init: 'constant', gain: 0.05 }).init).toEqual({ name: 'constant', value: 0.05 });
    expect(toNetworkSpec({ ...base, compareInit: 'standard' }, 'compare').init).toBe('standard');
    expect(toNetworkSpec({ ...base, activation: 'leaky_relu', activationParam: 0.2 }).activation).toEqual({ name: 'leaky_relu', slope: 0.2 });
  });

  it('every story resolves to a valid network', () => {
    for (const story of STORIES) {
      const state = applyStory(story, base);
      expect(() => resolveNetwork(toNetworkSpec(state))).not.toThrow();
      if (state.compareInit) expect(() => resolveNetwork(toNetworkSpec(state, 'compare'))).not.toThrow();
    }
  });

  it('names inits with their gain', () => {
    expect(initDisplayName('xavier_normal', 1)).toBe('xavier_normal');
    expect(initDisplayName('xavier_normal', 5 / 3)).toBe('xavier_normal(gain=1.6667)');
    expect(initDisplayName('he_normal', 2)).toBe('he_normal');
    expect(initDisplayName('constant', 0.05)).toBe('constant(0.05)');
  });

  it('the report command quotes a custom expression for the shell', () => {
    const command = reportCommand({ ...base, activation: 'custom', expression: "x/(1+abs(x))", depth: 2, width: 8 });
    expect(command).toContain("--act 'x/(1+abs(x))'");
    expect(command).toContain('--widths 8,8,8');
    expect(command).toMatch(/--out report\.html$/);
  });
});

describe('the report command', () => {
  it('uses only flags varprop report has, and says when it is not exact', async () => {
    const { reportCommandIsExact } = await import('../../src/explorer/app/state.js');
    const { buildProgram } = await import('../../src/cli/main.js');
    const { memoryIO } = await import('../../src/cli/io.js');
    const report = buildProgram(memoryIO()).commands.find((command) => command.name() === 'report');
    expect(report).toBeDefined();
    const known = new Set(report!.options.map((option) => option.long));
    const state = { ...base, init: 'xavier_normal', gain: 2, compareInit: 'standard', biasVariance: 0.04, inputVariance: 2, dtype: 'float64' as const };
    const flags = reportCommand(state).match(/--[\w-]+/g) ?? [];
    for (const flag of flags) expect(known, flag).toContain(flag);
    expect(reportCommandIsExact(state)).toBe(false);
    expect(reportCommandIsExact(base)).toBe(true);
    expect(reportCommandIsExact({ ...base, init: 'constant', gain: 1 })).toBe(false);
  });
});
