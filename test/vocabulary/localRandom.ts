/**
 * A small, self-contained RandomSource for these tests (Marsaglia's xorshift128, 53-bit uniforms from
 * two draws, Box–Muller normals), so the vocabulary is checked independently of src/math/random.ts.
 */
import type { RandomSource } from '../../src/math/random.js';

export function xorshiftRandom(seed: number): RandomSource {
  // splitmix32 spreads the seed over the 128-bit state.
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let x = splitmix() || 1;
  let y = splitmix();
  let z = splitmix();
  let w = splitmix();
  const next32 = (): number => {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return w;
  };
  let spare: number | null = null;
  const source: RandomSource = {
    nextUint32: next32,
    uniform: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
    normal: () => {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      let u = 0;
      while (u === 0) u = source.uniform();
      const v = source.uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    fillNormal(out, mean = 0, std = 1) {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * source.normal();
    },
    fillUniform(out, low, high) {
      for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * source.uniform();
    },
    split: () => xorshiftRandom(source.nextUint32()),
  };
  return source;
}

/**
 * z-score of the sample mean of f(x) against `expected`, with the standard error estimated from the
 * same sample: (mean − expected)/(sd/√N). For iid samples it is ≈ N(0, 1) when `expected` is right.
 */
export function zScore(values: ArrayLike<number>, f: (x: number) => number, expected: number): number {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const y = f(values[i]);
    sum += y;
    sumSquares += y * y;
  }
  const n = values.length;
  const mean = sum / n;
  const variance = Math.max(sumSquares / n - mean * mean, 0) * (n / (n - 1));
  const standardError = Math.sqrt(variance / n);
  return standardError === 0 ? (mean === expected ? 0 : Number.POSITIVE_INFINITY) : (mean - expected) / standardError;
}
