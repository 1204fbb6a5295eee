/**
 * The intervals checks use are honest for right-skewed, few-replicate second moments, measured on
 * the real engine (float64, fixed seeds, ≥ 1000 checks per row, including narrow deep relu/He
 * networks where the skew is worst), and docs/testing.md holds today's figures.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binomialBand,
  COVERAGE_CONFIGS,
  coverageTable,
  measureCoverage,
  measureFailureRate,
  RATE_CONFIGS,
  rateTable,
  type CoverageRow,
  type RateRow,
} from '../../src/numeric/calibration.js';

const docs = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/testing.md'), 'utf8');
const between = (name: string) => {
  const match = new RegExp(`<!-- calibration:${name} -->\\n([\\s\\S]*?)\\n<!-- /calibration:${name} -->`).exec(docs);
  return match?.[1];
};

const coverage: CoverageRow[] = [];
const rates: RateRow[] = [];

beforeAll(async () => {
  for (const config of COVERAGE_CONFIGS) coverage.push(...(await measureCoverage(config)));
  for (const config of RATE_CONFIGS) rates.push(await measureFailureRate(config));
}, 600_000);

describe('interval coverage for exact predictions (real engine, fixed seeds)', () => {
  it('has at least 1000 checks per row, narrow deep relu/He networks among them', () => {
    expect(coverage.length).toBe(COVERAGE_CONFIGS.length * 2);
    for (const row of coverage) expect(row.checks).toBeGreaterThanOrEqual(1000);
    expect(COVERAGE_CONFIGS.some((c) => c.nets === 4 && 'widths' in c.spec && c.spec.widths.length >= 7 && Math.max(...c.spec.widths) <= 20)).toBe(true);
  });

  it('covers within the binomial noise of the nominal level (one-sided, 99% band), never with a negative lower bound', () => {
    for (const row of coverage) {
      const [low] = binomialBand(row.level, row.checks, 0.99);
      expect(row.covered, `${row.name} at ${row.level}`).toBeGreaterThanOrEqual(low);
      expect(row.negative).toBe(0);
    }
  });

  it('the plain t interval it replaces does not (the test can fail): it under-covers on narrow deep relu nets', () => {
    const narrow = coverage.filter((row) => row.name.startsWith('relu/He, widths 10×6 layers, 4 nets') && row.level === 0.99)[0];
    const [low] = binomialBand(0.99, narrow.checks, 0.99);
    expect(narrow.coveredT).toBeLessThan(low);
    expect(narrow.negativeT).toBeGreaterThan(narrow.checks / 2);
  });

  it('docs/testing.md shows this table', () => {
    expect(between('coverage')).toBe(coverageTable(coverage));
  });
});

describe('varprop check: false failures on correct settings and power against a 10% wrong formula', () => {
  it("holds the 1% level on issue 14's small settings (3,8,1,1 × 4 nets × 4; 64,2 × 3 nets; 16³ × 2 nets)", () => {
    for (const row of rates.slice(0, 3)) {
      expect(row.factor).toBe(1);
      // 200 runs: at a true rate of 1%, more than 6 failures has probability < 0.5%.
      expect(row.failed * row.runs, row.name).toBeLessThanOrEqual(6);
    }
  });

  it('rejects a formula 10% too high on 64-wide and 256-wide relu networks with ≥ 95% power', () => {
    for (const row of rates.filter((r) => r.factor !== 1)) expect(row.failed, row.name).toBeGreaterThanOrEqual(0.95);
  });

  it('docs/testing.md shows this table', () => {
    expect(between('rates')).toBe(rateTable(rates));
  });
});
