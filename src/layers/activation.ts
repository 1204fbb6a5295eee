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
import { gaussianExpectations } from '../math/quadrature.js';
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
      return {
        output: { secondMoment: moments.m2, mean: moments.mean, exact, symmetric: input.symmetric && node.odd },
        rule: momentRule(node, input, flavour, 'm2', moments.m2),
      };
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
