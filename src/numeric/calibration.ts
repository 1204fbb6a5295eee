/**
 * How often the decision procedure (src/numeric/decision.ts) is wrong, measured on the real engine:
 * interval coverage for exact predictions, the false-failure rate of `checkNetwork` on correct
 * settings, and its power against a 10% wrong formula. Fixed seeds, float64, the in-process plain
 * backend, small networks: every figure is reproducible and takes seconds.
 *
 * `npx tsx scripts/coverage.ts` prints these tables; docs/testing.md holds them between markers and
 * test/montecarlo/coverage.test.ts recomputes them, so the documented numbers cannot drift.
 */
import { resolveNetwork, type NetworkSpec } from '../vocabulary/network.js';
import { predictNetwork } from '../symbolic/predict.js';
import { secondMomentInterval, studentTQuantile, tInterval } from '../math/statistics.js';
import { checkResolvedNetwork, type CheckOptions, type MeasureFunction } from './check.js';

const QUANTITIES = ['forward', 'backward', 'weightGradient'] as const;

/** One configuration of the coverage study. */
export interface CoverageConfig {
  name: string;
  spec: NetworkSpec;
  nets: number;
  batch: number;
  /** Seeds 1..seeds; each gives 3·L checks (one per quantity). */
  seeds: number;
}

/** The configurations of the documented coverage table (exact predictions only). */
export const COVERAGE_CONFIGS: readonly CoverageConfig[] = [
  { name: 'relu/He, widths 10×6 layers, 4 nets × 16', spec: { widths: [10, 10, 10, 10, 10, 10, 10], activation: 'relu', init: 'he_normal' }, nets: 4, batch: 16, seeds: 60 },
  { name: 'relu/He, widths 20,5,12,8,16,5,10, 4 nets × 16', spec: { widths: [20, 5, 12, 8, 16, 5, 10], activation: 'relu', init: 'he_normal' }, nets: 4, batch: 16, seeds: 60 },
  { name: 'relu/He, widths 10×6 layers, 32 nets × 16', spec: { widths: [10, 10, 10, 10, 10, 10, 10], activation: 'relu', init: 'he_normal' }, nets: 32, batch: 16, seeds: 60 },
  { name: 'identity/Xavier, widths 32,16,48,24, 8 nets × 32', spec: { widths: [32, 16, 48, 24], activation: 'identity', init: 'xavier_normal' }, nets: 8, batch: 32, seeds: 120 },
  { name: 'leaky relu 0.2 + bias 0.3, LeCun, widths 24⁴, 5 nets × 32', spec: { widths: [24, 24, 24, 24], activation: { name: 'leaky_relu', slope: 0.2 }, init: 'lecun_uniform', biasStd: 0.3 }, nets: 5, batch: 32, seeds: 120 },
];

/** The nominal levels of the table. */
export const COVERAGE_LEVELS = [0.9, 0.99] as const;

export interface CoverageRow {
  name: string;
  checks: number;
  level: number;
  /** Fraction of checks whose interval contained the exact prediction: the project's interval. */
  covered: number;
  /** The same for the plain t interval (what checks used before), for comparison. */
  coveredT: number;
  /** Intervals of the plain t method with a negative lower bound. */
  negativeT: number;
  /** Intervals of the project's method with a negative lower bound (always 0). */
  negative: number;
}

async function engine(): Promise<MeasureFunction> {
  const { measureNetwork } = await import('./engine.js');
  return measureNetwork;
}

/** Coverage of one configuration at each level: the exact prediction inside the per-quantity interval. */
export async function measureCoverage(config: CoverageConfig, levels: readonly number[] = COVERAGE_LEVELS): Promise<CoverageRow[]> {
  const measure = await engine();
  const network = resolveNetwork(config.spec);
  const theory = predictNetwork(network);
  const rows = levels.map((level) => ({ name: config.name, checks: 0, level, covered: 0, coveredT: 0, negativeT: 0, negative: 0 }));
  for (let seed = 1; seed <= config.seeds; seed++) {
    const raw = await measure(network, { nets: config.nets, batch: config.batch, seed, dtype: 'float64' });
    if (raw.replicates.length < 2) throw new Error(`${config.name}: seed ${seed} left fewer than two replicates`);
    for (let l = 0; l < network.layers.length; l++) {
      for (const name of QUANTITIES) {
        const truth = theory.layers[l][name].exact;
        if (truth === null) throw new Error(`${config.name}: no exact prediction for ${name} at layer ${l + 1}`);
        const values = raw.replicates.map((r) => r[name][l]);
        for (const row of rows) {
          const ours = secondMomentInterval(values, row.level, truth);
          const plain = tInterval(values, row.level);
          row.checks++;
          if (ours.ciLow <= truth && truth <= ours.ciHigh) row.covered++;
          if (plain.ciLow <= truth && truth <= plain.ciHigh) row.coveredT++;
          if (ours.ciLow < 0) row.negative++;
          if (plain.ciLow < 0) row.negativeT++;
        }
      }
    }
  }
  return rows.map((row) => ({ ...row, covered: row.covered / row.checks, coveredT: row.coveredT / row.checks }));
}

/**
 * The two-sided band of binomial noise around a nominal coverage p over n independent checks at
 * confidence `confidence`: p ± z·√(p(1−p)/n). (Checks of one network are correlated, so the true
 * noise is somewhat larger; the band is a floor, not a ceiling.)
 */
export function binomialBand(p: number, n: number, confidence = 0.99): [number, number] {
  const z = studentTQuantile((1 + confidence) / 2, 1e9);
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return [p - half, p + half];
}

/** One setting of the false-failure / power study of `checkNetwork`. */
export interface RateConfig {
  name: string;
  spec: NetworkSpec;
  options: Pick<CheckOptions, 'nets' | 'batch'>;
  seeds: number;
  /** Multiplies every tested prediction (1: the correct theory; 1.1: a 10% wrong formula). */
  factor: number;
}

/** Settings of the documented false-failure and power table (the first three are issue 14's small settings). */
export const RATE_CONFIGS: readonly RateConfig[] = [
  { name: 'identity/Xavier, widths 3,8,1,1, 4 nets × 4', spec: { widths: [3, 8, 1, 1], activation: 'identity', init: 'xavier_uniform' }, options: { nets: 4, batch: 4 }, seeds: 200, factor: 1 },
  { name: 'identity/variance_scaling, widths 64,2, 3 nets × 256', spec: { widths: [64, 2], activation: 'identity', init: 'variance_scaling' }, options: { nets: 3, batch: 256 }, seeds: 200, factor: 1 },
  { name: 'identity/Xavier, widths 16,16,16, 2 nets × 256', spec: { widths: [16, 16, 16], activation: 'identity', init: 'xavier_uniform' }, options: { nets: 2, batch: 256 }, seeds: 200, factor: 1 },
  { name: 'relu/He, widths 10×6 layers, 4 nets × 16', spec: { widths: [10, 10, 10, 10, 10, 10, 10], activation: 'relu', init: 'he_normal' }, options: { nets: 4, batch: 16 }, seeds: 200, factor: 1 },
  { name: 'relu/He, widths 64⁴, 8 nets × 32', spec: { widths: [64, 64, 64, 64], activation: 'relu', init: 'he_normal' }, options: { nets: 8, batch: 32 }, seeds: 1000, factor: 1 },
  { name: 'relu/He, widths 64⁴, 8 nets × 32, formula 10% high', spec: { widths: [64, 64, 64, 64], activation: 'relu', init: 'he_normal' }, options: { nets: 8, batch: 32 }, seeds: 200, factor: 1.1 },
  { name: 'relu/He, widths 256³, 8 nets × 32, formula 10% high', spec: { widths: [256, 256, 256], activation: 'relu', init: 'he_normal' }, options: { nets: 8, batch: 32 }, seeds: 100, factor: 1.1 },
  { name: 'relu/He, widths 64⁴, 32 nets × 32, formula 10% high', spec: { widths: [64, 64, 64, 64], activation: 'relu', init: 'he_normal' }, options: { nets: 32, batch: 32 }, seeds: 100, factor: 1.1 },
];

export interface RateRow {
  name: string;
  runs: number;
  factor: number;
  /** Fraction of runs whose check failed (false failures for factor 1, power otherwise). */
  failed: number;
}

/** Runs `checkNetwork` (level 0.99, float64) over seeds 1..seeds and counts failed checks. */
export async function measureFailureRate(config: RateConfig): Promise<RateRow> {
  const measure = await engine();
  const network = resolveNetwork(config.spec);
  const theory = predictNetwork(network);
  const scaled = (name: (typeof QUANTITIES)[number]) => theory.layers.map((layer) => config.factor * (layer[name].exact ?? layer[name].meanField));
  const predictions = config.factor === 1 ? undefined : () => ({ forward: scaled('forward'), backward: scaled('backward'), weightGradient: scaled('weightGradient') });
  let failed = 0;
  for (let seed = 1; seed <= config.seeds; seed++) {
    const report = await checkResolvedNetwork(network, { ...config.options, seed, dtype: 'float64', level: 0.99, measure, predictions });
    if (!report.pass) failed++;
  }
  return { name: config.name, runs: config.seeds, factor: config.factor, failed: failed / config.seeds };
}

function percent(value: number, digits = 1): string {
  return `${(100 * value).toFixed(digits)}%`;
}

/** The coverage table as Markdown. */
export function coverageTable(rows: readonly CoverageRow[]): string {
  const lines = ['| configuration | checks | nominal | observed (log-scale hull) | binomial 99% band | plain t (before) | t lower bound < 0 |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const [low, high] = binomialBand(row.level, row.checks);
    lines.push(`| ${row.name} | ${row.checks} | ${percent(row.level, 0)} | ${percent(row.covered, 2)} | ${percent(low, 2)}–${percent(Math.min(1, high), 2)} | ${percent(row.coveredT, 2)} | ${row.negativeT} of ${row.checks} |`);
  }
  return lines.join('\n');
}

/** The false-failure / power table as Markdown. */
export function rateTable(rows: readonly RateRow[]): string {
  const lines = ['| setting | formula | runs (seeds) | check failed |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    lines.push(`| ${row.name.replace(/, formula 10% high$/, '')} | ${row.factor === 1 ? 'correct (false failures)' : `${Math.round((row.factor - 1) * 100)}% too high (power)`} | ${row.runs} | ${percent(row.failed)} |`);
  }
  return lines.join('\n');
}
