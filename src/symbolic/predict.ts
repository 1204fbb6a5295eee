/**
 * Predictions of the quantities the Monte Carlo engine measures, read from `propagate()` (the one
 * composition, src/symbolic/propagate.ts), in three flavours kept apart:
 *
 * - **linear**: the Dive into Deep Learning / Glorot & Bengio (2010) linearisation φ(x) ≈ φ′(0)·x.
 * - **exact**: where every factor involved holds in expectation at any width (positively
 *   homogeneous activations — identity, relu, leaky relu — fed by sign-symmetric signals, zero-mean
 *   symmetric weights, biases, residual sums whose branch ends in such weights, normalizations
 *   with ε = 0 forward); null elsewhere. Why, for a chain of dense layers (checked empirically at
 *   width 4–6 in test/montecarlo/exact.test.ts, "exact means exact: small width"):
 *   - forward: given a_{l−1}, each h_{l,i} is symmetric (flip the sign of column i of W_l), so
 *     E[φ(h)²] = m2(1)·E[h²] exactly for a homogeneous φ, and E[h_l²] = n·Var[w]·E[a_{l−1}²] + σ_b².
 *   - backward: E‖d_l‖² is the Frobenius norm of the Jacobian from h_l to h_L. Propagate a tangent t
 *     forward instead: conditioned on everything up to layer m−1, flipping column i of W_m (and b_i)
 *     maps (t·W_m)_i, h_{m,i} to their negatives, so E[(tW)_i² φ′(h_i)² | …] = Var[w]·d2·‖t_patch‖² with
 *     the constant d2 = (φ′(x)² + φ′(−x)²)/2 of a homogeneous φ. Every step is a deterministic linear
 *     map on E[t²], so the whole chain is exact (dense and conv alike; for conv the totals give an
 *     effective fan-out fanIn_{l+1}·units_out/units_in, which is n_{l+1} for dense layers).
 *   - weight gradient: E[a_{l−1}² d_l²] = E[a_{l−1}²]·E[d_l²] (flip column i of W_l); cross-example
 *     terms vanish because the upstream gradients are independent and zero-mean.
 * - **meanField**: the q-map with Gaussian moments (Poole et al. 2016; Schoenholz et al. 2017),
 *   exact as width → ∞ with an O(1/width) error otherwise. For tanh under Xavier on 1000-wide
 *   layers it gives 1, 0.39, 0.24, 0.17, … while linear theory stays at 1.
 *
 * Per site (every node of the tree, by `path`): E[y²] at its output, E[(∂y)²] at its output, and
 * E[(∂w)²] for weight sites. Per weight layer (the `layers` view every report keeps): E[h_l²] and
 * E[d_l²] at its pre-activation (after its bias), and its E[(∂W_l)²].
 */
import type { ResolvedNetwork } from '../vocabulary/network.js';
import { propagate, type Propagation, type SiteMoments } from './propagate.js';

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
  path: string;
  fanIn: number;
  fanOut: number;
  /** E[h_l²] */
  forward: PredictionFlavours;
  /** E[d_l²], with E[d_L²] = 1 at the network's output. */
  backward: PredictionFlavours;
  /** E[(∂W_l)²] per example: E[a_{l−1}²]·E[d_l²] (× output positions for a conv weight). */
  weightGradient: PredictionFlavours;
}

/** The predictions at one node of the tree. */
export interface SitePrediction {
  path: string;
  kind: string;
  layer?: number;
  /** E[y²] at the node's output. */
  forward: PredictionFlavours;
  /** E[(∂y)²] at the node's output. */
  backward: PredictionFlavours;
  /** E[(∂w)²] (weight sites). */
  weightGradient?: PredictionFlavours;
}

export interface NetworkPrediction {
  layers: LayerPrediction[];
  sites: SitePrediction[];
}

/** The same three sequences per weight layer for one flavour, e.g. for a caller-supplied override. */
export interface PredictionSeries {
  forward: number[];
  backward: number[];
  weightGradient: number[];
}

function flavours(linear: number, meanField: number, exact: boolean): PredictionFlavours {
  return { linear, exact: exact ? meanField : null, meanField };
}

/** The site of each weight layer's pre-activation and of its weights. */
function layerSites(network: ResolvedNetwork, propagation: Propagation): { pre: SiteMoments; weight: SiteMoments }[] {
  const byPath = new Map(propagation.sites.map((site) => [site.path, site]));
  return network.layers.map((layer) => ({ pre: byPath.get(layer.preActivationPath)!, weight: byPath.get(layer.path)! }));
}

/** Per weight layer, one flavour's E[h_l²], E[d_l²] and E[(∂W_l)²]. */
export function predictionSeries(network: ResolvedNetwork, propagation: Propagation): PredictionSeries {
  const sites = layerSites(network, propagation);
  return {
    forward: sites.map(({ pre }) => pre.output.secondMoment),
    backward: sites.map(({ pre }) => pre.gradient.secondMoment),
    weightGradient: sites.map(({ weight }) => weight.weightGradient!.secondMoment),
  };
}

/** Linear theory per weight layer. */
export function predictLinear(network: ResolvedNetwork): PredictionSeries {
  return predictionSeries(network, propagate(network, 'linear'));
}

/** Mean-field q-map and χ-map per weight layer. */
export function predictMeanField(network: ResolvedNetwork): PredictionSeries {
  return predictionSeries(network, propagate(network, 'meanField'));
}

/** All three flavours, per site and per weight layer, from the two propagations. */
export function predictNetwork(network: ResolvedNetwork): NetworkPrediction {
  const meanField = propagate(network, 'meanField');
  const linear = propagate(network, 'linear');
  const sites: SitePrediction[] = meanField.sites.map((site, i) => {
    const lin = linear.sites[i];
    return {
      path: site.path,
      kind: site.kind,
      ...(site.layer !== undefined ? { layer: site.layer } : {}),
      forward: flavours(lin.output.secondMoment, site.output.secondMoment, site.output.exact),
      backward: flavours(lin.gradient.secondMoment, site.gradient.secondMoment, site.gradient.exact),
      ...(site.weightGradient
        ? { weightGradient: flavours(lin.weightGradient!.secondMoment, site.weightGradient.secondMoment, site.weightGradient.exact) }
        : {}),
    };
  });
  const byPath = new Map(sites.map((site) => [site.path, site]));
  const layers: LayerPrediction[] = network.layers.map((layer) => {
    const pre = byPath.get(layer.preActivationPath)!;
    const weight = byPath.get(layer.path)!;
    return {
      layer: layer.index,
      path: layer.path,
      fanIn: layer.fanIn,
      fanOut: layer.fanOut,
      forward: pre.forward,
      backward: pre.backward,
      weightGradient: weight.weightGradient!,
    };
  });
  return { layers, sites };
}
