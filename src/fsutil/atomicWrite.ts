/**
 * Writing output files safely: each file is written to a temporary file in the same folder and then
 * renamed over the target, so a reader (or a crash) never sees half a file. An existing file is
 * replaced only when varprop wrote it (see ./ownership.ts) or the user passed `--force`; anything
 * that is not a regular file (a device, a FIFO, a symbolic link, a folder) is never replaced.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { InputError } from '../errors.js';
import { describeNonRegular, looksWrittenByVarprop, OWNERSHIP_SNIFF_BYTES } from './ownership.js';

export interface OutputFile {
  path: string;
  content: string | Uint8Array;
  /**
   * True when the user named this path (e.g. `--out`). A named file is the one the user asked for;
   * unnamed ones (a Markdown report's SVGs) are side files that count as varprop's own when the
   * named file beside them is.
   */
  named: boolean;
}

/** The file-system calls used; injectable so tests can make a write fail halfway. */
export interface WriteFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  lstat(path: string): Promise<import('node:fs').Stats>;
  readdir(path: string): Promise<string[]>;
  open(path: string, flags: string): Promise<nodeFs.FileHandle>;
}

const defaultFs: WriteFs = nodeFs;

export interface WriteOptions {
  /** Replace existing regular files varprop did not write. */
  force?: boolean;
  fs?: WriteFs;
  /** The flag the paths came from, for messages (default `--out`). */
  field?: string;
  /**
   * Decides whether an existing file is varprop's own output (then it may be replaced without
   * `--force`). Default: {@link looksWrittenByVarprop} on the file's first bytes.
   */
  isOwn?: (path: string, head: string) => boolean;
}

async function lstatOrNull(fs: WriteFs, path: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The first bytes of a file, as text: enough to find a generator mark without reading a huge file. */
async function readHead(fs: WriteFs, path: string, size: number): Promise<string> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, OWNERSHIP_SNIFF_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes all files, each atomically. Checks every target before writing any, so a refusal leaves
 * the disk untouched.
 *
 * @throws InputError when a target is not a regular file (never replaced, even with `force`), or
 *   exists, was not written by varprop and `force` is false.
 */
export async function writeFilesAtomic(files: readonly OutputFile[], options: WriteOptions = {}): Promise<void> {
  await checkWritable(files, options);
  const fs = options.fs ?? defaultFs;
  for (const file of files) await writeFileAtomic(file.path, file.content, fs);
}

/** The checks of {@link writeFilesAtomic} without the writing: throws when any target may not be replaced. */
export async function checkWritable(files: readonly OutputFile[], options: WriteOptions = {}): Promise<void> {
  const fs = options.fs ?? defaultFs;
  const field = options.field ?? '--out';
  const isOwn = options.isOwn ?? ((_path: string, head: string) => looksWrittenByVarprop(head));
  const existing = new Map<string, boolean>(); // path → varprop's own
  for (const file of files) {
    const found = await lstatOrNull(fs, file.path);
    if (!found) continue;
    const kind = describeNonRegular(found);
    if (kind) throw new InputError(field, file.path, 'a path to a regular file or a new one', `It is ${kind}; varprop never replaces that`);
    existing.set(file.path, isOwn(file.path, await readHead(fs, file.path, found.size)));
  }
  // Side files travel with the named file: when that one is ours (or new), so are they.
  const namedAreOurs = files.filter((f) => f.named).every((f) => existing.get(f.path) !== false);
  if (!options.force) {
    for (const file of files) {
      const own = existing.get(file.path);
      if (own === undefined || own) continue;
      if (!file.named && namedAreOurs && files.some((f) => f.named && existing.has(f.path))) continue;
      throw new InputError(
        field,
        file.path,
        'a new file, or one varprop wrote',
        `It already exists and was not written by varprop; pass --force to overwrite it`,
      );
    }
  }
}

/** The name of the temporary sibling of `path` for process `pid`. */
export function temporaryName(path: string, pid: number, suffix: string): string {
  return join(dirname(path), `.${basename(path)}.${pid}.${suffix}.tmp`);
}

/**
 * Removes temporary siblings of `path` left by a varprop process that was killed mid-write (SIGKILL
 * skips every cleanup). Only files of our own naming pattern whose process no longer runs.
 */
export async function removeStaleTemporaries(path: string, fs: WriteFs = defaultFs, isRunning = processIsRunning): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    const stale = join(dir, name);
    const info = await lstatOrNull(fs, stale);
    if (!info?.isFile()) continue;
    await fs.unlink(stale).then(
      () => removed.push(stale),
      () => undefined,
    );
  }
  return removed;
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes one file via a temporary sibling and a rename; on failure removes the temporary file. */
export async function writeFileAtomic(path: string, content: string | Uint8Array, fs: WriteFs = defaultFs): Promise<void> {
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemporaries(path, fs);
  const temporary = temporaryName(path, process.pid, randomBytes(4).toString('hex'));
  try {
    await fs.writeFile(temporary, content);
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}
