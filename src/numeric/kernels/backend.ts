/**
 * The kernel backend contract: where the engine's matrices live and how they are multiplied.
 * Backends are passed in (no module singletons), so the same engine runs with plain TypeScript
 * arrays (float64 ground truth), with tfjs-wasm (XNNPACK, float32) in a Node worker_thread, or in a
 * browser Web Worker.
 *
 * All matrices are row-major. Only the untransposed product is needed: the engine arranges its
 * backward pass so that every product is a plain a·b (see src/numeric/engine.ts).
 */
import type { FloatArray } from './gemm.js';

export type { FloatArray } from './gemm.js';

/** A matrix owned by a backend. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
}

export interface KernelBackend {
  /** e.g. 'plain-float64', 'tfjs-wasm'. */
  readonly name: string;
  /** Element type of every matrix of this backend. */
  readonly dtype: 'float32' | 'float64';
  /** A rows×cols matrix with unspecified contents. */
  allocate(rows: number, cols: number): Matrix;
  /**
   * The matrix's storage itself (no copy), row-major. Valid only until the next `allocate`,
   * `matmul` or `reshape` on this backend (a wasm heap may grow and move): take views, work, drop.
   */
  view(matrix: Matrix): FloatArray;
  /** a·b as a new matrix (a is m×k, b is k×n). */
  matmul(a: Matrix, b: Matrix): Matrix;
  /** The same storage seen with another shape (rows·cols unchanged). Consumes `matrix`: use and release only the result. */
  reshape(matrix: Matrix, rows: number, cols: number): Matrix;
  /** Frees the matrix; it must not be used afterwards. */
  release(matrix: Matrix): void;
  /** Frees everything the backend holds (optional). */
  dispose?(): void;
}

/** A new backend matrix holding a copy of `data` (rows×cols, row-major). */
export function uploadMatrix(backend: KernelBackend, data: ArrayLike<number>, rows: number, cols: number): Matrix {
  const matrix = backend.allocate(rows, cols);
  backend.view(matrix).set(data as ArrayLike<number>);
  return matrix;
}
