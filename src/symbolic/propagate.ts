/**
 * `propagate()`: the one place where depth composition happens. It walks the network tree and
 * composes the kinds' moment faces (their `kernel_fn`, as neural-tangents' `serial` composes
 * kernel functions): forward from the input's second moment γ² to every node's output, then
 * backward from E[(∂y)²] = 1 at the network's output (a random linear loss) to every node's input,
 * with each weight node's E[(∂w)²] on the way.
 *
 * Every number comes with the formula its kind used (`MomentRule`): the derivation renders those
 * very formulas as checked steps (src/symbolic/networkSection.ts), and predictions, checks, reports,
 * plots, the testing API and the explorer read these numbers, so none of them can disagree.
 */
import {
  kindOfNode,
  type GradientMoments,
  type LayerKindTable,
  type MomentFlavour,
  type MomentRule,
  type MomentRunner,
  type ResolvedNode,
  type SignalMoments,
} from '../layers/kind.js';
import { InputError } from '../errors.js';
import { walkNodes, type ResolvedNetwork } from '../vocabulary/network.js';

/** What propagation says at one site (one node of the tree). */
export interface SiteMoments {
  path: string;
  kind: string;
  /** The weight layer's 1-based index, for dense and conv2d sites. */
  layer?: number;
  /** Forward moments flowing in and out. */
  input: SignalMoments;
  output: SignalMoments;
  /** E[(∂·)²] at the node's output and at its input. */
  gradient: GradientMoments;
  inputGradient: GradientMoments;
  /** E[(∂w)²] per weight entry and example (weight sites). */
  weightGradient?: GradientMoments;
  forwardRule: MomentRule;
  /** The formula behind `output.cross` (two inputs, `inputCorrelation` given). */
  crossRule?: MomentRule;
  backwardRule: MomentRule;
  weightGradientRule?: MomentRule;
}

export interface Propagation {
  flavour: MomentFlavour;
  /** Moments of the network input: E[x²] = γ², mean 0 (and E[x_a x_b] = c₀γ² for two inputs). */
  input: SignalMoments;
  /** Every site, in the order of `network.sites`. */
  sites: SiteMoments[];
}

/**
 * The network input: x ~ N(0, γ²), sign-symmetric; with `inputCorrelation` c₀, a second input x_b
 * of the same law with E[x_a x_b] = c₀γ² per unit (what the c-map starts from).
 */
export function inputMoments(network: ResolvedNetwork, inputCorrelation?: number): SignalMoments {
  const single: SignalMoments = { secondMoment: network.inputVariance, mean: 0, exact: true, symmetric: true };
  if (inputCorrelation === undefined) return single;
  if (typeof inputCorrelation !== 'number' || !Number.isFinite(inputCorrelation) || Math.abs(inputCorrelation) > 1) {
    throw new InputError('inputCorrelation', inputCorrelation, 'a number in [-1, 1] (the correlation of the two inputs)');
  }
  return { ...single, cross: inputCorrelation * network.inputVariance, crossExact: true };
}

/** Options of {@link propagate}. */
export interface PropagateOptions {
  /**
   * Propagate a second input too, correlated c₀ with the first: every site then carries
   * `output.cross` = E[y_a y_b] (the c-map, c_l = cross/secondMoment) and the rule behind it.
   */
  inputCorrelation?: number;
}

/** The gradient at the network's output: a random linear loss with N(0, 1) coefficients. */
export const OUTPUT_GRADIENT: GradientMoments = { secondMoment: 1, exact: true };

/**
 * Propagates the moments through `network` in one flavour ('meanField': Gaussian moments of the
 * activations; 'linear': φ ≈ φ′(0)·x).
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ widths: [256, 256, 256], activation: 'relu', init: 'he_normal' });
 * propagate(network).sites.map((site) => site.output.secondMoment); // 1, 0.5, 1, 0.5, 1
 * ```
 */
export function propagate(network: ResolvedNetwork, flavour: MomentFlavour = 'meanField', options: PropagateOptions = {}): Propagation {
  const kinds: LayerKindTable = network.kinds;
  const records = new Map<ResolvedNode, Partial<SiteMoments>>();
  const runner: MomentRunner = {
    forward(nodes, input) {
      let flowing = input;
      for (const node of nodes) {
        const result = kindOfNode(kinds, node).moments.forward(node, flowing, flavour, runner);
        // A kind that states no c-map step says nothing about E[y_a y_b]: the second input stops here.
        const output = result.crossRule || result.output.cross === undefined ? result.output : withoutCross(result.output);
        records.set(node, { path: node.path, kind: node.kind, input: flowing, output, forwardRule: result.rule, ...(output.cross !== undefined ? { crossRule: result.crossRule } : {}) });
        flowing = output;
      }
      return flowing;
    },
    backward(nodes, gradient) {
      let flowing = gradient;
      for (let i = nodes.length - 1; i >= 0; i--) {
        const node = nodes[i];
        const record = records.get(node)!;
        const result = kindOfNode(kinds, node).moments.backward(node, flowing, record.input!, record.output!, flavour, runner);
        record.gradient = flowing;
        record.inputGradient = result.input;
        record.backwardRule = result.rule;
        if (result.weightGradient) {
          record.weightGradient = { secondMoment: result.weightGradient.secondMoment, exact: result.weightGradient.exact };
          record.weightGradientRule = result.weightGradient.rule;
        }
        flowing = result.input;
      }
      return flowing;
    },
    forwardOutput(node) {
      return records.get(node)!.output!;
    },
  };
  const input = inputMoments(network, options.inputCorrelation);
  runner.forward(network.nodes, input);
  runner.backward(network.nodes, OUTPUT_GRADIENT);
  const sites: SiteMoments[] = [];
  walkNodes(network.nodes, kinds, (node) => {
    const record = records.get(node)! as SiteMoments;
    if ('layer' in node) record.layer = (node as { layer: { index: number } }).layer.index;
    sites.push(record);
  });
  return { flavour, input, sites };
}

function withoutCross(moments: SignalMoments): SignalMoments {
  const { cross: _cross, crossExact: _crossExact, ...single } = moments;
  return single;
}
