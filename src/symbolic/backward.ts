/**
 * The backward pass of one dense layer (Glorot & Bengio 2010, eq. 9; Dive into Deep Learning
 * §4.8): ∂x_j = Σ_i w_ij ∂o_i, so Var[∂x_j] = n_out σ² Var[∂o]. With an activation after the layer,
 * ∂o_i = φ′(o_i) ∂y_i adds the factor E[φ′(o)²] (exact for relu-like activations, mean-field
 * otherwise).
 */
import { denseWords } from '../layers/dense.js';
import type { LayerWords } from '../layers/kind.js';
import type { Activation } from '../vocabulary/activation.js';
import type { DerivationSection, DerivationStep } from './derivation.js';
import { Chain, createEngine, type Engine } from './engine.js';
import { expect, num, pow, rv, sym, variance } from './expression.js';
import { linearNearZeroFlag } from './flags.js';
import { activationGradientModel, zeroMeanInput } from './models.js';
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
  /** The layer kind's words (default dense: ∂x_j = Σ_i w_ij ∂o_i). */
  words?: LayerWords;
}

export const BACKWARD_RESULT = 'n_out*sigma^2*var_do';

export function deriveBackward(options: BackwardOptions = {}): DerivationSection {
  const engine = options.engine ?? createEngine();
  const words = options.words ?? denseWords;
  const model = words.backwardModel(zeroMeanInput);
  const chainRule = words.inputGradientRule(engine);
  const target = words.inputGradient;
  const mean = meanOfWeightedSum(engine, model, rv(target.family, ...target.indices), 'E[w_ij] = 0: the weights are drawn with mean zero.');
  const chain = varianceOfWeightedSum(engine, model, target.family, [...target.indices]).apply(
    substitution(
      [
        [expect(pow(rv('w'), 2)), pow(sym('sigma'), 2)],
        [expect(pow(rv('do'), 2)), sym('var_do')],
      ],
      'substitution',
      'With zero means, E[w²] = σ² and E[∂o²] = Var[∂o].',
    ),
  );
  const steps: DerivationStep[] = [...chainRule, ...mean, ...chain.steps];
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
