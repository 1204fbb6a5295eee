/**
 * The backward pass of one dense layer (Glorot & Bengio 2010, eq. 9; Dive into Deep Learning
 * §4.8): ∂x_j = Σ_i w_ij ∂o_i, so Var[∂x_j] = n_out σ² Var[∂o]. With an activation after the layer,
 * ∂o_i = φ′(o_i) ∂y_i adds the factor E[φ′(o)²] (exact for relu-like activations, mean-field
 * otherwise).
 */
import type { Activation } from '../vocabulary/activation.js';
import { chainRuleStep, inputGradient } from './chainRule.js';
import type { DerivationSection, DerivationStep } from './derivation.js';
import { Chain, createEngine, type Engine } from './engine.js';
import { expect, num, pow, rv, sym, variance } from './expression.js';
import { linearNearZeroFlag } from './flags.js';
import { activationGradientModel, denseLayerModel, zeroMeanInput } from './models.js';
import { rewriteRules as r, substitution } from './rules/index.js';
import { meanOfWeightedSum, varianceOfWeightedSum } from './weightedSum.js';

export interface BackwardOptions {
  engine?: Engine;
  /** Activation after the layer: adds Var[∂o] = E[φ′(o)²] Var[∂y]. */
  activation?: Activation;
  /** Variance of the pre-activation o, where φ′'s moment is taken (default 1). */
  q?: number;
  fanOut?: number;
  variance?: number;
}

export const BACKWARD_RESULT = 'n_out*sigma^2*var_do';

export function deriveBackward(options: BackwardOptions = {}): DerivationSection {
  const engine = options.engine ?? createEngine();
  const model = denseLayerModel(zeroMeanInput);
  const chainRule = chainRuleStep(
    engine,
    'input',
    {
      latex: '\\partial x_{j} = \\sum_{i=1}^{n_\\text{out}} \\frac{\\partial o_{i}}{\\partial x_{j}} \\partial o_{i} = \\sum_{i=1}^{n_\\text{out}} w_{ij} \\partial o_{i}',
      text: '∂x_j = Σ_{i=1..n_out} (∂o_i/∂x_j)·∂o_i = Σ_{i=1..n_out} w_ij·∂o_i',
      note: 'Chain rule: x_j reaches the loss through every output o_i = Σ_j w_ij x_j, and ∂o_i/∂x_j = w_ij.',
    },
    inputGradient,
  );
  const mean = meanOfWeightedSum(engine, model, rv('dx', 'j'), 'E[w_ij] = 0: the weights are drawn with mean zero.');
  const chain = varianceOfWeightedSum(engine, model, 'dx', ['j']).apply(
    substitution(
      [
        [expect(pow(rv('w'), 2)), pow(sym('sigma'), 2)],
        [expect(pow(rv('do'), 2)), sym('var_do')],
      ],
      'substitution',
      'With zero means, E[w²] = σ² and E[∂o²] = Var[∂o].',
    ),
  );
  const steps: DerivationStep[] = [chainRule, ...mean, ...chain.steps];
  if (options.activation && options.activation.name !== 'identity') steps.push(...throughActivation(engine, options.activation, options.q ?? 1));
  const section: DerivationSection = {
    id: 'backward',
    title: 'Backward pass: variance of the gradient',
    steps,
    result: BACKWARD_RESULT,
    resultLatex: 'n_\\text{out}\\sigma^2 \\operatorname{Var}[\\partial o]',
  };
  if (options.fanOut !== undefined && options.variance !== undefined) section.value = options.fanOut * options.variance;
  return section;
}

/** Var[∂o_i] = E[φ′(o_i)²] Var[∂y_i], then the Gaussian moment of φ′. */
function throughActivation(engine: Engine, activation: Activation, q: number): DerivationStep[] {
  const independent = engine.moments(activation, q);
  const model = activationGradientModel(independent.derivativeMean, independent.derivativeSecondMoment);
  const claimed = activation.moments(q).derivativeSecondMoment;
  const chain = new Chain(engine, model, variance(rv('do', 'i')))
    .apply(r.definition, { note: 'Through the activation y = φ(o): ∂o_i = φ′(o_i) ∂y_i.' })
    .apply(r.varianceDefinition)
    .apply(r.independence, {
      note: 'φ′(o_i) is treated as independent of the incoming gradient ∂y_i (the usual mean-field assumption).',
      assumptions: [{ id: 'gradientIndependence', holds: true, note: 'φ′(o_i) and ∂y_i are assumed independent; exact in the wide limit.' }],
    })
    .apply(r.zeroMean, { note: 'E[∂y] = 0: gradients arriving through zero-mean weights have mean zero.' })
    .apply(
      substitution([[expect(pow(rv('dy', 'i'), 2)), sym('var_dy')]], 'substitution', 'With zero mean, E[∂y²] = Var[∂y].'),
    )
    .apply(
      substitution(
        [[expect(pow(rv('dphi', 'i'), 2)), num(claimed)]],
        'gaussianMoments',
        `E[φ′(o)²] for o ~ N(0, ${q}) and φ = ${activation.label}: ${activation.predictionKind === 'exact' ? 'exact, since φ′ is constant on each half-line' : 'a Gaussian (mean-field) moment'}.`,
      ),
      { prediction: activation.predictionKind, assumptions: linearNearZeroFlag(activation) },
    );
  return chain.steps;
}
