/**
 * A layer whose input is an activation output x = φ(h), h ~ N(0, q), which need not be zero-mean
 * (He et al. 2015, eq. 7): Var[o_i] = n_in σ² E[x²] with E[x²] = Var[x] + E[x]², not Var[x].
 * Sigmoid's mean is ½, so E[x²] ≠ Var[x]; relu keeps half of the second moment, E[x²] = q/2.
 */
import { denseWords } from '../layers/dense.js';
import type { LayerWords } from '../layers/kind.js';
import type { Activation } from '../vocabulary/activation.js';
import type { DerivationSection } from './derivation.js';
import { createEngine, type Engine } from './engine.js';
import { add, expect, mul, num, pow, rv, sym, variance } from './expression.js';
import { linearNearZeroFlag, secondMomentFlag, zeroMeanFlag } from './flags.js';
import { activatedInput } from './models.js';
import { substitution } from './rules/index.js';
import { varianceOfWeightedSum } from './weightedSum.js';

export interface NonZeroMeanOptions {
  engine?: Engine;
  activation: Activation;
  /** Variance q of the pre-activation h feeding φ (default 1). */
  q?: number;
  fanIn?: number;
  variance?: number;
  /** The layer kind's words (default dense). */
  words?: LayerWords;
}

export function deriveNonZeroMeanInput(options: NonZeroMeanOptions): DerivationSection {
  const engine = options.engine ?? createEngine();
  const { activation } = options;
  const q = options.q ?? 1;
  // The model's moments of x come from the engine's own quadrature; the values substituted below
  // come from the activation registry, so the check compares the two.
  const independent = engine.moments(activation, q);
  const words = options.words ?? denseWords;
  const model = words.forwardModel(activatedInput(independent.mean, independent.secondMoment));
  const claimed = activation.moments(q);
  const x = rv('x');
  const chain = varianceOfWeightedSum(engine, model, words.output.family, [...words.output.indices])
    .apply(
      substitution([[expect(pow(rv('w'), 2)), pow(sym('sigma'), 2)]], 'substitution', 'E[w²] = Var[w] = σ² for zero-mean weights; E[x²] stays: nothing says x is zero-mean (He et al. 2015, eq. 7).'),
    )
    .apply(
      substitution([[expect(pow(x, 2)), add(variance(x), pow(expect(x), 2))]], 'varianceDefinition', 'E[x²] = Var[x] + E[x]²: the second moment exceeds the variance by the squared mean.'),
      { assumptions: zeroMeanFlag(activation, q) },
    )
    .apply(
      substitution(
        [
          [variance(x), num(claimed.secondMoment - claimed.mean ** 2)],
          [expect(x), num(claimed.mean)],
        ],
        'gaussianMoments',
        `x = φ(h) with φ = ${activation.label} and h ~ N(0, ${q}): E[x] = m₁(q) and Var[x] = m₂(q) − m₁(q)² are the activation's Gaussian moments.`,
      ),
      { prediction: activation.predictionKind, assumptions: [...linearNearZeroFlag(activation), ...secondMomentFlag(activation)] },
    );
  const m2 = claimed.secondMoment;
  chain.claim('simplify', mul(num(m2), sym('n_in'), pow(sym('sigma'), 2)), {
    note: `Together, E[x²] = m₂(q) = ${Number(m2.toPrecision(6))}; a zero-mean theory would have used Var[x] = ${Number((m2 - claimed.mean ** 2).toPrecision(6))}.`,
  });
  const section: DerivationSection = {
    id: 'nonZeroMeanInput',
    title: `Non-zero-mean input: x = ${activation.label}(h)`,
    steps: chain.steps,
    result: `n_in*sigma^2*${m2}`,
    resultLatex: `n_\\text{in}\\sigma^2 \\, \\mathbb{E}[x^2]`,
  };
  if (options.fanIn !== undefined && options.variance !== undefined) section.value = options.fanIn * options.variance * m2;
  return section;
}
