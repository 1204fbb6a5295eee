/**
 * Thousands of random argument vectors against the CLI, in-process, in a temporary working folder.
 * Each must succeed (exit 0/1, no NaN) or fail with a one-line message and exit 2: no internal
 * error (exit 70), no exception out of main(), no hang, no file left behind by a failed run.
 * Seeded: a failure names its argv and reproduces.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliShape, makeWorkFolder, runCli, violation, type CliOutcome, type CommandShape } from './harness.js';
import { STRAY, valueFor } from './values.js';

/** explore serves until the process ends: only its argument validation is fuzzed. */
const SERVES_FOREVER = new Set(['explore']);
/**
 * Commands whose every valid run costs seconds (docs regenerates all topics, report --flagship runs
 * the full flagship report): fuzzed separately, a few times, so the random loop stays fast.
 */
const SLOW_COMMANDS = new Set(['docs']);
const SLOW_OPTIONS = new Set(['--flagship']);
/** Relative frequency of each command in the random loop (default 10). */
const WEIGHTS: Record<string, number> = { check: 30, gain: 20, fans: 20, sample: 20, explore: 5 };

function argvFor(command: CommandShape): fc.Arbitrary<string[]> {
  const optionTokens = command.options
    .filter((option) => !['--help', '--version'].includes(option.flag) && !SLOW_OPTIONS.has(option.flag))
    .map((option) => (option.takesValue ? valueFor(option.flag).map((value) => [option.flag, value]) : fc.constant([option.flag])));
  const forced = SERVES_FOREVER.has(command.name) ? [valueFor('--port').map((value) => ['--port', value])] : [];
  const args = command.args.map((arg) =>
    arg.required ? valueFor(arg.name).map((v) => [v]) : fc.option(valueFor(arg.name), { nil: undefined }).map((v) => (v === undefined ? [] : [v])),
  );
  return fc
    .tuple(
      fc.tuple(...(args.length ? args : [fc.constant([] as string[])])),
      optionTokens.length ? fc.shuffledSubarray(optionTokens.map((_, i) => i), { maxLength: Math.min(8, optionTokens.length) }) : fc.constant([] as number[]),
      fc.tuple(...(optionTokens.length ? optionTokens : [fc.constant([] as string[])])),
      fc.tuple(...(forced.length ? forced : [fc.constant([] as string[])])),
      fc.array(STRAY, { maxLength: 1 }),
    )
    .map(([positional, picked, values, forcedOptions, stray]) => {
      const argv = [command.name, ...positional.flat()];
      for (const index of picked) argv.push(...values[index]);
      argv.push(...forcedOptions.flat());
      // Stray tokens could turn an explore run into a valid one (it would start a server).
      if (!SERVES_FOREVER.has(command.name)) argv.push(...stray);
      return argv;
    });
}

describe('CLI fuzz', () => {
  const folder = makeWorkFolder();
  afterAll(() => folder.clean());
  const shape = cliShape();
  const outcomes: CliOutcome[] = [];

  it('declares the commands the issues ask for', () => {
    const names = shape.map((c) => c.name);
    for (const expected of ['gain', 'fans', 'check', 'sample', 'demo']) expect(names).toContain(expected);
  });

  it('2000 random argv: every run succeeds cleanly or fails with one line and exit 2', async () => {
    const perCommand = fc.oneof(
      ...shape.filter((command) => !SLOW_COMMANDS.has(command.name)).map((command) => ({ weight: WEIGHTS[command.name] ?? 10, arbitrary: argvFor(command) })),
      { weight: 10, arbitrary: fc.array(fc.oneof(STRAY, fc.string({ maxLength: 6 })), { maxLength: 4 }).filter((argv) => !SERVES_FOREVER.has(argv[0] ?? '') && !SLOW_COMMANDS.has(argv[0] ?? '')) },
    );
    const samples = fc.sample(perCommand, { seed: 20240605, numRuns: 2000 });
    const problems: string[] = [];
    for (const argv of samples) {
      const outcome = await runCli(argv, folder, 20_000);
      outcomes.push(outcome);
      const problem = violation(outcome);
      if (problem) problems.push(`${JSON.stringify(argv)} → ${problem}`);
      folder.clean();
    }
    // Group identical problems so the report is readable.
    const distinct = [...new Set(problems.map((p) => p.replace(/^\[.*?\] → /, '')))];
    expect(distinct, `${problems.length} violations, e.g.\n${problems.slice(0, 15).join('\n')}`).toEqual([]);
    const codes = outcomes.reduce<Record<string, number>>((acc, o) => {
      acc[o.code] = (acc[o.code] ?? 0) + 1;
      return acc;
    }, {});
    // Both paths are exercised: some runs succeed, most are rejected.
    expect(codes['0'] ?? 0).toBeGreaterThan(50);
    expect(codes['2'] ?? 0).toBeGreaterThan(500);
    const slowest = [...outcomes].sort((a, b) => b.ms - a.ms)[0];
    console.info(`CLI fuzz: ${outcomes.length} runs, exit codes ${JSON.stringify(codes)}, slowest ${slowest.ms.toFixed(0)} ms: ${JSON.stringify(slowest.argv).slice(0, 200)}`);
  }, 300_000);

  it('the slow commands, a few times each: docs with bad folders, report --flagship with a bad option', async () => {
    const problems: string[] = [];
    const argvs = [
      ['docs', '--out', 'a-file.txt'],
      ['docs', '--out', 'a-file.txt/sub'],
      ['docs', '--bogus'],
      ['report', '--flagship', '--nets', '0', '--seed', '-1'],
      ['report', '--flagship', '--lang', 'fr'],
      ['report', '--flagship', '--format', 'pdf'],
      ['report', '--flagship', '--nets', '0', '--out', 'a-file.txt/x.html'],
    ];
    for (const argv of argvs) {
      if (argv.some((a) => a.startsWith('a-file.txt'))) writeFileSync(join(folder.path, 'a-file.txt'), 'not a folder');
      const outcome = await runCli(argv, folder, 60_000);
      if (argv.some((a) => a.startsWith('a-file.txt'))) outcome.files = outcome.files.filter((f) => f !== 'a-file.txt');
      const problem = violation(outcome);
      if (problem) problems.push(`${JSON.stringify(argv)} → ${problem}`);
      if (outcome.code === 0) problems.push(`${JSON.stringify(argv)} → exit 0, expected a refusal: ${outcome.out.slice(0, 100)}`);
      folder.clean();
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
