/**
 * The weight samplers against their target laws: one-sample Kolmogorov–Smirnov tests at level 0.99
 * (accept when p > 0.01) with fixed seeds, a KS test that rejects a wrong target, orthogonality,
 * and reproducibility. Samples come from `varprop sample` (in-process) or its library function.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { sampleWeights } from '../../src/cli/commands/sample.js';
import { ksTest, ksTwoSample, normalCdf } from '../../src/math/statistics.js';

const ALPHA = 0.01; // level 0.99

async function sampleViaCli(args: string[]): Promise<{ shape: number[]; values: number[] }> {
  const io = memoryIO();
  const code = await main(['sample', ...args, '--json'], io);
  expect(io.err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out) as { shape: number[]; values: number[] };
}

const uniformCdf = (bound: number) => (x: number) => Math.min(1, Math.max(0, (x + bound) / (2 * bound)));
const normalCdfWithStd = (std: number) => (x: number) => normalCdf(x / std);
const truncatedNormalCdf = (std: number) => (x: number) => {
  const low = normalCdf(-2);
  const mass = normalCdf(2) - low;
  return Math.min(1, Math.max(0, (normalCdf(x / std) - low) / mass));
};

describe('samplers pass Kolmogorov–Smirnov tests against their target laws (level 0.99)', () => {
  it('xavier_uniform via `varprop sample`: U(−√(6/(n_in+n_out)), +)', async () => {
    const { shape, values } = await sampleViaCli(['--init', 'xavier_uniform', '--shape', '100,60', '--seed', '3']);
    expect(shape).toEqual([100, 60]);
    expect(values).toHaveLength(6000);
    const bound = Math.sqrt(6 / 160);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(ksTest(values, uniformCdf(bound)).pValue).toBeGreaterThan(ALPHA);
  });

  it('he_normal via `varprop sample` with --mode fan_out: N(0, 2/n_out)', async () => {
    // PyTorch order (out, in): out = 120.
    const { values } = await sampleViaCli(['--init', 'he_normal', '--shape', '120,50', '--mode', 'fan_out', '--seed', '5']);
    expect(ksTest(values, normalCdfWithStd(Math.sqrt(2 / 120))).pValue).toBeGreaterThan(ALPHA);
  });

  it('kaiming_uniform with --a √5 (PyTorch default): U(±√(6/((1+a²) n_in)))', async () => {
    const { values } = await sampleViaCli(['--init', 'kaiming_uniform', '--a', String(Math.sqrt(5)), '--shape', '40,80', '--seed', '9']);
    const bound = Math.sqrt(6 / (6 * 80)); // = 1/√n_in, torch's default Linear bound
    expect(ksTest(values, uniformCdf(bound)).pValue).toBeGreaterThan(ALPHA);
  });

  it('truncated normal (Keras VarianceScaling): N(0, σ²) cut at ±2σ with σ = √(1/n)/0.8796…', async () => {
    const { values, init } = sampleWeights('variance_scaling', [30, 200], 11);
    expect(init.distribution.name).toBe('truncated_normal');
    const std = Math.sqrt(1 / 200) / 0.87962566103423978;
    expect(ksTest(values, truncatedNormalCdf(std)).pValue).toBeGreaterThan(ALPHA);
    // ...and the same sample is not an untruncated normal of that σ (nothing beyond ±2σ).
    expect(ksTest(values, normalCdfWithStd(std)).pValue).toBeLessThan(ALPHA);
  });

  it('xavier_normal with a gain, and a conv weight whose fans are channels × receptive field', async () => {
    const dense = sampleWeights({ name: 'xavier_normal', gain: 2 }, [64, 96], 13);
    expect(ksTest(dense.values, normalCdfWithStd(2 * Math.sqrt(2 / 160))).pValue).toBeGreaterThan(ALPHA);
    // torch layout (out=16, in=8, 3, 3): fan_in = 72, fan_out = 144.
    const conv = await sampleViaCli(['--init', 'lecun_normal', '--shape', '16,8,3,3', '--seed', '17']);
    expect(conv.shape).toEqual([16, 8, 3, 3]);
    expect(ksTest(conv.values, normalCdfWithStd(Math.sqrt(1 / 72))).pValue).toBeGreaterThan(ALPHA);
  });

  it('KS rejects a wrong target: xavier_uniform samples against the fan_in-only bound √(3/n_in) and against a normal of equal variance', () => {
    const { values } = sampleWeights('xavier_uniform', [60, 100], 19);
    expect(ksTest(values, uniformCdf(Math.sqrt(3 / 100))).pValue).toBeLessThan(ALPHA);
    expect(ksTest(values, normalCdfWithStd(Math.sqrt(2 / 160))).pValue).toBeLessThan(ALPHA);
  });

  it('two-sample KS: two seeds of one preset agree; two presets differ', () => {
    const a = sampleWeights('he_uniform', [100, 50], 1).values;
    const b = sampleWeights('he_uniform', [100, 50], 2).values;
    const c = sampleWeights('xavier_uniform', [100, 50], 2).values;
    expect(ksTwoSample(a, b).pValue).toBeGreaterThan(ALPHA);
    expect(ksTwoSample(a, c).pValue).toBeLessThan(ALPHA);
  });
});

function gram(values: number[], rows: number, cols: number, transposeFirst: boolean): number[][] {
  // transposeFirst: WᵀW (cols×cols); else WWᵀ (rows×rows).
  const size = transposeFirst ? cols : rows;
  const g = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      if (transposeFirst) for (let r = 0; r < rows; r++) sum += values[r * cols + i] * values[r * cols + j];
      else for (let c = 0; c < cols; c++) sum += values[i * cols + c] * values[j * cols + c];
      g[i][j] = sum;
    }
  }
  return g;
}

describe('orthogonal weights', () => {
  it('WᵀW = gain²·I for a tall weight (n_in ≥ n_out) via `varprop sample --gain 1.5`', async () => {
    const { values } = await sampleViaCli(['--init', 'orthogonal', '--gain', '1.5', '--shape', '48,20', '--seed', '2']);
    const g = gram(values, 48, 20, true);
    g.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 2.25 : 0, 10)));
  });
  it('WWᵀ = gain²·I for a wide weight; square: both', () => {
    const wide = sampleWeights({ name: 'orthogonal', gain: 0.5 }, [12, 30], 4).values;
    gram(wide, 12, 30, false).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 0.25 : 0, 10)));
    const square = sampleWeights('orthogonal', [16, 16], 4).values;
    gram(square, 16, 16, true).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 10)));
  });
});

describe('one shape convention: PyTorch (out, in, *kernel) by default, --layout keras for (in, out) / (*kernel, in, out)', () => {
  it('he_normal on 256,784 is nn.Linear(784, 256): std √(2/784), as a PyTorch user expects (was √(2/256))', async () => {
    const { values } = await sampleViaCli(['--init', 'he_normal', '--shape', '256,784', '--seed', '7']);
    expect(ksTest(values, normalCdfWithStd(Math.sqrt(2 / 784))).pValue).toBeGreaterThan(ALPHA);
    expect(ksTest(values, normalCdfWithStd(Math.sqrt(2 / 256))).pValue).toBeLessThan(ALPHA);
    const keras = await sampleViaCli(['--init', 'he_normal', '--shape', '784,256', '--layout', 'keras', '--seed', '7']);
    expect(ksTest(keras.values, normalCdfWithStd(Math.sqrt(2 / 784))).pValue).toBeGreaterThan(ALPHA);
  });

  it('the same draw in both layouts is the same weight, transposed', () => {
    const torch = sampleWeights('he_normal', [5, 7], 3).values; // (out 5, in 7)
    const keras = sampleWeights('he_normal', [7, 5], 3, { layout: 'keras' }).values; // (in 7, out 5)
    for (let o = 0; o < 5; o++) for (let i = 0; i < 7; i++) expect(keras[i * 5 + o]).toBe(torch[o * 7 + i]);
    const torchConv = sampleWeights('lecun_normal', [4, 3, 2, 2], 5).values; // (out, in, kh, kw)
    const kerasConv = sampleWeights('lecun_normal', [2, 2, 3, 4], 5, { layout: 'keras' }).values; // (kh, kw, in, out)
    for (let o = 0; o < 4; o++) for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) {
      expect(kerasConv[(k * 3 + i) * 4 + o]).toBe(torchConv[(o * 3 + i) * 4 + k]);
    }
  });

  it('orthogonal conv weight 8,4,3,3 as torch.nn.init.orthogonal_: the (8, 36) flattening has orthonormal rows (was refused)', async () => {
    const { shape, values } = await sampleViaCli(['--init', 'orthogonal', '--shape', '8,4,3,3', '--seed', '1']);
    expect(shape).toEqual([8, 4, 3, 3]);
    gram(values, 8, 36, false).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 10)));
    // Keras' Orthogonal flattens (kh, kw, in, out) into (kh·kw·in, out): orthonormal columns there.
    const keras = sampleWeights({ name: 'orthogonal', gain: 2 }, [3, 3, 4, 8], 1, { layout: 'keras' }).values;
    gram(keras, 36, 8, true).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 4 : 0, 10)));
  });

  it('--help says the convention; a bad --layout is one line, exit 2', async () => {
    const help = memoryIO();
    await main(['sample', '--help'], help);
    expect(help.out.replace(/\s+/g, ' ')).toContain("PyTorch's (out, in, *kernel) by default");
    const io = memoryIO();
    expect(await main(['sample', '--init', 'he_normal', '--shape', '3,4', '--layout', 'jax'], io)).toBe(2);
    expect(io.err).toMatch(/--layout = "jax" is not allowed: expected one of torch, keras/);
  });
});

describe('reproducibility', () => {
  it('same seed, same output; another seed, other output', async () => {
    const a = await sampleViaCli(['--init', 'he_normal', '--shape', '20,25', '--seed', '42']);
    const b = await sampleViaCli(['--init', 'he_normal', '--shape', '20,25', '--seed', '42']);
    const c = await sampleViaCli(['--init', 'he_normal', '--shape', '20,25', '--seed', '43']);
    expect(a).toEqual(b);
    expect(a.values).not.toEqual(c.values);
  });

  it('unknown preset and bad shape: one clear line, exit 2', async () => {
    const io = memoryIO();
    expect(await main(['sample', '--init', 'not_a_preset', '--shape', '20,25', '--json'], io)).toBe(2);
    expect(io.err).toMatch(/init = "not_a_preset" is not allowed: expected one of .*xavier_uniform/);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    const io2 = memoryIO();
    expect(await main(['sample', '--init', 'he_normal', '--shape', '20,0'], io2)).toBe(2);
    expect(io2.err).toMatch(/--shape\[1\] = "0" is not allowed: expected a positive integer/);
  });
});
