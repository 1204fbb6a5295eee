/**
 * An independent computation of an activation's Gaussian moments, used to check the values the
 * activation registry supplies (closed forms or its own quadrature). φ comes from the activation's
 * mathjs expression (not its hand-written φ), φ′ from mathjs' symbolic derivative of it (falling
 * back to the activation's own φ′ where mathjs cannot differentiate, e.g. `max`); integrated with
 * the project's one Gaussian quadrature, split at the kinks. The derivative is
 * {@link boundedDerivative}: bounded symbolic work, and for a custom expression the very φ′ the
 * activation was built with (not a second, unbounded simplification of it).
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { compile, parse } from '../math/lazyMathjs.js';
import type { Activation } from '../vocabulary/activation.js';
import { boundedDerivative } from '../vocabulary/activations/expressionLimits.js';
import { gaussianExpectations } from '../math/quadrature.js';

/** Raw Gaussian moments computed here: E[φ], E[φ²], E[φ′], E[φ′²] at z ~ N(0, q). */
export interface IndependentMoments {
  mean: number;
  secondMoment: number;
  derivativeMean: number;
  derivativeSecondMoment: number;
}

/** E[φ(√q z)^k] and E[φ′(√q z)^k], k = 1, 2, computed from the activation's expression. */
export function independentMoments(activation: Activation, q: number): IndependentMoments {
  const phi = compile(activation.expression);
  let slope: (x: number) => number;
  try {
    const compiled = boundedDerivative(parse(activation.expression)).compile();
    // The textbook formula can overflow far out (silu's x·e^{−x}/(1+e^{−x})² is ∞/∞ at x = −1e5);
    // there the activation's own, numerically stable φ′ stands in.
    slope = (x) => {
      const value = Number(compiled.evaluate({ x }));
      return Number.isFinite(value) ? value : activation.derivative(x);
    };
    slope(0.3);
  } catch {
    slope = (x) => activation.derivative(x);
  }
  const value = (x: number) => {
    const result = Number(phi.evaluate({ x }));
    return Number.isFinite(result) ? result : activation.phi(x);
  };
  const [mean, secondMoment, derivativeMean, derivativeSecondMoment] = gaussianExpectations(
    [value, (x) => value(x) ** 2, slope, (x) => slope(x) ** 2],
    q,
    { kinks: activation.kinks },
  );
  return { mean, secondMoment, derivativeMean, derivativeSecondMoment };
}
