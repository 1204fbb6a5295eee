/**
 * `varprop transformer` end to end, in-process: the JSON contract (field names), the table, `check
 * --spec` on an attention network, and one-line refusals with exit 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { transformerSpec } from '../../src/recipes/transformer.js';

async function run(args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('varprop transformer', () => {
  it('--json: preset, options, constants, spec, blocks with variance and tokenCosine, monteCarlo', async () => {
    const { code, out } = await run(['transformer', '--preset', 'deepnet', '--layers', '2', '--tokens', '6', '--width', '16', '--heads', '2', '--nets', '4', '--batch', '4', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json).sort()).toEqual(['blocks', 'constants', 'monteCarlo', 'options', 'preset', 'spec']);
    expect(json.constants).toEqual({ alpha: 4 ** 0.25, beta: 16 ** -0.25 });
    expect(json.blocks).toHaveLength(2);
    for (const key of ['variance', 'tokenCosine']) expect(Object.keys(json.blocks[1][key]).sort()).toEqual(['ciHigh', 'ciLow', 'estimate', 'predicted', 'prediction', 'verdict']);
    expect(Object.keys(json.monteCarlo).sort()).toEqual(['batch', 'level', 'nets', 'pass', 'seed']);
  });

  it('prints a table per block', async () => {
    const { code, out } = await run(['transformer', '--preset', 'gpt2', '--layers', '2', '--tokens', '4', '--width', '16', '--heads', '2', '--nets', '3', '--batch', '2']);
    expect(code).toBe(0);
    expect(out).toContain('projectionStd 0.01');
    expect(out.trim().split('\n')).toHaveLength(5);
  });

  it('refuses a bad preset, heads that do not divide the width, and a bad branch scale, in one line with exit 2', async () => {
    for (const [args, named] of [
      [['--preset', 'fixup'], '--preset'],
      [['--preset', 'pre_ln', '--heads', '5'], '--heads'],
      [['--preset', 'pre_ln', '--branch-scale', 'half'], '--branch-scale'],
    ] as const) {
      const { code, err } = await run(['transformer', ...args]);
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain(named);
    }
  });

  it('check --spec runs an attention network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'varprop-attention-'));
    const file = join(dir, 'gpt2.json');
    writeFileSync(file, JSON.stringify(transformerSpec('gpt2', { layers: 1, tokens: 4, width: 16, heads: 2 })));
    const { code, out } = await run(['check', '--spec', file, '--nets', '4', '--batch', '4', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).sites.some((site: { kind: string }) => site.kind === 'attention')).toBe(true);
  });
});
