/**
 * What a user can claim about a network's variances, and how each claim becomes, per weight layer
 * and per replicate network, a pair (measured value, claimed value) whose ratio should average 1.
 *
 * Quantities per weight layer l (W_l with fans n_in, n_out and Var[w] = σ²):
 * - forward, l = 1..L: E[h_l²], the second moment of the layer's pre-activation;
 * - backward, l = 2..L: E[d_{l−1}²], the second moment of the gradient arriving at the layer's
 *   input side (d_{l−1} = (d_l W_lᵀ) ⊙ φ′(h_{l−1})). Layer 1's input gradient is not measured.
 *
 * A claim is tested as a ratio per replicate network (measured ÷ claimed) so that claims may
 * depend on that replicate's own previous layer (`q_prev`, `d_next`): by the tower property the
 * ratio's expectation is exactly 1 when the claim is exact in expectation given the past.
 */
import type { EvalFunction } from 'mathjs';
import { InputError } from '../errors.js';
import type { ResolvedLayer, ResolvedNetwork } from '../vocabulary/network.js';
import { freeSymbols, parseExpression } from './identity.js';

/** Symbols a claim expression may use, and what each one is at weight layer l. */
export const CLAIM_SYMBOLS = {
  n_in: 'fan-in of layer l',
  n_out: 'fan-out of layer l',
  sigma2: 'Var[w] of layer l',
  sigma: 'standard deviation of the weights of layer l',
  sigma_b2: 'Var[b] of layer l (0 without bias)',
  l: 'the 1-based index of the weight layer',
  L: 'the number of weight layers',
  gamma2: 'the variance of the network input (inputVariance, default 1)',
  q_prev: "this replicate's measured E[h_{l−1}²] (gamma2 at l = 1)",
  d_next: "this replicate's measured E[d_l²], the gradient at layer l's output (backward claims)",
} as const;

export type ClaimSymbol = keyof typeof CLAIM_SYMBOLS;

/** Everything a claim may depend on at one weight layer of one replicate network. */
export interface ClaimContext {
  readonly layer: ResolvedLayer;
  readonly l: number;
  readonly L: number;
  readonly n_in: number;
  readonly n_out: number;
  readonly sigma2: number;
  readonly sigma_b2: number;
  readonly gamma2: number;
  /** Measured E[h_{l−1}²] of this replicate (the input variance γ² at l = 1). */
  readonly q_prev: number;
  /** Measured E[d_l²] of this replicate (only for backward, l ≥ 2). */
  readonly d_next?: number;
}

/**
 * A claim written as a function: given one layer's context, return the claimed E[h_l²] (forward)
 * and/or E[d_{l−1}²] (backward), or undefined to not test that quantity at this layer.
 */
export type ClaimFunction = (context: ClaimContext) => { forward?: number; backward?: number } | number | undefined;

/**
 * What {@link checkVariance} tests:
 * - `'forward-preserved'`: E[h_l²] = E[h_{l−1}²] for l = 2..L (so every pre-activation of the
 *   network has the second moment of the first, E[h_1²]);
 * - `'backward-preserved'`: E[d_{l−1}²] = E[d_l²] for l = 2..L (every gradient has the second
 *   moment of the upstream gradient d_L);
 * - `{ forward?, backward? }`: mathjs expressions in {@link CLAIM_SYMBOLS} giving E[h_l²] and
 *   E[d_{l−1}²], e.g. `{ forward: '2*gamma2' }` for He-initialised relu layers;
 * - a {@link ClaimFunction}.
 */
export type VarianceClaim =
  | 'forward-preserved'
  | 'backward-preserved'
  | { forward?: string; backward?: string }
  | ClaimFunction;

export type Pass = 'forward' | 'backward';

/** One tested quantity: which layer and pass, how to read the measured and claimed values. */
export interface ClaimTarget {
  layer: number;
  pass: Pass;
  /** Notation of the measured quantity, e.g. `E[h_3²]`. */
  quantity: string;
  /** The claim in words or as a formula, e.g. `E[h_2²]` or `2*gamma2`. */
  claimed: string;
  /** Measured value of one replicate. */
  measured(replicate: ReplicateSeries): number;
  /** Claimed value for one replicate (may depend on its previous layer). */
  claim(replicate: ReplicateSeries): number;
}

/** The per-replicate values a claim reads (a subset of the engine's ReplicateValues). */
export interface ReplicateSeries {
  forward: readonly number[];
  backward: readonly number[];
}

/** A short description of a claim for messages. */
export function describeClaim(claim: VarianceClaim): string {
  if (claim === 'forward-preserved') return 'forward variance is preserved (E[h_l²] = E[h_{l−1}²] at every layer)';
  if (claim === 'backward-preserved') return 'backward variance is preserved (E[d_{l−1}²] = E[d_l²] at every layer)';
  if (typeof claim === 'function') return `the custom claim ${claim.name || '(anonymous function)'}`;
  const parts: string[] = [];
  if (claim.forward !== undefined) parts.push(`E[h_l²] = ${claim.forward}`);
  if (claim.backward !== undefined) parts.push(`E[d_{l−1}²] = ${claim.backward}`);
  return parts.join(' and ');
}

const sub = (n: number): string => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

/** E[h_l²] written with a subscript index. */
export function forwardQuantity(l: number): string {
  return `E[h${sub(l)}²]`;
}

/** E[d_l²] written with a subscript index. */
export function backwardQuantity(l: number): string {
  return `E[d${sub(l)}²]`;
}

function staticContext(network: ResolvedNetwork, index: number): Omit<ClaimContext, 'q_prev' | 'd_next'> {
  const layer = network.layers[index];
  return {
    layer,
    l: layer.index,
    L: network.layers.length,
    n_in: layer.fanIn,
    n_out: layer.fanOut,
    sigma2: layer.init.variance,
    sigma_b2: layer.biasVariance,
    gamma2: network.inputVariance,
  };
}

function compileClaimExpression(field: string, text: unknown, pass: Pass): EvalFunction {
  const node = parseExpression(field, text);
  // d_next is the gradient at the layer's output: it only exists for backward claims.
  const allowed = Object.keys(CLAIM_SYMBOLS).filter((name) => pass === 'backward' || name !== 'd_next');
  const unknown = freeSymbols(node).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new InputError(field, text, `an expression in ${allowed.join(', ')}`, `Unknown symbol ${unknown.join(', ')}`);
  }
  return node.compile();
}

function checkedClaimValue(field: string, text: string, l: number, value: unknown): number {
  const numeric = typeof value === 'number' ? value : Number(value);
  if (!(numeric > 0) || !Number.isFinite(numeric)) {
    throw new InputError(field, text, 'an expression that evaluates to a positive finite number', `At layer ${l} it gives ${String(value)}`);
  }
  return numeric;
}

/**
 * Turns a claim into the list of quantities to test on this network.
 *
 * @throws {InputError} for an unknown claim name, an expression that does not parse or uses an
 *   unknown symbol, or a claim that tests nothing on this network (e.g. preservation on one layer).
 */
export function claimTargets(network: ResolvedNetwork, claim: VarianceClaim, firstTestedLayer = 1): ClaimTarget[] {
  const L = network.layers.length;
  const gamma2 = network.inputVariance;
  const targets: ClaimTarget[] = [];
  const forwardAt = (i: number) => (r: ReplicateSeries) => r.forward[i];
  const previousForward = (i: number) => (r: ReplicateSeries) => (i === 0 ? gamma2 : r.forward[i - 1]);
  // backward quantity of weight layer index i (0-based, i ≥ 1) is E[d_{i}²] (1-based d_{l−1}): r.backward[i − 1].
  const backwardAt = (i: number) => (r: ReplicateSeries) => r.backward[i - 1];
  const nextBackward = (i: number) => (r: ReplicateSeries) => r.backward[i];
  const firstIndex = Math.max(0, firstTestedLayer - 1);

  if (claim === 'forward-preserved' || claim === 'backward-preserved') {
    for (let i = Math.max(1, firstIndex); i < L; i++) {
      const l = i + 1;
      targets.push(
        claim === 'forward-preserved'
          ? { layer: l, pass: 'forward', quantity: forwardQuantity(l), claimed: forwardQuantity(l - 1), measured: forwardAt(i), claim: previousForward(i) }
          : { layer: l, pass: 'backward', quantity: backwardQuantity(l - 1), claimed: backwardQuantity(l), measured: backwardAt(i), claim: nextBackward(i) },
      );
    }
  } else if (typeof claim === 'function') {
    for (let i = firstIndex; i < L; i++) {
      const base = staticContext(network, i);
      const evaluate = (r: ReplicateSeries, withNext: boolean) => {
        const context: ClaimContext = { ...base, q_prev: previousForward(i)(r), ...(withNext ? { d_next: r.backward[i] } : {}) };
        const value = claim(context);
        return typeof value === 'number' ? { forward: value } : value ?? {};
      };
      // Probe which quantities the function claims at this layer with the network's nominal values.
      const probe = evaluate({ forward: network.layers.map(() => gamma2), backward: network.layers.map(() => 1) }, i >= 1);
      const field = `claim(layer ${base.l})`;
      const read = (pass: Pass) => (r: ReplicateSeries) => {
        const value = evaluate(r, pass === 'backward')[pass];
        if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
          throw new InputError(field, value, `a positive finite claimed ${pass} value`);
        }
        return value;
      };
      if (probe.forward !== undefined) {
        targets.push({ layer: base.l, pass: 'forward', quantity: forwardQuantity(base.l), claimed: 'the custom claim', measured: forwardAt(i), claim: read('forward') });
      }
      if (probe.backward !== undefined && i >= 1) {
        targets.push({ layer: base.l, pass: 'backward', quantity: backwardQuantity(base.l - 1), claimed: 'the custom claim', measured: backwardAt(i), claim: read('backward') });
      }
    }
  } else if (claim !== null && typeof claim === 'object' && !Array.isArray(claim)) {
    const extra = Object.keys(claim).filter((key) => key !== 'forward' && key !== 'backward');
    if (extra.length > 0) throw new InputError(`claim.${extra[0]}`, (claim as Record<string, unknown>)[extra[0]], 'only the keys forward and backward');
    if (claim.forward === undefined && claim.backward === undefined) {
      throw new InputError('claim', claim, 'at least one of forward or backward');
    }
    for (const pass of ['forward', 'backward'] as const) {
      const text = claim[pass];
      if (text === undefined) continue;
      const field = `claim.${pass}`;
      const code = compileClaimExpression(field, text, pass);
      for (let i = pass === 'backward' ? Math.max(1, firstIndex) : firstIndex; i < L; i++) {
        const base = staticContext(network, i);
        const scope = (r: ReplicateSeries) =>
          new Map<string, number>(
            Object.entries({
              ...base,
              layer: undefined,
              sigma: Math.sqrt(base.sigma2),
              q_prev: previousForward(i)(r),
              d_next: pass === 'backward' ? r.backward[i] : undefined,
            }).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
          );
        const claimOf = (r: ReplicateSeries) => checkedClaimValue(field, text, base.l, code.evaluate(scope(r)));
        targets.push(
          pass === 'forward'
            ? { layer: base.l, pass, quantity: forwardQuantity(base.l), claimed: text, measured: forwardAt(i), claim: claimOf }
            : { layer: base.l, pass, quantity: backwardQuantity(base.l - 1), claimed: text, measured: backwardAt(i), claim: claimOf },
        );
      }
    }
  } else {
    throw new InputError(
      'claim',
      claim,
      "'forward-preserved', 'backward-preserved', { forward?: expression, backward?: expression } or a function",
    );
  }
  if (targets.length === 0) {
    throw new InputError(
      'claim',
      typeof claim === 'function' ? 'function' : claim,
      'a claim that tests at least one quantity of this network',
      L < 2 ? 'Preservation compares consecutive layers: give at least two weight layers, or a single layer as { fanIn, fanOut, activation, init }' : undefined,
    );
  }
  return targets;
}
