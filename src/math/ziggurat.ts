/**
 * Tables and the rare slow path of the ziggurat normal sampler (Marsaglia & Tsang 2000, "The
 * Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8)), in the 256-layer form
 * that NumPy uses (numpy/random/src/distributions/distributions.c, `random_standard_normal`).
 *
 * Each draw takes 64 random bits and splits them: 8 bits pick the layer, 1 bit the sign, 52 bits the
 * magnitude. Separate bits for layer and magnitude avoid the correlation Doornik (2005, "An Improved
 * Ziggurat Method to Generate Normal Random Samples") found in the original 32-bit RNOR, where the
 * same low bits chose the layer and formed the value. About 99.3% of draws return after one
 * multiply and one compare; the rest go to {@link zigguratSlowPath}.
 */

/** Number of layers (rectangles plus the base strip with the tail). */
export const ZIGGURAT_LAYERS = 256;
/** Right edge r of the last rectangle, the start of the tail (Marsaglia & Tsang 2000, 256 layers). */
export const ZIGGURAT_R = 3.6541528853610088;
/** Area v of every layer (Marsaglia & Tsang 2000, 256 layers). */
const ZIGGURAT_V = 4.92867323399e-3;
/** Magnitudes are 52-bit integers: [0, 2^52). */
const MAGNITUDE_SCALE = 2 ** 52;

export interface ZigguratTables {
  /** Accept when magnitude < k[i] (the inner rectangle's share, scaled by 2^52). */
  readonly k: Float64Array;
  /** x = magnitude · w[i]. */
  readonly w: Float64Array;
  /** f[i] = exp(−x_i²/2) at the layer edges. */
  readonly f: Float64Array;
}

/**
 * Builds the tables with Marsaglia & Tsang's `zigset` recursion, layer edges x_i from
 * f(x_{i−1}) = f(x_i) + v/x_i, starting at x_255 = r.
 */
function buildTables(): ZigguratTables {
  const n = ZIGGURAT_LAYERS;
  const k = new Float64Array(n);
  const w = new Float64Array(n);
  const f = new Float64Array(n);
  const density = (x: number) => Math.exp(-0.5 * x * x);
  let edge = ZIGGURAT_R;
  let previousEdge = edge;
  // The base strip (layer 0) holds the rectangle [0, r] × [0, f(r)] plus the tail beyond r; as one
  // rectangle of area v its width is q = v / f(r).
  const baseWidth = ZIGGURAT_V / density(edge);
  k[0] = Math.floor((edge / baseWidth) * MAGNITUDE_SCALE);
  k[1] = 0;
  w[0] = baseWidth / MAGNITUDE_SCALE;
  w[n - 1] = edge / MAGNITUDE_SCALE;
  f[0] = 1;
  f[n - 1] = density(edge);
  for (let i = n - 2; i >= 1; i--) {
    edge = Math.sqrt(-2 * Math.log(ZIGGURAT_V / edge + density(edge)));
    k[i + 1] = Math.floor((edge / previousEdge) * MAGNITUDE_SCALE);
    previousEdge = edge;
    f[i] = density(edge);
    w[i] = edge / MAGNITUDE_SCALE;
  }
  return { k, w, f };
}

/** The tables, computed once (they are constants: pure functions of r and v). */
export const zigguratTables: ZigguratTables = buildTables();

/**
 * The slow path after a fast-path rejection of (layer, sign, magnitude): the tail for layer 0
 * (Marsaglia 1964 exponential method), the wedge test between rectangles otherwise, and a fresh
 * draw when the point is rejected. `nextUint32` and `uniform` come from the same stream.
 */
export function zigguratSlowPath(
  layer: number,
  negative: boolean,
  magnitude: number,
  nextUint32: () => number,
  uniform: () => number,
): number {
  const { k, w, f } = zigguratTables;
  for (;;) {
    const x = magnitude * w[layer];
    if (layer === 0) {
      // Tail beyond r: x = −ln(U1)/r, accept when −2 ln(U2) > x².
      for (;;) {
        const tail = -Math.log1p(-uniform()) / ZIGGURAT_R;
        const y = -Math.log1p(-uniform());
        if (y + y > tail * tail) return negative ? -(ZIGGURAT_R + tail) : ZIGGURAT_R + tail;
      }
    }
    if ((f[layer - 1] - f[layer]) * uniform() + f[layer] < Math.exp(-0.5 * x * x)) return negative ? -x : x;
    const high = nextUint32();
    const low = nextUint32();
    layer = high & 0xff;
    negative = ((high >>> 8) & 1) === 1;
    magnitude = (high >>> 9) * 536870912 + (low >>> 3);
    if (magnitude < k[layer]) {
      const value = magnitude * w[layer];
      return negative ? -value : value;
    }
  }
}
