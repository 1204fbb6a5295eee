/**
 * The spectrum of the input–output Jacobian J = ∂y/∂x of a network at initialization (Pennington,
 * Schoenholz & Ganguli 2017, "Resurrecting the sigmoid in deep learning through dynamical isometry",
 * §2.4–2.5 and eqs. 12–16; Pennington, Schoenholz & Ganguli 2018, "The emergence of spectral
 * universality in deep networks").
 *
 * The squared singular values of J are the eigenvalues λ of JᵀJ (n_0 of them, n_0 the input width).
 *
 * **Mean.** (1/n_0)·tr(JᵀJ) = ‖J‖_F²/n_0 = E_g‖Jᵀg‖²/n_0 for g ~ N(0, I): the backward second moment
 * at the network's input under the random linear loss that `propagate()` (src/symbolic/propagate.ts)
 * already composes. So the mean squared singular value is the product of propagate's backward
 * factors, E[(∂x)²]/E[(∂y)²], read from it here (no second recursion): σ_w² per dense layer
 * (n_out·Var[w]) and μ₁ = E[φ′(h)²] per activation, i.e. (σ_w² μ₁)^L on a chain at the fixed point.
 * Exact at any width where propagate says so (identity, relu-like), mean-field otherwise.
 *
 * **Variance.** In the large-width limit the factors of J Jᵀ are asymptotically free, and the
 * S-transform of a product is the product of the S-transforms (Voiculescu). With moments m_k of a
 * spectral law, S(z) = (1/m₁)(1 − (m₂/m₁² − 1) z + O(z²)), so the *normalized* variance
 * m₂/m₁² − 1 of the product is the SUM of the factors' normalized variances:
 *   activation (D² = diag φ′(h)²):  μ₂/μ₁² − 1,  μ_k = E[φ′(h)^{2k}];
 *   dense weights (WᵀW):            −s₁,  s₁ = −1 for iid entries (Marchenko–Pastur at aspect 1,
 *                                    any law with finite fourth moment), 0 for orthogonal;
 *   bias:                            0 (it does not enter J).
 * Hence Var[λ] = m₁²·Σ_l (μ₂/μ₁² − 1 − s₁), which on a chain at the fixed point is the paper's
 * L·(μ₂/μ₁² − 1 − s₁) times m₁². Leading order in 1/width (the finite-width correction is O(L/n);
 * for linear Gaussian chains it is computed exactly by {@link linearGaussianSpectrumMoments}).
 * The formula needs square weight layers and only dense, bias and activation nodes (repeat and
 * serial of those); elsewhere the variance prediction is null with the reason.
 *
 * μ₂ = E[φ′(h)⁴] is the one moment the activation face does not give yet: {@link derivativeFourthMoment}
 * asks the activation for it by the shared quadrature (src/math/quadrature.ts).
 */
import { InputError } from '../errors.js';
import { isWeightNode, type MomentRule, type ResolvedNode } from '../layers/kind.js';
import { gaussianExpectation } from '../math/quadrature.js';
import { formatSignificant } from '../math/significant.js';
import { OUTPUT_GRADIENT, propagate, type Propagation } from '../symbolic/propagate.js';
import type { Activation } from '../vocabulary/activation.js';
import { walkNodes, type ResolvedNetwork } from '../vocabulary/network.js';
import { criticalPoint, hasOrderToChaosLine } from './criticality.js';

/** How a prediction holds: at any width, as width → ∞ (mean-field), or to leading order in 1/width. */
export type JacobianLabel = 'exact' | 'meanField' | 'leadingOrder';

/** One node's part in the spectrum: its factor of the mean and its term of the normalized variance. */
export interface JacobianFactor {
  path: string;
  kind: string;
  /** E[(∂x)²]/E[(∂y)²] across the node, from propagate (σ_w² for dense, μ₁ for an activation). */
  factor: number;
  /** propagate's backward rule for that factor. */
  factorRule: MomentRule;
  /** The node's term of m₂/m₁² − 1 (null where the free-probability formula does not apply). */
  spread: number | null;
  spreadRule?: MomentRule;
}

export interface JacobianPrediction<V> {
  value: V;
  label: JacobianLabel;
  /** The composed formula, with the values it was evaluated at. */
  rule: MomentRule;
}

export interface JacobianSpectrumPrediction {
  /** n_0: the number of squared singular values (eigenvalues of JᵀJ). */
  inputUnits: number;
  outputUnits: number;
  factors: JacobianFactor[];
  /** m₁ = tr(JᵀJ)/n_0, the product of the factors. */
  meanSquaredSingularValue: JacobianPrediction<number>;
  /** Var[λ] = m₁²·Σ spread, leading order; null with `varianceUnavailable` where it does not apply. */
  varianceSquaredSingularValue: JacobianPrediction<number> | null;
  varianceUnavailable?: string;
  /** Σ spread = m₂/m₁² − 1 (null with the variance). */
  normalizedVariance: number | null;
}

/**
 * μ₂ = E[φ′(h)⁴] for h ~ N(μ, q − μ²) (second moment q, mean μ), by the shared quadrature; the
 * q → 0 limit φ′(μ)⁴. `field` names the activation in an error (e.g. `2.activation`).
 * @throws InputError when the moment is not finite (a derivative growing too fast for a Gaussian).
 */
export function derivativeFourthMoment(activation: Pick<Activation, 'derivative' | 'kinks' | 'label' | 'slopeAtZero'>, q: number, mu = 0, field = 'activation'): number {
  const variance = q - mu * mu;
  const value =
    variance > 0 && Number.isFinite(q)
      ? gaussianExpectation((x) => activation.derivative(mu + x) ** 4, variance, { kinks: activation.kinks.map((kink) => kink - mu) })
      : (mu === 0 ? activation.slopeAtZero : activation.derivative(mu)) ** 4;
  if (!Number.isFinite(value)) {
    throw new InputError(field, activation.label, `an activation whose E[φ′(h)⁴] is finite at the pre-activation variance q = ${formatSignificant(q)}`, 'Its derivative grows too fast for a Gaussian input, so the Jacobian spectrum has no finite variance');
  }
  return value;
}

/** s₁ of a weight law: the first S-transform coefficient of WᵀW (−1 iid, 0 orthogonal), or null. */
export function weightSpectrumCoefficient(distributionName: string): number | null {
  if (distributionName === 'orthogonal') return 0;
  if (distributionName === 'normal' || distributionName === 'uniform' || distributionName === 'truncated_normal') return -1;
  return null;
}

const COMBINATORS = new Set(['repeat', 'serial']);

/** Why the variance formula does not apply to this node, or null. */
function unsupportedReason(node: ResolvedNode): string | null {
  if (COMBINATORS.has(node.kind) || node.kind === 'bias' || node.kind === 'activation') return null;
  if (node.kind === 'dense' && isWeightNode(node)) {
    const { fanIn, fanOut, init } = node.layer;
    if (fanIn !== fanOut) return `dense layer ${node.path} is ${fanIn}→${fanOut}; the formula needs square layers`;
    if (weightSpectrumCoefficient(init.distribution.name) === null) return `dense layer ${node.path} draws from ${init.distribution.name} weights, which have no Marchenko–Pastur or Haar spectrum`;
    return null;
  }
  return `node ${node.path} is a ${node.kind}; the free-probability formula covers dense, bias and activation nodes only`;
}

function spreadOf(node: ResolvedNode, site: Propagation['sites'][number], factor: number): { spread: number; rule: MomentRule } | null {
  if (node.kind === 'dense' && isWeightNode(node)) {
    const s1 = weightSpectrumCoefficient(node.layer.init.distribution.name)!;
    const law = s1 === 0 ? 'orthogonal: WᵀW = σ_w² I' : 'iid entries: Marchenko–Pastur law at aspect ratio 1';
    return { spread: -s1, rule: { name: 'weight spectrum', expression: '-s1', latex: '-s_1', values: { s1 }, note: `${law}, so s₁ = ${s1}.` } };
  }
  if (node.kind === 'activation') {
    const activation = (node as ResolvedNode & { activation: Activation }).activation;
    const mu2 = derivativeFourthMoment(activation, site.input.secondMoment, site.input.mean, `${node.path}.activation`);
    return {
      spread: mu2 / (factor * factor) - 1,
      rule: {
        name: 'derivative spread',
        expression: 'mu2/mu1^2 - 1',
        latex: '\\mu_2/\\mu_1^2 - 1',
        values: { mu1: factor, mu2 },
        note: `μ₁ = E[φ′(h)²] (propagate's factor) and μ₂ = E[φ′(h)⁴] (quadrature) for ${activation.label} at q = ${formatSignificant(site.input.secondMoment)}.`,
      },
    };
  }
  if (node.kind === 'bias') return { spread: 0, rule: { name: 'bias', expression: '0', latex: '0', values: {}, note: 'A bias does not enter the Jacobian.' } };
  return null;
}

/**
 * The predicted mean and variance of the Jacobian's squared singular values, read from
 * `propagate()` (meanField flavour) plus μ₂ per activation.
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ widths: [256, 256, 256, 256], activation: 'tanh', init: 'orthogonal' });
 * predictJacobianSpectrum(network).meanSquaredSingularValue.value; // (σ_w² μ₁)² ≈ 0.37
 * ```
 */
export function predictJacobianSpectrum(network: ResolvedNetwork, propagation: Propagation = propagate(network, 'meanField')): JacobianSpectrumPrediction {
  const nodes: ResolvedNode[] = [];
  walkNodes(network.nodes, network.kinds, (node) => nodes.push(node));
  const outputUnits = network.nodes[network.nodes.length - 1].output.units;
  let unavailable: string | null = network.input.units === outputUnits ? null : `the Jacobian is ${outputUnits}×${network.input.units}; the formula needs a square one`;
  const factors: JacobianFactor[] = [];
  nodes.forEach((node, i) => {
    if (COMBINATORS.has(node.kind)) return;
    const site = propagation.sites[i];
    const factor = site.inputGradient.secondMoment / site.gradient.secondMoment;
    unavailable ??= unsupportedReason(node);
    const spread = unavailable === null ? spreadOf(node, site, factor) : null;
    factors.push({ path: node.path, kind: node.kind, factor, factorRule: site.backwardRule, spread: spread?.spread ?? null, ...(spread ? { spreadRule: spread.rule } : {}) });
  });
  const first = propagation.sites[0];
  const mean = first.inputGradient.secondMoment / OUTPUT_GRADIENT.secondMoment;
  const symbols = Object.fromEntries(factors.map((f, i) => [`f${i + 1}`, f.factor]));
  const meanRule: MomentRule = {
    name: 'product of backward factors',
    expression: factors.length > 0 ? factors.map((_, i) => `f${i + 1}`).join(' * ') : '1',
    latex: '\\frac{1}{n_0}\\operatorname{tr}(J^\\top J) = \\prod_\\ell \\frac{\\mathbb{E}[(\\partial x_\\ell)^2]}{\\mathbb{E}[(\\partial y_\\ell)^2]}',
    values: symbols,
    note: 'tr(JᵀJ)/n_0 = E‖Jᵀg‖²/n_0 for g ~ N(0, I): the backward second moment at the input, the product of the factors propagate() composed.',
  };
  const meanPrediction: JacobianPrediction<number> = { value: mean, label: first.inputGradient.exact ? 'exact' : 'meanField', rule: meanRule };
  if (unavailable !== null) {
    return { inputUnits: network.input.units, outputUnits, factors, meanSquaredSingularValue: meanPrediction, varianceSquaredSingularValue: null, varianceUnavailable: unavailable, normalizedVariance: null };
  }
  const normalizedVariance = factors.reduce((sum, f) => sum + (f.spread as number), 0);
  const spreadSymbols = Object.fromEntries(factors.map((f, i) => [`v${i + 1}`, f.spread as number]));
  const varianceRule: MomentRule = {
    name: 'free multiplicative convolution',
    expression: `m1^2 * (${factors.length > 0 ? factors.map((_, i) => `v${i + 1}`).join(' + ') : '0'})`,
    latex: '\\operatorname{Var}[\\lambda] = m_1^2 \\sum_\\ell \\Big(\\frac{\\mu_2}{\\mu_1^2} - 1 - s_1\\Big)_\\ell',
    values: { m1: mean, ...spreadSymbols },
    note: 'The S-transform of a product of free factors is the product of theirs, so normalized variances add; leading order in 1/width.',
  };
  return {
    inputUnits: network.input.units,
    outputUnits,
    factors,
    meanSquaredSingularValue: meanPrediction,
    varianceSquaredSingularValue: { value: mean * mean * normalizedVariance, label: 'leadingOrder', rule: varianceRule },
    normalizedVariance,
  };
}

/**
 * Exact finite-width moments of the spectrum of a linear chain J = W_L ⋯ W_1 with iid Gaussian
 * weights (W_l: n_l × n_{l−1}, entries N(0, v_l)): E[m̂₁] and E[Var_i λ_i] of the n_0 eigenvalues of
 * JᵀJ, per network. The Gram matrix G of (Ju, Jv) for orthonormal u, v is, layer by layer, a Wishart
 * matrix: rows of W are iid N(0, v I), so E[G′_ij G′_kl] = c²(G_ij G_kl + (G_ik G_jl + G_il G_jk)/n)
 * with c = n·v, n = n_out. (E[G₁₁²], E[G₁₁G₂₂], E[G₁₂²]) therefore follow a linear recursion, and
 * E[tr A] = n_0 E[G₁₁], E[(tr A)²] = n_0 E[G₁₁²] + n_0(n_0−1) E[G₁₁G₂₂], E[tr A²] = n_0 E[G₁₁²] +
 * n_0(n_0−1) E[G₁₂²] for A = JᵀJ. One layer of width n at v = 1/n gives 2 + 1/n for E[tr A²]/n_0,
 * against the Marchenko–Pastur 2.
 */
export function linearGaussianSpectrumMoments(inputUnits: number, layers: readonly { outputUnits: number; variance: number }[]): { mean: number; variance: number } {
  let g11 = 1;
  let g11sq = 1;
  let g11g22 = 1;
  let g12sq = 0;
  for (const { outputUnits: n, variance } of layers) {
    const c = n * variance;
    const c2 = c * c;
    [g11, g11sq, g11g22, g12sq] = [c * g11, c2 * g11sq * (1 + 2 / n), c2 * (g11g22 + (2 * g12sq) / n), c2 * (g12sq * (1 + 1 / n) + g11g22 / n)];
  }
  const n0 = inputUnits;
  const traceSquared = n0 * g11sq + n0 * (n0 - 1) * g11g22;
  const traceOfSquare = n0 * g11sq + n0 * (n0 - 1) * g12sq;
  return { mean: g11, variance: traceOfSquare / n0 - traceSquared / (n0 * n0) };
}

/**
 * The exact finite-width variance of {@link linearGaussianSpectrumMoments} when `network` is a
 * linear chain of dense layers with normal weights (biases allowed: they do not enter J), else null.
 */
export function exactLinearGaussianVariance(network: ResolvedNetwork): number | null {
  const nodes: ResolvedNode[] = [];
  walkNodes(network.nodes, network.kinds, (node) => nodes.push(node));
  const linear = nodes.every((node) => {
    if (COMBINATORS.has(node.kind) || node.kind === 'bias') return true;
    if (node.kind === 'activation') return (node as ResolvedNode & { activation: Activation }).activation.name === 'identity';
    return node.kind === 'dense' && isWeightNode(node) && node.layer.init.distribution.name === 'normal';
  });
  if (!linear) return null;
  return linearGaussianSpectrumMoments(
    network.input.units,
    network.layers.map((layer) => ({ outputUnits: layer.outputUnits, variance: layer.init.variance })),
  ).variance;
}

/** Per-layer numbers of an activation on its critical line (χ₁ = σ_w² μ₁ = 1). */
export interface IsometryProfile {
  activation: string;
  biasVar: number;
  /** σ_w² with σ_w² μ₁ = 1. */
  criticalWeightVar: number;
  qStar: number;
  mu1: number;
  mu2: number;
  /** Per-layer growth of Var[λ] at m₁ = 1: μ₂/μ₁² − 1 − s₁. */
  perLayerVariance: { gaussian: number; orthogonal: number };
}

/**
 * Where an activation stands for dynamical isometry (all squared singular values near 1): at the
 * critical point, m₁ = 1 and Var[λ] grows by μ₂/μ₁² − 1 − s₁ per layer. Odd saturating activations
 * (tanh, erf) are solved on the order-to-chaos line at σ_b² (src/theory/criticality.ts): as σ_b² → 0,
 * q* → 0, φ′ → φ′(0) on the whole Gaussian, μ₂/μ₁² → 1, so with orthogonal weights the per-layer
 * growth → 0. Positively homogeneous activations (identity, relu, leaky relu) have a q-independent
 * φ′², critical at σ_w² = 1/μ₁ for any q; relu's φ′² is 0 or 1 with probability ½ each, so
 * μ₂/μ₁² − 1 = 1 whatever the weights: its spectrum widens by at least 1 per layer.
 * @throws InputError for other activations (no critical line to stand on) or a σ_b² the line does not reach.
 */
export function isometryProfile(activation: Activation, biasVar: number): IsometryProfile {
  let criticalWeightVar: number;
  let qStar: number;
  if (hasOrderToChaosLine(activation)) {
    ({ criticalWeightVar, qStar } = criticalPoint(activation, biasVar));
  } else if (activation.predictionKind === 'exact') {
    // φ′² does not depend on q: any q* is critical at σ_w² = 1/μ₁ (σ_b² = 0 keeps q* finite).
    qStar = 1;
    criticalWeightVar = 1 / activation.moments(qStar).derivativeSecondMoment;
  } else {
    throw new InputError('activation', activation.label, 'an odd saturating activation (tanh, erf, …) or a positively homogeneous one (identity, relu, leaky_relu)', 'Only those have a critical line on which to ask for dynamical isometry');
  }
  const mu1 = qStar > 0 ? activation.moments(qStar).derivativeSecondMoment : activation.slopeAtZero ** 2;
  const mu2 = derivativeFourthMoment(activation, qStar);
  const spread = mu2 / (mu1 * mu1) - 1;
  return { activation: activation.label, biasVar, criticalWeightVar, qStar, mu1, mu2, perLayerVariance: { gaussian: spread + 1, orthogonal: spread } };
}
