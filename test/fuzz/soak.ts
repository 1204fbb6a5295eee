/**
 * A long fuzz run for a release note, not part of `npm test`: many random CLI invocations and random
 * spec files, in child processes so that a hang (a synchronous loop nothing can interrupt in-process)
 * is caught, killed and counted. Prints the exit codes, every exit 70, every hang, every message
 * that says "undefined" and every other violation of the house rules (see harness.ts).
 *
 *   npx tsx test/fuzz/soak.ts [cli runs=10000] [spec files=1000] [seed=1]
 *
 * A run is declared hung when its child prints nothing for HANG_LIMIT_MS (generous; a figure, not
 * a test). Results stream to artifacts/soak.jsonl.
 */
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliShape, makeWorkFolder, runCli, violation, type CommandShape } from './harness.js';
import { ACTIVATIONS, BAD_NAMES, INITS, STRAY, valueFor } from './values.js';

const HANG_LIMIT_MS = 180_000;
const SERVES_FOREVER = new Set(['explore']);
const SLOW = new Set(['docs']);
const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function argvFor(command: CommandShape): fc.Arbitrary<string[]> {
  const options = command.options
    .filter((o) => !['--help', '--version', '--flagship'].includes(o.flag))
    .map((o) => (o.takesValue ? valueFor(o.flag).map((v) => [o.flag, v]) : fc.constant([o.flag])));
  const forced = SERVES_FOREVER.has(command.name) ? [valueFor('--port').map((v) => ['--port', v])] : [];
  const args = command.args.map((a) => (a.required ? valueFor(a.name).map((v) => [v]) : fc.option(valueFor(a.name), { nil: undefined }).map((v) => (v === undefined ? [] : [v]))));
  return fc
    .tuple(
      fc.tuple(...(args.length ? args : [fc.constant([] as string[])])),
      options.length ? fc.shuffledSubarray(options.map((_, i) => i), { maxLength: Math.min(8, options.length) }) : fc.constant([] as number[]),
      fc.tuple(...(options.length ? options : [fc.constant([] as string[])])),
      fc.tuple(...(forced.length ? forced : [fc.constant([] as string[])])),
      fc.array(STRAY, { maxLength: 1 }),
    )
    .map(([positional, picked, values, forcedOptions, stray]) => {
      const argv = [command.name, ...positional.flat()];
      for (const i of picked) argv.push(...values[i]);
      argv.push(...forcedOptions.flat());
      if (!SERVES_FOREVER.has(command.name)) argv.push(...stray);
      // explore with a valid port would serve forever: only its validation is fuzzed.
      return argv;
    })
    .filter((argv) => !(SERVES_FOREVER.has(command.name) && !argv.includes('--help') && /^\d+$/.test(argv[argv.indexOf('--port') + 1] ?? '') && Number(argv[argv.indexOf('--port') + 1]) <= 65535));
}

/** Mostly a good value, sometimes a bad one: so most specs get deep into the code, not refused at once. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });

/** A random network description: mostly plausible, often subtly wrong, sometimes garbage. */
const specArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        widths: mostly(
          fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 2, maxLength: 6 }),
          fc.array(fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.double(), fc.constant(null), fc.string({ maxLength: 3 })), { maxLength: 5 }),
        ),
        activation: mostly(
          fc.oneof(fc.constantFrom(...ACTIVATIONS), fc.constantFrom('x/(1+abs(x))', 'x^3', 'sin(x)', 'x*tanh(log(1+exp(x)))'), fc.record({ name: fc.constantFrom('leaky_relu', 'elu'), slope: fc.double({ min: 0, max: 1, noNaN: true }), alpha: fc.double({ min: 0.1, max: 2, noNaN: true }) })),
          fc.oneof(fc.constantFrom(...BAD_NAMES), fc.constant(null), fc.integer(), fc.record({ name: fc.string({ maxLength: 6 }), slope: fc.double() })),
        ),
        init: mostly(
          fc.oneof(fc.constantFrom(...INITS), fc.record({ name: fc.constantFrom('xavier_normal', 'he_normal', 'variance_scaling'), gain: fc.double({ min: 0.1, max: 3, noNaN: true }), mode: fc.constantFrom('fan_in', 'fan_out') }, { requiredKeys: ['name'] })),
          fc.oneof(fc.string({ maxLength: 8 }), fc.record({ name: fc.constantFrom(...INITS), gain: fc.double(), mode: fc.string({ maxLength: 4 }), a: fc.double(), scale: fc.double() }, { requiredKeys: ['name'] })),
        ),
        biasStd: mostly(fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.double(), fc.string({ maxLength: 3 }))),
        inputVariance: mostly(fc.double({ min: 0.01, max: 4, noNaN: true }), fc.double()),
        inputSize: mostly(fc.tuple(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 3, max: 12 })), fc.array(fc.integer(), { maxLength: 3 })),
        layers: fc.array(
          mostly(
            fc.record({ kind: fc.constantFrom('dense', 'conv2d'), kernelSize: fc.integer({ min: 1, max: 3 }), groups: fc.constantFrom(1, 2), activation: fc.constantFrom(...ACTIVATIONS), init: fc.constantFrom(...INITS), biasStd: fc.double({ min: 0, max: 1, noNaN: true }) }, { requiredKeys: [] }),
            fc.record({ kind: fc.constantFrom('dense', 'conv2d', 'residual', 'nope'), kernelSize: fc.integer({ min: -1, max: 50 }), groups: fc.integer({ min: 0, max: 7 }), activation: fc.constantFrom('x^2', '', 'nope'), biasStd: fc.double() }, { requiredKeys: [] }),
          ),
          { maxLength: 5 },
        ),
      },
      { requiredKeys: ['widths'] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

type Job = { argv: string[]; spec?: string };

async function child(jobsFile: string, from: number): Promise<void> {
  const jobs = (await import(jobsFile, { with: { type: 'json' } })).default as Job[];
  const folder = makeWorkFolder();
  for (let i = from; i < jobs.length; i++) {
    folder.clean();
    const job = jobs[i];
    if (job.spec !== undefined) writeFileSync(join(folder.path, 'spec.json'), job.spec);
    const outcome = await runCli(job.argv, folder, HANG_LIMIT_MS);
    if (job.spec !== undefined) outcome.files = outcome.files.filter((f) => f !== 'spec.json');
    const problem = violation(outcome) ?? (/undefined/.test(outcome.err) ? `says "undefined": ${outcome.err.trim().slice(0, 200)}` : null);
    process.stdout.write(`${JSON.stringify({ i, code: outcome.code, problem, err: outcome.err.slice(0, 300) })}\n`);
  }
  folder.clean();
}

async function parent(cliRuns: number, specRuns: number, seed: number): Promise<void> {
  const shape = cliShape().filter((c) => !SLOW.has(c.name));
  const anyCommand = fc.oneof(...shape.map((c) => ({ weight: c.name === 'explore' ? 2 : 10, arbitrary: argvFor(c) })));
  const jobs: Job[] = fc.sample(anyCommand, { seed, numRuns: cliRuns }).map((argv) => ({ argv }));
  for (const spec of fc.sample(specArbitrary, { seed: seed + 1, numRuns: specRuns })) {
    jobs.push({ argv: ['check', '--spec', 'spec.json', '--nets', '2', '--batch', '4'], spec: JSON.stringify(spec) });
  }
  const artifacts = join(ROOT, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const jobsFile = join(artifacts, 'soak-jobs.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const log = join(artifacts, 'soak.jsonl');
  writeFileSync(log, '');
  const codes: Record<string, number> = {};
  const problems: string[] = [];
  let next = 0;
  while (next < jobs.length) {
    await new Promise<void>((done) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', jobsFile, String(next)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
      let buffer = '';
      let timer = setTimeout(() => proc.kill('SIGKILL'), HANG_LIMIT_MS);
      proc.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const result = JSON.parse(line) as { i: number; code: string | number; problem: string | null; err: string };
          appendFileSync(log, `${JSON.stringify({ ...result, argv: jobs[result.i].argv, spec: jobs[result.i].spec?.slice(0, 300) })}\n`);
          codes[result.code] = (codes[result.code] ?? 0) + 1;
          if (result.problem) problems.push(`${JSON.stringify(jobs[result.i].argv).slice(0, 160)}${jobs[result.i].spec ? ` spec ${jobs[result.i].spec!.slice(0, 160)}` : ''} → ${result.problem.slice(0, 240)}`);
          next = result.i + 1;
          clearTimeout(timer);
          timer = setTimeout(() => proc.kill('SIGKILL'), HANG_LIMIT_MS);
        }
      });
      proc.on('close', () => {
        clearTimeout(timer);
        if (next < jobs.length) {
          // The child died or was killed on job `next`: a hang (or a crash) of that job.
          codes.hang = (codes.hang ?? 0) + 1;
          problems.push(`${JSON.stringify(jobs[next].argv).slice(0, 160)} → no answer within ${HANG_LIMIT_MS / 1000} s (hang or crash)`);
          appendFileSync(log, `${JSON.stringify({ i: next, code: 'hang', argv: jobs[next].argv, spec: jobs[next].spec?.slice(0, 300) })}\n`);
          next++;
        }
        done();
      });
    });
  }
  console.log(`soak: ${cliRuns} CLI invocations + ${specRuns} spec files, seed ${seed}`);
  console.log(`exit codes: ${JSON.stringify(codes)}`);
  console.log(`violations: ${problems.length}`);
  for (const p of problems.slice(0, 40)) console.log(`  ${p}`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1], Number(args[2]));
else await parent(Number(args[0] ?? 10_000), Number(args[1] ?? 1000), Number(args[2] ?? 1));
