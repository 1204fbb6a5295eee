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
      [['signal', '--act', 'gelu', '--critical', '--bias-var', '0.05'], /activation = "gelu" is not allowed: expected an activation whose χ₁ reaches 1/],
      [['signal', '--act', 'tanh', '--weight-var', '-1.5', '--bias-var', '0.05'], /--weight-var = "-1.5" is not allowed: expected a positive finite number/],
      [['signal', '--act', 'relu', '--weight-var', '2.5', '--bias-var', '0.05'], /grows without bound/],
      [['signal', '--act', 'exp(x^2/5)', '--weight-var', '3', '--bias-var', '0.5'], /activation = "exp\(x\^2\/5\)" is not allowed: expected an activation whose Gaussian moments are finite/],
      [['signal', '--act', 'tanh', '--weight-var', '1.5', '--measure', '--input-correlation', '1.2'], /--input-correlation = "1.2" is not allowed/],
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

  it('--weight-var --json: exactly the contract fields qStar, cStar, chi1, chiC, xiQ, xiC, xiGrad, phase, criticalWeightVar', async () => {
    const { code, out } = await run(['signal', '--act', 'tanh', '--weight-var', '1.5', '--bias-var', '0.05', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['qStar', 'cStar', 'chi1', 'chiC', 'xiQ', 'xiC', 'xiGrad', 'phase', 'criticalWeightVar']);
    expect(json.phase).toBe('ordered');
    expect(json.cStar).toBe(1);
    expect(json.xiC).toBeCloseTo(-1 / Math.log(json.chi1), 10);
    expect(json.criticalWeightVar).toBeCloseTo(1.7609546396, 8);
    const chaotic = JSON.parse((await run(['signal', '--act', 'tanh', '--weight-var', '2.5', '--bias-var', '0.05', '--json'])).out);
    expect(chaotic.cStar).toBeLessThan(1);
    expect(chaotic.xiGrad).toBeLessThan(0);
    // He init without bias is critical: the depth scales are infinite, printed as null.
    const he = JSON.parse((await run(['signal', '--act', 'relu', '--weight-var', '2', '--json'])).out);
    expect(he).toMatchObject({ phase: 'critical', xiC: null, xiGrad: null, criticalWeightVar: 2 });
  });

  it('--critical for any activation: relu at σ_w² = 2, q* unbounded with a bias', async () => {
    const json = JSON.parse((await run(['signal', '--act', 'relu', '--critical', '--bias-var', '0.05', '--json'])).out);
    expect(json).toMatchObject({ criticalWeightVar: 2, qStar: null, chi1: 1 });
    const custom = JSON.parse((await run(['signal', '--act', 'x/(1+abs(x))', '--critical', '--bias-var', '0.1', '--json'])).out);
    expect(custom.chi1).toBeCloseTo(1, 8);
  });

  it('--measure prints c_l per layer measured against the c-map and the decay rates', async () => {
    const { code, out } = await run(['signal', '--act', 'tanh', '--weight-var', '1.5', '--bias-var', '0.05', '--measure', '--width', '100', '--depth', '8', '--nets', '4', '--pairs', '10', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.measurement.layers.length).toBe(json.measurement.measuredCorrelation.length);
    expect(json.measurement.rate.ciLow).toBeLessThanOrEqual(json.measurement.rate.ciHigh);
    expect(json.measurement.asymptoticRate).toBeCloseTo(1 / json.xiC, 12);
  });
});
