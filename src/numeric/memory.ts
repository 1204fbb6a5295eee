/**
 * Memory estimate of a Monte Carlo run, made before anything is allocated, so that a request that
 * cannot fit fails at once with a {@link MemoryBudgetError} naming the size (widths that would need
 * 100 GiB fail in microseconds instead of crashing the process).
 *
 * Per replicate in flight (one per worker): every layer's weights, every node's output and what its
 * backward pass keeps (activation masks φ′(h_l), normalized signals), the largest single layer's working set (pre-activation, output,
 * gradients, im2col columns) in the backend's dtype, plus float64 scratch for drawing weights.
 */
import { InputError, MemoryBudgetError } from '../errors.js';
import { kindOfNode } from '../layers/kind.js';
import { walkNodes, type ResolvedNetwork } from '../vocabulary/network.js';

/** Default budget: 4 GiB, overridable per run. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 4 * 2 ** 30;

export interface MemoryEstimate {
  /** Bytes of all layers' weights of one replicate. */
  weightBytes: number;
  /** Bytes of kept activations and masks of one replicate. */
  activationBytes: number;
  /** Bytes of the largest layer's working set (gradients, columns) plus float64 scratch. */
  workingBytes: number;
  /** One replicate in flight. */
  perReplicateBytes: number;
  /** Replicates in flight at once (workers). */
  replicatesInFlight: number;
  totalBytes: number;
}

/** Estimates the bytes a run needs; `workers` replicates run at the same time. */
export function estimateMemory(
  network: ResolvedNetwork,
  options: { batch: number; dtype: 'float32' | 'float64'; workers?: number },
): MemoryEstimate {
  const bytes = options.dtype === 'float32' ? 4 : 8;
  const batch = options.batch;
  let weights = 0;
  let kept = batch * network.input.units;
  let working = 0;
  let largestDraw = batch * network.input.units;
  walkNodes(network.nodes, network.kinds, (node) => {
    const numeric = kindOfNode(network.kinds, node).numeric;
    const count = numeric.weightCount?.(node) ?? 0;
    weights += count;
    // Every node's output stays until the replicate ends (it is the next node's input), with what
    // its backward pass keeps (masks, normalized signals).
    kept += numeric.keptElements(node, batch) - count;
    working = Math.max(working, numeric.workingElements(node, batch) + 2 * batch * node.output.units);
    largestDraw = Math.max(largestDraw, count, batch * node.output.units);
  });
  const weightBytes = weights * bytes;
  const activationBytes = kept * bytes;
  const workingBytes = working * bytes + largestDraw * 8;
  const perReplicateBytes = weightBytes + activationBytes + workingBytes;
  const replicatesInFlight = Math.max(1, options.workers ?? 1);
  return { weightBytes, activationBytes, workingBytes, perReplicateBytes, replicatesInFlight, totalBytes: perReplicateBytes * replicatesInFlight };
}

/** Throws {@link MemoryBudgetError} when the estimate exceeds the budget. */
export function assertMemoryBudget(estimate: MemoryEstimate, budgetBytes: number = DEFAULT_MEMORY_BUDGET_BYTES): void {
  if (!(budgetBytes > 0)) throw new InputError('memoryBudgetBytes', budgetBytes, 'a positive number of bytes');
  if (estimate.totalBytes > budgetBytes) {
    const what =
      estimate.replicatesInFlight > 1
        ? `${estimate.replicatesInFlight} replicate networks in flight (one per worker)`
        : 'one replicate network (weights, activations and gradients)';
    throw new MemoryBudgetError(estimate.totalBytes, budgetBytes, what);
  }
}
