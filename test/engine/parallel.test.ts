import { describe, expect, it } from 'vitest';
import { MemoryBudgetError } from '../../src/errors.js';
import { measureNetwork } from '../../src/numeric/engine.js';
import { createTfjsWasmBackend } from '../../src/numeric/kernels/tfjsWasm.js';
import type { MeasureOptions } from '../../src/numeric/measurement.js';
import { measureNetworkParallel, WorkerPool } from '../../src/numeric/parallel/pool.js';
import { nodeWasmDirectory } from '../../src/numeric/parallel/wasmPaths.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

describe('measureNetworkParallel (worker_threads, one tfjs-wasm backend each)', () => {
  const network = resolveNetwork({ widths: [24, 40, 40, 16], activation: 'tanh', init: 'xavier_normal', biasStd: 0.1 });
  const options: MeasureOptions = { batch: 16, nets: 5, seed: 11, dtype: 'float32' };

  it('gives the same numbers for 1 and 2 workers, and the same as the in-process engine', async () => {
    const pool = await WorkerPool.start({ workers: 2, dtype: 'float32' });
    let one: Awaited<ReturnType<typeof measureNetworkParallel>>;
    let two: typeof one;
    try {
      one = await measureNetworkParallel(network, { ...options, workers: 1 }, { pool });
      two = await measureNetworkParallel(network, { ...options, workers: 2 }, { pool });
    } finally {
      await pool.close();
    }
    expect(two.replicates).toHaveLength(5);
    expect(two.replicates).toEqual(one.replicates);
    expect(two.distributions).toEqual(one.distributions);
    const inProcess = await measureNetwork(network, options, { backend: await createTfjsWasmBackend({ wasmPaths: nodeWasmDirectory() }) });
    expect(inProcess.replicates).toEqual(two.replicates);
    const otherSeed = await measureNetwork(network, { ...options, seed: 12 }, { backend: await createTfjsWasmBackend({ wasmPaths: nodeWasmDirectory() }) });
    expect(otherSeed.replicates).not.toEqual(two.replicates);
  });

  it('checks the memory budget for all workers before starting any', async () => {
    const huge = resolveNetwork({ widths: [100_000, 100_000, 100_000] });
    await expect(measureNetworkParallel(huge, { ...options, workers: 2 })).rejects.toThrow(MemoryBudgetError);
  });
});
