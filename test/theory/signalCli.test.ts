import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('varprop signal', () => {
  it('--critical --json prints criticalWeightVar and qStar solved to 1e-8 (tanh, σ_b² = 0.05: 1.7609546)', async () => {
    const { code, out } = await run(['signal', '--act', 'tanh', '--critical', '--bias-var', '0.05', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Math.abs(json.criticalWeightVar / 1.7609546396 - 1)).toBeLessThan(1e-8);
    expect(json.qStar).toBeCloseTo(0.57004788, 7);
    expect(json.chi1).toBeCloseTo(1, 9);
  });

  it('prints a table, and evaluates a given σ_w² with --weight-var', async () => {
    const critical = await run(['signal', '--act', 'tanh', '--critical', '--bias-var', '0.05']);
    expect(critical.out).toMatch(/critical σ_w²\s+1\.76095464/);
    const chaotic = JSON.parse((await run(['signal', '--act', 'tanh', '--weight-var', '2', '--bias-var', '0.05', '--json'])).out);
    expect(chaotic.phase).toBe('chaotic');
    expect(chaotic.chi1).toBeGreaterThan(1);
  });

  it('bad input: one line naming the value, exit 2', async () => {
    for (const [argv, pattern] of [
      [['signal', '--act', 'relu', '--critical', '--bias-var', '0.05'], /--act = "relu" is not allowed: expected an odd, saturating activation/],
      [['signal', '--act', 'tanh', '--critical', '--bias-var', '-1'], /--bias-var = "-1" is not allowed/],
      [['signal', '--act', 'tanh', '--critical', '--bias-var', 'abc'], /--bias-var = "abc" is not allowed/],
      [['signal', '--act', 'tanh'], /--critical.*expected --critical, or --weight-var W/],
      [['signal', '--act', 'tanh', '--weight-var', '0'], /--weight-var = "0" is not allowed/],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
