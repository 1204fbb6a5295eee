/**
 * The forward pass of one dense layer, o_i = Σ_j w_ij x_j (Glorot & Bengio 2010; Dive into Deep
 * Learning §4.8): E[o_i] = 0 and Var[o_i] = n_in σ² γ² for zero-mean inputs of variance γ².
 * Another layer kind passes its words: its pre-activation sum first, then the same chain in its
 * notation (a conv's o_{c,p} = Σ_r w_{c,r} x_{p+r}).
 */
import { denseWords } from '../layers/dense.js';
import type { LayerWords } from '../layers/kind.js';
import type { Activation } from '../vocabulary/activation.js';
import type { DerivationSection } from './derivation.js';
import { createEngine, type Engine } from './engine.js';
import { expect, pow, rv, sym } from './expression.js';
import { inputFlags } from './flags.js';
import { zeroMeanInput } from './models.js';
import { substitution } from './rules/index.js';
import { meanOfWeightedSum, varianceOfWeightedSum } from './weightedSum.js';

export interface ForwardOptions {
  engine?: Engine;
  /** The activation that produced the input x (flags the zero-mean and linearity assumptions). */
  activation?: Activation;
  /** Fan-in, weight variance σ² and input variance γ², to evaluate the result (all optional). */
  fanIn?: number;
  variance?: number;
  inputVariance?: number;
  /** The layer kind's words (default dense: o_i = Σ_j w_ij x_j). */
  words?: LayerWords;
}

export const FORWARD_RESULT = 'n_in*sigma^2*gamma^2';

export function deriveForward(options: ForwardOptions = {}): DerivationSection {
  const engine = options.engine ?? createEngine();
  const words = options.words ?? denseWords;
  const model = words.forwardModel(zeroMeanInput);
  const q = options.inputVariance ?? 1;
  const output = words.output;
  const definition = words.forwardDefinition(engine);
  const mean = meanOfWeightedSum(engine, model, rv(output.family, ...output.indices), 'E[w_ij] = 0: the weights are drawn with mean zero.');
  const chain = varianceOfWeightedSum(engine, model, output.family, [...output.indices]).apply(
    substitution(
      [
        [expect(pow(rv('w'), 2)), pow(sym('sigma'), 2)],
        [expect(pow(rv('x'), 2)), pow(sym('gamma'), 2)],
      ],
      'substitution',
      'With zero means, E[w²] = Var[w] = σ² and E[x²] = Var[x] = γ².',
    ),
    { assumptions: inputFlags(options.activation, q) },
  );
  const section: DerivationSection = {
    id: 'forward',
    title: 'Forward pass: mean and variance of a layer output',
    steps: [...definition, ...mean, ...chain.steps],
    result: FORWARD_RESULT,
    resultLatex: 'n_\\text{in}\\sigma^2\\gamma^2',
  };
  if (options.fanIn !== undefined && options.variance !== undefined) section.value = options.fanIn * options.variance * q;
  return section;
}
