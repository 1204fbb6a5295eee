/**
 * Per-layer predictions of the three quantities the Monte Carlo engine measures (E[h_l²], E[d_l²],
 * E[(∂W_l)²]; conventions in src/numeric/measurement.ts), evaluated at the network's actual widths,
 * in three flavours that are kept apart:
 *
 * - **linear**: the Dive into Deep Learning / Glorot & Bengio (2010) linearisation φ(x) ≈ φ′(0)·x,
 *   so a variance multiplies by n·Var[w]·φ′(0)² per layer (φ′(0) = 1 for tanh and relu).
 * - **exact**: for positively homogeneous activations (identity, relu, leaky relu:
 *   `Activation.predictionKind === 'exact'`) and zero-mean symmetric weights. The recursions below
 *   hold *in expectation at any width*, not only as width → ∞. Why (sketch, checked empirically at
 *   width 4–8 in test/montecarlo/exact-small-width.test.ts):
 *   - forward: given a_{l−1}, each h_{l,i} is symmetric (flip the sign of column i of W_l), so
 *     E[φ(h)²] = m2(1)·E[h²] exactly for a homogeneous φ, and E[h_l²] = n·Var[w]·E[a_{l−1}²] + σ_b².
 *   - backward: E‖d_l‖² is the Frobenius norm of the Jacobian from h_l to h_L. Propagate a tangent t
 *     forward instead: conditioned on everything up to layer m−1, flipping column i of W_m (and b_i)
 *     maps (t·W_m)_i, h_{m,i} to their negatives, so E[(tW)_i² φ′(h_i)² | …] = Var[w]·d2·‖t_patch‖² with
 *     the constant d2 = (φ′(x)² + φ′(−x)²)/2 of a homogeneous φ. Every step is a deterministic linear
 *     map on E[t²], so the whole chain is exact (dense and conv alike; for conv the totals give an
 *     effective fan-out fanIn_{l+1}·units_out/units_in, which is n_{l+1} for dense layers).
 *   - weight gradient: conditioned on layers ≤ l, E[‖d_l‖²] = Σ_i φ′(h_{l,i})²·C with C
 *     deterministic, and E[φ′(h_{l,i})² | a_{l−1}] = d2 (flip column i of W_l), so
 *     E[a_{l−1}² d_l²] = E[a_{l−1}²]·E[d_l²]; cross-example terms vanish because the upstream
 *     gradients are independent and zero-mean, and cross-position terms of a conv vanish because
 *     tangents started at different positions have orthogonal expectations.
 *   `exact` is null wherever a non-homogeneous activation or a non-zero-mean weight law enters.
 * - **meanField**: the q-map with Gaussian moments (quadrature where there is no closed form):
 *   q_1 = n_0 Var[w_1] γ² + σ_b², q_l = n_{l−1} Var[w_l] m2(q_{l−1}) + σ_b² (Poole et al. 2016;
 *   Schoenholz et al. 2017), backward χ_l = n_{l+1} Var[w_{l+1}] d2(q_l); exact as width → ∞ with an
 *   O(1/width) error otherwise. For tanh under Xavier on 1000-wide layers it gives 1, 0.39, 0.24,
 *   0.17, … while linear theory stays at 1.
 */
import { findLayerKind, type LayerKind, type LayerKindTable } from '../layers/kind.js';
import { builtInLayerKinds } from '../layers/registry.js';
import type { ResolvedLayer, ResolvedNetwork } from '../vocabulary/network.js';

/** One quantity's three predictions. */
export interface PredictionFlavours {
  /** φ′(0)-linearisation (Glorot & Bengio 2010 / Dive into Deep Learning). */
  linear: number;
  /** Holds in expectation at any width; null where no exact prediction exists. */
  exact: number | null;
  /** Mean-field q-map with Gaussian moments. */
  meanField: number;
}

export interface LayerPrediction {
  /** 1-based weight-layer index. */
  layer: number;
  fanIn: number;
  fanOut: number;
  /** E[h_l²] */
  forward: PredictionFlavours;
  /** E[d_l²], with E[d_L²] = 1 at the last pre-activation. */
  backward: PredictionFlavours;
  /** E[(∂W_l)²] per example: E[a_{l−1}²]·E[d_l²] (× output positions for a conv weight). */
  weightGradient: PredictionFlavours;
}

export interface NetworkPrediction {
  layers: LayerPrediction[];
}

/** The same three sequences for one flavour, e.g. for a caller-supplied override. */
export interface PredictionSeries {
  forward: number[];
  backward: number[];
  weightGradient: number[];
}

/**
 * Moments (m2, d2) at q, with the q → 0 limit φ(0)², φ′(0)² (Activation.moments needs q > 0). A q that
 * has overflowed predicts an overflow (m2 = d2 = ∞) rather than an error: the measurement then
 * reports where the run exploded.
 */
function secondMoments(layer: ResolvedLayer, q: number): { m2: number; d2: number } {
  const activation = layer.activation;
  if (!Number.isFinite(q)) return { m2: Number.POSITIVE_INFINITY, d2: Number.POSITIVE_INFINITY };
  if (!(q > 0)) return { m2: activation.phi(0) ** 2, d2: activation.slopeAtZero ** 2 };
  const moments = activation.moments(q);
  return { m2: moments.secondMoment, d2: moments.derivativeSecondMoment };
}

/** The kind of a resolved layer in `kinds` (the built-in table unless one is passed). */
function kindOf(layer: ResolvedLayer, kinds: LayerKindTable): LayerKind {
  const kind = findLayerKind(kinds, layer.kind);
  if (!kind) throw new Error(`layer ${layer.index} has kind ${String(layer.kind)}, which is not in the layer-kind table (${Object.keys(kinds).join(', ')})`);
  return kind;
}

/**
 * How many terms a weight's gradient sums per example, as the layer's kind says: 1 for a dense
 * weight, the number of output positions for a conv kernel entry (it is shared across positions).
 */
export function positionsPerWeight(layer: ResolvedLayer, kinds: LayerKindTable = builtInLayerKinds): number {
  return kindOf(layer, kinds).predict.positionsPerWeight(layer);
}

/**
 * The factor the backward pass gains through layer `layer` per unit of its input, before φ′, as the
 * layer's kind says: Var[w]·fanIn·units_out/units_in for dense and conv. For a dense layer that is
 * n_out·Var[w]; for a valid conv it is the average number of outputs each input feeds times Var[w]
 * (border inputs feed fewer).
 */
export function backwardFanFactor(layer: ResolvedLayer, kinds: LayerKindTable = builtInLayerKinds): number {
  return kindOf(layer, kinds).predict.backwardFanFactor(layer);
}

function isSymmetricZeroMean(layer: ResolvedLayer): boolean {
  return layer.init.distribution.mean === 0;
}

/**
 * The recursion both flavours share: q_l = fanIn·Var[w_l]·E[a_{l−1}²] + σ_b², E[a_l²] = m2(q_l), and
 * backward E[d_l²] = fanFactor_{l+1}·d2(q_l)·E[d_{l+1}²]; the flavours differ only in (m2, d2).
 */
function propagate(
  network: ResolvedNetwork,
  kinds: LayerKindTable,
  momentsAt: (layer: ResolvedLayer, q: number) => { m2: number; d2: number },
): PredictionSeries {
  const layers = network.layers;
  const depth = layers.length;
  const forward: number[] = [];
  const inputSecondMoment: number[] = [];
  const derivativeMoment: number[] = [];
  let aSquared = network.inputVariance;
  for (const layer of layers) {
    inputSecondMoment.push(aSquared);
    const q = layer.fanIn * layer.init.variance * aSquared + layer.biasVariance;
    forward.push(q);
    const { m2, d2 } = momentsAt(layer, q);
    derivativeMoment.push(d2);
    aSquared = m2;
  }
  const backward = new Array<number>(depth);
  backward[depth - 1] = 1;
  for (let l = depth - 2; l >= 0; l--) {
    backward[l] = backwardFanFactor(layers[l + 1], kinds) * derivativeMoment[l] * backward[l + 1];
  }
  const weightGradient = layers.map((layer, l) => positionsPerWeight(layer, kinds) * inputSecondMoment[l] * backward[l]);
  return { forward, backward, weightGradient };
}

/** Linear theory: φ ≈ φ′(0)·x everywhere, so m2(q) = φ′(0)²·q and d2 = φ′(0)². */
export function predictLinear(network: ResolvedNetwork, kinds: LayerKindTable = builtInLayerKinds): PredictionSeries {
  return propagate(network, kinds, (layer, q) => {
    const slopeSquared = layer.activation.slopeAtZero ** 2;
    return { m2: slopeSquared * q, d2: slopeSquared };
  });
}

/** Mean-field q-map and χ-map with the activation's Gaussian moments. */
export function predictMeanField(network: ResolvedNetwork, kinds: LayerKindTable = builtInLayerKinds): PredictionSeries {
  return propagate(network, kinds, secondMoments);
}

/**
 * All three flavours for every layer. The exact flavour is the mean-field recursion itself where
 * every activation involved is homogeneous (its moments are then closed forms linear in q) and every
 * weight law is zero-mean; which activations are "involved" differs per quantity:
 * forward h_l: layers 1..l−1; backward d_l: layers l..L−1; weight gradient: both.
 */
export function predictNetwork(network: ResolvedNetwork, kinds: LayerKindTable = builtInLayerKinds): NetworkPrediction {
  const layers = network.layers;
  const depth = layers.length;
  const linear = predictLinear(network, kinds);
  const meanField = predictMeanField(network, kinds);
  const activationExact = layers.map((layer) => layer.activation.predictionKind === 'exact');
  const weightsSymmetric = layers.map(isSymmetricZeroMean);
  const allSymmetric = weightsSymmetric.every(Boolean);
  const allExact = (from: number, to: number) => activationExact.slice(from, to).every(Boolean);
  return {
    layers: layers.map((layer, l) => {
      const forwardExact = allSymmetric && allExact(0, l);
      const backwardExact = allSymmetric && allExact(l, depth - 1);
      const gradientExact = forwardExact && backwardExact;
      return {
        layer: layer.index,
        fanIn: layer.fanIn,
        fanOut: layer.fanOut,
        forward: { linear: linear.forward[l], exact: forwardExact ? meanField.forward[l] : null, meanField: meanField.forward[l] },
        backward: { linear: linear.backward[l], exact: backwardExact ? meanField.backward[l] : null, meanField: meanField.backward[l] },
        weightGradient: {
          linear: linear.weightGradient[l],
          exact: gradientExact ? meanField.weightGradient[l] : null,
          meanField: meanField.weightGradient[l],
        },
      };
    }),
  };
}
