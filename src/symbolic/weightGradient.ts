/**
 * The gradient of a weight, ∂w_ij = ∂o_i x_j, and its variance
 * Var[∂w_ij] = E[x_j²] E[∂o_i²] − (E[x_j] E[∂o_i])² = E[x_j²] Var[∂o] (zero-mean gradients).
 * E[x²] is γ² for zero-mean inputs and the activation's m₂(q) otherwise.
 */
import type { Activation } from '../vocabulary/activation.js';
import { chainRuleStep, weightGradient } from './chainRule.js';
import type { DerivationSection } from './derivation.js';
import { Chain, createEngine, type Engine } from './engine.js';
import { expect, num, pow, rv, sym, variance } from './expression.js';
import { inputFlags } from './flags.js';
import { activatedInput, denseLayerModel, zeroMeanInput } from './models.js';
import { rewriteRules as r, substitution } from './rules/index.js';

export interface WeightGradientOptions {
  engine?: Engine;
  /** The activation that produced x; when its mean is not 0, E[x²] = m₂(q) is substituted. */
  activation?: Activation;
  /** Variance of the pre-activation feeding φ, or of x itself when there is no activation (default 1). */
  q?: number;
}

export function deriveWeightGradient(options: WeightGradientOptions = {}): DerivationSection {
  const engine = options.engine ?? createEngine();
  const q = options.q ?? 1;
  const activation = options.activation && options.activation.name !== 'identity' ? options.activation : undefined;
  const moments = activation ? engine.moments(activation, q) : undefined;
  const model = denseLayerModel(moments ? activatedInput(moments.mean, moments.secondMoment) : zeroMeanInput);
  const chainRule = chainRuleStep(
    engine,
    'weight',
    {
      latex: '\\partial w_{ij} = \\sum_{k=1}^{n_\\text{out}} \\frac{\\partial o_{k}}{\\partial w_{ij}} \\partial o_{k} = \\partial o_{i} x_{j}',
      text: '∂w_ij = Σ_{k=1..n_out} (∂o_k/∂w_ij)·∂o_k = ∂o_i·x_j',
      note: 'Chain rule: w_ij enters only o_i, with ∂o_i/∂w_ij = x_j.',
    },
    weightGradient,
  );
  const chain = new Chain(engine, model, variance(rv('dw', 'i', 'j')))
    .apply(r.definition)
    .apply(r.varianceDefinition)
    .apply(r.independence, { note: 'The gradient ∂o_i is treated as independent of the layer input x_j.' })
    .apply(r.zeroMean, { note: 'E[∂o] = 0: gradients arriving through zero-mean weights have mean zero.' })
    .apply(substitution([[expect(pow(rv('do', 'i'), 2)), sym('var_do')]], 'substitution', 'With zero mean, E[∂o²] = Var[∂o].'));
  let result: string;
  if (activation && moments) {
    const claimed = activation.moments(q).secondMoment;
    chain.apply(
      substitution([[expect(pow(rv('x', 'j'), 2)), num(claimed)]], 'gaussianMoments', `x = φ(h), φ = ${activation.label}, h ~ N(0, ${q}): E[x²] = m₂(q), the activation's Gaussian second moment.`),
      { prediction: activation.predictionKind, assumptions: inputFlags(activation, q) },
    );
    result = `${claimed}*var_do`;
  } else {
    chain.apply(substitution([[expect(pow(rv('x', 'j'), 2)), pow(sym('gamma'), 2)]], 'substitution', 'With zero-mean inputs, E[x²] = Var[x] = γ².'));
    result = 'gamma^2*var_do';
  }
  return {
    id: 'weightGradient',
    title: 'Weight gradient',
    steps: [chainRule, ...chain.steps],
    result,
    resultLatex: activation ? '\\mathbb{E}[x^2] \\operatorname{Var}[\\partial o]' : '\\gamma^2 \\operatorname{Var}[\\partial o]',
  };
}
