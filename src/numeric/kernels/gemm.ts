/**
 * Plain TypeScript matrix products for row-major arrays: a naive triple loop (the ground truth of
 * tests) and a packed, register-blocked one (what the float64 path runs).
 */
export type FloatArray = Float32Array | Float64Array;

/** c = a·b by the textbook triple loop, sums in float64: a is m×k, b is k×n, c is m×n. */
export function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, c: FloatArray, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
      c[i * n + j] = sum;
    }
  }
}

/** Depth of one block of the inner dimension: a 4-column panel of b (4·256 values) stays in L1. */
const DEPTH_BLOCK = 256;

/** Reusable packing buffers, one set per kernel instance (no module-level state). */
export type BlockedMatmul = (a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number) => void;

/**
 * A packed 4×4 register-blocked matrix product (the GotoBLAS loop order, Goto & van de Geijn 2008,
 * reduced to what pays off in JavaScript): the inner dimension is cut into blocks of 256; per block,
 * b is packed into 4-column panels and each 4-row strip of a is packed so the micro-kernel reads
 * both contiguously and keeps 16 partial sums in registers. Partial sums are float64 even for
 * float32 arrays (JavaScript arithmetic is float64).
 */
export function createBlockedMatmul(): BlockedMatmul {
  let packedB = new Float64Array(0);
  const packedA = new Float64Array(4 * DEPTH_BLOCK);
  return function blockedMatmul(a, b, c, m, k, n) {
    const panels = Math.ceil(n / 4);
    if (packedB.length < panels * 4 * DEPTH_BLOCK) packedB = new Float64Array(panels * 4 * DEPTH_BLOCK);
    c.fill(0, 0, m * n);
    for (let p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
      const depth = Math.min(DEPTH_BLOCK, k - p0);
      // Pack b[p0..p0+depth, :] as panels of 4 columns, zero-padded on the right.
      for (let panel = 0; panel < panels; panel++) {
        const j0 = panel * 4;
        const base = panel * 4 * depth;
        const width = Math.min(4, n - j0);
        for (let p = 0; p < depth; p++) {
          const row = (p0 + p) * n + j0;
          const o = base + p * 4;
          packedB[o] = b[row];
          packedB[o + 1] = width > 1 ? b[row + 1] : 0;
          packedB[o + 2] = width > 2 ? b[row + 2] : 0;
          packedB[o + 3] = width > 3 ? b[row + 3] : 0;
        }
      }
      for (let i0 = 0; i0 < m; i0 += 4) {
        const height = Math.min(4, m - i0);
        for (let p = 0; p < depth; p++) {
          for (let r = 0; r < 4; r++) packedA[p * 4 + r] = r < height ? a[(i0 + r) * k + p0 + p] : 0;
        }
        for (let panel = 0; panel < panels; panel++) {
          const base = panel * 4 * depth;
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
          let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
          let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          for (let p = 0; p < depth; p++) {
            const ao = p * 4;
            const bo = base + ao;
            const a0 = packedA[ao], a1 = packedA[ao + 1], a2 = packedA[ao + 2], a3 = packedA[ao + 3];
            const b0 = packedB[bo], b1 = packedB[bo + 1], b2 = packedB[bo + 2], b3 = packedB[bo + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          }
          const j0 = panel * 4;
          const width = Math.min(4, n - j0);
          if (height === 4 && width === 4) {
            let o = i0 * n + j0;
            c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
            o += n;
            c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
            o += n;
            c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
            o += n;
            c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
          } else {
            const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
            for (let r = 0; r < height; r++) {
              for (let s = 0; s < width; s++) c[(i0 + r) * n + j0 + s] += block[r * 4 + s];
            }
          }
        }
      }
    }
  };
}
