/**
 * `varprop docs`: regenerates the committed documentation in docs/ (Markdown with math and HTML per
 * topic, plus an index). Deterministic: fixed seeds, no dates or timings, so a second run changes no
 * byte; `test/report/docs.test.ts` fails when a committed document is out of date.
 */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { writeFilesAtomic } from '../../fsutil/atomicWrite.js';
import { generateDocs } from '../../report/docs/index.js';
import type { CliIO } from '../io.js';
import type { RegisterCommand } from './index.js';

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('docs')
    .description('Regenerate the documentation (Markdown + HTML per topic, and an index) into a folder')
    .option('--out <dir>', 'folder to write into', 'docs')
    .action(async (flags: { out: string }) => {
      const files = await generateDocs();
      // The folder is named by the user; every file in it is the generator's own output.
      await writeFilesAtomic(
        files.map((f) => ({ path: join(flags.out, f.path), content: f.content, named: true })),
        { field: '--out' },
      );
      io.stdout(`wrote ${files.length} files to ${resolve(flags.out)}\n`);
    });
};
