/**
 * The theory side of the explorer, run in the theory worker: it resolves the setting with the
 * project's vocabulary, takes predictions from src/symbolic/predict.ts, the derivation from the
 * symbolic engine and the phase diagram from the activation's moments. Pure (no DOM, no worker
 * globals), so Node tests call it directly.
 */
import { resolveNetwork, type ResolvedNetwork } from '../../vocabulary/network.js';
import { predictNetwork } from '../../symbolic/predict.js';
import { deriveNetwork } from '../../symbolic/layer.js';
import type { PhaseDiagram, TheoryCurve, TheoryResult } from './protocol.js';
import type { Derivation } from '../../symbolic/derivation.js';
import { fixedPoint, isTanhLike, orderToChaosLine } from './phase.js';
import { catalogues } from '../../i18n/catalogue.js';
import { comparisonOf, curveLabel, hasArchitecture, initRef, presetUsesGain, toNetworkSpec, toPlainSpec, type ExplorerState } from './state.js';

/** The largest σ_b² the phase diagram shows. */
export const PHASE_MAX_SIGMA_B2 = 0.5;

/** Resolves the main (and comparison) network; throws the vocabulary's InputError on bad input. */
export function resolveState(state: ExplorerState): { main: ResolvedNetwork; compare: ResolvedNetwork | null } {
  const main = resolveNetwork(toNetworkSpec(state, 'main'));
  const compare = comparisonOf(state) ? resolveNetwork(toNetworkSpec(state, 'compare')) : null;
  return { main, compare };
}

export function theoryCurve(init: string, network: ResolvedNetwork): TheoryCurve {
  const prediction = predictNetwork(network);
  return {
    init,
    forwardLinear: prediction.layers.map((l) => l.forward.linear),
    forwardMeanField: prediction.layers.map((l) => l.forward.meanField),
    forwardExact: prediction.layers.map((l) => l.forward.exact),
    backwardLinear: prediction.layers.map((l) => l.backward.linear),
    backwardMeanField: prediction.layers.map((l) => l.backward.meanField),
    backwardExact: prediction.layers.map((l) => l.backward.exact),
  };
}

/** σ_w² = n_in·Var[w] of the first hidden-to-hidden layer (the first layer when there is one). */
export function sigmaW2Of(network: ResolvedNetwork): number {
  const layer = network.layers[Math.min(1, network.layers.length - 1)];
  return layer.fanIn * layer.init.variance;
}

export function phaseDiagram(state: ExplorerState, network: ResolvedNetwork): PhaseDiagram | null {
  // The q-map of the diagram is the plain stack's; residual sums and normalizations are other maps.
  if (hasArchitecture(state)) return null;
  const activation = network.layers[0].activation;
  if (!isTanhLike(activation)) return null;
  const sigmaW2 = sigmaW2Of(network);
  const sigmaB2 = state.biasVariance;
  // n·Var[w] at gain 1 of a gain-taking preset; for others a dragged point switches to xavier_normal
  // (n·Var = gain² at equal widths), so the per-gain² factor is xavier_normal's.
  let perGain2: number;
  if (presetUsesGain(state.init) && state.init !== 'constant') {
    perGain2 = state.gain > 0 ? sigmaW2 / state.gain ** 2 : sigmaW2Of(resolveNetwork({ ...toPlainSpec(state), init: initRef(state.init, 1) }));
  } else {
    perGain2 = sigmaW2Of(resolveNetwork({ ...toPlainSpec(state), init: 'xavier_normal' }));
  }
  const { qStar, chi1 } = fixedPoint(activation, sigmaW2, sigmaB2);
  return {
    criticalLine: orderToChaosLine(activation, PHASE_MAX_SIGMA_B2),
    current: { sigmaW2, sigmaB2, qStar, chi1 },
    sigmaW2PerGain2: perGain2,
  };
}

/**
 * The derivation for the setting's main network (the symbolic engine, every step checked; about a
 * second for a deep tanh network, so it runs in its own worker and is cached by network).
 */
export function createDerivationCache(size = 24): (state: ExplorerState) => Derivation {
  const cache = new Map<string, Derivation>();
  return (state) => {
    const spec = toNetworkSpec(state, 'main');
    const key = JSON.stringify(spec);
    const hit = cache.get(key);
    if (hit) return hit;
    const derivation = deriveNetwork(resolveNetwork(spec));
    cache.set(key, derivation);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    return derivation;
  };
}

/** Everything the theory panels show for a setting except the derivation. Throws InputError for a bad setting. */
export function computeTheory(state: ExplorerState): TheoryResult {
  const started = performance.now();
  const { main, compare } = resolveState(state);
  const words = catalogues[state.lang].explorer.architecture;
  const curves = [theoryCurve(curveLabel(state, 'main', words), main)];
  if (compare) curves.push(theoryCurve(curveLabel(state, 'compare', words), compare));
  const first = main.layers[0];
  return {
    widths: main.layers.map((l) => l.fanIn).concat(main.layers[main.layers.length - 1].fanOut),
    activationLabel: first.activation.label,
    predictionKind: first.activation.predictionKind,
    curves,
    phase: phaseDiagram(state, main),
    initLabel: first.init.label,
    elapsedMs: performance.now() - started,
  };
}
