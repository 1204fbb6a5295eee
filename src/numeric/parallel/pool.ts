/**
 * Node entry of the Monte Carlo engine: replicate networks spread over worker_threads, each with
 * its own kernel backend (tfjs-wasm for float32, plain TypeScript for float64). Replicates are
 * handed out one at a time to whichever worker is free; results are merged by replicate index, and
 * each replicate draws from its own stream, so the output is the same for any number of workers.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import type { ResolvedNetwork } from '../../vocabulary/network.js';
import { builtInLayerKinds } from '../../layers/registry.js';
import {
  measureNetwork,
  mergeOutcomes,
  runRounds,
  validateMeasureOptions,
  validateNetwork,
  type ReplicateOutcome,
  type ReplicateSettings,
} from '../engine.js';
import type { MeasureOptions, RawMeasurement } from '../measurement.js';
import { assertMemoryBudget, estimateMemory } from '../memory.js';
import type { FromWorker, KernelChoice, SerializedError, ToWorker } from './protocol.js';
import { nodeWasmDirectory } from './wasmPaths.js';

export interface ParallelContext {
  /** Memory budget in bytes for all workers together (default 4 GiB). */
  memoryBudgetBytes?: number;
  /** Kernel for float32 runs (default 'tfjs-wasm'); float64 always uses 'plain'. */
  float32Kernel?: KernelChoice;
  /** Reuse a started pool instead of starting (and stopping) one for this call; `workers` then caps how many of its workers run. */
  pool?: WorkerPool;
}

/** Rebuilds an error sent by a worker; user-facing InputErrors stay InputErrors. */
function deserialize(error: SerializedError): Error {
  if (error.name === 'InputError' && error.field !== undefined && error.allowed !== undefined) {
    return new InputError(error.field, error.value, error.allowed, error.hint);
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

/**
 * Starts the worker script next to this module: worker.js when compiled; under tsx or vitest (this
 * module is a .ts file) worker.ts, loaded through tsx's loader, registered inside the worker first.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  // tsx's ESM API (its import-condition entry; the require-condition one cannot be imported).
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const script = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { eval: true });
}

interface PoolWorker {
  worker: Worker;
  busy: boolean;
}

/** A set of started workers with one backend each; `close()` ends them. */
export class WorkerPool {
  private nextId = 0;
  private constructor(
    private readonly workers: PoolWorker[],
    readonly dtype: 'float32' | 'float64',
    readonly kernel: KernelChoice,
    readonly backendName: string,
  ) {}

  /** Starts `workers` threads (default: available parallelism) and initialises their backends. */
  static async start(options: { workers?: number; dtype: 'float32' | 'float64'; float32Kernel?: KernelChoice }): Promise<WorkerPool> {
    const count = options.workers ?? os.availableParallelism();
    if (!Number.isInteger(count) || count < 1 || count > 256) throw new InputError('workers', count, 'an integer from 1 to 256');
    const kernel: KernelChoice = options.dtype === 'float32' ? (options.float32Kernel ?? 'tfjs-wasm') : 'plain';
    const wasmDirectory = kernel === 'tfjs-wasm' ? nodeWasmDirectory() : '';
    const started = await Promise.allSettled(
      Array.from({ length: count }, async () => {
        const worker = startWorker();
        const ready = await new Promise<string>((resolve, reject) => {
          const onMessage = (message: FromWorker) => {
            worker.off('error', reject);
            if (message.type === 'ready') resolve(message.backend);
            else if (message.type === 'error') reject(deserialize(message.error));
          };
          worker.once('message', onMessage);
          worker.once('error', reject);
          const init: ToWorker = { type: 'init', kernel, dtype: options.dtype, wasmDirectory };
          worker.postMessage(init);
        }).catch(async (error) => {
          await worker.terminate();
          throw error;
        });
        return { worker, ready };
      }),
    );
    const failure = started.find((s) => s.status === 'rejected');
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failure) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw (failure as PromiseRejectedResult).reason;
    }
    return new WorkerPool(
      workers.map((w) => ({ worker: w.worker, busy: false })),
      options.dtype,
      kernel,
      workers[0].ready,
    );
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs the given replicate indices, each on the next free worker (of the first `maxWorkers`);
   * resolves with all outcomes.
   */
  run(
    network: ResolvedNetwork,
    settings: ReplicateSettings,
    indices: readonly number[],
    onDone: () => void,
    maxWorkers = this.workers.length,
  ): Promise<ReplicateOutcome[]> {
    const slots = this.workers.slice(0, Math.max(1, maxWorkers));
    const queue = [...indices];
    const outcomes: ReplicateOutcome[] = [];
    return new Promise((resolve, reject) => {
      let failed = false;
      let running = 0;
      // Ids sent in this run: a reused pool may still deliver a result of an earlier, failed run.
      const sent = new Set<number>();
      const cleanups: (() => void)[] = [];
      const finish = (error?: unknown) => {
        for (const cleanup of cleanups) cleanup();
        if (error) reject(error);
        else resolve(outcomes);
      };
      const dispatch = (slot: PoolWorker) => {
        const index = queue.shift();
        if (index === undefined) {
          slot.busy = false;
          if (running === 0 && !failed) finish();
          return;
        }
        slot.busy = true;
        running++;
        const message: ToWorker = { type: 'run', id: this.nextId++, spec: network.spec, settings, index };
        sent.add(message.id);
        slot.worker.postMessage(message);
      };
      for (const slot of slots) {
        const onMessage = (message: FromWorker) => {
          if (failed || message.type === 'ready' || message.id === undefined || !sent.has(message.id)) return;
          sent.delete(message.id);
          running--;
          if (message.type === 'result') {
            outcomes.push(message.outcome);
            onDone();
            dispatch(slot);
          } else if (message.type === 'error') {
            failed = true;
            finish(deserialize(message.error));
          }
        };
        const onError = (error: Error) => {
          if (failed) return;
          failed = true;
          finish(error);
        };
        slot.worker.on('message', onMessage);
        slot.worker.on('error', onError);
        cleanups.push(() => {
          slot.worker.off('message', onMessage);
          slot.worker.off('error', onError);
        });
      }
      if (queue.length === 0) {
        finish();
        return;
      }
      for (const slot of slots) dispatch(slot);
    });
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/**
 * Measures a network with replicate networks spread over worker_threads (the CLI's entry). Same
 * contract as `measureNetwork`; the result does not depend on `workers`. Workers resolve
 * `network.spec` with the built-in catalogue; a network resolved with kinds of the caller's own runs
 * in this thread instead.
 *
 * @example
 * ```ts
 * const raw = await measureNetworkParallel(resolveNetwork(spec), { batch: 256, nets: 8, seed: 1, dtype: 'float32', workers: 2 });
 * ```
 */
export async function measureNetworkParallel(
  network: ResolvedNetwork,
  options: MeasureOptions & { workers?: number },
  context: ParallelContext = {},
): Promise<RawMeasurement> {
  // Workers resolve `network.spec` with the built-in kinds; a network with kinds of the caller's own
  // (functions cannot cross to a worker) runs here, in this thread, on the same engine.
  if (network.kinds !== builtInLayerKinds) return measureNetwork(network, options);
  const validated = validateMeasureOptions(options);
  validateNetwork(network);
  const requested = options.workers ?? context.pool?.size ?? os.availableParallelism();
  if (!Number.isInteger(requested) || requested < 1 || requested > 256) throw new InputError('workers', requested, 'an integer from 1 to 256');
  if (context.pool && context.pool.dtype !== validated.dtype) {
    throw new InputError('dtype', validated.dtype, `${context.pool.dtype} (the dtype of the given worker pool)`);
  }
  // More workers than replicates in a round would only sit idle.
  const workers = Math.min(requested, context.pool?.size ?? validated.nets);
  assertMemoryBudget(estimateMemory(network, { batch: validated.batch, dtype: validated.dtype, workers }), context.memoryBudgetBytes);
  const started = performance.now();
  const pool = context.pool ?? (await WorkerPool.start({ workers, dtype: validated.dtype, float32Kernel: context.float32Kernel }));
  try {
    const settings: ReplicateSettings = { batch: validated.batch, seed: validated.seed, histogramBins: validated.histogramBins };
    const outcomes = await runRounds(validated, (indices, onDone) => pool.run(network, settings, indices, onDone, workers));
    return {
      ...mergeOutcomes(outcomes, network.layers.length),
      elapsedSeconds: (performance.now() - started) / 1000,
      dtype: validated.dtype,
      batch: validated.batch,
      seed: validated.seed,
    };
  } finally {
    if (!context.pool) await pool.close();
  }
}
