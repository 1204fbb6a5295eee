/**
 * The finite-width fluctuation map (src/theory/fluctuations.ts): κ of homogeneous activations in
 * closed form against quadrature, the per-site factors against Hanin's product, the weight law's
 * fourth moment, the leading-order elasticity against a finite difference, and refusals in words.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  activationFourthMoments,
  haninProduct,
  predictFluctuations,
  quadratureFourthMoments,
  weightKurtosis,
} from '../../src/theory/fluctuations.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { uniformDistribution } from '../../src/vocabulary/distributions/uniform.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

describe('κ = E[φ(z)⁴]/E[φ(z)²]²', () => {
  it('relu: κ = 6 exactly (closed form), and quadrature agrees to 1e-10 at several q', () => {
    const relu = resolveActivation('relu');
    expect(activationFourthMoments(relu, 1).kappa).toBe(6);
    for (const q of [0.01, 1, 37]) {
      const numeric = quadratureFourthMoments(relu, q);
      expect(numeric.kappa).toBeCloseTo(6, 10);
      expect(numeric.elasticity).toBeCloseTo(1, 10);
    }
  });

  it('leaky relu 6(1 + a⁴)/(1 + a²)² and identity 3: closed form = quadrature', () => {
    for (const ref of [{ name: 'leaky_relu', slope: 0.2 }, 'identity'] as const) {
      const activation = resolveActivation(ref as never);
      expect(quadratureFourthMoments(activation, 2).kappa).toBeCloseTo(activationFourthMoments(activation, 2).kappa, 10);
    }
    expect(activationFourthMoments(resolveActivation({ name: 'leaky_relu', slope: 0.2 } as never), 1).kappa).toBeCloseTo((6 * (1 + 0.2 ** 4)) / (1 + 0.2 ** 2) ** 2, 14);
    expect(activationFourthMoments(resolveActivation('identity'), 1).kappa).toBe(3);
  });

  it("tanh: the elasticity by Stein's lemma equals d ln m₂/d ln q by a central difference", () => {
    const tanh = resolveActivation('tanh');
    for (const q of [0.3, 1, 4]) {
      const h = 1e-4;
      const m2 = (x: number) => tanh.moments(x).secondMoment;
      const difference = (Math.log(m2(q * (1 + h))) - Math.log(m2(q * (1 - h)))) / (Math.log(1 + h) - Math.log(1 - h));
      expect(quadratureFourthMoments(tanh, q).elasticity).toBeCloseTo(difference, 6);
    }
  });

  it('uniform weights: κ_w = 9/5', () => {
    expect(weightKurtosis(uniformDistribution(0.3))).toBeCloseTo(9 / 5, 14);
  });
});

describe('predictFluctuations', () => {
  it('a Gaussian relu chain multiplies to (1 + 2/n₀)·∏(1 + (κ − 1)/n_l), relu: 1 + 5/n', () => {
    const widths = [7, 5, 12, 9];
    const prediction = predictFluctuations(resolveNetwork({ widths, activation: 'relu', init: 'he_normal' }));
    expect(prediction.label).toBe('exact');
    const activations = prediction.sites.filter((site) => site.kind === 'activation');
    activations.forEach((site, l) => {
      expect(site.secondMomentRatio).toBeCloseTo(haninProduct(widths.slice(0, l + 2), [6, 6, 6]), 12);
    });
    // The last weight layer has no activation after it: its pre-activation gets 1 + 2/n (κ = 3).
    expect(prediction.sites.at(-1)!.secondMomentRatio).toBeCloseTo(haninProduct(widths, [6, 6, 3]), 12);
  });

  it('uniform weights enter at order 1/(n_in·n): identity width 5 gives 1.816 after one layer, not (1 + 2/5)²', () => {
    const uniform = predictFluctuations(resolveNetwork({ widths: [5, 5], activation: 'identity', init: 'xavier_uniform' }));
    // R_x = 1.4, K_x = 3: R_h = 1.4 + (3·1.4 + (9/5 − 3)·3/5 − 1.4)/5.
    expect(uniform.sites[0].secondMomentRatio).toBeCloseTo(1.4 + (3 * 1.4 - 1.2 * 0.6 - 1.4) / 5, 12);
    const gaussian = predictFluctuations(resolveNetwork({ widths: [5, 5], activation: 'identity', init: 'xavier_normal' }));
    expect(gaussian.sites[0].secondMomentRatio).toBeCloseTo(1.96, 12);
  });

  it('a bias damps the relative spread: exactly (R q² + 2qs + s²)/(q + s)² for large n', () => {
    const network = resolveNetwork({ widths: [100000, 100000], activation: 'identity', init: 'xavier_normal', biasStd: 1 });
    const [dense, bias] = predictFluctuations(network).sites;
    const R = dense.secondMomentRatio;
    expect(bias.secondMomentRatio).toBeCloseTo((R + 2 + 1) / 4, 4);
  });

  it('tanh is labelled leading-order, relu exact', () => {
    expect(predictFluctuations(resolveNetwork({ widths: [10, 10, 10], activation: 'tanh', init: 'xavier_normal' })).label).toBe('leadingOrder');
  });

  it('refuses residual blocks, convolutions and orthogonal weights in one line naming the node', () => {
    const refusal = (spec: unknown) => {
      try {
        predictFluctuations(resolveNetwork(spec));
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refusal({ input: 8, layers: [{ kind: 'residual', branch: [{ kind: 'dense', width: 8 }] }] })).toMatch(/^0\.kind = "residual" is not allowed: expected a chain of dense, bias and activation/);
    expect(refusal({ widths: [3, 4], inputSize: [6, 6], layers: [{ kind: 'conv2d', kernelSize: 3 }] })).toMatch(/^0\.kind = "conv2d" is not allowed/);
    expect(refusal({ widths: [8, 8], init: 'orthogonal' })).toMatch(/^0\.init = .* expected a law with iid zero-mean entries/);
  });
});
