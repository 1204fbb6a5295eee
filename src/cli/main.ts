/**
 * The `varprop` command line: a thin shell over the library. Bad input prints one line and exits 2;
 * `--debug` adds the stack trace.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { isUserFacingError } from '../errors.js';
import { commands } from './commands/index.js';
import { processIO, type CliIO } from './io.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

/** Exit codes: 0 ok, 1 a check ran and failed, 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

export function buildProgram(io: CliIO): Command {
  const program = new Command();
  program
    .name('varprop')
    .description('Derive, measure and explain how variance propagates through deep networks (Xavier, He, LeCun).')
    .version(version)
    .option('--debug', 'print stack traces for errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .showSuggestionAfterError(true);
  for (const register of commands) register(program, io);
  // Subcommands inherit the I/O and the exit override, so usage errors come back here.
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput({ writeOut: (t) => io.stdout(t), writeErr: (t) => io.stderr(t) });
  }
  return program;
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const debug = argv.includes('--debug');
  const run: CliIO = { stdout: io.stdout, stderr: io.stderr, isTTY: io.isTTY, exitCode: EXIT_OK };
  const program = buildProgram(run);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return run.exitCode ?? EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (help and version exit 0).
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isUserFacingError(error)) {
      io.stderr(`varprop: ${oneLine(error.message)}\n`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return EXIT_USAGE;
    }
    const fileProblem = describeFileSystemError(error);
    if (fileProblem) {
      io.stderr(`varprop: ${oneLine(fileProblem)}\n`);
      if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`varprop: internal error: ${oneLine(message)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 70;
  }
}

/** Longest message line printed: an error that quotes a 20 KB input stays readable. */
export const MAX_MESSAGE_CHARS = 400;

/** The first line of a message, cut to {@link MAX_MESSAGE_CHARS}. */
export function oneLine(message: string): string {
  const first = message.split('\n')[0];
  return first.length <= MAX_MESSAGE_CHARS ? first : `${first.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/** Words for the file-system errors a user causes with a path (a file where a folder must be, no permission, ...). */
const FILE_SYSTEM_PROBLEMS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
};

function describeFileSystemError(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || !(code in FILE_SYSTEM_PROBLEMS)) return undefined;
  const where = typeof path === 'string' ? ` '${path}'` : '';
  return `cannot use the path${where}: ${FILE_SYSTEM_PROBLEMS[code]}`;
}
