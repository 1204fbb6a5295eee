/**
 * The README's tour works as written on a fresh clone: every file it names is shipped, it writes
 * nothing outside the ignored out/ folder, and a line that claims "the same" derives the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The tour's commands, continuation lines joined, comments dropped, as argv arrays (after `npx varprop`). */
function tourCommands(): { argv: string[]; comment: string }[] {
  const block = /## A tour of the command line\s+```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README has no tour block');
  return block[1]
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith('npx varprop '))
    .map((line) => {
      const [command, comment = ''] = line.split(/\s+#\s+/);
      // Shell words: single-quoted strings stay one word.
      const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
      return { argv: words.slice(2), comment };
    });
}

const flag = (argv: string[], name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

describe('README tour', () => {
  const commands = tourCommands();

  it('has commands', () => {
    expect(commands.length).toBeGreaterThan(8);
  });

  it('every --spec file it names is shipped', () => {
    const specs = commands.map((c) => flag(c.argv, '--spec')).filter((s): s is string => s !== undefined);
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) expect(existsSync(join(ROOT, spec)), spec).toBe(true);
  });

  it('writes only into the ignored out/ folder, never the repository root', () => {
    for (const { argv } of commands) {
      const out = flag(argv, '--out');
      if (out !== undefined) expect(out, argv.join(' ')).toMatch(/^out\//);
    }
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^out\/$/m);
  });

  it('"the same as data" derives the same network as the line before it', () => {
    const index = commands.findIndex((c) => /the same as data/.test(c.comment));
    expect(index).toBeGreaterThan(0);
    const [before, data] = [commands[index - 1].argv, commands[index].argv];
    for (const name of ['--fan-in', '--fan-out', '--act', '--init']) expect(flag(data, name), name).toBe(flag(before, name));
  });

  it('the shipped examples/my-network.json runs through check', async () => {
    const io = memoryIO();
    const code = await main(['check', '--spec', join(ROOT, 'examples', 'my-network.json'), '--nets', '2', '--batch', '8', '--json'], io);
    expect(io.err).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
    expect(JSON.parse(io.out)).toHaveProperty('layers');
  });
});
