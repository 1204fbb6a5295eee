/**
 * Fuzz harness: runs the CLI in-process (`main(argv, memoryIO())`) in a temporary working folder and
 * classifies the outcome against the house rules: exit 0/1 with output free of NaN, or exit 2 with
 * a one-line message (or commander's usage text); never exit 70 (internal error), never a thrown
 * exception, never a hang, never a file left behind by a failed run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { memoryIO } from '../../src/cli/io.js';
import { buildProgram, main } from '../../src/cli/main.js';

export interface CliOutcome {
  argv: string[];
  code: number | 'threw' | 'timeout';
  out: string;
  err: string;
  ms: number;
  /** Files present in the working folder after the run. */
  files: string[];
}

/** An option of a command as commander declares it. */
export interface OptionShape {
  flag: string;
  takesValue: boolean;
}

export interface CommandShape {
  name: string;
  options: OptionShape[];
  /** Positional arguments: name and whether required. */
  args: { name: string; required: boolean }[];
}

/** The commands and options the CLI declares right now (the fuzz follows the table as it grows). */
export function cliShape(): CommandShape[] {
  const program: Command = buildProgram(memoryIO());
  return program.commands.map((command) => ({
    name: command.name(),
    options: command.options
      .filter((option) => option.long)
      .map((option) => ({ flag: option.long as string, takesValue: Boolean(option.required || option.optional) })),
    args: (command as unknown as { registeredArguments: { name(): string; required: boolean }[] }).registeredArguments.map((arg) => ({
      name: arg.name(),
      required: arg.required,
    })),
  }));
}

/** A folder to run in; every run starts from it empty. */
export function makeWorkFolder(): { path: string; clean(): void; files(): string[] } {
  const path = mkdtempSync(join(tmpdir(), 'varprop-fuzz-'));
  return {
    path,
    files: () => readdirSync(path),
    clean() {
      for (const entry of readdirSync(path)) rmSync(join(path, entry), { recursive: true, force: true });
    },
  };
}

/** Runs one argv in-process with a time limit, in `folder` as the working directory. */
export async function runCli(argv: string[], folder: { path: string; files(): string[] }, timeoutMs = 20_000): Promise<CliOutcome> {
  const io = memoryIO();
  const previous = process.cwd();
  process.chdir(folder.path);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let code: CliOutcome['code'];
  try {
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    code = await Promise.race([main(argv, io), timeout]);
  } catch (error) {
    code = 'threw';
    io.err += `THREW: ${(error as Error)?.stack ?? String(error)}`;
  } finally {
    clearTimeout(timer);
    process.chdir(previous);
  }
  return { argv, code, out: io.out, err: io.err, ms: performance.now() - started, files: folder.files() };
}

/** What is wrong with an outcome, or null when it follows the rules. */
export function violation(outcome: CliOutcome): string | null {
  const { code, out, err, argv, files } = outcome;
  if (code === 'threw') return `main() threw instead of returning an exit code: ${err.split('\n')[0]}`;
  if (code === 'timeout') return 'did not finish within the time limit (hang?)';
  if (code === 70) return `internal error (exit 70): ${err.trim()}`;
  if (![0, 1, 2].includes(code)) return `unexpected exit code ${code}`;
  if (/\bat .+:\d+:\d+\)?$/m.test(err) && !argv.includes('--debug')) return `stack trace printed without --debug: ${err.split('\n')[0]}`;
  if (code === 0 || code === 1) {
    // NaN (or a JSON null standing for one) must never appear in results.
    if (/\bNaN\b/.test(out) || /\bNaN\b/.test(err)) return `printed NaN: ${out.slice(0, 200)}`;
    return null;
  }
  // Exit 2: one line naming the problem, or commander's own usage error / help text.
  if (files.length > 0) return `left files behind after failing: ${files.join(', ')}`;
  // --debug adds the stack trace after the message line.
  const lines = argv.includes('--debug') ? err.trimEnd().split('\n').slice(0, 1) : err.trimEnd().split('\n');
  if (err.trim() === '') return 'exit 2 without a message';
  const isHelp = /^Usage: varprop/.test(err);
  if (isHelp) return null;
  if (lines.length !== 1 && !(lines.length === 2 && /^\(Did you mean .*\)$/.test(lines[1]))) {
    return `exit 2 with a ${lines.length}-line message: ${JSON.stringify(err.slice(0, 300))}`;
  }
  if (!/^(varprop: |error: )/.test(lines[0])) return `exit 2 message not in the house format: ${lines[0]}`;
  return null;
}
