/**
 * `varprop demo matrices|sigmoid|symmetry [--seed N] [--json]`: the demos of the source chapter;
 * `--json` prints the data the demo function returns.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { demos, findDemo } from '../../numeric/demos/index.js';
import { parseNumberFlag } from '../flags.js';
import type { CliIO } from '../io.js';
import type { RegisterCommand } from './index.js';

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('demo')
    .description(`Run a demo: ${demos.map((d) => `${d.name} (${d.summary})`).join('; ')}`)
    .argument('<name>', demos.map((d) => d.name).join(' | '))
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print the demo data as JSON')
    .action(async (name: string, flags: { seed: string; json?: boolean }) => {
      const demo = findDemo(name);
      if (!demo) throw new InputError('demo', name, `one of ${demos.map((d) => d.name).join(', ')}`);
      const seed = parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32);
      const { createProgress } = await import('../progress.js');
      const progress = createProgress(io, { label: `demo ${name}` });
      let result: unknown;
      try {
        result = await demo.run({ seed, onProgress: (done, total) => progress.update(done, total) });
      } finally {
        progress.stop();
      }
      io.stdout(flags.json ? `${JSON.stringify(result, null, 1)}\n` : demo.format(result));
    });
};
