import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_STATE,
  LIMITS,
  LIGHT_MIN_NETS,
  MONTE_CARLO_BUDGET,
  comparisonOf,
  curveLabel,
  decodeState,
  encodeState,
  initDisplayName,
  monteCarloWork,
  reportCommand,
  reportCommandIsExact,
  stateWidths,
  toNetworkSpec,
  withLightMonteCarlo,
  withWidthMode,
  type ExplorerState,
} from '../../src/explorer/app/state.js';
import { STORIES, applyStory } from '../../src/explorer/app/stories.js';
import { computeTheory } from '../../src/explorer/app/theory.js';
import { testedPrediction } from '../../src/explorer/app/panels/variance.js';
import { catalogues } from '../../src/i18n/catalogue.js';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { isTreeSpec, resolveNetwork, type WidthsNetworkSpec } from '../../src/vocabulary/network.js';

const base: ExplorerState = { ...DEFAULT_STATE, widths: null };

/** The shorthand a plain state gives (a tree here is a failure). */
function widthsSpec(state: ExplorerState, which: 'main' | 'compare' = 'main'): WidthsNetworkSpec {
  const spec = toNetworkSpec(state, which);
  if (isTreeSpec(spec)) throw new Error(`expected the widths shorthand, got ${JSON.stringify(spec)}`);
  return spec;
}

describe('explorer state in the URL', () => {
  it('the default state has an empty query, and an empty query gives the defaults', () => {
    expect(encodeState(base)).toBe('');
    expect(decodeState('')).toEqual({ state: base, problems: [] });
  });

  it('round-trips every field', () => {
    const state: ExplorerState = {
      ...base,
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
      residual: false,
      alpha: 0.3,
      beta: 0.5,
      normalization: 'rms_norm',
      placement: 'post',
      comparePlain: true,
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
      residual: fc.boolean(),
      alpha: fc.oneof(fc.constant('inv_sqrt_depth' as const), fc.double({ min: 0, max: 4, noNaN: true })),
      beta: fc.double({ min: 0, max: 4, noNaN: true }),
      normalization: fc.constantFrom('none' as const, 'layer_norm' as const, 'rms_norm' as const),
      placement: fc.constantFrom('pre' as const, 'post' as const),
      comparePlain: fc.boolean(),
      lang: fc.constantFrom('en' as const, 'zh' as const),
    });
    fc.assert(
      fc.property(stateArb, (partial) => {
        const state: ExplorerState = { ...base, ...partial, widths: null };
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
    expect(widthsSpec({ ...base, init: 'he_normal', gain: 3 }).init).toBe('he_normal');
    expect(widthsSpec({ ...base, init: 'constant', gain: 0.05 }).init).toEqual({ name: 'constant', value: 0.05 });
    expect(widthsSpec({ ...base, compareInit: 'standard' }, 'compare').init).toBe('standard');
    expect(widthsSpec({ ...base, activation: 'leaky_relu', activationParam: 0.2 }).activation).toEqual({ name: 'leaky_relu', slope: 0.2 });
  });

  it('every story resolves to a valid network', () => {
    for (const story of STORIES) {
      const state = applyStory(story, base);
      expect(() => resolveNetwork(toNetworkSpec(state))).not.toThrow();
      if (comparisonOf(state)) expect(() => resolveNetwork(toNetworkSpec(state, 'compare'))).not.toThrow();
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

describe('residual blocks and normalization', () => {
  const words = catalogues.en.explorer.architecture;

  it('round-trip through the URL with short keys, α = 1/√L as isqrtL', () => {
    const state: ExplorerState = { ...base, residual: true, alpha: 'inv_sqrt_depth', beta: 0.5, normalization: 'layer_norm', placement: 'post', comparePlain: true, depth: 100 };
    const query = encodeState(state);
    expect(new URLSearchParams(query).get('res')).toBe('1');
    expect(new URLSearchParams(query).get('a')).toBe('isqrtL');
    expect(new URLSearchParams(query).get('norm')).toBe('layer_norm');
    expect(new URLSearchParams(query).get('place')).toBe('post');
    expect(new URLSearchParams(query).get('plain')).toBe('1');
    expect(decodeState(query)).toEqual({ state, problems: [] });
    expect(decodeState('res=1&a=0').state.alpha).toBe(0);
  });

  it('bad values are refused with a reason; per-layer widths do not survive residual blocks', () => {
    const { state, problems } = decodeState('res=yes&a=-1&b=9&norm=batch_norm&place=middle&plain=2');
    expect(state).toEqual(base);
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/a=-1: expected isqrtL \(1\/√L\) or a number from 0 to 4/);
    expect(problems.join('\n')).toMatch(/norm=batch_norm: expected none, layer_norm or rms_norm/);
    const residual = decodeState('res=1&w=8,4,8');
    expect(residual.state.widths).toBeNull();
    expect(residual.problems.join('\n')).toMatch(/residual blocks keep one width/);
  });

  it('residual on: L blocks β·x + α·f(x), f = [pre norm] dense, φ, dense; the tree resolves to 2·L weight layers', () => {
    const state: ExplorerState = { ...base, residual: true, depth: 2, width: 8, alpha: 'inv_sqrt_depth', beta: 1, normalization: 'layer_norm', placement: 'pre', biasVariance: 0.04, activation: 'relu', init: 'he_normal' };
    const spec = toNetworkSpec(state);
    const dense = { kind: 'dense', width: 8, init: 'he_normal', biasStd: 0.2 };
    expect(spec).toEqual({
      input: 8,
      layers: [
        {
          kind: 'repeat',
          times: 2,
          layers: [{ kind: 'residual', alpha: 1 / Math.sqrt(2), beta: 1, branch: [{ kind: 'layer_norm' }, dense, { kind: 'activation', activation: 'relu' }, dense] }],
        },
      ],
    });
    const network = resolveNetwork(spec);
    expect(network.layers.map((l) => l.path)).toEqual(['0/0/branch/1', '0/0/branch/3', '0/1/branch/1', '0/1/branch/3']);
    expect(network.sites.filter((s) => s.kind === 'residual')).toHaveLength(2);
  });

  it('post placement puts the normalization after each block; α presets 1 and 0 are numbers', () => {
    const spec = toNetworkSpec({ ...base, residual: true, depth: 3, width: 4, alpha: 0, normalization: 'rms_norm', placement: 'post' });
    if (!isTreeSpec(spec)) throw new Error('expected a tree');
    const repeat = spec.layers[0] as { kind: string; times: number; layers: { kind: string; alpha?: number; branch?: { kind: string }[] }[] };
    expect(repeat.times).toBe(3);
    expect(repeat.layers.map((n) => n.kind)).toEqual(['residual', 'rms_norm']);
    expect(repeat.layers[0].alpha).toBe(0);
    expect(repeat.layers[0].branch?.map((n) => n.kind)).toEqual(['dense', 'activation', 'dense']);
    expect(resolveNetwork(spec).layers).toHaveLength(6);
  });

  it('normalization alone: pre before every weight layer, post after every activation, none after the output', () => {
    const kinds = (placement: 'pre' | 'post') => {
      const spec = toNetworkSpec({ ...base, widths: [6, 5, 4], normalization: 'layer_norm', placement });
      if (!isTreeSpec(spec)) throw new Error('expected a tree');
      expect(spec.input).toBe(6);
      expect(resolveNetwork(spec).layers.map((l) => [l.fanIn, l.fanOut])).toEqual([[6, 5], [5, 4]]);
      return spec.layers.map((n) => n.kind);
    };
    expect(kinds('pre')).toEqual(['layer_norm', 'dense', 'activation', 'layer_norm', 'dense']);
    expect(kinds('post')).toEqual(['dense', 'activation', 'layer_norm', 'dense']);
  });

  it('the plain comparison is the shorthand with the same 2·L weight layers and the main init, under a name of its own', () => {
    const state: ExplorerState = { ...base, residual: true, depth: 5, width: 16, comparePlain: true, compareInit: 'standard', init: 'xavier_normal', gain: 1.5 };
    expect(comparisonOf(state)).toBe('plain');
    expect(widthsSpec(state, 'compare')).toEqual({ widths: Array(11).fill(16), activation: 'tanh', init: { name: 'xavier_normal', gain: 1.5 } });
    expect(resolveNetwork(toNetworkSpec(state, 'compare')).layers).toHaveLength(resolveNetwork(toNetworkSpec(state)).layers.length);
    expect(curveLabel(state, 'main', words)).toBe('xavier_normal(gain=1.5) · residual α=1');
    expect(curveLabel(state, 'compare', words)).toBe('xavier_normal(gain=1.5) · plain');
    // Without residual blocks or normalization the checkbox means nothing: the init comparison is back.
    expect(comparisonOf({ ...state, residual: false })).toBe('init');
    expect(curveLabel({ ...state, residual: false }, 'compare', words)).toBe('standard');
    expect(curveLabel({ ...state, residual: false }, 'main', words)).toBe('xavier_normal(gain=1.5)');
  });

  it('the explorer reads propagate: its lines are predictNetwork of the same tree (no second formula)', () => {
    const state: ExplorerState = { ...base, residual: true, depth: 6, width: 32, alpha: 0.5, normalization: 'rms_norm', placement: 'pre', comparePlain: true, activation: 'relu' };
    const theory = computeTheory(state);
    const prediction = predictNetwork(resolveNetwork(toNetworkSpec(state)));
    expect(theory.curves[0].forwardMeanField).toEqual(prediction.layers.map((l) => l.forward.meanField));
    expect(theory.curves[0].backwardExact).toEqual(prediction.layers.map((l) => l.backward.exact));
    expect(theory.phase).toBeNull();
  });

  it('the residual story: at 100 blocks the residual net stays within ×10 of 1, the plain net does not', () => {
    const story = STORIES.find((s) => s.id === 'residual');
    expect(story).toBeDefined();
    const state = applyStory(story!, base);
    expect(state.depth).toBe(100);
    const [residual, plain] = computeTheory(state).curves;
    const forward = (curve: typeof residual) => curve.forwardLinear.map((_, l) => testedPrediction(curve, 'forward', l));
    expect(forward(residual)).toHaveLength(200);
    for (const value of forward(residual)) expect(value).toSatisfy((v: number) => v > 0.1 && v < 10);
    expect(Math.max(...forward(plain))).toBeGreaterThan(1e3);
    // The numbers the story's words quote (src/i18n: stories.residual).
    expect(Math.min(...forward(residual))).toBeCloseTo(2.25, 2);
    expect(Math.max(...forward(residual))).toBeCloseTo(2.53, 2);
    expect(Math.max(...forward(plain))).toBeGreaterThan(3e10);
    expect(Math.max(...forward(plain))).toBeLessThan(4e10);
    // Both runs (residual and plain) fit the budget as the story sets them.
    expect(monteCarloWork(state)).toBeLessThanOrEqual(MONTE_CARLO_BUDGET);
  });

  it('deep residual nets get a small Monte Carlo; a plain default is left alone', () => {
    const deep: ExplorerState = { ...base, residual: true, depth: 100 };
    expect(monteCarloWork(deep)).toBeGreaterThan(MONTE_CARLO_BUDGET);
    const light = withLightMonteCarlo(deep);
    expect(monteCarloWork(light)).toBeLessThanOrEqual(MONTE_CARLO_BUDGET);
    expect(light.batch).toBe(16);
    expect(light.nets).toBe(DEFAULT_STATE.nets);
    // Past the batch floor the replicates go, but never below LIGHT_MIN_NETS (readable intervals).
    const many = withLightMonteCarlo({ ...deep, depth: 200, nets: 40 });
    expect(many.nets).toBe(LIGHT_MIN_NETS);
    expect(many.batch).toBe(16);
    expect(withLightMonteCarlo(base)).toEqual(base);
  });

  it('the report command says it is not exact for a tree', () => {
    expect(reportCommandIsExact({ ...base, residual: true })).toBe(false);
    expect(reportCommandIsExact({ ...base, normalization: 'layer_norm' })).toBe(false);
  });
});

describe('explorer histograms say which layers they show', () => {
  it('a 10-layer net drawn in 4 columns is titled with the layers drawn out of 10', async () => {
    const { histogramSpec } = await import('../../src/explorer/app/panels/histograms.js');
    const { catalogues } = await import('../../src/i18n/catalogue.js');
    const histogram = { edges: [-1, 0, 1], counts: [1, 1] };
    const distributions = Array.from({ length: 10 }, (_, i) => ({
      layer: i + 1,
      preActivation: { mean: 0, secondMoment: 1, fourthMoment: 3, histogram },
      gradient: { mean: 0, secondMoment: 1, fourthMoment: 3, histogram },
    }));
    const spec = histogramSpec(distributions, catalogues.en, 400) as { title?: { text: string } };
    expect(spec.title?.text).toBe('layers 1, 4, 7, 10 of 10');
  });
});
