import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadMatrix, type KernelBackend } from '../../src/numeric/kernels/backend.js';
import { createBlockedMatmul, naiveMatmul } from '../../src/numeric/kernels/gemm.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { createTfjsWasmBackend } from '../../src/numeric/kernels/tfjsWasm.js';
import { nodeWasmDirectory } from '../../src/numeric/parallel/wasmPaths.js';
import { createRandom } from '../../src/math/random.js';

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [7, 13, 9],
  [33, 300, 17], // crosses the 256-deep block boundary
  [64, 64, 64],
];

function randomArray(seed: number, length: number): Float64Array {
  const out = new Float64Array(length);
  createRandom(seed).fillNormal(out);
  return out;
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
  }
  return error / scale;
}

describe('matmul kernels against the naive triple loop', () => {
  const blocked = createBlockedMatmul();
  it.each(shapes)('blocked float64 %i×%i·%i matches to 1e-13', (m, k, n) => {
    const a = randomArray(1, m * k);
    const b = randomArray(2, k * n);
    const expected = new Float64Array(m * n);
    naiveMatmul(a, b, expected, m, k, n);
    const actual = new Float64Array(m * n);
    blocked(a, b, actual, m, k, n);
    expect(maxRelativeError(actual, expected)).toBeLessThan(1e-13);
  });

  it('the comparison rejects a wrong product (b transposed in place of b)', () => {
    const [m, k] = [6, 6];
    const a = randomArray(1, m * k);
    const b = randomArray(2, k * k);
    const bTransposed = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) bTransposed[j * k + i] = b[i * k + j];
    const expected = new Float64Array(m * k);
    naiveMatmul(a, b, expected, m, k, k);
    const wrong = new Float64Array(m * k);
    blocked(a, bTransposed, wrong, m, k, k);
    expect(maxRelativeError(wrong, expected)).toBeGreaterThan(1e-2);
  });

  const backends: [string, () => Promise<KernelBackend>, number][] = [
    ['plain float64', async () => createPlainBackend('float64'), 1e-13],
    ['plain float32', async () => createPlainBackend('float32'), 1e-6],
    ['tfjs-wasm', () => createTfjsWasmBackend({ wasmPaths: nodeWasmDirectory() }), 1e-5],
  ];
  describe.each(backends)('%s backend', (_name, make, tolerance) => {
    let backend: KernelBackend;
    beforeAll(async () => {
      backend = await make();
    });
    afterAll(() => backend.dispose?.());
    it.each(shapes)('%i×%i·%i matches the naive product', (m, k, n) => {
      const a = randomArray(3, m * k);
      const b = randomArray(4, k * n);
      // Compare with the naive product of the values as the backend stores them.
      const aStored = uploadMatrix(backend, a, m, k);
      const bStored = uploadMatrix(backend, b, k, n);
      const expected = new Float64Array(m * n);
      naiveMatmul(Float64Array.from(backend.view(aStored)), Float64Array.from(backend.view(bStored)), expected, m, k, n);
      const c = backend.matmul(aStored, bStored);
      expect([c.rows, c.cols]).toEqual([m, n]);
      expect(maxRelativeError(backend.view(c), expected)).toBeLessThan(tolerance);
      const reshaped = backend.reshape(c, n, m);
      expect(maxRelativeError(backend.view(reshaped), expected)).toBeLessThan(tolerance);
      for (const matrix of [aStored, bStored, reshaped]) backend.release(matrix);
    });
  });
});
