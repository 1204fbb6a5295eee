/**
 * The framework audit: what a framework's default initialization does to one network, against the
 * variance-preserving choice, and why. Both networks are the caller's tree with every weight layer's
 * init replaced, resolved and propagated by the one `propagate()` (through `predictNetwork`); the
 * reasons are computed from the vocabulary: the defaults (src/vocabulary/frameworks.ts), the exact
 * gains (`computeGains`), PyTorch's `calculate_gain` (each activation's `pytorchGain`), the fans
 * (src/vocabulary/fans.ts) and the truncated normals.
 *
 * The variance-preserving choice for weight layer l is Var[w] = g²/fan_in, g the exact forward gain
 * (`computeGains` at q = 1) of the activation applied to the layer's input (1 when there is none: a
 * first layer, a branch's first layer, a layer after a normalization), so that E[h_l²] = E[h_{l−1}²].
 */
import { isWeightNode } from '../layers/kind.js';
import { formatSignificant } from '../math/significant.js';
import type { ActivationNode } from '../layers/activation.js';
import { predictNetwork, type PredictionFlavours } from '../symbolic/predict.js';
import type { Activation } from '../vocabulary/activation.js';
import { resolveActivation } from '../vocabulary/activations/registry.js';
import { TRUNCATED_STD_FACTOR, TRUNCATED_VARIANCE_FACTOR } from '../vocabulary/distributions/truncatedNormal.js';
import { computeFans } from '../vocabulary/fans.js';
import {
  frameworkLayerInit,
  truncatedNormalVariance,
  type FrameworkDefaults,
} from '../vocabulary/frameworks.js';
import { computeGains } from '../vocabulary/gains.js';
import type { InitRef } from '../vocabulary/init.js';
import { resolveInit } from '../vocabulary/inits/registry.js';
import { builtInCatalogue, expandWidths, isTreeSpec, resolveNetwork, walkNodes, type NetworkSpec, type ResolvedLayer, type ResolvedNetwork, type TreeNetworkSpec } from '../vocabulary/network.js';

/** One weight layer of the audit. Field names are the `audit --json` contract. */
export interface AuditLayer {
  layer: number;
  path: string;
  kind: string;
  fanIn: number;
  fanOut: number;
  /** The fans as the framework counts them from the weight's shape. */
  frameworkFanIn: number;
  frameworkFanOut: number;
  /** The framework's default, e.g. `glorot_uniform`. */
  init: string;
  /** Var[w] it draws. */
  variance: number;
  /** The activation on the layer's input, and its exact forward gain. */
  inputActivation: string;
  gain: number;
  /** g²/fan_in. */
  preservingVariance: number;
  /** variance / preservingVariance: what this layer multiplies the signal's second moment by, relative to preserving it. */
  ratio: number;
  /** E[h_l²] at the layer's pre-activation, and E[d_l²] there, under the framework's default and under the preserving choice. */
  forward: { framework: number; preserving: number; prediction: 'exact' | 'meanField' };
  backward: { framework: number; preserving: number; prediction: 'exact' | 'meanField' };
}

/** One reason, with the numbers it rests on and the file it was read from. */
export interface AuditFinding {
  id: string;
  text: string;
  values: Record<string, number>;
  source: string;
}

export interface FrameworkAudit {
  framework: string;
  label: string;
  /** The version the audit describes. */
  version: string;
  layers: AuditLayer[];
  /** E[h_L²] at the last weight layer and E[d_1²] at the first, under both choices. */
  summary: { forwardAtOutput: { framework: number; preserving: number }; backwardAtInput: { framework: number; preserving: number } };
  findings: AuditFinding[];
}

/** The activation applied to each weight layer's input (index l − 1 for layer l); identity when none. */
export function inputActivations(network: ResolvedNetwork): Activation[] {
  const identity = resolveActivation('identity');
  let current = identity;
  const result: Activation[] = [];
  walkNodes(network.nodes, network.kinds, (node) => {
    if (node.kind === 'activation') current = (node as ActivationNode).activation;
    else if (isWeightNode(node)) {
      result[node.layer.index - 1] = current;
      current = identity;
    } else if (node.kind !== 'bias') current = identity;
  });
  return result;
}

/**
 * `spec` resolved with every weight layer's init replaced by `initFor(layer)`: the same tree, so the
 * layers are resolved in the same order, and the catalogue hands each its own init.
 */
export function resolveWithInits(spec: NetworkSpec, initFor: (layer: ResolvedLayer) => InitRef): ResolvedNetwork {
  const tree: TreeNetworkSpec = isTreeSpec(spec) ? spec : expandWidths(spec).tree;
  const base = resolveNetwork(tree);
  let next = 0;
  const network = resolveNetwork(tree, {
    ...builtInCatalogue,
    resolveInit(_ref, fanIn, fanOut, field) {
      const layer = base.layers[next++];
      if (!layer || layer.fanIn !== fanIn || layer.fanOut !== fanOut) throw new Error(`weight layer ${next} resolved out of order (fans ${fanIn}, ${fanOut})`);
      return resolveInit(initFor(layer), fanIn, fanOut, field);
    },
  });
  if (next !== base.layers.length) throw new Error(`resolved ${next} inits for ${base.layers.length} weight layers`);
  return network;
}

const label = (flavours: PredictionFlavours): 'exact' | 'meanField' => (flavours.exact !== null ? 'exact' : 'meanField');
const value = (flavours: PredictionFlavours): number => flavours.exact ?? flavours.meanField;

/** The audit of `spec` under `framework`'s defaults. */
export function auditFramework(spec: NetworkSpec, framework: FrameworkDefaults): FrameworkAudit {
  const base = resolveNetwork(spec);
  const activations = inputActivations(base);
  const gains = activations.map((activation) => computeGains(activation).forwardGain);
  const defaults = base.layers.map((layer) => frameworkLayerInit(framework, layer));
  const withDefaults = predictNetwork(resolveWithInits(spec, (layer) => defaults[layer.index - 1].init));
  const preservingInit = (layer: ResolvedLayer): InitRef => ({ name: 'variance_scaling', scale: gains[layer.index - 1] ** 2, mode: 'fan_in', distribution: 'untruncated_normal' });
  const preserving = predictNetwork(resolveWithInits(spec, preservingInit));
  const layers: AuditLayer[] = base.layers.map((layer, l) => {
    const preservingVariance = gains[l] ** 2 / layer.fanIn;
    const fw = withDefaults.layers[l];
    const keep = preserving.layers[l];
    return {
      layer: layer.index,
      path: layer.path,
      kind: layer.kind,
      fanIn: layer.fanIn,
      fanOut: layer.fanOut,
      frameworkFanIn: defaults[l].frameworkFanIn,
      frameworkFanOut: defaults[l].frameworkFanOut,
      init: defaults[l].name,
      variance: defaults[l].variance,
      inputActivation: activations[l].label,
      gain: gains[l],
      preservingVariance,
      ratio: defaults[l].variance / preservingVariance,
      forward: { framework: value(fw.forward), preserving: value(keep.forward), prediction: label(fw.forward) },
      backward: { framework: value(fw.backward), preserving: value(keep.backward), prediction: label(fw.backward) },
    };
  });
  const last = layers[layers.length - 1];
  return {
    framework: framework.name,
    label: framework.label,
    version: framework.version,
    layers,
    summary: {
      forwardAtOutput: { framework: last.forward.framework, preserving: last.forward.preserving },
      backwardAtInput: { framework: layers[0].backward.framework, preserving: layers[0].backward.preserving },
    },
    findings: findings(framework, activations),
  };
}

/** A small std as ViTs pass to PyTorch's trunc_normal_ (timm: trunc_normal_(std=.02)). */
const SMALL_STD = 0.02;

/** The activations calculate_gain is asked about, besides the network's own. */
const GAIN_EXAMPLES = ['tanh', 'sigmoid', 'selu', 'relu'];

/** The reasons, each computed. */
export function findings(framework: FrameworkDefaults, activations: readonly Activation[] = []): AuditFinding[] {
  const result: AuditFinding[] = [];
  const dense = framework.dense;
  if (framework.name === 'pytorch') {
    const reluFactor = dense.scale * computeGains(resolveActivation('relu')).secondMoment;
    // kaiming_uniform_(a=√5): gain √(2/(1 + 5)), bound √3·gain/√fan_in = 1/√fan_in (pytorchDefault.ts).
    result.push({
      id: 'default-variance',
      text: `nn.Linear and nn.Conv*d draw U(±1/√fan_in): kaiming_uniform_ with a = √5 has gain √(1/3) and bound 1/√fan_in, so Var[w] = ${short(dense.scale)}/fan_in, a third of LeCun's 1/fan_in; after a relu a layer multiplies the second moment by ${short(reluFactor)}, after an identity by ${short(dense.scale)}`,
      values: { varianceTimesFanIn: dense.scale, afterRelu: reluFactor, afterIdentity: dense.scale },
      source: dense.source,
    });
  } else {
    const uncorrected = dense.law === 'truncated_normal' && !dense.corrected;
    const factor = uncorrected ? TRUNCATED_VARIANCE_FACTOR : 1;
    result.push({
      id: 'default-variance',
      text: `${dense.name} is the default kernel initializer: Var[w] = ${uncorrected ? `${short(factor)}·` : ''}${dense.fan === 'fan_in' ? '1/fan_in' : '2/(fan_in + fan_out)'}${uncorrected ? ` (a ±2σ truncated normal whose std is not divided by ${short(TRUNCATED_STD_FACTOR)}, so it keeps ${short(factor)} of the variance asked for)` : ''}`,
      values: { scale: dense.scale, truncationFactor: factor },
      source: dense.source,
    });
  }
  if (framework.hasCalculateGain) {
    const names = [...new Set([...activations.map((a) => a.label), ...GAIN_EXAMPLES])];
    for (const name of names) {
      const activation = resolveActivation(name);
      if (activation.pytorchGain === null) continue;
      const exact = computeGains(activation).forwardGain;
      result.push({
        id: `calculate-gain-${name}`,
        text: `calculate_gain('${name}') = ${short(activation.pytorchGain)} against the exact forward gain ${short(exact)}: a layer initialized with PyTorch's gain multiplies the second moment by (g_torch/g)² = ${short((activation.pytorchGain / exact) ** 2)}`,
        values: { pytorchGain: activation.pytorchGain, exactGain: exact, perLayer: (activation.pytorchGain / exact) ** 2 },
        source: 'torch/nn/init.py calculate_gain; exact gain: src/vocabulary/gains.ts computeGains',
      });
    }
  }
  result.push(...fanFindings(framework));
  for (const convention of framework.truncatedNormals) {
    // Var ÷ std² at the std PyTorch users pass (0.02, timm's ViT) and at 1.
    const small = truncatedNormalVariance(convention, SMALL_STD) / SMALL_STD ** 2;
    const unit = truncatedNormalVariance(convention, 1);
    result.push({
      id: `truncated-normal-${convention.initializer}`,
      text:
        convention.bounds === 'absolute'
          ? `${convention.initializer} cuts at the absolute values ±${convention.at}, not at ±2σ: at std ${SMALL_STD} that is ±${formatSignificant(convention.at / SMALL_STD)}σ (Var = ${short(small)}·std²), at std 1 it is ±${convention.at}σ (Var = ${short(unit)}·std²); the std is not corrected`
          : convention.corrected
            ? `${convention.initializer} cuts at ±${convention.at}σ and divides the std by ${short(TRUNCATED_STD_FACTOR)}, so the variance after truncation is the one asked for`
            : `${convention.initializer} cuts at ±${convention.at}σ and does not correct the std: the variance is ${short(unit)} of the one asked for`,
      values: convention.bounds === 'absolute' ? { varianceOverStd2AtSmallStd: small, smallStd: SMALL_STD, varianceOverStd2AtStd1: unit } : { varianceOverStd2: unit },
      source: convention.source,
    });
  }
  return result;
}

/** Four significant digits, for the findings' words (the JSON `values` carry the full numbers). */
function short(value: number): string {
  return formatSignificant(value, 4);
}

/** Depthwise and transposed convolution fans as this framework counts them (32 channels, 3×3; a 64→32 4×4 transposed conv). */
function fanFindings(framework: FrameworkDefaults): AuditFinding[] {
  const torch = framework.layout === 'torch';
  const grouped = framework.depthwise === 'grouped_conv';
  const depthwise = torch
    ? computeFans([32, 1, 3, 3], { layout: 'torch', groups: 32, depthwise: true })
    : grouped
      ? computeFans([3, 3, 1, 32], { layout: 'keras', groups: 32 })
      : computeFans([3, 3, 32, 1], { layout: 'keras', depthwise: true });
  // ConvTranspose 64 → 32 channels, 4×4: stored output-first (swapped fans) or input-first.
  const transposed =
    framework.transposedKernel === 'input_first'
      ? computeFans([4, 4, 64, 32], { layout: 'keras' })
      : torch
        ? computeFans([64, 32, 4, 4], { layout: 'torch', transposed: true })
        : computeFans([4, 4, 32, 64], { layout: 'keras', transposed: true });
  const fanOf = (fans: typeof depthwise) => (framework.dense.fan === 'fan_in' ? fans.frameworkFanIn : (fans.frameworkFanIn + fans.frameworkFanOut) / 2);
  const trueFanOf = (fans: typeof depthwise) => (framework.dense.fan === 'fan_in' ? fans.fanIn : (fans.fanIn + fans.fanOut) / 2);
  return [
    {
      id: 'depthwise-fans',
      text: `a depthwise 3×3 convolution on 32 channels (${framework.depthwise === 'depthwise_layer' ? 'DepthwiseConv2D' : 'groups = channels'}): the framework counts fan_in ${depthwise.frameworkFanIn} and fan_out ${depthwise.frameworkFanOut} where each output sums ${depthwise.fanIn} inputs and each input feeds ${depthwise.fanOut} outputs; its default variance is the true one times the ratio of fans`,
      values: { fanIn: depthwise.fanIn, fanOut: depthwise.fanOut, frameworkFanIn: depthwise.frameworkFanIn, frameworkFanOut: depthwise.frameworkFanOut, varianceRatio: trueFanOf(depthwise) / fanOf(depthwise) },
      source: 'src/vocabulary/fans.ts (layouts and framework fan rules, with their sources)',
    },
    {
      id: 'transposed-fans',
      text:
        framework.transposedKernel === 'input_first'
          ? `a transposed 4×4 convolution from 64 to 32 channels, stride 1: its kernel is stored (…, C_in, C_out), so the framework's fan_in ${transposed.frameworkFanIn} is the true one (each output sums ${transposed.fanIn} inputs)`
          : `a transposed 4×4 convolution from 64 to 32 channels, stride 1: the framework reads its weight like a forward one, fan_in ${transposed.frameworkFanIn} and fan_out ${transposed.frameworkFanOut}, where each output sums ${transposed.fanIn} inputs: fan_in and fan_out are swapped`,
      values: { fanIn: transposed.fanIn, fanOut: transposed.fanOut, frameworkFanIn: transposed.frameworkFanIn, frameworkFanOut: transposed.frameworkFanOut, varianceRatio: trueFanOf(transposed) / fanOf(transposed) },
      source: 'src/vocabulary/fans.ts (layouts and framework fan rules, with their sources)',
    },
  ];
}
