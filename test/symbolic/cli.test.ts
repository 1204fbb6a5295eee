import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { DeriveJson } from '../../src/symbolic/present.js';
import { renderStrict } from './helpers.js';

async function run(...argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('varprop derive (in-process)', () => {
  it('--format json gives the contract fields', async () => {
    const { code, out } = await run('derive', '--fan-in', '784', '--fan-out', '256', '--act', 'tanh', '--init', 'xavier_uniform', '--format', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(out) as DeriveJson;
    expect(json.std).toBeCloseTo(0.0438529, 7);
    expect(json.uniformBound).toBeCloseTo(0.0759555, 7);
    expect(json.uniformEquivalentBound).toBeCloseTo(0.0759555, 7);
    expect(json.variance).toBeCloseTo(2 / 1040, 15);
    for (const id of ['forward', 'backward', 'compromise']) {
      const c = json.conditions[id];
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['formula', 'variance', 'std', 'uniformBound']));
      expect(c.std).toBeCloseTo(Math.sqrt(c.variance), 15);
      expect(c.uniformBound).toBeCloseTo(Math.sqrt(3 * c.variance), 15);
    }
    expect(json.conditions.compromise.formula).toBe('2/(n_in+n_out)');
    expect(json.conditions.forward.variance).toBeCloseTo(1 / 784, 15);
    expect(json.conditions.backward.variance).toBeCloseTo(1 / 256, 15);
    expect(json.steps.length).toBeGreaterThan(30);
    for (const step of json.steps) {
      expect(Object.keys(step)).toEqual(expect.arrayContaining(['rule', 'latex', 'note', 'section']));
      renderStrict(step.latex);
    }
    expect(out).not.toContain('NaN');
  });

  it('--json is a synonym for --format json', async () => {
    const { code, out } = await run('derive', '--fan-in', '100', '--fan-out', '10', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as DeriveJson).conditions.forward.formula).toBe('1/n_in');
  });

  it('text (the default) is a readable derivation with the numbers', async () => {
    const { code, out } = await run('derive', '--fan-in', '784', '--fan-out', '256', '--act', 'tanh');
    expect(code).toBe(0);
    expect(out).toContain('1. Forward pass');
    expect(out).toMatch(/1\.10 \[sum of identically distributed terms\]/);
    expect(out).toContain('n_in·σ²·γ²');
    expect(out).toContain("Xavier's compromise");
    expect(out).toContain('0.0438529');
    expect(out).toContain('0.0759555');
    expect(out).toContain('⚠ tanh is only linear near 0');
    expect(out).not.toMatch(/\\(mathbb|operatorname|frac)/);
  });

  it('latex prints an aligned document body', async () => {
    const { code, out } = await run('derive', '--fan-in', '64', '--fan-out', '32', '--act', 'relu', '--init', 'he_normal', '--format', 'latex');
    expect(code).toBe(0);
    expect(out).toContain('\\begin{align*}');
    expect(out).toContain('&=');
    expect(out.match(/\\begin\{align\*\}/g)?.length).toBe(out.match(/\\end\{align\*\}/g)?.length);
  });

  for (const bad of ['0', '-3', '2.5', 'NaN', 'abc']) {
    it(`--fan-in ${bad} is a one-line error with exit 2`, async () => {
      const { code, out, err } = await run('derive', `--fan-in=${bad}`, '--fan-out', '10');
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain('--fan-in');
      expect(err).toContain('positive integer');
    });
  }

  it('unknown format or activation: one line, exit 2', async () => {
    const format = await run('derive', '--fan-in', '10', '--fan-out', '10', '--format', 'pdf');
    expect(format.code).toBe(2);
    expect(format.err).toContain('--format');
    const act = await run('derive', '--fan-in', '10', '--fan-out', '10', '--act', 'tanhh');
    expect(act.code).toBe(2);
    expect(act.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('derive --format json names bounds for what they are', () => {
  it('a normal law has no uniform bound; a truncated normal states its cut points; both give √3·σ as the uniform-equivalent bound', async () => {
    const normal = JSON.parse((await run('derive', '--fan-in', '784', '--fan-out', '256', '--init', 'xavier_normal', '--format', 'json')).out) as DeriveJson;
    expect(normal.law).toBe('normal');
    expect(normal.uniformBound).toBeUndefined();
    expect(normal.truncationBounds).toBeUndefined();
    expect(normal.uniformEquivalentBound).toBeCloseTo(Math.sqrt(3 * (2 / 1040)), 12);
    // Keras' lecun_normal is a truncated normal: √3·σ = 0.06186 but its cut points are ±0.0812.
    const truncated = JSON.parse((await run('derive', '--fan-in', '784', '--fan-out', '256', '--init', 'lecun_normal', '--format', 'json')).out) as DeriveJson;
    expect(truncated.uniformEquivalentBound).toBeCloseTo(0.06186, 5);
    expect(truncated.truncationBounds![1]).toBeCloseTo(0.0812, 4);
    expect(truncated.law).toBe('truncated_normal');
    // Keras: stddev = √(1/784)/0.87962566, cut at ±2 of it.
    expect(truncated.truncationBounds![1]).toBeCloseTo((2 * Math.sqrt(1 / 784)) / 0.8796256610342398, 12);
    expect(truncated.uniformBound).toBeUndefined();
  });
});
