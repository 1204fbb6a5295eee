/**
 * A worker_thread of the parallel driver: one kernel backend (its own tfjs-wasm instance for
 * float32), runs the replicates it is sent with the engine's `measureReplicate`.
 */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import { resolveNetwork, type ResolvedNetwork } from '../../vocabulary/network.js';
import { createFloat64Scratch, measureReplicate } from '../engine.js';
import type { KernelBackend } from '../kernels/backend.js';
import { createPlainBackend } from '../kernels/plain.js';
import { createTfjsWasmBackend } from '../kernels/tfjsWasm.js';
import type { FromWorker, SerializedError, ToWorker } from './protocol.js';

if (!parentPort) throw new Error('worker.ts must run in a worker_thread');
const port = parentPort;
let backend: KernelBackend | undefined;
const scratch = createFloat64Scratch();
let cached: { key: string; network: ResolvedNetwork } | undefined;

function serialize(error: unknown): SerializedError {
  if (error instanceof InputError) {
    let value: unknown = error.value;
    try {
      structuredClone(value);
    } catch {
      value = String(value);
    }
    return { name: error.name, message: error.message, field: error.field, value, allowed: error.allowed, hint: error.hint };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

const send = (message: FromWorker) => port.postMessage(message);

port.on('message', async (message: ToWorker) => {
  try {
    if (message.type === 'init') {
      backend =
        message.kernel === 'tfjs-wasm'
          ? await createTfjsWasmBackend({ wasmPaths: message.wasmDirectory })
          : createPlainBackend(message.dtype);
      send({ type: 'ready', backend: backend.name });
      return;
    }
    if (!backend) throw new Error('worker used before init');
    const key = JSON.stringify(message.spec);
    if (cached?.key !== key) cached = { key, network: resolveNetwork(message.spec) };
    const outcome = measureReplicate(cached.network, message.index, message.settings, backend, scratch);
    send({ type: 'result', id: message.id, outcome });
  } catch (error) {
    send({ type: 'error', id: message.type === 'run' ? message.id : undefined, error: serialize(error) });
  }
});
