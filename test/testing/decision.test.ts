/**
 * The decision procedure of checkVariance, tested on a synthetic engine whose replicate values have
 * a known law: forward[l] = forward[l−1]·c_l·(1 + s·z) with z ~ N(0, 1), so the ratio the checker
 * tests has expectation exactly c_l and the truth of every claim is known.
 */
import { describe, expect, it } from 'vitest';
import { InputError, NumericalBreakdownError } from '../../src/errors.js';
import type { MeasureOptions, RawMeasurement, ReplicateValues } from '../../src/numeric/measurement.js';
import { createRandom } from '../../src/math/random.js';
import { adjustedLevel, bandVerdict, lookSchedule } from '../../src/testing/decision.js';
import { checkVariance, type MeasureFunction } from '../../src/testing/variance.js';
import type { ResolvedNetwork } from '../../src/vocabulary/network.js';

/** A synthetic engine: per-layer multipliers for forward and backward, relative noise s. */
function syntheticEngine(forwardFactor: (l: number) => number, backwardFactor: (l: number) => number, noise = 0.05): MeasureFunction & { calls: number[] } {
  const calls: number[] = [];
  const measure = async (network: ResolvedNetwork, options: MeasureOptions): Promise<RawMeasurement> => {
    const random = createRandom(options.seed);
    const L = network.layers.length;
    const replicates: ReplicateValues[] = [];
    const limit = options.shouldStop ? (options.maxNets ?? options.nets) : options.nets;
    while (replicates.length < limit) {
      const forward: number[] = [];
      let q = network.inputVariance;
      for (let l = 1; l <= L; l++) {
        q *= forwardFactor(l) * (1 + noise * random.normal());
        forward.push(q);
      }
      const backward = new Array<number>(L);
      let d = 1 + noise * random.normal();
      backward[L - 1] = d;
      for (let l = L; l >= 2; l--) {
        d *= backwardFactor(l) * (1 + noise * random.normal());
        backward[l - 2] = d;
      }
      replicates.push({ forward, backward, weightGradient: forward.map(() => 1) });
      if (replicates.length >= options.nets && options.shouldStop?.(replicates)) break;
    }
    calls.push(replicates.length);
    return { replicates, distributions: [], elapsedSeconds: 0, dtype: options.dtype, batch: options.batch, seed: options.seed };
  };
  return Object.assign(measure, { calls });
}

const net4 = { widths: [64, 64, 64, 64, 64] };

describe('decision rule', () => {
  it('looks at a doubling schedule and splits the level over looks and quantities', () => {
    expect(lookSchedule(8, 256)).toEqual([8, 16, 32, 64, 128, 256]);
    expect(lookSchedule(8, 100)).toEqual([8, 16, 32, 64, 100]);
    expect(lookSchedule(8, 8)).toEqual([8]);
    expect(adjustedLevel(0.99, 5, 4)).toBeCloseTo(1 - 0.01 / 20, 15);
    expect(bandVerdict(0.97, 1.03, 0.05)).toBe('holds');
    expect(bandVerdict(0.4, 0.6, 0.05)).toBe('fails');
    expect(bandVerdict(1.06, 1.2, 0.05)).toBe('fails');
    expect(bandVerdict(0.9, 1.01, 0.05)).toBe('undecided');
  });

  it('holds for a true claim, stopping at the first decisive look', async () => {
    const engine = syntheticEngine(() => 1, () => 1);
    const result = await checkVariance(net4, 'forward-preserved', { measure: engine });
    expect(result.verdict).toBe('holds');
    expect(result.layers.map((r) => r.layer)).toEqual([2, 3, 4]);
    expect(result.samples.nets).toBe(result.samples.looks.find((n) => n >= result.samples.nets));
    expect(result.samples.nets).toBeLessThan(256);
    for (const row of result.layers) {
      expect(row.ratioLow).toBeGreaterThanOrEqual(0.95);
      expect(row.ratioHigh).toBeLessThanOrEqual(1.05);
    }
    expect(result.explanation).toMatch(/holds within ±5%/);
  });

  it('fails a claim that is 10% off, naming the layer, the size and the direction', async () => {
    const engine = syntheticEngine((l) => (l === 3 ? 0.9 : 1), () => 1);
    const result = await checkVariance(net4, 'forward-preserved', { measure: engine });
    expect(result.verdict).toBe('fails');
    const layer3 = result.layers.find((r) => r.layer === 3)!;
    expect(layer3.verdict).toBe('fails');
    expect(layer3.ratio).toBeGreaterThan(0.85);
    expect(layer3.ratio).toBeLessThan(0.95);
    expect(layer3.z).toBeLessThan(0);
    expect(result.explanation).toMatch(/fails at layer 3: E\[h₃²\] is \d+(\.\d+)?% too small/);
  });

  it('fails the backward claim at the layer whose gradient grows', async () => {
    const engine = syntheticEngine(() => 1, (l) => (l === 2 ? 1.5 : 1));
    const result = await checkVariance(net4, 'backward-preserved', { measure: engine });
    expect(result.verdict).toBe('fails');
    expect(result.explanation).toMatch(/at layer 2: E\[d₁²\] is \d+(\.\d+)?% too large/);
  });

  it('is undecided, not a coin flip, when the truth sits on the tolerance edge and the budget is small', async () => {
    const engine = syntheticEngine((l) => (l === 2 ? 1.05 : 1), () => 1);
    const result = await checkVariance(net4, 'forward-preserved', { measure: engine, maxNets: 64 });
    expect(result.verdict).toBe('undecided');
    expect(result.samples.nets).toBe(64);
    expect(result.explanation).toMatch(/^undecided: after the budget of 64 replicate networks/);
    expect(result.explanation).toMatch(/raise maxNets or batch/);
  });

  it('tests expression claims per replicate, with q_prev the replicate’s own previous layer', async () => {
    const engine = syntheticEngine((l) => (l === 1 ? 3 : 0.5), () => 1);
    const right = await checkVariance(net4, { forward: 'l == 1 ? 3*gamma2 : q_prev/2' }, { measure: engine });
    expect(right.verdict).toBe('holds');
    const wrong = await checkVariance(net4, { forward: 'l == 1 ? 3*gamma2 : 1.1*q_prev/2' }, { measure: engine });
    expect(wrong.verdict).toBe('fails');
    const custom = await checkVariance(net4, (c) => ({ forward: c.l === 1 ? 3 * c.gamma2 : c.q_prev / 2 }), { measure: engine });
    expect(custom.verdict).toBe('holds');
  });

  it('reports a breakdown from the engine as a failure that names the layer', async () => {
    const exploding: MeasureFunction = async () => {
      throw new NumericalBreakdownError('exploded', 3, 'forward');
    };
    const result = await checkVariance(net4, 'forward-preserved', { measure: exploding });
    expect(result.verdict).toBe('fails');
    expect(result.explanation).toMatch(/^exploded at layer 3 \(forward pass\)/);
    const vanishing = syntheticEngine((l) => (l >= 3 ? 0 : 1), () => 1);
    const vanished = await checkVariance(net4, 'forward-preserved', { measure: vanishing });
    expect(vanished.verdict).toBe('fails');
    expect(vanished.explanation).toMatch(/^vanished at layer \d/);
  });

  it('has a false-failure rate below 1 − level on true claims, and rarely passes 10% errors (200 runs each)', async () => {
    // 200 independent runs of a true claim at level 0.9: P(fails) ≤ 0.1 per run by construction (in
    // fact far lower, Bonferroni is conservative). Binomial(200, 0.1) exceeds 32 with probability < 0.5%.
    let falseFailures = 0;
    let falsePasses = 0;
    const engine = syntheticEngine(() => 1, () => 1, 0.2);
    const wrong = syntheticEngine((l) => (l === 2 ? 1.1 : 1), () => 1, 0.2);
    for (let seed = 0; seed < 200; seed++) {
      const options = { measure: engine, seed, level: 0.9, maxNets: 64 } as const;
      if ((await checkVariance(net4, 'forward-preserved', options)).verdict === 'fails') falseFailures++;
      if ((await checkVariance(net4, 'forward-preserved', { ...options, measure: wrong, tolerance: 0.02 })).verdict === 'holds') falsePasses++;
    }
    expect(falseFailures).toBeLessThanOrEqual(32);
    expect(falsePasses).toBeLessThanOrEqual(32);
  });

  it('converts a single layer into a two-layer harness and reports it as one layer', async () => {
    const engine = syntheticEngine(() => 1, () => 1);
    const result = await checkVariance({ fanIn: 32, fanOut: 32, activation: 'relu', init: 'he_normal' }, 'forward-preserved', { measure: engine });
    expect(result.layers).toHaveLength(1);
    expect(result.layers[0]).toMatchObject({ layer: 1, quantity: 'E[h_out²]', claimed: 'E[h_in²]' });
  });

  it('rejects bad options, specs and claims with an InputError naming the field', async () => {
    const engine = syntheticEngine(() => 1, () => 1);
    const cases: [unknown, unknown, unknown, RegExp][] = [
      [net4, 'forward-preserved', { level: 1 }, /^options\.level = 1 is not allowed/],
      [net4, 'forward-preserved', { tolerance: 0 }, /^options\.tolerance = 0/],
      [net4, 'forward-preserved', { batch: 0 }, /^options\.batch = 0/],
      [net4, 'forward-preserved', { maxNets: 4, minNets: 8 }, /^options\.maxNets = 4/],
      [net4, 'forward-preserved', { minNets: 1 }, /^options\.minNets = 1/],
      [net4, 'forward-preserved', { dtype: 'float16' }, /^options\.dtype = "float16"/],
      [net4, 'forward-preserved', { nets: 8 }, /^options\.nets = 8 is not allowed: expected one of the options/],
      [net4, 'sideways-preserved', {}, /^claim = "sideways-preserved"/],
      [net4, { forward: '2*gamma' }, {}, /^claim\.forward = "2\*gamma" is not allowed: expected an expression in n_in, .*Unknown symbol gamma/],
      [net4, { forward: '2*(gamma2' }, {}, /^claim\.forward = "2\*\(gamma2" is not allowed: expected an expression mathjs can parse/],
      [net4, { forward: 'd_next' }, {}, /^claim\.forward = "d_next".*Unknown symbol d_next/],
      [net4, { forward: 'gamma2 - 1' }, {}, /^claim\.forward = "gamma2 - 1" is not allowed: expected an expression that evaluates to a positive finite number. At layer 1 it gives 0/],
      [net4, {}, {}, /^claim = \{\} is not allowed: expected at least one of forward or backward/],
      [{ widths: [8] }, 'forward-preserved', {}, /^widths = \[8\]/],
      [{ widths: [8, 8] }, 'forward-preserved', {}, /^claim = "forward-preserved" is not allowed: expected a claim that tests at least one quantity/],
      [{ widths: [8, 8], fanIn: 8 }, 'forward-preserved', {}, /^spec = .* either widths/],
      [{ fanIn: 0, fanOut: 8 }, 'forward-preserved', {}, /^spec\.fanIn = 0 is not allowed: expected a positive integer/],
      [{ fanIn: 8, fanOut: 8.5 }, 'forward-preserved', {}, /^spec\.fanOut = 8\.5/],
      [null, 'forward-preserved', {}, /^spec = null/],
    ];
    for (const [spec, claim, options, message] of cases) {
      const attempt = checkVariance(spec as never, claim as never, { measure: engine, ...(options as object) });
      await expect(attempt, JSON.stringify([spec, claim, options])).rejects.toThrow(InputError);
      await expect(checkVariance(spec as never, claim as never, { measure: engine, ...(options as object) })).rejects.toThrow(message);
    }
  });
});
