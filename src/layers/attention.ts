/**
 * Multi-head self-attention over a sequence of tokens (Vaswani et al. 2017, §3.2), every face of it:
 * `{ "kind": "attention", "heads": h, "headWidth"?: d/h, "causal"?: false, "init"?, "queryInit"?,
 * "keyInit"?, "valueInit"?, "outputInit"? }` on a sequence input `{ "tokens": T, "width": d }`.
 * Per head, with q_t = W_Qᵀx_t, k_s = W_Kᵀx_s, v_s = W_Vᵀx_s (each d → d_k):
 *   P_ts = softmax_s(q_t·k_s/√d_k) over s ≤ t (causal) or all s;  o_t = Σ_s P_ts v_s;
 *   y_t = W_Oᵀ [o_t of every head]  (h·d_k → d).
 * The four projections are initialized by any preset at their fans (Q, K, V: d → h·d_k; O: h·d_k → d);
 * `init` sets all four, the per-projection fields override it. No biases, no dropout.
 *
 * **Moments** (mean-field, per unit, averaged over token positions). Write q = E[x²], c = E[x_t x_s]
 * (t ≠ s: the inter-token covariance, `SignalMoments.cross`; when nothing upstream carries it, the
 * tokens are taken as independent, c = E[x]²), E[w²] per projection, V = d·E[w_V²]·q,
 * C_V = d·E[w_V²]·c, and likewise Q, K, C_K.
 * - The logits of one query over s share a part (from what the tokens share) that cancels in the
 *   softmax; the rest are, to leading order in 1/d_k, iid N(0, ν) with ν = Q·(K − C_K).
 * - Forward: the value weights are independent of the attention weights, so
 *   E[o_t²] = V·π_t + C_V·(1 − π_t), π_t = E[Σ_s P_ts²] the collision probability of t's window
 *   (src/layers/softmaxCollision.ts: exact for iid Gaussian logits, 1/T_t when ν → 0), and
 *   E[y²] = h·d_k·E[w_O²]·E[o²]. With near-uniform attention (ν → 0) the output is the mean of T_t
 *   value vectors: independent tokens have their second moment divided by T_t; a causal mask gives
 *   T_t = t, averaged over positions.
 * - Inter-token: E[y_t y_u] = h·d_k·E[w_O²]·(C_V + (V − C_V)·κ), κ = mean over pairs t ≠ u of
 *   Σ_s E[P_ts]·E[P_us] = 1/T (causal: the mean of 1/max(t, u)) when different queries' rows are
 *   independent: at uniform attention every output token is the same mean, the start of rank
 *   collapse (Dong et al. 2021).
 * - Backward, for upstream gradients uncorrelated across tokens (true at a random linear loss;
 *   leading order below another attention), with E[(∂o)²] = d·E[w_O²]·E[(∂y)²]:
 *   value path  h·d_k·E[w_V²]·π̄·E[(∂o)²] (∂v_s = Σ_t P_ts ∂o_t);
 *   query/key   h·d_k·λ̄·(V − C_V)·(E[w_Q²]·(K − C_K) + E[w_K²]·Q)·E[(∂o)²], through the softmax
 *   Jacobian ∂s_ts = P_ts(∂P_ts − Σ_u P_tu ∂P_tu) at uniform attention, λ̄ the mean of (1 − 1/T_t)/T_t;
 *   relative to the value path these are 2ν(1 − 1/T) for independent tokens: leading order in ν.
 * Linear flavour: uniform attention (ν = 0), the value path alone.
 */
import { InputError } from '../errors.js';
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import { transposeInto } from '../numeric/kernels/transpose.js';
import { formatSignificant } from '../math/significant.js';
import { requirePositiveInteger } from '../vocabulary/fields.js';
import type { InitRef, ResolvedInit } from '../vocabulary/init.js';
import type { LayerKind, MomentRule, NodeState, NumericContext, ResolveContext, ResolvedNode, SignalMoments } from './kind.js';
import { softmaxCollisions } from './softmaxCollision.js';
import { gradientAsTokenColumns, signalAsTokenRows, tokenColumnsAsGradient } from './tokens.js';

/** The four projections, in the order their weights are drawn. */
export const PROJECTIONS = ['query', 'key', 'value', 'output'] as const;
export type Projection = (typeof PROJECTIONS)[number];

export interface AttentionNode extends ResolvedNode {
  kind: 'attention';
  heads: number;
  headWidth: number;
  causal: boolean;
  /** Tokens T and token width d. */
  tokens: number;
  width: number;
  /** Each projection's init at its fans: Q, K, V [d, h·d_k]; O [h·d_k, d]. */
  inits: Record<Projection, ResolvedInit>;
}

// ---------------------------------------------------------------------------------------------
// Shape
// ---------------------------------------------------------------------------------------------

function resolveAttention(spec: Readonly<Record<string, unknown>>, context: ResolveContext): AttentionNode {
  const { path, input } = context;
  if (input.tokens === undefined) {
    throw new InputError(`${path}.kind`, 'attention', 'a node on a sequence: an input { "tokens": T, "width": d } (attention mixes the tokens of one example)');
  }
  const width = input.width;
  const heads = requirePositiveInteger(`${path}.heads`, spec.heads);
  let headWidth: number;
  if (spec.headWidth !== undefined) headWidth = requirePositiveInteger(`${path}.headWidth`, spec.headWidth);
  else if (width % heads === 0) headWidth = width / heads;
  else throw new InputError(`${path}.heads`, heads, `a divisor of the token width ${width} (or give headWidth)`);
  if (spec.causal !== undefined && typeof spec.causal !== 'boolean') throw new InputError(`${path}.causal`, spec.causal, 'true or false');
  const inner = heads * headWidth;
  const fans: Record<Projection, [number, number]> = { query: [width, inner], key: [width, inner], value: [width, inner], output: [inner, width] };
  const inits = {} as Record<Projection, ResolvedInit>;
  for (const projection of PROJECTIONS) {
    const own = spec[`${projection}Init`];
    const ref = (own ?? spec.init ?? context.defaults.init) as InitRef;
    const field = own !== undefined ? `${path}.${projection}Init` : spec.init !== undefined ? `${path}.init` : 'init';
    inits[projection] = context.catalogue.resolveInit(ref, fans[projection][0], fans[projection][1], field);
  }
  return { kind: 'attention', path, input, output: input, heads, headWidth, causal: spec.causal === true, tokens: input.tokens, width, inits };
}

// ---------------------------------------------------------------------------------------------
// Moments
// ---------------------------------------------------------------------------------------------

/** E[w²] of a projection's weight law. */
function weightSecondMoment(init: ResolvedInit): number {
  return init.variance + init.distribution.mean ** 2;
}

/** What the moment face reads from the signal flowing in, per head. */
interface AttentionMoments {
  w2: Record<Projection, number>;
  /** Second moments per component of queries, keys, values, and the keys'/values' inter-token covariance. */
  queries: number;
  keys: number;
  keysShared: number;
  values: number;
  valuesShared: number;
  /** Variance of the logits' independent part, ν = Q·(K − C_K) (0 in the linear flavour). */
  logitVariance: number;
  /** π̄: the collision probability averaged over positions. */
  collision: number;
  /** λ̄: mean of (1 − 1/T_t)/T_t, the softmax Jacobian's share at uniform attention. */
  jacobianShare: number;
  /** κ: mean over pairs t ≠ u of Σ_s E[P_ts]·E[P_us]. */
  overlap: number;
  /** The inter-token covariance used, and whether it came from upstream. */
  cross: number;
  crossKnown: boolean;
}

/** Window sizes T_t: t for a causal mask (t = 1..T), T otherwise. */
function windows(node: AttentionNode): number[] {
  return Array.from({ length: node.tokens }, (_, i) => (node.causal ? i + 1 : node.tokens));
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function attentionMoments(node: AttentionNode, input: SignalMoments, linear: boolean): AttentionMoments {
  const d = node.width;
  const q = input.secondMoment;
  const crossKnown = input.cross !== undefined;
  const cross = Math.min(q, crossKnown ? (input.cross as number) : input.mean * input.mean);
  const w2 = { query: 0, key: 0, value: 0, output: 0 };
  for (const projection of PROJECTIONS) w2[projection] = weightSecondMoment(node.inits[projection]);
  const queries = d * w2.query * q;
  const keys = d * w2.key * q;
  const keysShared = d * w2.key * cross;
  const logitVariance = linear ? 0 : queries * (keys - keysShared);
  const collisions = softmaxCollisions(node.tokens, logitVariance);
  const sizes = windows(node);
  const collision = mean(sizes.map((size) => collisions[size - 1]));
  const jacobianShare = mean(sizes.map((size) => (1 - 1 / size) / size));
  const T = node.tokens;
  // Σ_s E[P_ts]E[P_us] = 1/max(T_t, T_u): the later query's window holds the earlier one's.
  let overlap = 1;
  if (T > 1) overlap = node.causal ? (2 / (T * (T - 1))) * sizes.reduce((sum, size) => sum + (size - 1) / size, 0) : 1 / T;
  return {
    w2,
    queries,
    keys,
    keysShared,
    values: d * w2.value * q,
    valuesShared: d * w2.value * cross,
    logitVariance,
    collision,
    jacobianShare,
    overlap,
    cross,
    crossKnown,
  };
}

function forwardRule(node: AttentionNode, input: SignalMoments, m: AttentionMoments, linear: boolean): MomentRule {
  const window = node.causal ? `causal windows T_t = t, averaged over t = 1..${node.tokens}` : `T = ${node.tokens} tokens`;
  const crossWords = m.crossKnown ? `c = E[x_t x_s] = ${formatSignificant(m.cross)} from upstream` : `c = E[x]² = ${formatSignificant(m.cross)}: tokens taken as independent (nothing upstream carries E[x_t x_s])`;
  return {
    name: linear ? 'attention: uniform (linear flavour)' : 'attention: value average',
    expression: 'h*dk*wo2*d*wv2*(q*p + c*(1 - p))',
    latex: 'h\\,d_k\\,\\mathbb{E}[w_O^2]\\; d\\,\\mathbb{E}[w_V^2]\\,\\big(\\pi\\,\\mathbb{E}[x^2] + (1 - \\pi)\\,\\mathbb{E}[x_t x_s]\\big)',
    values: { h: node.heads, dk: node.headWidth, wo2: m.w2.output, d: node.width, wv2: m.w2.value, q: input.secondMoment, c: m.cross, p: m.collision },
    note: linear
      ? `Uniform attention (logits → 0): each output is the mean of its window's value vectors, π = mean of 1/T_t = ${formatSignificant(m.collision)} (${window}); ${crossWords}.`
      : `o_t = Σ_s P_ts v_s with the value weights independent of P: E[o²] = π·V + (1 − π)·C_V, π = E[Σ_s P_ts²] = ${formatSignificant(m.collision)} for iid N(0, ν) logits, ν = Q·(K − C_K) = ${formatSignificant(m.logitVariance)} (${window}; mean-field in 1/d_k); ${crossWords}.`,
  };
}

function crossRule(node: AttentionNode, input: SignalMoments, m: AttentionMoments): MomentRule {
  return {
    name: 'attention: two tokens',
    expression: 'h*dk*wo2*d*wv2*(c + (q - c)*kappa)',
    latex: 'h\\,d_k\\,\\mathbb{E}[w_O^2]\\; d\\,\\mathbb{E}[w_V^2]\\,\\big(\\mathbb{E}[x_t x_s] + (\\mathbb{E}[x^2] - \\mathbb{E}[x_t x_s])\\,\\kappa\\big)',
    values: { h: node.heads, dk: node.headWidth, wo2: m.w2.output, d: node.width, wv2: m.w2.value, q: input.secondMoment, c: m.cross, kappa: m.overlap },
    note: `E[o_t·o_u] = C_V + (V − C_V)·Σ_s E[P_ts]E[P_us], and E[P_ts] = 1/T_t by symmetry within a window: κ = ${formatSignificant(m.overlap)} (rows of different queries taken independent: mean-field).`,
  };
}

export const attentionMomentsFace: LayerKind<AttentionNode>['moments'] = {
  forward(node, input, flavour) {
    const linear = flavour === 'linear';
    const m = attentionMoments(node, input, linear);
    const h = node.heads * node.headWidth;
    const secondMoment = h * m.w2.output * (m.values * m.collision + m.valuesShared * (1 - m.collision));
    const zeroMeanOutput = node.inits.output.distribution.mean === 0;
    const output: SignalMoments = {
      secondMoment,
      mean: 0,
      // Exact only when the logits vanish (P uniform whatever x) and E[x_t x_s] is known exactly.
      exact: m.logitVariance === 0 && input.exact && (input.crossExact ?? false) && zeroMeanOutput,
      // y = W_O·o: flipping W_O's sign flips y and not x.
      symmetric: zeroMeanOutput,
    };
    const cross = h * m.w2.output * (m.valuesShared + (m.values - m.valuesShared) * m.overlap);
    return {
      output: { ...output, cross, crossExact: output.exact },
      rule: forwardRule(node, input, m, linear),
      crossRule: crossRule(node, input, m),
    };
  },

  backward(node, gradient, input, _output, flavour) {
    const linear = flavour === 'linear';
    const m = attentionMoments(node, input, linear);
    const g = gradient.secondMoment;
    const inner = node.heads * node.headWidth;
    const queryKey = linear ? 0 : m.jacobianShare * (m.values - m.valuesShared) * (m.w2.query * (m.keys - m.keysShared) + m.w2.key * m.queries);
    const value = inner * node.width * m.w2.output * g * (m.w2.value * m.collision + queryKey);
    const rule: MomentRule = {
      name: linear ? 'attention backward: value path (uniform)' : 'attention backward: value path + softmax Jacobian',
      expression: 'h*dk*d*wo2*g*(wv2*p + lam*(vm - cv)*(wq2*(km - ck) + wk2*qm))',
      latex:
        'h\\,d_k\\,d\\,\\mathbb{E}[w_O^2]\\,\\mathbb{E}[(\\partial y)^2]\\,\\big(\\mathbb{E}[w_V^2]\\,\\pi + \\bar\\lambda\\,(V - C_V)\\,(\\mathbb{E}[w_Q^2](K - C_K) + \\mathbb{E}[w_K^2]\\,Q)\\big)',
      values: {
        h: node.heads,
        dk: node.headWidth,
        d: node.width,
        wo2: m.w2.output,
        g,
        wv2: m.w2.value,
        p: m.collision,
        lam: linear ? 0 : m.jacobianShare,
        vm: m.values,
        cv: m.valuesShared,
        wq2: m.w2.query,
        km: m.keys,
        ck: m.keysShared,
        wk2: m.w2.key,
        qm: m.queries,
      },
      note: linear
        ? 'Uniform attention: the gradient reaches x through the values only, each ∂v_s = Σ_t ∂o_t/T_t.'
        : `Value path ∂v_s = Σ_t P_ts ∂o_t (factor π = ${formatSignificant(m.collision)}), plus the query and key paths through the softmax Jacobian at uniform attention (λ̄ = ${formatSignificant(m.jacobianShare)}; ${formatSignificant(queryKey / (m.w2.value * m.collision))}× the value path, leading order in ν = ${formatSignificant(m.logitVariance)}); upstream gradients of different tokens taken as uncorrelated.`,
    };
    return { input: { secondMoment: value, exact: false }, rule };
  },
};

// ---------------------------------------------------------------------------------------------
// Numeric
// ---------------------------------------------------------------------------------------------

interface AttentionState extends NodeState {
  weights: Record<Projection, Matrix>;
  /** The input as [batch·tokens, width]. */
  rows: Matrix;
  /** Queries, keys, values, [batch·tokens, h·d_k] row-major, float64. */
  queries: Float64Array;
  keys: Float64Array;
  values: Float64Array;
  /** Attention weights P, index ((b·h + head)·T + t)·T + s. */
  attention: Float64Array;
}

function sampleProjection(node: AttentionNode, projection: Projection, context: NumericContext): Matrix {
  const inner = node.heads * node.headWidth;
  const [rows, cols] = projection === 'output' ? [inner, node.width] : [node.width, inner];
  const drawn = context.scratch.take(rows * cols);
  node.inits[projection].distribution.sample(context.random, drawn, rows, cols);
  const matrix = context.backend.allocate(rows, cols);
  context.backend.view(matrix).set(drawn);
  return matrix;
}

/** a·b as a float64 copy (the backend's views do not outlive its next allocation). */
function productAsFloat64(backend: KernelBackend, a: Matrix, b: Matrix): Float64Array {
  const product = backend.matmul(a, b);
  const copy = Float64Array.from(backend.view(product));
  backend.release(product);
  return copy;
}

/** Softmax rows of every (example, head, query) over its window; o_t = Σ_s P_ts v_s. */
function attend(node: AttentionNode, batch: number, queries: Float64Array, keys: Float64Array, values: Float64Array): { attention: Float64Array; output: Float64Array } {
  const { tokens: T, heads, headWidth: dk } = node;
  const inner = heads * dk;
  const scale = 1 / Math.sqrt(dk);
  const attention = new Float64Array(batch * heads * T * T);
  const output = new Float64Array(batch * T * inner);
  for (let b = 0; b < batch; b++) {
    for (let head = 0; head < heads; head++) {
      const offset = head * dk;
      for (let t = 0; t < T; t++) {
        const row = ((b * heads + head) * T + t) * T;
        const last = node.causal ? t : T - 1;
        const q = (b * T + t) * inner + offset;
        let max = -Infinity;
        for (let s = 0; s <= last; s++) {
          const k = (b * T + s) * inner + offset;
          let logit = 0;
          for (let j = 0; j < dk; j++) logit += queries[q + j] * keys[k + j];
          logit *= scale;
          attention[row + s] = logit;
          if (logit > max) max = logit;
        }
        let total = 0;
        for (let s = 0; s <= last; s++) total += attention[row + s] = Math.exp(attention[row + s] - max);
        const o = (b * T + t) * inner + offset;
        for (let s = 0; s <= last; s++) {
          const p = (attention[row + s] /= total);
          const v = (b * T + s) * inner + offset;
          for (let j = 0; j < dk; j++) output[o + j] += p * values[v + j];
        }
      }
    }
  }
  return { attention, output };
}

/** ∂q, ∂k, ∂v ([batch·tokens, h·d_k]) from ∂o through the softmax Jacobian ∂s_ts = P_ts(∂P_ts − Σ_u P_tu ∂P_tu). */
function attendBackward(node: AttentionNode, batch: number, state: AttentionState, outputGradient: Float64Array): Record<'query' | 'key' | 'value', Float64Array> {
  const { tokens: T, heads, headWidth: dk } = node;
  const inner = heads * dk;
  const scale = 1 / Math.sqrt(dk);
  const { queries, keys, values, attention } = state;
  const queryGradient = new Float64Array(batch * T * inner);
  const keyGradient = new Float64Array(batch * T * inner);
  const valueGradient = new Float64Array(batch * T * inner);
  const dp = new Float64Array(T);
  for (let b = 0; b < batch; b++) {
    for (let head = 0; head < heads; head++) {
      const offset = head * dk;
      for (let t = 0; t < T; t++) {
        const row = ((b * heads + head) * T + t) * T;
        const last = node.causal ? t : T - 1;
        const o = (b * T + t) * inner + offset;
        let weighted = 0;
        for (let s = 0; s <= last; s++) {
          const v = (b * T + s) * inner + offset;
          const p = attention[row + s];
          let dot = 0;
          for (let j = 0; j < dk; j++) {
            dot += outputGradient[o + j] * values[v + j];
            valueGradient[v + j] += p * outputGradient[o + j];
          }
          dp[s] = dot;
          weighted += p * dot;
        }
        for (let s = 0; s <= last; s++) {
          const ds = attention[row + s] * (dp[s] - weighted) * scale;
          const k = (b * T + s) * inner + offset;
          for (let j = 0; j < dk; j++) {
            queryGradient[o + j] += ds * keys[k + j];
            keyGradient[k + j] += ds * queries[o + j];
          }
        }
      }
    }
  }
  return { query: queryGradient, key: keyGradient, value: valueGradient };
}

/** A [rows, cols] float64 array uploaded transposed, as a [cols, rows] backend matrix. */
function uploadTransposed(backend: KernelBackend, values: Float64Array, rows: number, cols: number): Matrix {
  const matrix = backend.allocate(cols, rows);
  transposeInto(values, backend.view(matrix), rows, cols);
  return matrix;
}

export const attentionNumeric: LayerKind<AttentionNode>['numeric'] = {
  forward(node, input, context) {
    const { backend, batch } = context;
    const weights = {} as Record<Projection, Matrix>;
    for (const projection of PROJECTIONS) weights[projection] = sampleProjection(node, projection, context);
    const rows = signalAsTokenRows(backend, input, node.tokens);
    const queries = productAsFloat64(backend, rows, weights.query);
    const keys = productAsFloat64(backend, rows, weights.key);
    const values = productAsFloat64(backend, rows, weights.value);
    const { attention, output: mixed } = attend(node, batch, queries, keys, values);
    const inner = node.heads * node.headWidth;
    const mixedMatrix = backend.allocate(batch * node.tokens, inner);
    backend.view(mixedMatrix).set(mixed);
    const output = backend.matmul(mixedMatrix, weights.output);
    backend.release(mixedMatrix);
    const state: AttentionState = {
      weights,
      rows,
      queries,
      keys,
      values,
      attention,
      release() {
        for (const projection of PROJECTIONS) backend.release(weights[projection]);
        backend.release(rows);
      },
    };
    return { output: backend.reshape(output, batch, node.tokens * node.width), state };
  },

  backward(node, state, _input, gradient, { backend, batch }, needInputGradient) {
    if (!needInputGradient) return {};
    const attention = state as AttentionState;
    const T = node.tokens;
    const inner = node.heads * node.headWidth;
    const columns = gradientAsTokenColumns(backend, gradient, T);
    // ∂oᵀ = W_O·∂yᵀ: [h·d_k, batch·tokens]; back to rows for the per-head loops.
    const mixedColumns = productAsFloat64(backend, attention.weights.output, columns);
    backend.release(columns);
    const mixedGradient = new Float64Array(batch * T * inner);
    transposeInto(mixedColumns, mixedGradient, inner, batch * T);
    const gradients = attendBackward(node, batch, attention, mixedGradient);
    // ∂xᵀ = W_Q·∂qᵀ + W_K·∂kᵀ + W_V·∂vᵀ: [d, batch·tokens].
    let total: Matrix | undefined;
    for (const projection of ['query', 'key', 'value'] as const) {
      const transposed = uploadTransposed(backend, gradients[projection], batch * T, inner);
      const part = backend.matmul(attention.weights[projection], transposed);
      backend.release(transposed);
      if (!total) {
        total = part;
        continue;
      }
      const sum = backend.view(total);
      const add = backend.view(part);
      for (let i = 0; i < sum.length; i++) sum[i] += add[i];
      backend.release(part);
    }
    const inputGradient = tokenColumnsAsGradient(backend, total as Matrix, T);
    backend.release(total as Matrix);
    return { inputGradient };
  },

  keptElements(node, batch) {
    const inner = node.heads * node.headWidth;
    // Weights, the input rows, the output; queries, keys, values and P are float64 (counted twice for float32).
    return 4 * node.width * inner + 2 * batch * node.tokens * node.width + 2 * (3 * batch * node.tokens * inner + batch * node.heads * node.tokens * node.tokens);
  },
  workingElements(node, batch) {
    const inner = node.heads * node.headWidth;
    return batch * node.tokens * (3 * node.width + 6 * inner);
  },
};

// ---------------------------------------------------------------------------------------------
// The kind
// ---------------------------------------------------------------------------------------------

export const attentionKind: LayerKind<AttentionNode> = {
  name: 'attention',
  fields: ['heads', 'headWidth', 'causal', 'init', 'queryInit', 'keyInit', 'valueInit', 'outputInit'],
  summary:
    'multi-head self-attention over the tokens of a sequence, softmax(q·k/√d_k) v: { "kind": "attention", "heads": h, "headWidth"?: d/h, "causal"?: false, "init"?, "queryInit"?, "keyInit"?, "valueInit"?, "outputInit"? }',
  resolve: resolveAttention,
  moments: attentionMomentsFace,
  numeric: attentionNumeric,
};
