/**
 * Sites whose signal or gradient is exactly zero by construction — a residual branch at α = 0
 * (SkipInit, ReZero) receives no gradient; a layer initialized to zero (Fixup's last branch layer)
 * outputs zeros, and nothing below it gets a gradient through it — as `propagate()` predicts them
 * (a predicted second moment of exactly 0). An all-zero tensor there is the truth, measured as 0;
 * anywhere else it is an underflow and the run says where ('vanished').
 */
import { propagate } from '../symbolic/propagate.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';

export interface StructuralZeros {
  /** Per site (network.sites order): its output is exactly 0. */
  forward: boolean[];
  /** Per site: the gradient at its output is exactly 0. */
  backward: boolean[];
}

const cache = new WeakMap<ResolvedNetwork, StructuralZeros>();

export function structuralZeros(network: ResolvedNetwork): StructuralZeros {
  let zeros = cache.get(network);
  if (!zeros) {
    // Mean-field, not linear: linear theory drops φ(0) (1 + 0·x would look like a zero signal).
    const sites = propagate(network, 'meanField').sites;
    zeros = { forward: sites.map((site) => site.output.secondMoment === 0), backward: sites.map((site) => site.gradient.secondMoment === 0) };
    cache.set(network, zeros);
  }
  return zeros;
}
