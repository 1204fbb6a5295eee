/**
 * The plain TypeScript backend: matrices are Float64Array or Float32Array, products use the
 * register-blocked kernel of gemm.ts. Runs anywhere (Node, browser, worker); the float64 instance is
 * the engine's ground truth.
 */
import type { KernelBackend, Matrix } from './backend.js';
import { createBlockedMatmul, type FloatArray } from './gemm.js';

interface PlainMatrix extends Matrix {
  readonly data: FloatArray;
}

/**
 * A plain backend of the given element type. Released arrays are kept in a small pool by length
 * and reused, so a replicate loop does not churn the garbage collector.
 *
 * @example
 * ```ts
 * const backend = createPlainBackend('float64');
 * const c = backend.matmul(uploadMatrix(backend, [1, 2], 1, 2), uploadMatrix(backend, [3, 4], 2, 1));
 * backend.view(c); // Float64Array [11]
 * ```
 */
export function createPlainBackend(dtype: 'float32' | 'float64' = 'float64'): KernelBackend {
  const matmulKernel = createBlockedMatmul();
  const pool = new Map<number, FloatArray[]>();
  const make = (length: number): FloatArray => {
    const reused = pool.get(length)?.pop();
    if (reused) return reused;
    return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
  };
  const data = (matrix: Matrix): FloatArray => (matrix as PlainMatrix).data;
  return {
    name: `plain-${dtype}`,
    dtype,
    allocate(rows, cols): Matrix {
      return { rows, cols, data: make(rows * cols) } as PlainMatrix;
    },
    view: data,
    matmul(a, b): Matrix {
      if (a.cols !== b.rows) throw new RangeError(`matmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
      const c: PlainMatrix = { rows: a.rows, cols: b.cols, data: make(a.rows * b.cols) };
      matmulKernel(data(a), data(b), c.data, a.rows, a.cols, b.cols);
      return c;
    },
    reshape(matrix, rows, cols): Matrix {
      if (rows * cols !== matrix.rows * matrix.cols) throw new RangeError(`reshape ${matrix.rows}×${matrix.cols} to ${rows}×${cols}`);
      // The input is consumed: the result owns the storage.
      return { rows, cols, data: data(matrix) } as PlainMatrix;
    },
    release(matrix): void {
      const array = data(matrix);
      const list = pool.get(array.length) ?? [];
      if (list.length < 8) list.push(array);
      pool.set(array.length, list);
    },
    dispose(): void {
      pool.clear();
    },
  };
}
