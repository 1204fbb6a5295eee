import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { createProgress } from '../../src/cli/progress.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('progress on stderr', () => {
  it('shows nothing for a run shorter than the delay', () => {
    const io = memoryIO();
    const c = clock();
    const progress = createProgress(io, { label: 'check', now: c.now });
    for (let i = 1; i <= 8; i++) {
      c.advance(100);
      progress.update(i, 8);
    }
    progress.stop();
    expect(io.err).toBe('');
    expect(io.out).toBe('');
  });

  it('without a terminal: a plain line now and then, and a final one', () => {
    const io = memoryIO();
    const c = clock();
    const progress = createProgress(io, { label: 'check', now: c.now, plainIntervalMs: 5000 });
    for (let i = 1; i <= 20; i++) {
      c.advance(1000);
      progress.update(i, 20);
    }
    progress.stop();
    const lines = io.err.trim().split('\n');
    expect(lines[0]).toBe('check: 1/20 (1.0 s)');
    expect(lines.at(-1)).toBe('check: 20/20 (20.0 s)');
    expect(lines.length).toBeLessThanOrEqual(6);
  });

  it('on a terminal: a cli-progress bar drawn through io.stderr, never io.stdout', () => {
    const io = { ...memoryIO(), isTTY: true };
    let err = '';
    io.stderr = (text: string) => {
      err += text;
    };
    const c = clock();
    const progress = createProgress(io, { label: 'check', now: c.now });
    c.advance(1500);
    progress.update(3, 10);
    progress.update(10, 10);
    progress.stop();
    expect(err).toContain('check [');
    expect(io.out).toBe('');
  });
});
