/** `varprop jacobian`: the JSON contract, the table, and one-line refusals (exit 2). */
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

const FIELDS = ['predicted', 'label', 'estimate', 'ciLow', 'ciHigh', 'tolerance', 'verdict'];

describe('varprop jacobian', () => {
  it('--spec with a tree network, --json: meanSquaredSingularValue and varianceSquaredSingularValue with predicted, estimate, ciLow, ciHigh', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'varprop-jacobian-'));
    const spec = join(folder, 'net.json');
    writeFileSync(spec, JSON.stringify({ input: 64, layers: [{ kind: 'dense', width: 64, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 64, init: 'he_normal' }] }));
    const { code, out } = await run(['jacobian', '--spec', spec, '--nets', '12', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    for (const key of ['meanSquaredSingularValue', 'varianceSquaredSingularValue']) expect(Object.keys(json[key]).sort()).toEqual([...FIELDS].sort());
    expect(json.meanSquaredSingularValue.predicted).toBeCloseTo(2, 12);
    expect(json.meanSquaredSingularValue.label).toBe('exact');
    // m₁² (1 + 1 + 1): two Gaussian layers and one relu.
    expect(json.varianceSquaredSingularValue.predicted).toBeCloseTo(12, 10);
    expect(json.varianceSquaredSingularValue.label).toBe('leadingOrder');
    expect(json.meanSquaredSingularValue.ciLow).toBeLessThan(json.meanSquaredSingularValue.ciHigh);
    expect(json.inputUnits).toBe(64);
  });

  it('the table names each prediction’s label and a linear Gaussian chain’s exact finite-width variance', async () => {
    const { code, out } = await run(['jacobian', '--widths', '32,32,32', '--init', 'xavier_normal', '--nets', '8']);
    expect(code).toBe(0);
    expect(out).toMatch(/mean\s+predicted 1 \(exact\)/);
    expect(out).toMatch(/variance\s+predicted 2 \(leading order \(large width\)\)/);
    expect(out).toMatch(/finite width: the exact variance of this linear Gaussian chain is 2\.\d+/);
  });

  it('a non-square network has no variance prediction and says why', async () => {
    const { out } = await run(['jacobian', '--widths', '16,32,8', '--act', 'tanh', '--nets', '4', '--json']);
    const json = JSON.parse(out);
    expect(json.varianceSquaredSingularValue.predicted).toBeNull();
    expect(json.varianceUnavailable).toMatch(/8×16/);
  });

  it('refuses in one line (exit 2): a Jacobian too large for the eigen-decomposition, a run too long, bad flags', async () => {
    for (const [argv, pattern] of [
      [['jacobian', '--widths', '2048,2048'], /Jacobian = "2048×2048" is not allowed: expected a Jacobian whose smaller side is at most 1024/],
      [['jacobian', '--widths', '1000,1000,1000,1000,1000,1000', '--nets', '50'], /expected a run of at most 3e\+11 floating-point operations/],
      [['jacobian', '--widths', '40000,40000', '--nets', '2'], /Jacobian = "40000×40000"/],
      [['jacobian', '--widths', '8,8', '--nets', '1'], /--nets = "1" is not allowed: expected an integer from 2/],
      [['jacobian', '--widths', '8,8', '--inputs', '0'], /--inputs = "0" is not allowed/],
      [['jacobian', '--act', 'tanh'], /--widths is required/],
      // E[φ′²] is finite at q = 1 (φ′² ~ e^{x²/3}), E[φ′⁴] is not (~ e^{2x²/3}).
      [['jacobian', '--widths', '8,8,8', '--act', 'exp(x^2/6)', '--init', 'xavier_normal'], /1\.activation = "exp\(x\^2\/6\)" is not allowed: expected an activation whose E\[φ′\(h\)⁴\] is finite at the pre-activation variance q = 1\./],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n'), err).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
