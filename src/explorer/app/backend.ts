/**
 * The kernel backend a Monte Carlo worker uses: tfjs-wasm (XNNPACK, the engine's fast float32 path)
 * with its .wasm files served from the build folder's `wasm/`, and the engine's plain backend for
 * float64 (and as a fallback where WebAssembly is unavailable).
 */
import type { KernelBackend } from '../../numeric/kernels/backend.js';
import { createPlainBackend } from '../../numeric/kernels/plain.js';
import { createTfjsWasmBackend } from '../../numeric/kernels/tfjsWasm.js';

export type BackendProvider = (dtype: 'float32' | 'float64') => Promise<KernelBackend>;

/** One backend per dtype, created on first use (call `provider('float32')` early to warm it). */
export function browserBackends(wasmBaseUrl: string): BackendProvider {
  let fast: Promise<KernelBackend> | null = null;
  let plain32: KernelBackend | null = null;
  let plain64: KernelBackend | null = null;
  return async (dtype) => {
    if (dtype === 'float64') return (plain64 ??= createPlainBackend('float64'));
    fast ??= createTfjsWasmBackend({ wasmPaths: wasmBaseUrl }).catch((error: unknown) => {
      console.warn('tfjs-wasm is unavailable; using the plain float32 backend', error);
      return (plain32 ??= createPlainBackend('float32'));
    });
    return fast;
  };
}
