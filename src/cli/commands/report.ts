/**
 * `varprop report`: the derivation, the Monte Carlo evidence for the chosen and compared inits, the
 * source chapter's demos and a reproducibility footer, as one self-contained HTML file (or Markdown
 * with SVGs beside it). `--flagship` is the main job: Xavier on the d2l-style tanh MLP against the
 * standard init and He, written to out/xavier.html.
 */
import { type Command, Option } from 'commander';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { fill, getCatalogue, languages } from '../../i18n/catalogue.js';
import { CHECK_DEFAULTS } from '../../numeric/measurement.js';
import type { ReportFormat } from '../../report/render.js';
import type { NetworkSpec } from '../../vocabulary/network.js';
import { addNetworkOptions, parseNumberFlag } from '../flags.js';
import type { CliIO } from '../io.js';
import type { ProgressReporter } from '../progress.js';
import type { NetworkFlags } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

const require = createRequire(import.meta.url);

/** The main job's setting (Dive into Deep Learning §5.4 with a tanh MLP; Glorot & Bengio 2010). */
export const FLAGSHIP = {
  widths: '784,256,256,10',
  act: 'tanh',
  init: 'xavier_uniform',
  compare: 'standard,he_normal',
  out: 'out/xavier.html',
} as const;

interface ReportFlags extends NetworkFlags {
  flagship?: boolean;
  compare?: string;
  nets: string;
  seed: string;
  batch: string;
  level: string;
  lang: string;
  format?: string;
  out?: string;
  force?: boolean;
  timings?: boolean;
}

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  addNetworkOptions(
    program
      .command('report')
      .description('Write a derivation report with Monte Carlo evidence (self-contained HTML, or Markdown with SVGs)')
      .option('--flagship', `the main job: --widths ${FLAGSHIP.widths} --act ${FLAGSHIP.act} --init ${FLAGSHIP.init} --compare ${FLAGSHIP.compare} --out ${FLAGSHIP.out}`),
  )
    .option('--compare <presets>', 'comma-separated init presets to compare with, e.g. standard,he_normal')
    .option('--nets <n>', 'replicate networks per init (0: skip the Monte Carlo)', String(CHECK_DEFAULTS.nets))
    .option('--seed <n>', 'random seed', String(CHECK_DEFAULTS.seed))
    .option('--batch <n>', 'examples per replicate network', String(CHECK_DEFAULTS.batch))
    .option('--level <p>', 'confidence level of the intervals', String(CHECK_DEFAULTS.level))
    .addOption(new Option('--lang <lang>', 'language of the report').choices(languages).default('en'))
    .addOption(new Option('--format <format>', 'html (one self-contained file) or md (Markdown + SVGs); default from --out').choices(['html', 'md']))
    .option('--out <file>', 'where to write the report (- for standard output)')
    .option('--force', 'overwrite existing files that varprop did not write (never a device, pipe, link or folder)')
    .option('--timings', 'print how long each part took')
    .action(async (flags: ReportFlags) => {
      const cat = getCatalogue(flags.lang);
      const [{ networkFlagsText, networkSpecFromFlags, shellQuote, splitList }, { generateReport }, { formatNumber }, { writeFilesAtomic }, { createProgress }] = await Promise.all([
        import('../networkFlags.js'),
        import('../../report/generate.js'),
        import('../../report/format.js'),
        import('../../fsutil/atomicWrite.js'),
        import('../progress.js'),
      ]);
      const flagship = flags.flagship === true;
      const spec: NetworkSpec = networkSpecFromFlags(
        flags,
        flagship ? { widths: FLAGSHIP.widths.split(',').map(Number), activation: FLAGSHIP.act, init: FLAGSHIP.init } : {},
      );
      const compareText = flags.compare ?? (flagship ? FLAGSHIP.compare : '');
      const compare = splitList(compareText);
      const out = flags.out ?? (flagship ? FLAGSHIP.out : undefined);
      if (out === undefined) {
        throw new InputError('--out', undefined, 'a file path such as report.html or report.md, or - for standard output', 'Or pass --flagship for the main job');
      }
      if (out.trim() === '') throw new InputError('--out', out, 'a file path such as report.html or report.md, or - for standard output');
      // `--out -`: the report goes to standard output and the summary lines to standard error.
      const toStdout = out === '-';
      const format = (flags.format ?? (!toStdout && extname(out).toLowerCase() === '.md' ? 'md' : 'html')) as ReportFormat;
      if (toStdout && format === 'md') {
        throw new InputError('--format', format, 'html with --out -', 'A Markdown report writes its SVG figures as separate files, so it needs a file path');
      }
      const nets = parseNumberFlag('--nets', flags.nets, '0 (no Monte Carlo) or an integer ≥ 2', (v) => Number.isInteger(v) && (v === 0 || v >= 2));
      const seed = parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 32 - 1);
      const batch = parseNumberFlag('--batch', flags.batch, 'a positive integer', (v) => Number.isInteger(v) && v > 0);
      const level = parseNumberFlag('--level', flags.level, 'a number strictly between 0 and 1', (v) => v > 0 && v < 1);

      const command = [
        'varprop report',
        networkFlagsText(spec, flags.spec),
        ...(compare.length ? [`--compare ${shellQuote(compare.join(','))}`] : []),
        `--nets ${nets} --seed ${seed} --batch ${batch} --level ${level}`,
        `--lang ${flags.lang} --format ${format} --out ${shellQuote(out)}`,
      ].join(' ');
      const { version } = require('../../../package.json') as { version: string };

      let progress: ProgressReporter | undefined;
      let current = '';
      const result = await generateReport(cat, {
        spec,
        compare,
        monteCarlo: { nets, seed, batch, level },
        format,
        outPath: out,
        reproducibility: { command, seed, version, date: `${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC` },
        onProgress: (initLabel, done, total) => {
          if (initLabel !== current) {
            progress?.stop();
            current = initLabel;
            progress = createProgress(io, { label: fill(cat.cli.progress, { init: initLabel }) });
          }
          progress?.update(done, total);
        },
      }).finally(() => progress?.stop());

      const writeStart = performance.now();
      if (toStdout) for (const file of result.files) io.stdout(typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('utf8'));
      else await writeFilesAtomic(result.files, { force: flags.force === true });
      const writingMs = performance.now() - writeStart;
      // With the report on standard output, the words go to standard error so a pipe gets only the report.
      const say = toStdout ? io.stderr : io.stdout;

      let failed = false;
      for (const run of result.runs) {
        const checks = run.report.layers.flatMap((l) => [l.forward, l.backward, l.weightGradient]);
        const passed = checks.filter((q) => q.pass).length;
        if (passed < checks.length) failed = true;
        const last = run.report.layers[run.report.layers.length - 1].forward;
        const predicted = last.tested === 'exact' && last.exact !== null ? last.exact : last.meanField;
        say(
          `${fill(cat.cli.summaryLine, { init: run.init, passed, total: checks.length, measured: formatNumber(last.estimate), predicted: formatNumber(predicted) })}\n`,
        );
      }
      if (!toStdout) say(`${fill(cat.cli.wrote, { path: resolve(out) })}\n`);
      if (flags.timings) {
        const t = { ...result.timings, writingMs };
        io.stderr(`timings (ms): ${Object.entries(t).map(([k, v]) => `${k.replace(/Ms$/, '')} ${v.toFixed(0)}`).join(', ')}\n`);
      }
      if (failed) io.exitCode = 1;
    });
};
