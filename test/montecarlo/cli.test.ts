/**
 * `varprop check` and `varprop demo sigmoid` end to end, in-process via `main(argv, memoryIO())`:
 * the JSON contract's field names, exit codes (0 pass, 1 failed check, 2 bad input), same seed same
 * output, sequential sampling with --rel-width.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { CheckReport } from '../../src/numeric/measurement.js';
import { checkNetwork } from '../../src/numeric/check.js';
import { runSigmoidDemo } from '../../src/numeric/demos/sigmoid.js';

async function run(args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const QUANTITY_KEYS = ['band', 'ciHigh', 'ciLow', 'estimate', 'exact', 'interval', 'linear', 'meanField', 'pass', 'stderr', 'tested', 'tolerance', 'verdict', 'z'];

describe('varprop check', () => {
  it('--json prints exactly the contract: {pass, elapsedSeconds, layers: [{layer, fanIn, fanOut, forward, backward, weightGradient}]}', async () => {
    const { code, out, err } = await run(['check', '--widths', '30,20,10', '--act', 'tanh', '--init', 'xavier_uniform', '--batch', '32', '--nets', '4', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as CheckReport;
    expect(typeof report.pass).toBe('boolean');
    expect(typeof report.elapsedSeconds).toBe('number');
    expect(report.layers).toHaveLength(2);
    report.layers.forEach((layer, i) => {
      expect(Object.keys(layer).sort()).toEqual(['backward', 'fanIn', 'fanOut', 'forward', 'layer', 'path', 'weightGradient']);
      expect(layer.layer).toBe(i + 1);
      expect([layer.fanIn, layer.fanOut]).toEqual([[30, 20], [20, 10]][i]);
      for (const q of [layer.forward, layer.backward, layer.weightGradient]) {
        expect(Object.keys(q).sort()).toEqual(QUANTITY_KEYS);
        expect(['exact', 'meanField']).toContain(q.tested);
        expect(q.exact === null || typeof q.exact === 'number').toBe(true);
        for (const key of ['estimate', 'stderr', 'ciLow', 'ciHigh', 'linear', 'meanField', 'z'] as const) expect(Number.isFinite(q[key])).toBe(true);
      }
    });
    expect(report.layers[0].forward.tested).toBe('exact');
    expect(report.layers[1].forward.tested).toBe('meanField');
    expect(out).not.toMatch(/NaN|null,\s*"meanField": null/);
  });

  it('prints a table and a verdict naming the tested predictions; same seed, same numbers', async () => {
    const args = ['check', '--widths', '40,40,40', '--act', 'relu', '--init', 'he_normal', '--batch', '32', '--nets', '5', '--seed', '11'];
    const first = await run(args);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/layer\s+quantity\s+linear\s+exact\s+mean-field\s+tested ± band\s+measured \[interval\]\s+z\s+pass/);
    expect(first.out).toMatch(/PASS: none of the 8 measured second moments contradicts its prediction at family level 99%; a quantity fails when its [\d.]+% interval \(log-scale, Bonferroni over \d+\) misses its band: exact predictions within ±0%/);
    const a = JSON.parse((await run([...args, '--json'])).out) as CheckReport;
    const b = JSON.parse((await run([...args, '--json'])).out) as CheckReport;
    const c = JSON.parse((await run([...args.slice(0, -1), '12', '--json'])).out) as CheckReport;
    expect({ ...a, elapsedSeconds: 0 }).toEqual({ ...b, elapsedSeconds: 0 });
    expect(a.layers[1].forward.estimate).not.toBe(c.layers[1].forward.estimate);
  });

  it('--help states the decision rule and the tolerances; --json carries them', async () => {
    const help = await run(['check', '--help']);
    expect(help.out).toMatch(/Decision rule: Per quantity, an interval .* simultaneous level 1 − \(1 − level\)\/\(quantities × looks\)/);
    expect(help.out).toMatch(/--tolerance <r>\s+relative band around a mean-field prediction/);
    expect(help.out).toMatch(/--exact-tolerance <r>\s+relative band around an exact prediction/);
    const { out } = await run(['check', '--widths', '20,20,20', '--act', 'tanh', '--init', 'xavier_normal', '--batch', '16', '--nets', '4', '--tolerance', '0.1', '--json']);
    const report = JSON.parse(out) as CheckReport;
    expect(report.tolerance).toEqual({ exact: 0, meanField: 0.1 });
    expect(report.decisionRule).toMatch(/^Per quantity/);
    expect(report.layers[1].forward.band).toEqual([report.layers[1].forward.meanField * 0.9, report.layers[1].forward.meanField * 1.1]);
  });

  it('--bias-std and --input-variance enter the predictions: q_1 = n_0·Var[w]·γ² + σ_b²', async () => {
    const { code, out } = await run(['check', '--widths', '30,20', '--init', 'lecun_normal', '--bias-std', '0.5', '--input-variance', '2', '--batch', '32', '--nets', '6', '--dtype', 'float64', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as CheckReport;
    expect(report.layers[0].forward.exact).toBeCloseTo(2 + 0.25, 12);
    expect(report.dtype).toBe('float64');
  });

  it('a failing check exits 1: tanh at width 4 is far from its mean-field values', async () => {
    const { code, out } = await run(['check', '--widths', '4,4,4,4', '--act', 'tanh', '--init', 'xavier_normal', '--batch', '16', '--nets', '1000', '--dtype', 'float64']);
    expect(out).toMatch(/FAIL: \d+ of 13 measured second moments contradict their predictions at family level 99%: .*; a quantity fails when its [\d.]+% interval .* misses its band: exact predictions within ±0%, mean-field ones within ±5%/);
    expect(code).toBe(1);
  });

  it.each([
    [['--batch', '0'], /--batch = "0" is not allowed: expected a positive integer/],
    [['--nets', '1'], /--nets = "1" is not allowed: expected an integer from 2 to 100000/],
    [['--init', 'no_such_preset'], /init = "no_such_preset" is not allowed: expected one of /],
    [['--level', '1.5'], /--level = "1.5" is not allowed/],
    [['--widths', '120000,120000'], /would need [\d.]+ (GiB|TiB), more than the memory budget/],
    [['--widths', '10,x'], /--widths\[1\] = "x" is not allowed: expected a positive integer/],
  ])('bad input %j: one clear line, exit 2', async (extra, message) => {
    const args = ['check', '--widths', '10,10', '--batch', '8', '--nets', '2'];
    for (let i = 0; i < extra.length; i += 2) {
      const at = args.indexOf(extra[i]);
      if (at >= 0) args[at + 1] = extra[i + 1];
      else args.push(extra[i], extra[i + 1]);
    }
    const { code, err, out } = await run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('--rel-width keeps sampling until every interval is that narrow, within --max-nets', async () => {
    const { code, out } = await run(['check', '--widths', '32,32,32', '--act', 'relu', '--init', 'he_normal', '--batch', '32', '--nets', '4', '--rel-width', '0.08', '--max-nets', '400', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as CheckReport;
    expect(report.nets).toBeGreaterThan(4);
    expect(report.nets).toBeLessThan(400);
    for (const layer of report.layers) {
      for (const q of [layer.forward, layer.backward, layer.weightGradient]) expect((q.ciHigh - q.ciLow) / 2 / Math.abs(q.estimate)).toBeLessThan(0.08);
    }
  });

  it('library options are validated with the field named', async () => {
    await expect(checkNetwork({ widths: [4, 4] }, { batch: 0 })).rejects.toThrow(/batch = 0 is not allowed: expected a positive integer/);
    await expect(checkNetwork({ widths: [4, 4] }, { relWidth: -1 })).rejects.toThrow(/relWidth = -1/);
    await expect(checkNetwork({ widths: [4, 0] }, {})).rejects.toThrow(/widths\[1\]/);
  });
});

describe('demo: sigmoid gradients vanish', () => {
  it('measured gradient RMS per layer stays below (1/4)^k and matches the mean-field χ-map (99% intervals)', async () => {
    const result = await runSigmoidDemo({ depth: 8, width: 192, batch: 64, nets: 6, seed: 2 });
    expect(result.breakdown).toBeUndefined();
    for (const layer of result.layers) {
      expect(layer.measured.ciLow).toBeLessThan(layer.meanField);
      expect(layer.measured.ciHigh).toBeGreaterThan(layer.meanField);
      if (layer.layersAbove > 0) expect(layer.measuredRms).toBeLessThan(layer.boundRms);
    }
    expect(result.layers[0].boundRms).toBeCloseTo(0.25 ** 7, 12);
    expect(result.layers[0].measuredRms).toBeLessThan(1e-4);
  });

  it('`varprop demo sigmoid --json` prints per-layer data', async () => {
    const { code, out } = await run(['demo', 'sigmoid', '--json']);
    expect(code).toBe(0);
    const data = JSON.parse(out) as { layers: { layer: number; boundRms: number; meanFieldRms: number; measuredRms: number }[] };
    expect(data.layers).toHaveLength(10);
  });
});
