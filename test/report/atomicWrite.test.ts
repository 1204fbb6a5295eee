import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { writeFileAtomic, writeFilesAtomic, type WriteFs } from '../../src/fsutil/atomicWrite.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'varprop-atomic-'));

describe('atomic writes', () => {
  it('a write that fails halfway leaves neither a partial target nor a temporary file', async () => {
    const dir = fresh();
    const target = join(dir, 'report.html');
    const failing: WriteFs = {
      ...fs,
      async writeFile(path, content) {
        // Write half the bytes, then fail as a full disk would.
        await fs.writeFile(path, String(content).slice(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    await expect(writeFileAtomic(target, '<html>'.repeat(100), failing)).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when the rename fails the previous file is intact', async () => {
    const dir = fresh();
    const target = join(dir, 'report.html');
    writeFileSync(target, 'old complete report');
    const failing: WriteFs = { ...fs, rename: async () => Promise.reject(new Error('EXDEV')) };
    await expect(writeFileAtomic(target, 'new report', failing)).rejects.toThrow(/EXDEV/);
    expect(readFileSync(target, 'utf8')).toBe('old complete report');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('refuses to overwrite a file the user did not name, before writing anything', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'figure.svg'), 'mine');
    const files = [
      { path: join(dir, 'report.md'), content: '# new', named: true },
      { path: join(dir, 'figure.svg'), content: '<svg/>', named: false },
    ];
    await expect(writeFilesAtomic(files)).rejects.toThrow(InputError);
    await expect(writeFilesAtomic(files)).rejects.toThrow(/--force/);
    expect(readFileSync(join(dir, 'figure.svg'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'report.md'))).toBe(false);
    await writeFilesAtomic(files, { force: true });
    expect(readFileSync(join(dir, 'figure.svg'), 'utf8')).toBe('<svg/>');
  });

  it('replaces a file the user named, and creates missing folders', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'report.html'), 'old');
    await writeFilesAtomic([
      { path: join(dir, 'report.html'), content: 'new', named: true },
      { path: join(dir, 'a', 'b', 'c.svg'), content: 'svg', named: false },
    ]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'a', 'b', 'c.svg'), 'utf8')).toBe('svg');
    expect(readdirSync(dir).sort()).toEqual(['a', 'report.html']);
  });

  it('refuses a directory as the target', async () => {
    const dir = fresh();
    await expect(writeFilesAtomic([{ path: dir, content: 'x', named: true }])).rejects.toThrow(/not a directory/);
  });
});
