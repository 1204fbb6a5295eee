/**
 * `varprop docs`: regenerates the committed documentation in docs/ (Markdown with math and HTML per
 * topic, plus an index). Deterministic: fixed seeds, no dates or timings, so a second run changes no
 * byte; `test/report/docs.test.ts` fails when a committed document is out of date.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkWritable, writeFilesAtomic } from '../../fsutil/atomicWrite.js';
import { looksWrittenByVarprop } from '../../fsutil/ownership.js';
import type { CliIO } from '../io.js';
import type { RegisterCommand } from './index.js';

/**
 * True when `dir` already holds varprop's documentation: its index.html carries varprop's generator
 * mark. Then every file the generator writes there (SVGs included, which carry no mark) is its own.
 */
async function isDocsFolder(dir: string): Promise<boolean> {
  try {
    return looksWrittenByVarprop((await readFile(join(dir, 'index.html'), 'utf8')).slice(0, 4096));
  } catch {
    return false;
  }
}

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('docs')
    .description('Regenerate the documentation (Markdown + HTML per topic, and an index) into a folder')
    .option('--out <dir>', 'folder to write into', 'docs')
    .option('--force', 'overwrite existing files in the folder that varprop did not write')
    .action(async (flags: { out: string; force?: boolean }) => {
      const ours = await isDocsFolder(flags.out);
      const options = { field: '--out', force: flags.force === true, isOwn: (_path: string, head: string) => ours || looksWrittenByVarprop(head) };
      // A user's own docs/index.md (or any file of theirs) is never replaced without --force. The
      // index files are checked first, so that common refusal comes before minutes of generating.
      await checkWritable(['index.md', 'index.html'].map((name) => ({ path: join(flags.out, name), content: '', named: true })), options);
      const { generateDocs } = await import('../../report/docs/index.js');
      const files = await generateDocs();
      await writeFilesAtomic(
        files.map((f) => ({ path: join(flags.out, f.path), content: f.content, named: true })),
        options,
      );
      io.stdout(`wrote ${files.length} files to ${resolve(flags.out)}\n`);
    });
};
