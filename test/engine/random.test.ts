import { describe, expect, it, vi } from 'vitest';
import { createRandom, replicateRandom, Xoshiro128StarStar } from '../../src/math/random.js';
import { ZIGGURAT_R, zigguratTables } from '../../src/math/ziggurat.js';

/** z-score of a sample mean against its expected value, given the per-draw variance. */
function zScore(sum: number, n: number, expected: number, variance: number): number {
  return (sum / n - expected) / Math.sqrt(variance / n);
}

/** Two-sided level 1e-4 per check: |z| < 3.89. */
const Z_LIMIT = 3.89;

describe('xoshiro128**', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    // Outputs of Blackman & Vigna's xoshiro128starstar.c (v1.1), as in Rust rand_xoshiro's test.
    const random = new Xoshiro128StarStar([1, 2, 3, 4]);
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    expect(expected.map(() => random.nextUint32())).toEqual(expected);
  });

  it('gives the same numbers for the same seed and different numbers for different seeds', () => {
    const draw = (seed: number) => {
      const out = new Float64Array(16);
      createRandom(seed).fillNormal(out);
      return Array.from(out);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(-7)).not.toEqual(draw(7));
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRandom(1.5)).toThrow(/seed = 1.5/);
    expect(() => createRandom(Number.NaN)).toThrow(/seed/);
  });

  it('split() hands out the current stream and jumps', () => {
    const root = createRandom(3);
    const first = new Xoshiro128StarStar(root.state());
    const children = [root.split(), root.split(), root.split()];
    const firsts = children.map((c) => c.nextUint32());
    expect(new Set(firsts).size).toBe(3);
    expect(firsts[0]).toBe(first.nextUint32());
  });

  it('replicate r is seeded in constant time from splitmix64 outputs 2r+1, 2r+2 of a seed-keyed counter', () => {
    // An independent splitmix64 (Vigna's splitmix64.c) written out here, so the test pins the construction.
    const mask = (1n << 64n) - 1n;
    const gamma = 0x9e3779b97f4a7c15n;
    const mix = (counter: bigint) => {
      let z = counter & mask;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      return z ^ (z >> 31n);
    };
    const words = (seed: number, r: number) => {
      const key = mix(BigInt.asUintN(64, BigInt(seed)) + gamma);
      const a = mix(key + (2n * BigInt(r) + 1n) * gamma);
      const b = mix(key + (2n * BigInt(r) + 2n) * gamma);
      return [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map(Number);
    };
    for (const [seed, r] of [[1, 0], [1, 1], [3, 7], [-5, 1000], [2 ** 32 - 1, 99_999]] as const) {
      expect(replicateRandom(seed, r).state()).toEqual(words(seed, r));
    }
    // Constant time: no jumps, however large the index (the old construction jumped `index` times).
    const jumps = vi.spyOn(Xoshiro128StarStar.prototype, 'jump');
    const far = replicateRandom(1, 2 ** 40);
    expect(jumps).not.toHaveBeenCalled();
    jumps.mockRestore();
    expect(far.state()).toEqual(words(1, 2 ** 40));
    // Distinct streams for neighbouring replicates and seeds.
    const firsts = new Set<number>();
    for (let seed = 0; seed < 10; seed++) for (let r = 0; r < 100; r++) firsts.add(replicateRandom(seed, r).nextUint32());
    expect(firsts.size).toBeGreaterThan(990);
    expect(() => replicateRandom(1, -1)).toThrow(/replicate/);
    expect(() => replicateRandom(1.5, 0)).toThrow(/seed/);
  });

  it('jump is a linear map that commutes with stepping (as a polynomial in the transition)', () => {
    const a = createRandom(11);
    const b = createRandom(11);
    a.jump();
    for (let i = 0; i < 5; i++) a.nextUint32();
    for (let i = 0; i < 5; i++) b.nextUint32();
    b.jump();
    expect(a.state()).toEqual(b.state());
  });
});

describe('uniform and normal streams (fixed seed, level 1e-4 per moment)', () => {
  const n = 400_000;

  it('uniform() has mean 1/2 and variance 1/12, and a biased formula is rejected', () => {
    const random = createRandom(2024);
    const u = new Float64Array(n);
    random.fillUniform(u, 0, 1);
    let sum = 0;
    let sumSquares = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const x of u) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      sumSquares += x * x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(zScore(sum, n, 0.5, 1 / 12))).toBeLessThan(Z_LIMIT);
    // E[U²] = 1/3, Var[U²] = 1/5 − 1/9.
    expect(Math.abs(zScore(sumSquares, n, 1 / 3, 1 / 5 - 1 / 9))).toBeLessThan(Z_LIMIT);
    // A wrong target (variance 1/12 · 1.05, as from U(−0.512, 0.512) + 1/2) is rejected by the same test.
    expect(Math.abs(zScore(sumSquares, n, 1 / 3 + 0.05 / 12, 1 / 5 - 1 / 9))).toBeGreaterThan(Z_LIMIT);
  });

  it('fillNormal matches N(0,1) in mean, variance, fourth moment and tail mass beyond r', () => {
    const random = createRandom(99);
    const z = new Float64Array(n);
    random.fillNormal(z);
    let sum = 0;
    let sumSquares = 0;
    let sumFourth = 0;
    let tail = 0;
    for (const x of z) {
      sum += x;
      sumSquares += x * x;
      sumFourth += x ** 4;
      if (Math.abs(x) > ZIGGURAT_R) tail++;
    }
    expect(Math.abs(zScore(sum, n, 0, 1))).toBeLessThan(Z_LIMIT);
    expect(Math.abs(zScore(sumSquares, n, 1, 2))).toBeLessThan(Z_LIMIT); // Var[Z²] = 2
    expect(Math.abs(zScore(sumFourth, n, 3, 105 - 9))).toBeLessThan(Z_LIMIT); // E[Z⁸] = 105
    // P(|Z| > 3.6541528853610088) = 2.58e-4 (exercises the tail path).
    const p = 2.5802e-4;
    expect(Math.abs(zScore(tail, n, p, p * (1 - p)))).toBeLessThan(Z_LIMIT);
    // A sampler 1% too wide would be rejected by the variance check.
    expect(Math.abs(zScore(sumSquares * 1.0201, n, 1, 2))).toBeGreaterThan(Z_LIMIT);
  });

  it('fillNormal gives exactly the values of repeated normal() calls, for both array types', () => {
    const filled = new Float64Array(5000);
    createRandom(5).fillNormal(filled, 1, 2);
    const one = createRandom(5);
    const single = Array.from({ length: 5000 }, () => 1 + 2 * one.normal());
    expect(Array.from(filled)).toEqual(single);
    const filled32 = new Float32Array(5000);
    createRandom(5).fillNormal(filled32, 1, 2);
    expect(Array.from(filled32)).toEqual(Array.from(Float32Array.from(single)));
  });

  it('ziggurat tables close: the top layer reaches the density maximum 1', () => {
    const { w, f } = zigguratTables;
    const x1 = w[1] * 2 ** 52;
    expect(f[1] + 4.92867323399e-3 / x1).toBeCloseTo(1, 8);
  });
});
