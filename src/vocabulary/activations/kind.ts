/**
 * What a registered activation kind provides to the registry, and the Gaussian-moment helper the
 * kinds without closed forms share.
 */
import { InputError } from '../../errors.js';
import { gaussianExpectations } from '../../math/quadrature.js';
import type { Activation, GaussianMoments } from '../activation.js';

/** A numeric parameter of an activation kind (leaky_relu's slope, elu's alpha). */
export interface ActivationParameter {
  readonly default: number;
  /** What is allowed, in words, for error messages. */
  readonly allowed: string;
  isAllowed(value: number): boolean;
}

/** One entry of the activation table: a name, its parameters, and how to build the activation. */
export interface ActivationKind {
  readonly name: string;
  /** One line for help text. */
  readonly summary: string;
  readonly parameters: Readonly<Record<string, ActivationParameter>>;
  /** Builds the activation; `params` holds every declared parameter, already validated. */
  create(params: Readonly<Record<string, number>>): Activation;
}

/** Throws {@link InputError} unless q is a positive finite number. */
export function assertVariance(q: number, field = 'q'): void {
  if (typeof q !== 'number' || !(q > 0) || !Number.isFinite(q)) {
    throw new InputError(field, q, 'a positive finite variance');
  }
}

/** Options for {@link quadratureMoments}. */
export interface QuadratureMomentOptions {
  /** φ is odd, so m1(q) = 0 exactly (skips the quadrature noise of ~1e-17). */
  readonly odd?: boolean;
}

/**
 * m1, m2, d2 at q by quadrature (src/math/quadrature.ts), split at the activation's kinks.
 * Throws {@link InputError} when a moment is not finite at this q (e.g. a custom exp(x²)).
 */
export function quadratureMoments(
  activation: Pick<Activation, 'phi' | 'derivative' | 'kinks' | 'label'>,
  q: number,
  options: QuadratureMomentOptions = {},
): GaussianMoments {
  assertVariance(q);
  const { phi, derivative } = activation;
  const integrands = [
    (x: number) => phi(x),
    (x: number) => {
      const value = phi(x);
      return value * value;
    },
    (x: number) => {
      const slope = derivative(x);
      return slope * slope;
    },
  ];
  if (options.odd) integrands.shift();
  const values = gaussianExpectations(integrands, q, { kinks: activation.kinks });
  const [mean, secondMoment, derivativeSecondMoment] = options.odd ? [0, ...values] : values;
  if (![mean, secondMoment, derivativeSecondMoment].every(Number.isFinite)) {
    // Name the activation, not q: the user chose φ, and q usually comes from the network, not a flag.
    throw new InputError(
      'activation',
      activation.label,
      `an activation whose Gaussian moments are finite at input variance q = ${q}`,
      'E[φ(√q z)²] or E[φ′(√q z)²] diverges or overflows there: φ grows too fast for a Gaussian input',
    );
  }
  return { q, mean, secondMoment, derivativeSecondMoment, closedForm: false };
}
