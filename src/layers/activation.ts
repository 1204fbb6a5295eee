/**
 * An activation, a kind of its own: `{ "kind": "activation", "activation": "relu" }` (any name or
 * expression of src/vocabulary/activations) applies φ elementwise.
 *
 * Moments, for a Gaussian pre-activation h of second moment q (and mean μ):
 *   forward  E[φ(h)²] = m2(q), backward E[(∂h)²] = d2(q)·E[(∂φ)²], d2 = E[φ′(h)²]
 * (Poole et al. 2016; Schoenholz et al. 2017: the q-map and χ-map). Exact at any width for a
 * positively homogeneous φ (identity, relu, leaky relu) fed by a sign-symmetric signal: then
 * m2(q) = m2(1)·q and d2 is a constant, whatever the law of h. Otherwise mean-field: exact as
 * width → ∞, with an O(1/width) error. The linear flavour takes φ(x) ≈ φ′(0)·x (Glorot & Bengio
 * 2010; Dive into Deep Learning §4.8).
 */
import { bivariateGaussianExpectation, gaussianExpectations } from '../math/quadrature.js';
import { transposeInto } from '../numeric/kernels/transpose.js';
import type { Activation } from '../vocabulary/activation.js';
import type { LayerKind, MomentFlavour, MomentRule, NodeState, ResolveContext, ResolvedNode, SignalMoments } from './kind.js';
import { formatSignificant } from '../math/significant.js';

export interface ActivationNode extends ResolvedNode {
  kind: 'activation';
  activation: Activation;
  /** φ(−x) = −φ(x): an odd φ keeps a signal sign-symmetric. */
  odd: boolean;
}

/** Irrational probe points: an activation is odd when it is odd at all of them (to 1e-12). */
const ODDNESS_PROBES = [0.3183, Math.SQRT2, Math.E, 0.0577, 5.1];

function isOdd(activation: Activation): boolean {
  return ODDNESS_PROBES.every((x) => Math.abs(activation.phi(-x) + activation.phi(x)) <= 1e-12 * (1 + Math.abs(activation.phi(x))));
}

function resolveActivationNode(spec: Readonly<Record<string, unknown>>, context: ResolveContext): ActivationNode {
  const activation = context.catalogue.resolveActivation((spec.activation ?? 'identity') as Parameters<ResolveContext['catalogue']['resolveActivation']>[0], `${context.path}.activation`);
  return { kind: 'activation', path: context.path, input: context.input, output: context.input, activation, odd: isOdd(activation) };
}

interface ActivationMoments {
  mean: number;
  m2: number;
  d2: number;
}

/**
 * m1, m2, d2 of φ at a Gaussian input of second moment q and mean μ: the activation's own moments
 * when μ = 0 (closed forms where they exist), quadrature about the mean otherwise; the q → 0 limit
 * φ(0)², φ′(0)²; an overflowed q predicts an overflow (the measurement then says where).
 */
export function activationMoments(activation: Activation, q: number, mu: number, flavour: MomentFlavour): ActivationMoments {
  if (flavour === 'linear') {
    const slope = activation.slopeAtZero;
    return { mean: slope * mu, m2: slope * slope * q, d2: slope * slope };
  }
  if (!Number.isFinite(q)) return { mean: Number.NaN, m2: Number.POSITIVE_INFINITY, d2: Number.POSITIVE_INFINITY };
  const variance = q - mu * mu;
  if (!(q > 0) || !(variance > 0)) {
    const value = activation.phi(mu);
    const slope = mu === 0 ? activation.slopeAtZero : activation.derivative(mu);
    return { mean: value, m2: value * value, d2: slope * slope };
  }
  if (Math.abs(mu) <= 1e-12 * Math.sqrt(q)) {
    const moments = activation.moments(q);
    return { mean: moments.mean, m2: moments.secondMoment, d2: moments.derivativeSecondMoment };
  }
  const [mean, m2, d2] = gaussianExpectations(
    [(x) => activation.phi(mu + x), (x) => activation.phi(mu + x) ** 2, (x) => activation.derivative(mu + x) ** 2],
    variance,
    { kinks: activation.kinks.map((kink) => kink - mu) },
  );
  return { mean, m2, d2 };
}

const isHomogeneous = (node: ActivationNode) => node.activation.predictionKind === 'exact';

/** E[φ(u)φ(v)] (or E[φ′(u)φ′(v)]) and where it came from. */
export interface CrossMoment {
  value: number;
  /** 'arc-cosine' (closed form), 'quadrature' (2-D), 'degenerate' (zero variance) or 'linear'. */
  method: 'arc-cosine' | 'quadrature' | 'degenerate' | 'linear';
}

/**
 * A positively homogeneous φ (identity, relu, leaky relu) as φ(x) = α·x + β·|x|: slope a = φ(1) for
 * x > 0 and b = −φ(−1) for x < 0 give α = (a + b)/2, β = (a − b)/2.
 */
function homogeneousParts(activation: Activation): { alpha: number; beta: number } {
  const a = activation.phi(1);
  const b = -activation.phi(-1);
  return { alpha: (a + b) / 2, beta: (a - b) / 2 };
}

/**
 * E[φ(u)φ(v)] for (u, v) jointly Gaussian, each of second moment q and mean μ, with E[uv] = cross:
 * the c-map of one activation (Poole et al. 2016, eq. 5). For a positively homogeneous φ at μ = 0
 * the arc-cosine kernel in closed form (Cho & Saul 2009, eq. 6 for relu, n = 1): with c = cross/q,
 *   E[φ(u)φ(v)] = α²·cross + β²·(2/π)·q·(√(1 − c²) + c·arcsin c),
 * since E[u|v|] = 0 and E[|u||v|] = (2q/π)(√(1 − c²) + c·arcsin c); relu (α = β = 1/2) gives
 * q(sin θ + (π − θ) cos θ)/(2π), cos θ = c. Otherwise 2-D quadrature (src/math/quadrature.ts), for
 * any φ including a custom expression. The linear flavour takes φ(x) ≈ φ′(0)·x.
 */
export function activationCrossMoment(activation: Activation, q: number, cross: number, mu: number, flavour: MomentFlavour): CrossMoment {
  return pairExpectation(activation, q, cross, mu, flavour, 'phi');
}

/**
 * E[φ′(u)φ′(v)] for the same law: σ_w² times it is the slope of the c-map, χ_c (Schoenholz et al.
 * 2017, eq. 9). Homogeneous φ at μ = 0: α² + β²·(2/π)·arcsin c, since E[sign u·sign v] = (2/π)·arcsin c.
 */
export function activationDerivativeCrossMoment(activation: Activation, q: number, cross: number, mu: number): CrossMoment {
  return pairExpectation(activation, q, cross, mu, 'meanField', 'derivative');
}

function pairExpectation(activation: Activation, q: number, cross: number, mu: number, flavour: MomentFlavour, which: 'phi' | 'derivative'): CrossMoment {
  if (flavour === 'linear') {
    const slope2 = activation.slopeAtZero ** 2;
    return { value: which === 'phi' ? slope2 * cross : slope2, method: 'linear' };
  }
  if (!Number.isFinite(q) || !Number.isFinite(cross)) return { value: Number.NaN, method: 'quadrature' };
  const variance = q - mu * mu;
  const f = which === 'phi' ? (x: number) => activation.phi(x) : (x: number) => activation.derivative(x);
  if (!(q > 0) || !(variance > 0)) {
    const value = which === 'phi' ? f(mu) : mu === 0 ? activation.slopeAtZero : activation.derivative(mu);
    return { value: value * value, method: 'degenerate' };
  }
  // Rounding can push |E[uv] − μ²| a hair past the variance; the law is then the |c| = 1 edge.
  const covariance = Math.max(-variance, Math.min(variance, cross - mu * mu));
  if (activation.predictionKind === 'exact' && Math.abs(mu) <= 1e-12 * Math.sqrt(q)) {
    const { alpha, beta } = homogeneousParts(activation);
    const c = covariance / variance;
    const value =
      which === 'phi'
        ? alpha * alpha * covariance + beta * beta * (2 / Math.PI) * variance * (Math.sqrt(1 - c * c) + c * Math.asin(c))
        : alpha * alpha + beta * beta * (2 / Math.PI) * Math.asin(c);
    return { value, method: 'arc-cosine' };
  }
  const shifted = (x: number) => f(mu + x);
  const kinks = activation.kinks.map((kink) => kink - mu);
  return { value: bivariateGaussianExpectation(shifted, shifted, { q1: variance, q2: variance, covariance }, { kinksF: kinks, kinksG: kinks }), method: 'quadrature' };
}

/** The rule behind the c-map's step through φ. */
function crossRule(node: ActivationNode, input: SignalMoments, flavour: MomentFlavour, moment: CrossMoment): MomentRule {
  const label = node.activation.label;
  const k = input.cross as number;
  if (flavour === 'linear') {
    return { name: 'linear regime', expression: 's2*k', latex: "\\phi'(0)^2\\,\\mathbb{E}[h_a h_b]", values: { s2: node.activation.slopeAtZero ** 2, k }, note: `Linear theory: ${label} ≈ φ′(0)·x near 0.` };
  }
  const c = k / input.secondMoment;
  const how =
    moment.method === 'arc-cosine'
      ? `the arc-cosine kernel of ${label} in closed form (Cho & Saul 2009)`
      : moment.method === 'degenerate'
        ? 'h has no spread, so both inputs give φ(E[h])'
        : `2-D Gauss–Legendre quadrature for ${label}`;
  return {
    name: 'bivariate Gaussian moment',
    expression: 'm2ab',
    latex: '\\mathbb{E}[\\phi(h_a)\\phi(h_b)] = C(q, c)',
    values: { m2ab: moment.value },
    note: `(h_a, h_b) jointly Gaussian with q = ${formatSignificant(input.secondMoment)} and c = ${formatSignificant(c)}: ${how}; mean-field, exact as width → ∞ (Poole et al. 2016).`,
  };
}

function momentRule(node: ActivationNode, input: SignalMoments, flavour: MomentFlavour, which: 'm2' | 'd2', value: number, g?: number): MomentRule {
  const label = node.activation.label;
  const q = input.secondMoment;
  if (flavour === 'linear') {
    const slope2 = node.activation.slopeAtZero ** 2;
    return which === 'm2'
      ? { name: 'linear regime', expression: 's2*q', latex: "\\phi'(0)^2\\,\\mathbb{E}[h^2]", values: { s2: slope2, q }, note: `Linear theory: ${label} ≈ φ′(0)·x near 0.` }
      : { name: 'linear regime', expression: 's2*g', latex: "\\phi'(0)^2\\,\\mathbb{E}[(\\partial a)^2]", values: { s2: slope2, g: g ?? 0 }, note: `Linear theory: φ′ ≈ φ′(0) for ${label}.` };
  }
  const exactWords = isHomogeneous(node) && input.symmetric
    ? `${label} is positively homogeneous and h is sign-symmetric, so this holds at any width`
    : `mean-field: h is taken as Gaussian, exact as width → ∞`;
  return which === 'm2'
    ? { name: 'Gaussian moment', expression: 'm2', latex: '\\mathbb{E}[\\phi(h)^2] = m_2(q)', values: { m2: value }, note: `m2 at q = ${formatSignificant(q)} for ${label}; ${exactWords}.` }
    : { name: 'chain rule through φ', expression: 'd2*g', latex: "\\mathbb{E}[\\phi'(h)^2]\\,\\mathbb{E}[(\\partial a)^2]", values: { d2: value, g: g ?? 0 }, note: `d2 = E[φ′(h)²] at q = ${formatSignificant(q)} for ${label}; ${exactWords}.` };
}

interface ActivationState extends NodeState {
  /** φ′(h), unit-major [units, batch], to mask the gradient. */
  mask: ArrayLike<number>;
}

export const activationKind: LayerKind<ActivationNode> = {
  name: 'activation',
  fields: ['activation'],
  summary: 'an elementwise activation φ: { "kind": "activation", "activation": "relu" } (a name or an expression in x)',
  resolve: resolveActivationNode,
  moments: {
    forward(node, input, flavour) {
      const moments = activationMoments(node.activation, input.secondMoment, input.mean, flavour);
      const exact = input.exact && isHomogeneous(node) && input.symmetric;
      const output: SignalMoments = { secondMoment: moments.m2, mean: moments.mean, exact, symmetric: input.symmetric && node.odd };
      const rule = momentRule(node, input, flavour, 'm2', moments.m2);
      if (input.cross === undefined) return { output, rule };
      const cross = activationCrossMoment(node.activation, input.secondMoment, input.cross, input.mean, flavour);
      // Exact at any width only for a linear φ: otherwise E[φ(h_a)φ(h_b)] depends on the law of the pair beyond its covariance.
      const linear = isHomogeneous(node) && homogeneousParts(node.activation).beta === 0;
      return { output: { ...output, cross: cross.value, crossExact: (input.crossExact ?? false) && linear }, rule, crossRule: crossRule(node, input, flavour, cross) };
    },
    backward(node, gradient, input, _output, flavour) {
      const moments = activationMoments(node.activation, input.secondMoment, input.mean, flavour);
      return {
        input: { secondMoment: moments.d2 * gradient.secondMoment, exact: gradient.exact && isHomogeneous(node) && input.symmetric },
        rule: momentRule(node, input, flavour, 'd2', moments.d2, gradient.secondMoment),
      };
    },
  },
  numeric: {
    forward(node, input, { backend, batch, buffers }) {
      const units = node.output.units;
      const values = backend.view(input);
      const output = backend.allocate(batch, units);
      node.activation.applyInPlace(values, backend.view(output));
      // φ′(h), kept unit-major [units, batch] to mask the unit-major gradient.
      const derivative = buffers.take(node, 'derivative', units * batch);
      node.activation.derivativeInPlace(values, derivative);
      const mask = buffers.take(node, 'mask', units * batch);
      transposeInto(derivative, mask, batch, units);
      return { output, state: { mask, release() {} } as ActivationState };
    },
    backward(_node, state, _input, gradient, { backend }) {
      const mask = (state as ActivationState).mask;
      const values = backend.view(gradient);
      for (let i = 0; i < values.length; i++) values[i] *= mask[i];
      return { inputGradient: gradient };
    },
    keptElements: (node, batch) => 2 * batch * node.output.units,
    workingElements: (node, batch) => batch * node.output.units,
  },
};
