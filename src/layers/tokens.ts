/**
 * The layouts of a sequence of tokens in the numeric face. A signal of `tokens` vectors of `width`
 * units is [batch, tokens·width] row-major, token-major within a row: that storage *is* the matrix
 * [batch·tokens, width] (row b·T + t is token t of example b), so a per-token weight layer is one
 * GEMM on it. Gradients travel unit-major (src/numeric/engine.ts): [tokens·width, batch], element
 * ((t·width + i)·batch + b); a per-token product needs them as [width, batch·tokens] (column b·T + t),
 * the transpose of the signal's row layout.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { FeatureShape } from './kind.js';

/** Tokens of a shape: T for a sequence, 1 for a plain vector or an image. */
export function tokenCount(shape: FeatureShape): number {
  return shape.tokens ?? 1;
}

/** A new [batch·tokens, width] matrix holding the signal [batch, tokens·width] (same storage order). */
export function signalAsTokenRows(backend: KernelBackend, signal: Matrix, tokens: number): Matrix {
  const rows = backend.allocate(signal.rows * tokens, signal.cols / tokens);
  backend.view(rows).set(backend.view(signal));
  return rows;
}

/** A new [width, batch·tokens] matrix from a unit-major gradient [tokens·width, batch]. */
export function gradientAsTokenColumns(backend: KernelBackend, gradient: Matrix, tokens: number): Matrix {
  const width = gradient.rows / tokens;
  const batch = gradient.cols;
  const columns = backend.allocate(width, batch * tokens);
  const source = backend.view(gradient);
  const target = backend.view(columns);
  const stride = batch * tokens;
  for (let t = 0; t < tokens; t++) {
    for (let i = 0; i < width; i++) {
      const from = (t * width + i) * batch;
      const to = i * stride + t;
      for (let b = 0; b < batch; b++) target[to + b * tokens] = source[from + b];
    }
  }
  return columns;
}

/** The inverse of {@link gradientAsTokenColumns}: [width, batch·tokens] to a new unit-major [tokens·width, batch]. */
export function tokenColumnsAsGradient(backend: KernelBackend, columns: Matrix, tokens: number): Matrix {
  const width = columns.rows;
  const batch = columns.cols / tokens;
  const gradient = backend.allocate(tokens * width, batch);
  const source = backend.view(columns);
  const target = backend.view(gradient);
  const stride = batch * tokens;
  for (let t = 0; t < tokens; t++) {
    for (let i = 0; i < width; i++) {
      const to = (t * width + i) * batch;
      const from = i * stride + t;
      for (let b = 0; b < batch; b++) target[to + b] = source[from + b * tokens];
    }
  }
  return gradient;
}
