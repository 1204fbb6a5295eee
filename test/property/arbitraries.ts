/**
 * fast-check generators of the project's own inputs: random architectures with exact activations
 * (identity, relu, leaky relu), random init presets with random options, random weight shapes.
 */
import fc from 'fast-check';
import type { WidthsNetworkSpec as NetworkSpec } from '../../src/vocabulary/network.js';

export const exactActivation = fc.oneof(
  fc.constant<NetworkSpec['activation']>('identity'),
  fc.constant<NetworkSpec['activation']>('relu'),
  fc.double({ min: 0, max: 1, noNaN: true }).map((slope) => ({ name: 'leaky_relu', slope: Math.round(slope * 100) / 100 })),
);

const gain = fc.double({ min: 0.5, max: 2, noNaN: true }).map((g) => Math.round(g * 100) / 100);

export const initPreset = fc.oneof(
  fc.constantFrom('xavier_uniform', 'xavier_normal', 'lecun_normal', 'lecun_uniform', 'pytorch_default', 'standard', 'he_normal', 'he_uniform'),
  fc.record({ name: fc.constantFrom('xavier_uniform', 'xavier_normal', 'orthogonal'), gain }),
  fc.record({
    name: fc.constantFrom('he_normal', 'he_uniform'),
    mode: fc.constantFrom('fan_in' as const, 'fan_out' as const),
    a: fc.double({ min: 0, max: 1, noNaN: true }).map((a) => Math.round(a * 100) / 100),
    nonlinearity: fc.constant('leaky_relu'),
  }),
  fc.record({
    name: fc.constant('variance_scaling'),
    scale: fc.double({ min: 0.5, max: 3, noNaN: true }).map((s) => Math.round(s * 100) / 100),
    mode: fc.constantFrom('fan_in' as const, 'fan_out' as const, 'fan_avg' as const),
    distribution: fc.constantFrom('truncated_normal' as const, 'untruncated_normal' as const, 'uniform' as const),
  }),
);

/** Widths 16–512, smaller ones more often (the cost of a case grows like width²). */
const width = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 16, max: 96 }) }, { weight: 2, arbitrary: fc.integer({ min: 97, max: 256 }) }, { weight: 1, arbitrary: fc.integer({ min: 257, max: 512 }) });

/** Depth 1–8, a mix of exact activations and presets per layer, sometimes a bias and a non-unit input. */
export const exactArchitecture: fc.Arbitrary<NetworkSpec> = fc
  .integer({ min: 1, max: 8 })
  .chain((depth) =>
    fc.record({
      widths: fc.array(width, { minLength: depth + 1, maxLength: depth + 1 }),
      layers: fc.array(fc.record({ activation: exactActivation, init: initPreset }), { minLength: depth, maxLength: depth }),
      biasStd: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.double({ min: 0.05, max: 0.5, noNaN: true }) }),
      inputVariance: fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 2, noNaN: true })),
    }),
  )
  // Keep each case to at most ~700k weights so a case costs well under a second.
  .filter((spec) => spec.widths.slice(1).reduce((sum, n, i) => sum + n * spec.widths[i], 0) <= 700_000) as fc.Arbitrary<NetworkSpec>;
