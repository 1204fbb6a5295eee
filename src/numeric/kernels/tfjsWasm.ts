/**
 * The fast float32 backend: @tensorflow/tfjs-core with @tensorflow/tfjs-backend-wasm (XNNPACK,
 * SIMD). Matrices are tensors on the wasm heap; `view` returns a Float32Array over the heap itself
 * (BackendWasm.typedArrayFromHeap), so the engine's elementwise work (activations, masks, sums of
 * squares) reads and writes in place without copies.
 *
 * Platform-neutral: the caller says where the .wasm files are (a folder path in Node, see
 * src/numeric/parallel/wasmPaths.ts; a URL prefix in a browser), nothing is fetched from the network.
 * tfjs keeps one engine per JavaScript realm; use one backend per worker.
 */
import type { KernelBackend, Matrix } from './backend.js';

/** Where the wasm binaries are: a folder prefix ending in '/' or a map from file name to path. */
export type WasmPaths = string | Record<string, string>;

interface TensorMatrix extends Matrix {
  readonly tensor: TfTensor;
}

// The few tfjs types used here, kept structural so this file compiles without importing tfjs types
// into the engine's public API.
interface TfTensor {
  readonly shape: number[];
  readonly dtype: string;
  readonly dataId: object;
  dispose(): void;
}

type TfjsCore = typeof import('@tensorflow/tfjs-core');
type TfjsWasm = typeof import('@tensorflow/tfjs-backend-wasm');

/**
 * tfjs-core and its wasm backend. Both packages are CommonJS (their Node entries are
 * dist/tf-core.node.js and dist/tf-backend-wasm.node.js, whichever way they are loaded). In Node they
 * are `require`d: `import()` of a CommonJS file first runs Node's cjs-module-lexer over it to find
 * named exports, which cost 60–130 ms in every worker here, before any work (the same files, so the
 * same numbers). In a browser bundle there is no `process`, and the dynamic imports are bundled.
 */
async function loadTfjs(): Promise<[TfjsCore, TfjsWasm]> {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltin === 'function') {
    const nodeModule = getBuiltin('node:module') as { createRequire(url: string): (id: string) => unknown };
    const load = nodeModule.createRequire(import.meta.url);
    return [load('@tensorflow/tfjs-core') as TfjsCore, load('@tensorflow/tfjs-backend-wasm') as TfjsWasm];
  }
  return Promise.all([import('@tensorflow/tfjs-core'), import('@tensorflow/tfjs-backend-wasm')]);
}

/**
 * Loads tfjs-core and the wasm backend (on demand: the plain path never loads them), points
 * the backend at `wasmPaths`, and returns a {@link KernelBackend} using it.
 */
export async function createTfjsWasmBackend(options: { wasmPaths: WasmPaths }): Promise<KernelBackend> {
  const [tf, wasm] = await loadTfjs();
  // One thread per backend: parallelism comes from one backend per worker (replicates are independent).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (typeof options.wasmPaths === 'string') wasm.setWasmPaths(options.wasmPaths);
  else wasm.setWasmPaths(options.wasmPaths as Parameters<typeof wasm.setWasmPaths>[0]);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('tfjs-backend-wasm failed to initialise');
  await tf.ready();
  const backend = tf.backend() as unknown as {
    makeOutput(shape: number[], dtype: 'float32'): { dataId: object; shape: number[]; dtype: 'float32' };
    typedArrayFromHeap(info: { shape: number[]; dtype: string; dataId: object }): Float32Array;
  };
  const engine = tf.engine();
  const tensorOf = (matrix: Matrix): TfTensor => (matrix as TensorMatrix).tensor;
  const wrap = (tensor: TfTensor): TensorMatrix => ({ rows: tensor.shape[0], cols: tensor.shape[1], tensor });
  return {
    name: 'tfjs-wasm',
    dtype: 'float32',
    allocate(rows, cols): Matrix {
      const info = backend.makeOutput([rows, cols], 'float32');
      return wrap(engine.makeTensorFromTensorInfo(info) as unknown as TfTensor);
    },
    view(matrix): Float32Array {
      return backend.typedArrayFromHeap(tensorOf(matrix));
    },
    matmul(a, b): Matrix {
      if (a.cols !== b.rows) throw new RangeError(`matmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
      return wrap(tf.matMul(tensorOf(a) as never, tensorOf(b) as never) as unknown as TfTensor);
    },
    reshape(matrix, rows, cols): Matrix {
      // tf.reshape shares the data (reference counted); disposing the input keeps it alive for the result.
      const reshaped = wrap(tf.reshape(tensorOf(matrix) as never, [rows, cols]) as unknown as TfTensor);
      tensorOf(matrix).dispose();
      return reshaped;
    },
    release(matrix): void {
      tensorOf(matrix).dispose();
    },
    dispose(): void {
      tf.disposeVariables();
    },
  };
}
