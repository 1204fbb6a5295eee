/**
 * toBeCritical and toPropagateCorrelation (src/testing/signal.ts), through vitest's expect as a
 * user's suite would call them; a deliberately wrong claim fails.
 */
import { describe, expect, it } from 'vitest';
import '../../src/testing/index.js';
import { signalMatchers } from '../../src/testing/signal.js';

describe('toBeCritical', () => {
  it('holds on the order-to-chaos boundary and not beside it, for tanh and relu', async () => {
    await expect({ activation: 'tanh', weightVar: 1.7609546, biasVar: 0.05 }).toBeCritical();
    await expect({ activation: 'tanh', weightVar: 1.5, biasVar: 0.05 }).not.toBeCritical();
    await expect({ activation: 'relu', weightVar: 2 }).toBeCritical({ tolerance: 1e-12 });
    await expect({ activation: 'relu', weightVar: 1.9 }).not.toBeCritical();
  });

  it('says χ₁, the phase and the critical σ_w² when it fails', async () => {
    const result = await signalMatchers.toBeCritical.call({ isNot: false }, { activation: 'tanh', weightVar: 1.5, biasVar: 0.05 });
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/χ₁ = 0\.938636 \(ordered\).*critical σ_w² = 1\.76095/);
  });
});

describe('toPropagateCorrelation', () => {
  it('does not reject the c-map of a tanh network with biases', async () => {
    await expect({ widths: [150, 150, 150, 150], activation: 'tanh', init: 'xavier_normal', biasStd: 0.3 }).toPropagateCorrelation({ inputCorrelation: 0.2, nets: 6 });
  }, 30_000);
});
