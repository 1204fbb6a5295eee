/**
 * What the two weight kinds (dense, conv2d) share: resolving a weight layer's init at its fans, the
 * moment face of a sum of n_in weighted inputs, and the adapter from their matrix kernels to the
 * numeric face. Each kind's own file states its shape, kernels and words.
 *
 * Moment face (Glorot & Bengio 2010, eqs. 5–6; He et al. 2015, §2.2), with E[w²] = Var[w] + E[w]²:
 *   forward   E[h²] = n_in·E[w²]·E[x²] (+ n_in(n_in − 1)·E[w]²·E[x]² for a non-zero-mean law),
 *   backward  E[(∂x)²] = E[w²]·n_in·(U_out/U_in)·E[(∂h)²]: the average number of outputs an input
 *             feeds times E[w²]; n_out·E[w²] for a dense layer, fewer at a valid conv's border,
 *   weight    E[(∂w)²] = P·E[x²]·E[(∂h)²], P the positions one weight is shared over (1 for dense).
 * They hold in expectation at any width when the weights are zero-mean and sign-symmetric (flip the
 * sign of column i: the cross terms vanish); src/symbolic/predict.ts has the argument.
 */
import type { KernelBackend, Matrix } from '../numeric/kernels/backend.js';
import type { RandomSource } from '../math/random.js';
import { requireNonNegative } from '../vocabulary/fields.js';
import type { ResolvedInit } from '../vocabulary/init.js';
import type { ResolvedLayer } from '../vocabulary/network.js';
import type { Float64Scratch, MomentFace, MomentRule, NodeState, NumericFace, ResolveContext, WeightNode } from './kind.js';
import { formatSignificant } from '../math/significant.js';

/** One replicate's weights and what the forward pass keeps for the backward pass. */
export type LayerState = NodeState;

export interface WeightBackward {
  /** Gradient w.r.t. the layer input, unit-major [inputUnits, batch]. */
  inputGradient?: Matrix;
  /** Σ (∂W)² over every weight entry, float64. */
  weightGradientSumSquares: number;
}

/** The matrix kernels of a weight kind (src/layers/dense.ts, src/layers/conv2d/numeric.ts). */
export interface WeightLayerNumeric {
  /** Number of weight entries. */
  weightCount(layer: ResolvedLayer): number;
  /** Draws the weights with `layer.init.distribution.sample` into float64, then copies them to the backend. */
  sample(layer: ResolvedLayer, random: RandomSource, backend: KernelBackend, scratch: Float64Scratch): LayerState;
  /** Pre-activation, [batch, outputUnits], for an input [batch, inputUnits]. */
  forward(layer: ResolvedLayer, state: LayerState, input: Matrix, backend: KernelBackend): Matrix;
  /** Backward through the weights from d unit-major [outputUnits, batch]; computes ∂W for real. */
  backward(layer: ResolvedLayer, state: LayerState, input: Matrix, gradient: Matrix, backend: KernelBackend, needInputGradient: boolean): WeightBackward;
  /** Elements (of the backend dtype) the layer allocates per replicate beyond its input/output. */
  workingElements(layer: ResolvedLayer, batch: number): number;
}

/** The shape part of a weight layer, as its kind resolves it. */
export type WeightShape = Pick<ResolvedLayer, 'kind' | 'fanIn' | 'fanOut' | 'inputUnits' | 'outputUnits' | 'conv' | 'tokens'>;

/**
 * A weight layer's init resolved at its fans (`init`, or the network's default); `activation`,
 * `biasVariance` and `preActivationPath` are filled in by `resolveNetwork` from the nodes after it.
 */
export function resolveWeightLayer(
  spec: Readonly<Record<string, unknown>>,
  context: ResolveContext,
  shape: WeightShape,
  checkInit?: (init: ResolvedInit, field: string) => void,
): ResolvedLayer {
  if (spec.biasStd !== undefined) requireNonNegative(`${context.path}.biasStd`, spec.biasStd);
  const initRef = (spec.init ?? context.defaults.init) as Parameters<ResolveContext['catalogue']['resolveInit']>[0];
  const initField = spec.init !== undefined || context.initField !== `${context.path}.init` ? context.initField : 'init';
  const init = context.catalogue.resolveInit(initRef, shape.fanIn, shape.fanOut, initField);
  checkInit?.(init, initField);
  return {
    index: context.nextWeightIndex(),
    path: context.path,
    ...shape,
    activation: context.catalogue.resolveActivation('identity', 'activation'),
    init,
    biasVariance: 0,
    preActivationPath: context.path,
  };
}

/** E[w], E[w²] of the layer's weight law. */
function weightMoments2(layer: ResolvedLayer): { mean: number; second: number } {
  const mean = layer.init.distribution.mean;
  return { mean, second: layer.init.variance + mean * mean };
}

/** Positions one weight is shared over (a conv kernel entry: every output position; a dense weight on a sequence: every token). */
export function positionsPerWeight(layer: ResolvedLayer): number {
  return layer.conv ? layer.conv.outputSize[0] * layer.conv.outputSize[1] : (layer.tokens ?? 1);
}

/**
 * What the backward pass gains through the layer per unit of its input, before φ′: E[w²] times the
 * average number of outputs an input feeds, fanIn·U_out/U_in (n_out for a dense layer).
 */
export function backwardFanFactor(layer: ResolvedLayer): number {
  const { second } = weightMoments2(layer);
  return layer.conv ? layer.fanIn * second * (layer.outputUnits / layer.inputUnits) : layer.outputUnits * second;
}

/** The backward factor's formula: n_out·E[w²] (dense), or n_in·E[w²]·U_out/U_in (conv, border-averaged). */
function backwardFactorRule(layer: ResolvedLayer, second: number, g: number): MomentRule {
  if (layer.conv) {
    return {
      name: 'fan-out sum (border-averaged)',
      expression: 'n_in*w2*(u_out/u_in)*g',
      latex: 'n_\\text{in}\\,\\mathbb{E}[w^2]\\,\\tfrac{U_\\text{out}}{U_\\text{in}}\\,\\mathbb{E}[(\\partial h)^2]',
      values: { n_in: layer.fanIn, w2: second, u_out: layer.outputUnits, u_in: layer.inputUnits, g },
      note: `Each input feeds on average n_in·U_out/U_in = ${formatSignificant(layer.fanIn * (layer.outputUnits / layer.inputUnits))} outputs (n_out = ${layer.fanOut} away from the border, fewer within k − 1 of it: valid padding).`,
    };
  }
  return {
    name: 'fan-out sum',
    expression: 'n_out*w2*g',
    latex: 'n_\\text{out}\\,\\mathbb{E}[w^2]\\,\\mathbb{E}[(\\partial h)^2]',
    values: { n_out: layer.outputUnits, w2: second, g },
    note: 'Chain rule: ∂x_j = Σ_i w_ij ∂h_i sums n_out independent zero-mean terms.',
  };
}

/**
 * The c-map's step through the weights: both inputs meet the same weights, so
 * E[h_a h_b] = n_in·E[w²]·E[x_a x_b] (+ n_in(n_in − 1)·E[w]²·E[x]² for a non-zero-mean law), the
 * second-moment map with E[x²] replaced by E[x_a x_b] (Poole et al. 2016, eq. 4).
 */
function crossMap(layer: ResolvedLayer, mean: number, second: number, k: number, inputMean: number): { value: number; rule: MomentRule } {
  if (mean === 0) {
    return {
      value: layer.fanIn * second * k,
      rule: {
        name: 'fan-in sum of two inputs',
        expression: 'n_in*w2*k',
        latex: 'n_\\text{in}\\,\\mathbb{E}[w^2]\\,\\mathbb{E}[x_a x_b]',
        values: { n_in: layer.fanIn, w2: second, k },
        note: 'h_a·h_b = Σ_jl w_j w_l x_aj x_bl: the same weights meet both inputs, and for j ≠ l the zero-mean weights make the terms vanish.',
      },
    };
  }
  return {
    value: layer.fanIn * second * k + layer.fanIn * (layer.fanIn - 1) * mean * mean * inputMean * inputMean,
    rule: {
      name: 'fan-in sum of two inputs (non-zero-mean weights)',
      expression: 'n_in*w2*k + n_in*(n_in-1)*mw^2*mx^2',
      latex: 'n_\\text{in}\\,\\mathbb{E}[w^2]\\,\\mathbb{E}[x_a x_b] + n_\\text{in}(n_\\text{in}-1)\\,\\mathbb{E}[w]^2\\,\\mathbb{E}[x]^2',
      values: { n_in: layer.fanIn, w2: second, k, mw: mean, mx: inputMean },
      note: 'With E[w] ≠ 0 the terms j ≠ l no longer vanish; taking E[x_aj x_bl] = E[x]² for j ≠ l is the mean-field approximation.',
    },
  };
}

/** The moment face of dense and conv2d layers. */
export const weightMoments: MomentFace<WeightNode> = {
  forward(node, input) {
    const layer = node.layer;
    const { mean, second } = weightMoments2(layer);
    const q = input.secondMoment;
    const zeroMean = mean === 0;
    const rule: MomentRule = zeroMean
      ? {
          name: 'fan-in sum',
          expression: 'n_in*w2*q',
          latex: 'n_\\text{in}\\,\\mathbb{E}[w^2]\\,\\mathbb{E}[x^2]',
          values: { n_in: layer.fanIn, w2: second, q },
          note: `h is a sum of n_in = ${layer.fanIn} products w·x of independent zero-mean weights and inputs: the cross terms vanish.`,
        }
      : {
          name: 'fan-in sum (non-zero-mean weights)',
          expression: 'n_in*w2*q + n_in*(n_in-1)*mw^2*mx^2',
          latex: 'n_\\text{in}\\,\\mathbb{E}[w^2]\\,\\mathbb{E}[x^2] + n_\\text{in}(n_\\text{in}-1)\\,\\mathbb{E}[w]^2\\,\\mathbb{E}[x]^2',
          values: { n_in: layer.fanIn, w2: second, q, mw: mean, mx: input.mean },
          note: 'With E[w] ≠ 0 the cross terms no longer vanish; taking E[x_j x_k] = E[x]² for j ≠ k is the mean-field approximation.',
        };
    const value = zeroMean ? layer.fanIn * second * q : layer.fanIn * second * q + layer.fanIn * (layer.fanIn - 1) * mean * mean * input.mean * input.mean;
    const output = { secondMoment: value, mean: layer.fanIn * mean * input.mean, exact: input.exact && zeroMean, symmetric: zeroMean };
    if (input.cross === undefined) return { output, rule };
    const cross = crossMap(layer, mean, second, input.cross, input.mean);
    return { output: { ...output, cross: cross.value, crossExact: (input.crossExact ?? false) && zeroMean }, rule, crossRule: cross.rule };
  },

  backward(node, gradient, input) {
    const layer = node.layer;
    const { mean, second } = weightMoments2(layer);
    const zeroMean = mean === 0;
    const g = gradient.secondMoment;
    const rule = backwardFactorRule(layer, second, g);
    const value = backwardFanFactor(layer) * g;
    const positions = positionsPerWeight(layer);
    const weightRule: MomentRule = {
      name: positions > 1 ? 'shared weight' : 'product of independent factors',
      expression: 'P*q*g',
      latex: positions > 1 ? 'P\\,\\mathbb{E}[x^2]\\,\\mathbb{E}[(\\partial h)^2]' : '\\mathbb{E}[x^2]\\,\\mathbb{E}[(\\partial h)^2]',
      values: { P: positions, q: input.secondMoment, g },
      note:
        positions > 1
          ? `A weight is shared over P = ${positions} ${layer.conv ? 'output positions' : 'tokens'}; its gradient sums one term per position, and cross-position terms vanish in expectation.`
          : '∂w_ij = ∂h_i·x_j, and the upstream gradient is independent of the layer input at initialization.',
    };
    return {
      input: { secondMoment: value, exact: gradient.exact && zeroMean },
      rule,
      weightGradient: { secondMoment: positions * input.secondMoment * g, exact: input.exact && gradient.exact && zeroMean, rule: weightRule },
    };
  },
};

/** The numeric face of a weight kind, from its matrix kernels. */
export function weightNumeric(kernels: WeightLayerNumeric): NumericFace<WeightNode> {
  return {
    forward(node, input, context) {
      const state = kernels.sample(node.layer, context.random, context.backend, context.scratch);
      return { output: kernels.forward(node.layer, state, input, context.backend), state };
    },
    backward(node, state, input, gradient, context, needInputGradient) {
      return kernels.backward(node.layer, state as LayerState, input, gradient, context.backend, needInputGradient);
    },
    weightCount: (node) => kernels.weightCount(node.layer),
    keptElements: (node, batch) => kernels.weightCount(node.layer) + batch * node.output.units,
    workingElements: (node, batch) => kernels.workingElements(node.layer, batch),
  };
}
