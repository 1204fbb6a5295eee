/**
 * Writing output files safely: each file is written to a temporary file in the same folder and then
 * renamed over the target, so a reader (or a crash) never sees half a file; and files the user did
 * not name (side files such as a Markdown report's SVGs) are never overwritten unless forced.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { InputError } from '../errors.js';

export interface OutputFile {
  path: string;
  content: string | Uint8Array;
  /** True when the user named this path (e.g. `--out`); such a file may be replaced. */
  named: boolean;
}

/** The file-system calls used; injectable so tests can make a write fail halfway. */
export interface WriteFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
}

const defaultFs: WriteFs = nodeFs;

async function exists(fs: WriteFs, path: string): Promise<{ isDirectory(): boolean } | null> {
  try {
    return await fs.stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes all files, each atomically. Checks every target before writing any, so a refusal leaves
 * the disk untouched.
 *
 * @throws InputError when a target is a directory, or an unnamed target exists and `force` is false.
 */
export async function writeFilesAtomic(
  files: readonly OutputFile[],
  options: { force?: boolean; fs?: WriteFs; field?: string } = {},
): Promise<void> {
  const fs = options.fs ?? defaultFs;
  const field = options.field ?? '--out';
  for (const file of files) {
    const found = await exists(fs, file.path);
    if (found?.isDirectory()) throw new InputError(field, file.path, 'a file path, not a directory');
    if (found && !file.named && !options.force) {
      throw new InputError(field, file.path, 'a path that does not exist yet for files you did not name', 'pass --force to overwrite it');
    }
  }
  for (const file of files) await writeFileAtomic(file.path, file.content, fs);
}

/** Writes one file via a temporary sibling and a rename; on failure removes the temporary file. */
export async function writeFileAtomic(path: string, content: string | Uint8Array, fs: WriteFs = defaultFs): Promise<void> {
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temporary, content);
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}
