/**
 * Verdicts that read right: every quantity's verdict follows from the numbers printed beside it
 * (its interval and its band), a mean-field prediction is tested within a stated tolerance so that
 * many samples do not fail it for its O(1/width) bias, and `check --help` states the rule.
 */
import { describe, expect, it } from 'vitest';
import { checkNetwork } from '../../src/numeric/check.js';
import { DECISION_RULE, decidePrediction } from '../../src/numeric/decision.js';
import { measureNetwork } from '../../src/numeric/engine.js';
import type { CheckReport } from '../../src/numeric/measurement.js';
import { formatCheckReport } from '../../src/cli/commands/check.js';

const quantities = (report: CheckReport) => report.layers.flatMap((l) => [l.forward, l.backward, l.weightGradient]);

describe('a verdict never contradicts its interval and band', () => {
  it.each([
    ['tanh, width 4, 1000 nets (mean-field far off)', { widths: [4, 4, 4, 4], activation: 'tanh', init: 'xavier_normal' }, { nets: 1000, batch: 16 }],
    ['x^3, width 8', { widths: [8, 8, 8], activation: 'x^3', init: 'xavier_normal' }, { nets: 8, batch: 16 }],
    ['relu/He, width 10, 4 nets', { widths: [10, 10, 10, 10], activation: 'relu', init: 'he_normal' }, { nets: 4, batch: 16 }],
  ])('%s', async (_name, spec, options) => {
    const report = await checkNetwork(spec, { ...options, seed: 1, dtype: 'float64', measure: measureNetwork });
    expect(report.decisionRule).toBe(DECISION_RULE);
    expect(report.tolerance).toEqual({ exact: 0, meanField: 0.05 });
    for (const q of quantities(report)) {
      const [low, high] = q.band!;
      const prediction = q.tested === 'exact' ? q.exact! : q.meanField;
      expect(low).toBeCloseTo(prediction * (1 - q.tolerance!), 12);
      expect(high).toBeCloseTo(prediction * (1 + q.tolerance!), 12);
      expect(q.ciLow).toBeGreaterThanOrEqual(0);
      const missesBand = q.ciHigh < low || q.ciLow > high;
      expect(q.pass).toBe(!missesBand);
      expect(q.verdict === 'fails').toBe(missesBand);
    }
    const table = formatCheckReport(report, spec);
    expect(table).toMatch(/tested ± band/);
    expect(table).toMatch(/(PASS|FAIL): .* a quantity fails when its [\d.]+% interval \(log-scale, Bonferroni over \d+\) misses its band/);
  }, 120_000);
});

describe('mean-field predictions are tested within a tolerance, exact ones strictly', () => {
  it('tanh at width 16 with 2000 nets: passes within ±5%, fails a strict test (its O(1/width) bias is resolved)', async () => {
    const spec = { widths: [16, 16, 16, 16], activation: 'tanh', init: 'xavier_normal' };
    const options = { nets: 2000, batch: 16, seed: 2, dtype: 'float64' as const, measure: measureNetwork };
    const banded = await checkNetwork(spec, options);
    expect(banded.pass).toBe(true);
    const strict = await checkNetwork(spec, { ...options, tolerance: 0 });
    expect(strict.pass).toBe(false);
    expect(quantities(strict).filter((q) => !q.pass).every((q) => q.tested === 'meanField')).toBe(true);
  }, 120_000);

  it('an exact prediction 10% off fails even with a tolerance on mean-field ones', async () => {
    const report = await checkNetwork(
      { widths: [256, 256, 256], activation: 'relu', init: 'he_normal' },
      { nets: 8, batch: 32, seed: 3, dtype: 'float64', measure: measureNetwork, tolerance: 0.5, predictions: (network) => ({
        forward: network.layers.map(() => 2 * 1.1),
        backward: network.layers.map(() => 1),
        weightGradient: network.layers.map(() => 1),
      }) },
    );
    expect(report.layers.map((l) => l.forward.pass)).toEqual([false, false]);
    expect(report.layers.every((l) => l.forward.tolerance === 0 && l.forward.tested === 'exact')).toBe(true);
  });
});

describe('structural zeros', () => {
  it('a prediction of exactly 0 measured as exactly 0 in every replicate holds; any non-zero value does not', () => {
    expect(decidePrediction([0, 0, 0, 0], 0, 0.99, 0).verdict).toBe('holds');
    expect(decidePrediction([0, 0, 1e-3, 0], 0, 0.99, 0).verdict).not.toBe('holds');
  });
});
