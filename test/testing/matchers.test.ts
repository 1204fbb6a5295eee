/**
 * The vitest matchers, registered by the side-effect import, against the real Monte Carlo engine
 * (fixed seeds; intervals at level 0.99 after the Bonferroni split).
 */
import { describe, expect, it } from 'vitest';
import { matchersRegistered } from '../../src/testing/index.js';

const heRelu = { widths: [128, 128, 128], activation: 'relu', init: 'he_normal' };
const xavierRelu = { widths: [128, 128, 128], activation: 'relu', init: 'xavier_normal' };
const xavierIdentity = { widths: [128, 128, 128], activation: 'identity', init: 'xavier_normal' };

describe('variance matchers', () => {
  it('are registered by importing varprop/testing inside vitest', () => {
    expect(matchersRegistered).toBe(true);
  });

  it('pass for He/relu and Xavier/identity, forward and backward', async () => {
    await expect(heRelu).toPreserveForwardVariance();
    await expect(heRelu).toPreserveBackwardVariance();
    await expect(xavierIdentity).toPreserveForwardVariance();
    await expect(xavierIdentity).toPreserveBackwardVariance();
    await expect({ fanIn: 128, fanOut: 128, activation: 'relu', init: 'he_uniform' }).toPreserveForwardVariance();
  });

  it('fail Xavier/relu with a message naming the formula, the measured value with its interval and the layer', async () => {
    let message = '';
    try {
      await expect(xavierRelu).toPreserveForwardVariance();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/toPreserveForwardVariance/);
    expect(message).toMatch(/Expected: E\[h_l²\] = E\[h_\{l−1\}²\] at every layer \(forward variance preserved\) \(within ±5%, level 0\.99\)/);
    expect(message).toMatch(/Received: layer 2 \(forward\): measured E\[h₂²\] = 0\.\d+ \[0\.\d+, 0\.\d+\], claimed E\[h₁²\] = 0?\.?\d+(\.\d+)?; ratio 0\.[45]\d* with 99\.\d+% interval/);
    expect(message).toMatch(/fails at layer 2: E\[h₂²\] is (too small by a factor 2(\.\d+)?|\d+(\.\d+)?% too small)/);
    expect(message).toMatch(/Spec: \{"widths":\[128,128,128\],"activation":"relu","init":"xavier_normal"\}/);
    await expect(xavierRelu).not.toPreserveForwardVariance();
  });

  it('match an expression claim and reject the same claim 10% off', async () => {
    await expect(heRelu).toMatchVariance('2*gamma2');
    await expect(heRelu).toMatchVariance('n_in*sigma2*(l == 1 ? gamma2 : q_prev/2)');
    await expect(heRelu).not.toMatchVariance('1.1*2*gamma2');
    await expect(heRelu).toMatchVariance('n_out*sigma2*d_next/2', { pass: 'backward' });
    await expect(heRelu).not.toMatchVariance('n_out*sigma2*d_next', { pass: 'backward' });
  });

  it('fail with a clear message when the budget cannot decide, in both the plain and the .not form', async () => {
    // The truth (2γ²) sits exactly on the edge of the ±5% band around 2·1.05γ²: no budget decides it.
    const edge = '2*1.05*gamma2';
    await expect(expect(heRelu).toMatchVariance(edge, { maxNets: 16 })).rejects.toThrow(/The check was UNDECIDED, which fails the assertion rather than guessing[\s\S]*undecided: after the budget of 16 replicate networks/);
    await expect(expect(heRelu).not.toMatchVariance(edge, { maxNets: 16 })).rejects.toThrow(/UNDECIDED/);
  });

  it('pass bad input through as an InputError naming the field', async () => {
    await expect(expect({ widths: [128, 0] }).toPreserveForwardVariance()).rejects.toThrow(/^widths\[1\] = 0 is not allowed: expected a positive integer/);
    await expect(expect(heRelu).toMatchVariance('2*gama2')).rejects.toThrow(/claim\.forward = "2\*gama2" is not allowed.*Unknown symbol gama2/);
  });
});
