// `npx tsx scripts/coverage.ts`: measures, on the real engine (float64, fixed seeds), the coverage of
// the intervals checks use and the false-failure rate and power of `checkNetwork`, and prints both
// tables (src/numeric/calibration.ts). `--write` also puts them into docs/testing.md between the
// `calibration` markers; test/montecarlo/coverage.test.ts checks that the docs hold today's numbers.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  COVERAGE_CONFIGS,
  coverageTable,
  measureCoverage,
  measureFailureRate,
  RATE_CONFIGS,
  rateTable,
} from '../src/numeric/calibration.js';

export async function calibrationTables(): Promise<{ coverage: string; rates: string }> {
  const coverageRows = [];
  for (const config of COVERAGE_CONFIGS) coverageRows.push(...(await measureCoverage(config)));
  const rateRows = [];
  for (const config of RATE_CONFIGS) rateRows.push(await measureFailureRate(config));
  return { coverage: coverageTable(coverageRows), rates: rateTable(rateRows) };
}

/** Replaces the text between `<!-- calibration:NAME -->` and `<!-- /calibration:NAME -->`. */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const open = `<!-- calibration:${name} -->`;
  const close = `<!-- /calibration:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/testing.md has no ${open} … ${close} block`);
  return `${text.slice(0, start + open.length)}\n${content}\n${text.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tables = await calibrationTables();
  console.log('Interval coverage for exact predictions (per quantity, nominal vs observed):\n');
  console.log(tables.coverage);
  console.log('\nvarprop check at level 0.99 (float64): false failures on correct settings, power against a 10% wrong formula:\n');
  console.log(tables.rates);
  if (process.argv.includes('--write')) {
    const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'testing.md');
    let text = readFileSync(path, 'utf8');
    text = replaceBetweenMarkers(text, 'coverage', tables.coverage);
    text = replaceBetweenMarkers(text, 'rates', tables.rates);
    writeFileSync(path, text);
    console.log(`\nwrote ${path}`);
  }
}
