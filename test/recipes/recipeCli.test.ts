/**
 * `varprop recipe`: the JSON contract (field names as --help states them), the printed tree, and bad
 * input refused in one line (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('varprop recipe', () => {
  it('--json: the tree at --blocks and every depth, measured where asked (NF-ResNet: 1 + L·α²)', async () => {
    const { code, out } = await run(['recipe', 'nf_resnet', '--blocks', '3', '--width', '16', '--depths', '10,1000', '--measure', '10', '--nets', '4', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['recipe', 'title', 'source', 'summary', 'options', 'width', 'tree', 'depths']);
    expect(json.tree.spec.layers).toHaveLength(3);
    expect(json.tree.spec.layers[2].branch[0]).toEqual({ kind: 'scale', factor: 1 / Math.sqrt(1 + 2 * 0.04) });
    const [ten, thousand] = json.depths;
    expect(Object.keys(ten)).toEqual(['blocks', 'forward', 'backward', 'inputGradient', 'lastBranchWeightGradient', 'monteCarlo']);
    expect(Object.keys(ten.forward)).toEqual(['predicted', 'prediction', 'claim', 'estimate', 'ciLow', 'ciHigh', 'verdict']);
    expect(ten.forward.predicted).toBeCloseTo(1.4, 12);
    expect(ten.monteCarlo).toMatchObject({ width: 16, nets: 4, batch: 128, seed: 1 });
    expect(thousand.forward.claim).toBeCloseTo(41, 9);
    expect(thousand.monteCarlo).toBeUndefined();
  }, 30_000);

  it('--json at α = 0 (rezero): the whole tower measured, the branch weight gradient exactly 0', async () => {
    const { code, out } = await run(['recipe', 'rezero', '--blocks', '2', '--width', '16', '--depths', '10', '--measure', '10', '--nets', '4', '--json']);
    expect(code).toBe(0);
    const [ten] = JSON.parse(out).depths;
    expect(Object.keys(ten)).toEqual(['blocks', 'forward', 'backward', 'inputGradient', 'lastBranchWeightGradient', 'monteCarlo']);
    expect(ten.monteCarlo).toEqual({ width: 16, nets: 4, batch: 128, seed: 1, pass: true });
    expect(ten.lastBranchWeightGradient).toMatchObject({ predicted: 0, claim: 0, estimate: 0, ciLow: 0, ciHigh: 0 });
    expect(ten.forward.verdict).not.toBe('fails');
  }, 30_000);

  it('prints the recipe, its source, two blocks of the tree and the table', async () => {
    const { code, out } = await run(['recipe', 'fixup', '--blocks', '100', '--depths', '100', '--measure', '']);
    expect(code).toBe(0);
    expect(out).toContain('Zhang, Dauphin & Ma 2019');
    expect(out).toMatch(/^ {2}99: \{"kind":"residual"/m);
    expect(out).toMatch(/E\[\(∂w\)²\], last layer of block 1's branch\s+0\.01 \(exact\)/);
  });

  it('bad input: one line naming the value, exit 2', async () => {
    for (const [argv, pattern] of [
      [['recipe', 'batchnorm'], /<name> = "batchnorm" is not allowed: expected one of unscaled, fixup/],
      [['recipe', 'fixup', '--alpha', '0.1'], /--alpha = "0.1" is not allowed: expected no --alpha for fixup/],
      [['recipe', 'nf_resnet', '--measure', '50'], /--measure\[0\] = 50 is not allowed/],
      [['recipe', 'fixup', '--branch-layers', '1'], /--branch-layers = "1" is not allowed/],
      [['recipe', 'nf_resnet', '--alpha', '0'], /alpha = 0 is not allowed/],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
