/**
 * Seeded random numbers for the Monte Carlo engine and every sampler.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled Linear Pseudorandom Number
 * Generators", ACM TOMS 47(4), 2021; reference code xoshiro128starstar.c): 128 bits of state,
 * period 2^128 − 1, 32-bit outputs, all arithmetic in 32-bit integers (fast in JavaScript via
 * `Math.imul`). Seeding expands the seed with splitmix64 (Steele, Lea & Flood 2014), as the
 * xoshiro authors recommend, so nearby seeds give unrelated states.
 * Streams: `split()` hands out the current state and jumps this stream 2^64 steps ahead (the
 * reference `jump()`), so the streams never overlap. The engine gives replicate network r the
 * stream {@link replicateRandom}(seed, r): the seed's stream jumped r times, whatever worker runs it.
 * Uniforms carry 53 random bits; normals use the ziggurat of src/numeric/ziggurat.ts.
 */
import { InputError } from '../errors.js';
import { zigguratSlowPath, zigguratTables } from './ziggurat.js';

/**
 * The random source every sampler takes as an argument (no module-level RNG). The numeric layer
 * implements it with xoshiro128** and a ziggurat normal sampler; see `createRandom`.
 */
export interface RandomSource {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits where it matters (float64). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Fill with N(mean, std²). */
  fillNormal(out: Float32Array | Float64Array, mean?: number, std?: number): void;
  /** Fill with U(low, high). */
  fillUniform(out: Float32Array | Float64Array, low: number, high: number): void;
  /** An independent stream (jump), e.g. one per replicate network or worker. */
  split(): RandomSource;
}

/** xoshiro128** jump polynomial: 2^64 steps (reference `jump()`). */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
const TWO_POW_26 = 67108864;
const TWO_POW_53_INVERSE = 1 / 9007199254740992;
const TWO_POW_29 = 536870912;

/** xoshiro128** with a ziggurat normal sampler; state is four unsigned 32-bit words. */
export class Xoshiro128StarStar implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Starts from an explicit state (not all zero); use {@link createRandom} to start from a seed. */
  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((word) => word >>> 0);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new InputError('state', state, 'four 32-bit words, not all zero (xoshiro has no all-zero state)');
    }
  }

  /** The current state, e.g. to send a stream to a worker. */
  state(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  nextUint32(): number {
    const s1 = this.s1;
    const scrambled = Math.imul(s1, 5);
    const result = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  uniform(): number {
    // 27 + 26 high bits of two outputs, as in the usual 53-bit construction (e.g. MT19937's genrand_res53).
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) * TWO_POW_53_INVERSE;
  }

  normal(): number {
    const high = this.nextUint32();
    const low = this.nextUint32();
    const layer = high & 0xff;
    const magnitude = (high >>> 9) * TWO_POW_29 + (low >>> 3);
    if (magnitude < zigguratTables.k[layer]) {
      const value = magnitude * zigguratTables.w[layer];
      return (high & 0x100) !== 0 ? -value : value;
    }
    return this.slowNormal(layer, (high & 0x100) !== 0, magnitude);
  }

  /**
   * Vectorised fill: the generator state lives in locals for the whole loop (the hot path of weight
   * sampling). Gives exactly the values of repeated `normal()` calls, for either array type.
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    const { k, w } = zigguratTables;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0, n = out.length; i < n; i++) {
      // Two inlined xoshiro128** steps: `high` then `low`.
      let scrambled = Math.imul(s1, 5);
      const high = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      scrambled = Math.imul(s1, 5);
      const low = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const layer = high & 0xff;
      const magnitude = (high >>> 9) * TWO_POW_29 + (low >>> 3);
      let value: number;
      if (magnitude < k[layer]) {
        value = magnitude * w[layer];
        if ((high & 0x100) !== 0) value = -value;
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
        value = this.slowNormal(layer, (high & 0x100) !== 0, magnitude);
        s0 = this.s0;
        s1 = this.s1;
        s2 = this.s2;
        s3 = this.s3;
      }
      out[i] = mean + std * value;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  fillUniform(out: Float32Array | Float64Array, low: number, high: number): void {
    const width = high - low;
    for (let i = 0, n = out.length; i < n; i++) out[i] = low + width * this.uniform();
  }

  split(): RandomSource {
    const child = new Xoshiro128StarStar(this.state());
    this.jump();
    return child;
  }

  /** Advances this stream by 2^64 steps (reference `jump()`). */
  jump(): void {
    let j0 = 0;
    let j1 = 0;
    let j2 = 0;
    let j3 = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          j0 ^= this.s0;
          j1 ^= this.s1;
          j2 ^= this.s2;
          j3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = j0;
    this.s1 = j1;
    this.s2 = j2;
    this.s3 = j3;
  }

  private slowNormal(layer: number, negative: boolean, magnitude: number): number {
    return zigguratSlowPath(
      layer,
      negative,
      magnitude,
      () => this.nextUint32(),
      () => this.uniform(),
    );
  }
}

const MASK_64 = (1n << 64n) - 1n;

/** splitmix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c): the next state and its output. */
function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK_64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return [next, z ^ (z >> 31n)];
}

/**
 * A xoshiro128** stream from an integer seed (any safe integer, negative ones included): two
 * splitmix64 outputs give the four state words.
 *
 * @example
 * ```ts
 * const random = createRandom(1);
 * const weights = new Float64Array(6);
 * random.fillNormal(weights, 0, 0.1);
 * ```
 */
export function createRandom(seed: number): Xoshiro128StarStar {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InputError('seed', seed, 'an integer between -(2^53 - 1) and 2^53 - 1');
  }
  let state = BigInt.asUintN(64, BigInt(seed));
  const words: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [next, output] = splitmix64(state);
    state = next;
    words.push(Number(output & 0xffffffffn), Number(output >> 32n));
  }
  // splitmix64 is a bijection of a counter, so two zero outputs in a row cannot happen; guard anyway.
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return new Xoshiro128StarStar(words as [number, number, number, number]);
}

/**
 * The stream of replicate network `index`: the seed's stream jumped `index` times (what the
 * `index + 1`-th `split()` of `createRandom(seed)` returns). Independent of which worker runs it, so
 * results do not depend on the number of workers.
 */
export function replicateRandom(seed: number, index: number): Xoshiro128StarStar {
  if (!Number.isSafeInteger(index) || index < 0) throw new InputError('replicate', index, 'a non-negative integer');
  const random = createRandom(seed);
  for (let i = 0; i < index; i++) random.jump();
  return random;
}
