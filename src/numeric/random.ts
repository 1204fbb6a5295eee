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
