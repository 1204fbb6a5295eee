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
 * stream {@link replicateRandom}(seed, r), seeded in constant time from splitmix64 outputs 2r + 1
 * and 2r + 2 of a counter keyed by the seed, whatever worker runs it.
 * Uniforms carry 53 random bits; normals use the ziggurat of src/math/ziggurat.ts.
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

/** One xoshiro128** step on a state array; returns the output as an unsigned 32-bit integer. */
function step(state: Int32Array): number {
  const s1 = state[1];
  const scrambled = Math.imul(s1, 5);
  const result = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
  const t = s1 << 9;
  state[2] ^= state[0];
  state[3] ^= s1;
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = (state[3] << 11) | (state[3] >>> 21);
  return result;
}

/** A 53-bit uniform on [0, 1) from two steps: 27 + 26 high bits (the usual genrand_res53 construction). */
function uniformFrom(state: Int32Array): number {
  const high = step(state) >>> 5;
  const low = step(state) >>> 6;
  return (high * TWO_POW_26 + low) * TWO_POW_53_INVERSE;
}

function slowNormal(state: Int32Array, layer: number, negative: boolean, magnitude: number): number {
  return zigguratSlowPath(
    layer,
    negative,
    magnitude,
    () => step(state),
    () => uniformFrom(state),
  );
}

/**
 * The fast path of the ziggurat over out[from..): fills until the first draw the fast path rejects,
 * returns its index (or out.length) and leaves that draw's (layer, sign, magnitude) in `pending`.
 * No calls inside the loop: V8 keeps the state in registers (a rare slow-path call in the loop
 * made it about twice as slow).
 */
function fillFast(state: Int32Array, out: Float32Array | Float64Array, from: number, mean: number, std: number, pending: Float64Array): number {
  const { k, w } = zigguratTables;
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  let i = from;
  const n = out.length;
  for (; i < n; i++) {
    // Two inlined xoshiro128** steps: `high` then `low` (int32; only their bits are used).
    let scrambled = Math.imul(s1, 5);
    const high = Math.imul((scrambled << 7) | (scrambled >>> 25), 9);
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    scrambled = Math.imul(s1, 5);
    const low = Math.imul((scrambled << 7) | (scrambled >>> 25), 9);
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const layer = high & 0xff;
    const magnitude = (high >>> 9) * TWO_POW_29 + (low >>> 3);
    if (magnitude >= k[layer]) {
      pending[0] = layer;
      pending[1] = high & 0x100;
      pending[2] = magnitude;
      break;
    }
    const value = magnitude * w[layer];
    out[i] = mean + std * ((high & 0x100) !== 0 ? -value : value);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  return i;
}

/**
 * Fills `out` with mean + std·Z: the hot path of weight sampling. Gives exactly the values of
 * repeated `normal()` calls (same draws in the same order), for either array type.
 */
function fillNormalFrom(state: Int32Array, out: Float32Array | Float64Array, mean: number, std: number, pending: Float64Array): void {
  let i = 0;
  while (i < out.length) {
    i = fillFast(state, out, i, mean, std, pending);
    if (i < out.length) {
      out[i] = mean + std * slowNormal(state, pending[0], pending[1] !== 0, pending[2]);
      i++;
    }
  }
}

/** xoshiro128** with a ziggurat normal sampler; state is four 32-bit words. */
export class Xoshiro128StarStar implements RandomSource {
  private readonly words = new Int32Array(4);
  /** A fast-path rejection handed to the slow path: layer, sign bit, magnitude. */
  private readonly pending = new Float64Array(3);

  /** Starts from an explicit state (not all zero); use {@link createRandom} to start from a seed. */
  constructor(state: readonly [number, number, number, number]) {
    for (let i = 0; i < 4; i++) this.words[i] = state[i];
    if ((this.words[0] | this.words[1] | this.words[2] | this.words[3]) === 0) {
      throw new InputError('state', state, 'four 32-bit words, not all zero (xoshiro has no all-zero state)');
    }
  }

  /** The current state as unsigned words, e.g. to send a stream elsewhere. */
  state(): [number, number, number, number] {
    const [a, b, c, d] = this.words;
    return [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
  }

  nextUint32(): number {
    return step(this.words);
  }

  uniform(): number {
    return uniformFrom(this.words);
  }

  normal(): number {
    const high = step(this.words);
    const low = step(this.words);
    const layer = high & 0xff;
    const magnitude = (high >>> 9) * TWO_POW_29 + (low >>> 3);
    const negative = (high & 0x100) !== 0;
    if (magnitude < zigguratTables.k[layer]) {
      const value = magnitude * zigguratTables.w[layer];
      return negative ? -value : value;
    }
    return slowNormal(this.words, layer, negative, magnitude);
  }

  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    fillNormalFrom(this.words, out, mean, std, this.pending);
  }

  fillUniform(out: Float32Array | Float64Array, low: number, high: number): void {
    const width = high - low;
    const words = this.words;
    for (let i = 0, n = out.length; i < n; i++) out[i] = low + width * uniformFrom(words);
  }

  split(): RandomSource {
    const child = new Xoshiro128StarStar(this.state());
    this.jump();
    return child;
  }

  /** Advances this stream by 2^64 steps (reference `jump()`). */
  jump(): void {
    const words = this.words;
    let j0 = 0;
    let j1 = 0;
    let j2 = 0;
    let j3 = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          j0 ^= words[0];
          j1 ^= words[1];
          j2 ^= words[2];
          j3 ^= words[3];
        }
        step(words);
      }
    }
    words[0] = j0;
    words[1] = j1;
    words[2] = j2;
    words[3] = j3;
  }
}

const MASK_64 = (1n << 64n) - 1n;
/** splitmix64's counter increment (the golden-ratio constant of Steele, Lea & Flood 2014). */
const SPLITMIX_GAMMA = 0x9e3779b97f4a7c15n;

/** splitmix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c): the next state and its output. */
function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + SPLITMIX_GAMMA) & MASK_64;
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
  return streamAt(BigInt.asUintN(64, BigInt(requireSeed(seed))));
}

function requireSeed(seed: number): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InputError('seed', seed, 'an integer between -(2^53 - 1) and 2^53 - 1');
  }
  return seed;
}

/** The xoshiro128** stream whose four state words are the next two splitmix64 outputs from counter `state`. */
function streamAt(state: bigint): Xoshiro128StarStar {
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
 * The stream of replicate network `index`, in constant time: a splitmix64 counter starts at
 * mix(seed) (one splitmix64 output of the seed) and replicate r takes its outputs 2r + 1 and 2r + 2
 * as its four state words. splitmix64's output is a bijection of its counter (Steele, Lea & Flood
 * 2014), so no two replicates of one seed share a word; the xoshiro streams start at unrelated points
 * of the 2^128 − 1 cycle, and for R ≤ 1e5 replicates of ≤ 2^40 draws each the chance that two of
 * them overlap is below R²·2^40/2^128 < 2^-54. (Jumping `index` times, as `split()` does, costs
 * O(index) per replicate and O(R²) per run.) Independent of which worker runs it, so results do
 * not depend on the number of workers.
 */
export function replicateRandom(seed: number, index: number): Xoshiro128StarStar {
  requireSeed(seed);
  if (!Number.isSafeInteger(index) || index < 0) throw new InputError('replicate', index, 'a non-negative integer');
  const [, key] = splitmix64(BigInt.asUintN(64, BigInt(seed)));
  return streamAt((key + 2n * BigInt(index) * SPLITMIX_GAMMA) & MASK_64);
}
