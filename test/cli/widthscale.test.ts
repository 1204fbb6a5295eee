import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

const SMALL = ['--spec', 'examples/width-mlp.json', '--widths', '64,128,256', '--nets', '4', '--batch', '8'];

describe('varprop widthscale', () => {
  it('--json: per layer exponent, ciLow, ciHigh, predictedExponent (the update) and activation (at init); μP + Adam predicts 0 for every update', async () => {
    const { code, out } = await run(['widthscale', ...SMALL, '--param', 'mup', '--optimizer', 'adam', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ parametrization: 'mup', optimizer: 'adam', widths: [64, 128, 256], baseWidth: 64, prediction: 'leading-order' });
    expect(json.layers.map((l: { role: string }) => l.role)).toEqual(['input', 'hidden', 'hidden', 'output']);
    for (const layer of json.layers) {
      for (const fit of [layer, layer.activation]) {
        for (const field of ['exponent', 'ciLow', 'ciHigh', 'predictedExponent']) expect(typeof fit[field], field).toBe('number');
        expect(fit.ciLow).toBeLessThanOrEqual(fit.exponent);
        expect(fit.ciHigh).toBeGreaterThanOrEqual(fit.exponent);
        expect(fit.sizes).toHaveLength(3);
      }
      expect(layer.predictedExponent).toBe(0);
    }
    expect(json.layers[3].activation.predictedExponent).toBe(-0.5);
  });

  it('a table by default; SP + SGD predicts √n for hidden updates and n for the output', async () => {
    const { code, out } = await run(['widthscale', ...SMALL, '--param', 'sp']);
    expect(code).not.toBe(2);
    expect(out).toMatch(/sp \+ sgd, widths 64, 128, 256 \(base 64\)/);
    expect(out).toMatch(/2 \(2\)\s+hidden\s+\S+\s+\[\S+, \S+\]\s+0\.5/);
    expect(out).toMatch(/4 \(6\)\s+output\s+\S+\s+\[\S+, \S+\]\s+1\s/);
  });

  it('--help says how the widths replace the spec\'s', async () => {
    const { out } = await run(['widthscale', '--help']);
    expect(out).toMatch(/every\s+dense width w except the last layer's \(the output\) becomes w·n\/n₀/);
  });

  it('bad input: one line naming the value, exit 2', async () => {
    for (const [argv, pattern] of [
      [['widthscale', ...SMALL, '--param', 'mu'], /--param = "mu" is not allowed: expected one of sp, ntk, mup/],
      [['widthscale', ...SMALL, '--param', 'mup', '--optimizer', 'lion'], /--optimizer = "lion" is not allowed: expected one of sgd, adam/],
      [['widthscale', '--param', 'mup'], /--spec is required/],
      [['widthscale', ...SMALL, '--param', 'mup', '--lr', '0'], /--lr = "0" is not allowed/],
      [['widthscale', ...SMALL, '--param', 'mup', '--nets', '1'], /--nets = "1" is not allowed/],
      [['widthscale', '--spec', 'examples/residual.json', '--param', 'sp'], /residual" is not allowed: expected dense, activation, serial or repeat/],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
