import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { needsBuild, PACKAGE_ROOT } from '../../src/explorer/build.js';

describe('explorer build freshness', () => {
  it('builds when there is no build, not when the build is newer than every input, again when an input changes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'varprop-build-'));
    try {
      expect(await needsBuild(dir)).toBe(true);
      const input = path.join(dir, 'input.ts');
      await writeFile(input, 'export {}');
      const builtAt = Date.now() + 60_000;
      await writeFile(path.join(dir, 'build-info.json'), JSON.stringify({ builtAt, inputs: [input, 'src/explorer/app/state.ts'] }));
      expect(await needsBuild(dir)).toBe(false);
      // An input edited after the build.
      const later = new Date(builtAt + 1000);
      await utimes(input, later, later);
      expect(await needsBuild(dir)).toBe(true);
      // An input that disappeared.
      await writeFile(path.join(dir, 'build-info.json'), JSON.stringify({ builtAt: builtAt + 10_000, inputs: [path.join(dir, 'gone.ts')] }));
      expect(await needsBuild(dir)).toBe(true);
      expect(path.isAbsolute(PACKAGE_ROOT)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
