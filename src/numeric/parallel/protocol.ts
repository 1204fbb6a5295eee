/** Messages between the parallel driver and its worker_threads (plain, structured-clone data). */
import type { ReplicateOutcome, ReplicateSettings } from '../engine.js';
import type { NetworkSpec } from '../../vocabulary/network.js';

/** Which kernel backend a worker runs. */
export type KernelChoice = 'tfjs-wasm' | 'plain';

export type ToWorker =
  | { type: 'init'; kernel: KernelChoice; dtype: 'float32' | 'float64'; wasmDirectory: string }
  | { type: 'run'; id: number; spec: NetworkSpec; settings: ReplicateSettings; index: number };

/** An error crossing the thread boundary, enough to rebuild user-facing errors. */
export interface SerializedError {
  name: string;
  message: string;
  field?: string;
  value?: unknown;
  allowed?: string;
  hint?: string;
  stack?: string;
}

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'result'; id: number; outcome: ReplicateOutcome }
  | { type: 'error'; id?: number; error: SerializedError };
