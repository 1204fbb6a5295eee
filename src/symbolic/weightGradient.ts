/**
 * The gradient of a weight, ∂w_ij = ∂o_i x_j, and its variance
 * Var[∂w_ij] = E[x_j²] E[∂o_i²] − (E[x_j] E[∂o_i])² = E[x_j²] Var[∂o] (zero-mean gradients).
 * E[x²] is γ² for zero-mean inputs and the activation's m₂(q) otherwise. A weight shared over P
 * positions (a conv kernel entry, see its kind's words) sums P such terms: P·E[x²]·Var[∂o].
 */
import { denseWords } from '../layers/dense.js';
import type { LayerWords } from '../layers/kind.js';
import type { Activation } from '../vocabulary/activation.js';
import type { DerivationSection } from './derivation.js';
import { Chain, createEngine, type Engine } from './engine.js';
import { expect, num, pow, rv, sym, variance } from './expression.js';
import { inputFlags } from './flags.js';
import { activatedInput, zeroMeanInput } from './models.js';
import { rewriteRules as r, substitution } from './rules/index.js';

export interface WeightGradientOptions {
  engine?: Engine;
  /** The activation that produced x; when its mean is not 0, E[x²] = m₂(q) is substituted. */
  activation?: Activation;
  /** Variance of the pre-activation feeding φ, or of x itself when there is no activation (default 1). */
  q?: number;
  /** The layer kind's words (default dense: ∂w_ij = ∂o_i x_j). */
  words?: LayerWords;
}

export function deriveWeightGradient(options: WeightGradientOptions = {}): DerivationSection {
  const engine = options.engine ?? createEngine();
  const q = options.q ?? 1;
  const activation = options.activation && options.activation.name !== 'identity' ? options.activation : undefined;
  const moments = activation ? engine.moments(activation, q) : undefined;
  const words = options.words ?? denseWords;
  const model = words.weightGradientModel(moments ? activatedInput(moments.mean, moments.secondMoment) : zeroMeanInput);
  const chainRule = words.weightGradientRule(engine);
  const target = words.weightGradient;
  const shared = words.sharedOver;
  const chain = new Chain(engine, model, variance(rv(target.family, ...target.indices))).apply(r.definition);
  if (shared) chain.apply(r.varianceOfSum, { note: 'The terms at different positions are treated as independent: their gradients come through different outputs.' });
  chain
    .apply(r.varianceDefinition)
    .apply(r.independence, { note: 'The gradient ∂o_i is treated as independent of the layer input x_j.' })
    .apply(r.zeroMean, { note: 'E[∂o] = 0: gradients arriving through zero-mean weights have mean zero.' });
  if (shared) chain.apply(r.iidSum);
  // After the sum over positions collapses, the moments are of generic members ∂o and x.
  const gradientMember = shared ? rv('do') : rv('do', 'i');
  const inputMember = shared ? rv('x') : rv('x', 'j');
  chain.apply(substitution([[expect(pow(gradientMember, 2)), sym('var_do')]], 'substitution', 'With zero mean, E[∂o²] = Var[∂o].'));
  let result: string;
  if (activation && moments) {
    const claimed = activation.moments(q).secondMoment;
    chain.apply(
      substitution([[expect(pow(inputMember, 2)), num(claimed)]], 'gaussianMoments', `x = φ(h), φ = ${activation.label}, h ~ N(0, ${q}): E[x²] = m₂(q), the activation's Gaussian second moment.`),
      { prediction: activation.predictionKind, assumptions: inputFlags(activation, q) },
    );
    result = `${claimed}*var_do`;
  } else {
    chain.apply(substitution([[expect(pow(inputMember, 2)), pow(sym('gamma'), 2)]], 'substitution', 'With zero-mean inputs, E[x²] = Var[x] = γ².'));
    result = 'gamma^2*var_do';
  }
  const resultLatex = activation ? '\\mathbb{E}[x^2] \\operatorname{Var}[\\partial o]' : '\\gamma^2 \\operatorname{Var}[\\partial o]';
  return {
    id: 'weightGradient',
    title: 'Weight gradient',
    steps: [...chainRule, ...chain.steps],
    result: shared ? `${shared.range}*${result}` : result,
    resultLatex: shared ? `${shared.latex} \\, ${resultLatex}` : resultLatex,
  };
}
