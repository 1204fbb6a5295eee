/**
 * Finite-width fluctuations of the normalized squared norm across independently sampled networks
 * (Hanin 2018, "Which neural net architectures give rise to exploding and vanishing gradients?";
 * Hanin & Rolnick 2018, "How to start training: the effect of initialization and architecture";
 * Roberts, Yaida & Hanin 2022, "The Principles of Deep Learning Theory", ch. 4–5).
 *
 * At a site with n units y_1..y_n, M = ‖y‖²/n. The mean-field and exact predictions of
 * `propagate()` give E[M] = E[y²]; this module gives the next moment, the ratio
 *
 *   R = E[M²]/E[M]² = K/n + (1 − 1/n)·ρ,   K = E[y_i⁴]/E[y_i²]²,  ρ = E[y_i² y_k²]/E[y_i²]² (i ≠ k),
 *
 * (expand ‖y‖⁴ = Σ_i y_i⁴ + Σ_{i≠k} y_i² y_k²; units are exchangeable). A site's fourth-moment state is
 * (K, ρ); each kind maps the state flowing in to the state flowing out, with the formula it used:
 *
 * - input x ~ N(0, γ²) iid: K = 3, ρ = 1 (R = 1 + 2/n_0: the engine draws a new input per network);
 * - dense, iid zero-mean weights of kurtosis κ_w = E[w⁴]/E[w²]² (3 Gaussian, 9/5 uniform): given the
 *   input x, the h_i are independent with E[h_i²|x] = σ²‖x‖², E[h_i⁴|x] = σ⁴(3‖x‖⁴ + (κ_w − 3)Σ_j x_j⁴),
 *   so ρ_h = R_x and K_h = 3R_x + (κ_w − 3)·K_x/n_in — exact. For Gaussian weights
 *   R_h = R_x·(1 + 2/n_out); the weight law's fourth moment enters only at order 1/(n_in·n_out);
 * - bias b ~ N(0, s), with q = E[h²]: K ← (K q² + 6qs + 3s²)/(q + s)², ρ ← (ρ q² + 2qs + s²)/(q + s)² — exact;
 * - a positively homogeneous φ (a·x for x > 0, b·x for x < 0) on a sign-symmetric input whose units are
 *   independent given the layer below: E[φ(h)^p | x] = (a^p + b^p)/2·E[|h|^p | x], so
 *   K ← (κ_φ/3)·K and ρ ← ρ — exact, κ_φ = E[φ(z)⁴]/E[φ(z)²]² (relu: 6; leaky relu:
 *   6(1 + a⁴)/(1 + a²)²; identity 3). With Gaussian weights this is R_a = R_{a,prev}·(1 + (κ_φ − 1)/n),
 *   Hanin's product ∏_l (1 + (κ − 1)/n_l) — relu: 1 + 5/n per layer;
 * - any other φ, at a zero-mean input of second moment q: given the layer below, h ≈ N(0, s²) with
 *   s² fluctuating around q; to leading order in 1/n, ρ ← 1 + γ(q)²·(ρ − 1) with the elasticity
 *   γ(q) = d ln m2/d ln q = E[φ(√q z)²(z² − 1)]/(2 m2(q)) (Stein's lemma), and K ← κ(q)·ρ with
 *   κ(q) = m4(q)/m2(q)² — labelled leading-order (error O(L/n²));
 * - serial, repeat: the state of their last node.
 *
 * This is a pure function over `propagate()`'s sites (it reads each site's E[y²], mean and symmetry
 * from there) composing per-site factors, in site order, for chains of the kinds above; residual
 * blocks, convolutions and normalizations are refused in words. The hook that would move these
 * per-kind maps into the kinds (and let combinators compose them): an optional
 * `fourthMoment(node, state, input: SignalMoments, run)` on MomentFace returning
 * { state: FluctuationState, rule: MomentRule }, composed by propagate() beside the second moment;
 * a residual sum would then need the cross moment E[‖x‖²⟨x, f(x)⟩]-type terms of its branch.
 */
import { InputError } from '../errors.js';
import type { MomentRule, ResolvedNode, WeightNode } from '../layers/kind.js';
import { gaussianExpectations } from '../math/quadrature.js';
import { formatSignificant } from '../math/significant.js';
import { propagate, type Propagation, type SiteMoments } from '../symbolic/propagate.js';
import type { Activation } from '../vocabulary/activation.js';
import type { WeightDistribution } from '../vocabulary/distribution.js';
import { walkNodes, type ResolvedNetwork } from '../vocabulary/network.js';

/** 'exact': holds at any width; 'leadingOrder': the first order in 1/width, with an O(L/n²) error. */
export type FluctuationLabel = 'exact' | 'leadingOrder';

/** The fourth-moment state of a signal with `units` exchangeable units. */
export interface FluctuationState {
  units: number;
  /** K = E[y_i⁴]/E[y_i²]²: one unit's kurtosis over networks (and inputs). */
  unitKurtosis: number;
  /** ρ = E[y_i² y_k²]/E[y_i²]² for two different units i ≠ k. */
  pairMoment: number;
  label: FluctuationLabel;
}

/** R = E[M²]/E[M]² for M = ‖y‖²/n: K/n + (1 − 1/n)·ρ. */
export function secondMomentRatio(state: FluctuationState): number {
  return state.unitKurtosis / state.units + (1 - 1 / state.units) * state.pairMoment;
}

/** What the fluctuation map says at one site. */
export interface SiteFluctuation {
  path: string;
  kind: string;
  layer?: number;
  units: number;
  /** E[M²]/E[M]² at the site's output. */
  secondMomentRatio: number;
  /** The ratio at this site over the ratio flowing in: the site's factor. */
  factor: number;
  state: FluctuationState;
  /** The formula of R at this site, in the symbols of the state flowing in (checked in derivations). */
  rule: MomentRule;
}

export interface FluctuationPrediction {
  /** The network input, x ~ N(0, γ²) iid. */
  input: FluctuationState;
  inputRatio: number;
  sites: SiteFluctuation[];
  /** 'exact' when every site is exact. */
  label: FluctuationLabel;
}

// ---------------------------------------------------------------------------------------------
// Activation and weight-law constants
// ---------------------------------------------------------------------------------------------

/** κ_φ(q) = m4(q)/m2(q)² and the elasticity γ(q) = d ln m2/d ln q of an activation at N(0, q). */
export interface ActivationFourthMoments {
  /** m2(q) = E[φ(√q z)²] */
  m2: number;
  /** m4(q) = E[φ(√q z)⁴] */
  m4: number;
  kappa: number;
  elasticity: number;
  /** True when the numbers are closed forms (identity, relu, leaky relu). */
  closedForm: boolean;
}

/** The slopes (a for x > 0, b for x < 0) of a positively homogeneous activation the vocabulary names. */
function homogeneousSlopes(activation: Activation): [number, number] | null {
  if (activation.name === 'identity') return [1, 1];
  if (activation.name === 'relu') return [1, 0];
  if (activation.name === 'leaky_relu') return [1, activation.params.slope ?? 0.01];
  return null;
}

/**
 * κ_φ and the elasticity at q. Closed forms for a·x / b·x activations: E[φ(z)²] = (a² + b²)/2,
 * E[φ(z)⁴] = 3(a⁴ + b⁴)/2 (half of E[z⁴] = 3 on each side), so κ = 6(a⁴ + b⁴)/(a² + b²)² (relu 6);
 * quadrature (src/math/quadrature.ts) otherwise. Throws {@link InputError} naming `field` when a
 * moment diverges.
 */
export function activationFourthMoments(activation: Activation, q: number, field = 'activation'): ActivationFourthMoments {
  const slopes = homogeneousSlopes(activation);
  if (slopes) {
    const [a, b] = slopes;
    const m2 = ((a * a + b * b) / 2) * q;
    const m4 = ((3 * (a ** 4 + b ** 4)) / 2) * q * q;
    return { m2, m4, kappa: m4 / (m2 * m2), elasticity: 1, closedForm: true };
  }
  return quadratureFourthMoments(activation, q, field);
}

/** The same numbers by Gaussian quadrature, whatever the activation (tests compare the two). */
export function quadratureFourthMoments(activation: Activation, q: number, field = 'activation'): ActivationFourthMoments {
  const phi = (x: number) => activation.phi(x);
  const [m2, m4, stein] = gaussianExpectations(
    [(x) => phi(x) ** 2, (x) => phi(x) ** 4, (x) => phi(x) ** 2 * (x * x / q - 1)],
    q,
    { kinks: activation.kinks },
  );
  if (!Number.isFinite(m4) || !Number.isFinite(m2) || !(m2 > 0)) {
    throw new InputError(field, activation.label, 'an activation with finite, non-zero Gaussian moments E[φ(z)²] and E[φ(z)⁴]', `At q = ${formatSignificant(q)} they are ${formatSignificant(m2)} and ${formatSignificant(m4)}`);
  }
  return { m2, m4, kappa: m4 / (m2 * m2), elasticity: stein / (2 * m2), closedForm: false };
}

/** κ_w = E[w⁴]/E[w²]² of an iid zero-mean weight law (3 normal, 9/5 uniform). */
export function weightKurtosis(distribution: WeightDistribution): number {
  return distribution.fourthMoment / distribution.variance ** 2;
}

// ---------------------------------------------------------------------------------------------
// Per-site maps
// ---------------------------------------------------------------------------------------------

/** The allowed kinds, in words (for refusals). */
export const FLUCTUATION_KINDS = 'a chain of dense, bias and activation nodes (serial and repeat of them allowed)';

interface SiteMap {
  state: FluctuationState;
  rule: MomentRule;
}

function ratioRule(name: string, expression: string, latex: string, values: Record<string, number>, note: string): MomentRule {
  return { name, expression, latex, values, note };
}

function denseMap(node: WeightNode, input: FluctuationState): SiteMap {
  const layer = node.layer;
  const law = layer.init.distribution;
  if (layer.conv) throw new InputError(`${node.path}.kind`, node.kind, FLUCTUATION_KINDS, 'A convolution shares each weight across positions, so its outputs are not independent given its input');
  if (law.name === 'orthogonal' || law.name === 'constant' || law.mean !== 0 || !(law.variance > 0)) {
    throw new InputError(`${node.path}.init`, law.label, 'a law with iid zero-mean entries of positive variance (normal, uniform, truncated normal)', 'Fluctuations are derived for independent weights');
  }
  const kw = weightKurtosis(law);
  const n = layer.outputUnits;
  const nIn = layer.inputUnits;
  const Rx = secondMomentRatio(input);
  const Kx = input.unitKurtosis;
  const state: FluctuationState = { units: n, unitKurtosis: 3 * Rx + ((kw - 3) * Kx) / nIn, pairMoment: Rx, label: input.label };
  const gaussian = Math.abs(kw - 3) < 1e-12;
  return {
    state,
    rule: gaussian
      ? ratioRule(
          'chi-square over the outputs',
          'Rx*(1 + 2/n)',
          'R_x\\left(1 + \\frac{2}{n}\\right)',
          { Rx, n },
          `Given the input, the n = ${n} outputs are iid N(0, σ²‖x‖²): ‖h‖² is σ²‖x‖² times a χ² with n degrees of freedom, whose second moment is n²(1 + 2/n).`,
        )
      : ratioRule(
          'fourth moment of the weights',
          'Rx + (3*Rx + (kw - 3)*Kx/n_in - Rx)/n',
          'R_x + \\frac{1}{n}\\left(3R_x + (\\kappa_w - 3)\\frac{K_x}{n_\\text{in}} - R_x\\right)',
          { Rx, kw, Kx, n_in: nIn, n },
          `Given the input, E[h⁴] = σ⁴(3‖x‖⁴ + (κ_w − 3)Σ x_j⁴) with κ_w = E[w⁴]/E[w²]² = ${formatSignificant(kw)} for ${law.label}: the weight law enters at order 1/(n_in·n).`,
        ),
  };
}

function biasMap(node: ResolvedNode & { variance: number }, input: FluctuationState, site: SiteMoments): SiteMap {
  const q = site.input.secondMoment;
  const s = node.variance;
  const total = (q + s) ** 2;
  const state: FluctuationState = {
    units: input.units,
    unitKurtosis: (input.unitKurtosis * q * q + 6 * q * s + 3 * s * s) / total,
    pairMoment: (input.pairMoment * q * q + 2 * q * s + s * s) / total,
    label: input.label,
  };
  const K = input.unitKurtosis;
  const rho = input.pairMoment;
  const n = input.units;
  return {
    state,
    rule: ratioRule(
      'independent Gaussian bias',
      '((K*q^2 + 6*q*s + 3*s^2)/n + (1 - 1/n)*(rho*q^2 + 2*q*s + s^2))/(q + s)^2',
      '\\frac{\\tfrac1n\\left(K q^2 + 6qs + 3s^2\\right) + \\left(1 - \\tfrac1n\\right)\\left(\\rho q^2 + 2qs + s^2\\right)}{(q + s)^2}',
      { K, rho, q, s, n },
      `b ~ N(0, s = ${formatSignificant(s)}) is independent of h (E[h²] = q = ${formatSignificant(q)}): E[(h + b)⁴] = E[h⁴] + 6qs + 3s², and the bias, the same in every input, damps the relative spread.`,
    ),
  };
}

function activationMap(node: ResolvedNode & { activation: Activation }, input: FluctuationState, site: SiteMoments): SiteMap {
  const activation = node.activation;
  const slopes = homogeneousSlopes(activation);
  const n = input.units;
  const K = input.unitKurtosis;
  const rho = input.pairMoment;
  if (slopes && site.input.symmetric) {
    const { kappa } = activationFourthMoments(activation, 1, `${node.path}.activation`);
    const state: FluctuationState = { units: n, unitKurtosis: (kappa / 3) * K, pairMoment: rho, label: input.label };
    return {
      state,
      rule: ratioRule(
        'homogeneous activation',
        '(kappa/3)*K/n + (1 - 1/n)*rho',
        '\\frac{\\kappa_\\phi}{3}\\,\\frac{K}{n} + \\left(1 - \\frac1n\\right)\\rho',
        { kappa, K, rho, n },
        `${activation.label} is positively homogeneous and h is sign-symmetric with units independent given the layer below: E[φ(h)⁴]/E[φ(h)²]² = (κ_φ/3)·E[h⁴]/E[h²]² with κ_φ = ${formatSignificant(kappa)}, exact at any width.`,
      ),
    };
  }
  const q = site.input.secondMoment;
  if (Math.abs(site.input.mean) > 1e-12 * Math.sqrt(q)) {
    throw new InputError(`${node.path}.activation`, activation.label, 'a positively homogeneous activation, or any activation fed by a zero-mean signal', `Its input has mean ${formatSignificant(site.input.mean)}: the leading-order map expands around a zero-mean Gaussian`);
  }
  const { kappa, elasticity } = activationFourthMoments(activation, q, `${node.path}.activation`);
  const rhoOut = 1 + elasticity * elasticity * (rho - 1);
  const state: FluctuationState = { units: n, unitKurtosis: kappa * rhoOut, pairMoment: rhoOut, label: 'leadingOrder' };
  return {
    state,
    rule: ratioRule(
      'leading order in 1/n',
      'kappa*(1 + g^2*(rho - 1))/n + (1 - 1/n)*(1 + g^2*(rho - 1))',
      '\\left(\\frac{\\kappa_\\phi(q)}{n} + 1 - \\frac1n\\right)\\left(1 + \\gamma(q)^2(\\rho - 1)\\right)',
      { kappa, g: elasticity, rho, n },
      `${activation.label} is not positively homogeneous: given the layer below, h ≈ N(0, s²) with s² spread around q = ${formatSignificant(q)}; to first order E[φ(h)²] moves by γ(q) = d ln m₂/d ln q = ${formatSignificant(elasticity)} times the relative change of s², and κ_φ(q) = ${formatSignificant(kappa)}. Leading order: error O(L/n²).`,
    ),
  };
}

/** The state of a container: that of its last node (the sites after it in walk order are its children). */
function lastDescendant(path: string, computed: ReadonlyMap<string, SiteFluctuation>, order: readonly string[]): SiteFluctuation | undefined {
  const prefix = `${path}/`;
  for (let i = order.length - 1; i >= 0; i--) if (order[i].startsWith(prefix)) return computed.get(order[i]);
  return undefined;
}

/**
 * The fluctuation map over `propagate()`'s sites: per site E[M²]/E[M]², its factor and its formula.
 * Refuses (InputError naming the node) residual blocks, convolutions, normalizations, non-iid weights.
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ widths: [10, 10, 10], activation: 'relu', init: 'he_normal' });
 * predictFluctuations(network).sites.at(-1)?.secondMomentRatio; // (1 + 2/10)·(1 + 5/10)² = 2.7
 * ```
 */
export function predictFluctuations(network: ResolvedNetwork, propagation: Propagation = propagate(network, 'meanField')): FluctuationPrediction {
  const nodes = new Map<string, ResolvedNode>();
  walkNodes(network.nodes, network.kinds, (node) => nodes.set(node.path, node));
  const input: FluctuationState = { units: network.input.units, unitKurtosis: 3, pairMoment: 1, label: 'exact' };
  let flowing = input;
  const computed = new Map<string, SiteFluctuation>();
  const leaves: string[] = [];
  for (const site of propagation.sites) {
    if (site.kind === 'serial' || site.kind === 'repeat') continue;
    const node = nodes.get(site.path)!;
    let map: SiteMap;
    if (site.kind === 'dense') map = denseMap(node as WeightNode, flowing);
    else if (site.kind === 'bias') map = biasMap(node as ResolvedNode & { variance: number }, flowing, site);
    else if (site.kind === 'activation') map = activationMap(node as ResolvedNode & { activation: Activation }, flowing, site);
    else throw new InputError(`${site.path}.kind`, site.kind, FLUCTUATION_KINDS, 'Residual sums, convolutions and normalizations have no fluctuation map yet');
    const before = secondMomentRatio(flowing);
    const ratio = secondMomentRatio(map.state);
    computed.set(site.path, {
      path: site.path,
      kind: site.kind,
      ...(site.layer !== undefined ? { layer: site.layer } : {}),
      units: map.state.units,
      secondMomentRatio: ratio,
      factor: ratio / before,
      state: map.state,
      rule: map.rule,
    });
    leaves.push(site.path);
    flowing = map.state;
  }
  const sites = propagation.sites.map((site) => {
    const own = computed.get(site.path) ?? lastDescendant(site.path, computed, leaves);
    if (!own) throw new InputError(`${site.path}.layers`, site.kind, 'a non-empty list of nodes');
    return own.path === site.path ? own : { ...own, path: site.path, kind: site.kind, factor: 1 };
  });
  return {
    input,
    inputRatio: secondMomentRatio(input),
    sites,
    label: sites.every((site) => site.state.label === 'exact') ? 'exact' : 'leadingOrder',
  };
}

/**
 * Hanin's product for a Gaussian chain without biases: the input's 1 + 2/n_0, then per weight layer
 * 1 + (κ_l − 1)/n_l with κ_l of the activation after it (3 with none). What the per-site factors of
 * {@link predictFluctuations} multiply to there; `offset` replaces κ − 1 (tests pass κ to show that
 * the wrong factor is rejected).
 */
export function haninProduct(widths: readonly number[], kappas: readonly number[], offset: (kappa: number) => number = (kappa) => kappa - 1): number {
  let ratio = 1 + 2 / widths[0];
  for (let l = 1; l < widths.length; l++) ratio *= 1 + offset(kappas[l - 1]) / widths[l];
  return ratio;
}
