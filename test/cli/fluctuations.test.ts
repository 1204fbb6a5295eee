/**
 * `varprop fluctuations`: the JSON contract (per site `secondMomentRatio` with `predicted`,
 * `estimate`, `ciLow`, `ciHigh`), the table, --spec with a tree, and bad input in one line, exit 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

const folder = mkdtempSync(join(tmpdir(), 'varprop-fluctuations-'));
const specFile = (name: string, spec: unknown) => {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(spec));
  return path;
};

describe('varprop fluctuations', () => {
  it('--json: per site secondMomentRatio {predicted, estimate, ciLow, ciHigh}, label, verdict; exact relu product', async () => {
    const { code, out } = await run(['fluctuations', '--widths', '10,10,10', '--act', 'relu', '--init', 'he_normal', '--nets', '1000', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.sites.map((site: { path: string }) => site.path)).toEqual(['0', '1', '2']);
    for (const site of report.sites) {
      for (const field of ['predicted', 'estimate', 'ciLow', 'ciHigh']) expect(typeof site.secondMomentRatio[field]).toBe('number');
      expect(site.secondMomentRatio.ciLow).toBeLessThan(site.secondMomentRatio.ciHigh);
      expect(site.label).toBe('exact');
      expect(['holds', 'fails', 'undecided']).toContain(site.verdict);
    }
    // (1 + 2/10)·(1 + 5/10)·(1 + 2/10)
    expect(report.sites[2].secondMomentRatio.predicted).toBeCloseTo(2.16, 12);
    expect(report).toMatchObject({ nets: 1000, seed: 1, level: 0.99, interval: 'studentized-bootstrap-log', pass: true });
  });

  it('prints a table; --spec takes a tree; tanh is labelled leading order', async () => {
    const path = specFile('tree.json', { input: 8, layers: [{ kind: 'dense', width: 8, init: 'xavier_normal' }, { kind: 'activation', activation: 'tanh' }, { kind: 'dense', width: 8 }] });
    const { code, out } = await run(['fluctuations', '--spec', path, '--nets', '500']);
    expect(code).toBe(0);
    expect(out).toMatch(/^E\[M²\]\/E\[M\]², M = ‖y‖²\/n, over 500 networks/);
    expect(out).toMatch(/1\s+activation\s+8\s+leading order ±5%/);
    expect(out).toMatch(/verdict: /);
  });

  it('bad input: one line naming the value and what is allowed, exit 2', async () => {
    const residual = specFile('residual.json', { input: 8, layers: [{ kind: 'residual', branch: [{ kind: 'dense', width: 8 }] }] });
    for (const [argv, pattern] of [
      [['fluctuations', '--act', 'relu'], /--widths is required/],
      [['fluctuations', '--widths', '8,8', '--nets', '5'], /--nets = "5" is not allowed: expected an integer from 100/],
      [['fluctuations', '--widths', '8,8', '--level', '1'], /--level = "1" is not allowed/],
      [['fluctuations', '--spec', residual], /0\.kind = "residual" is not allowed: expected a chain of dense, bias and activation nodes/],
      [['fluctuations', '--widths', '8,8', '--init', 'orthogonal'], /0\.init = .* expected a law with iid zero-mean entries/],
      [['fluctuations', '--widths', '8,8,8', '--act', 'exp(x^2/5)'], /1\.activation = "exp\(x\^2\/5\)" is not allowed: expected an activation with finite, non-zero Gaussian moments/],
      // 201 widths (the fuzz soak's slow case): 399 sites' bootstraps would take minutes.
      [['fluctuations', '--widths', new Array(201).fill(8).join(','), '--act', 'relu'], /network = "399 sites × 4000 networks" is not allowed: expected a check of at most 3e\+10 bootstrap values/],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n'), err).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
