/**
 * Finite-width fluctuations by Monte Carlo (src/numeric/fluctuations.ts): Hanin's exact product on
 * narrow networks (widths 5–20), a deliberately wrong factor (κ instead of κ − 1) rejected, the
 * uniform law's fourth-moment correction told apart from the Gaussian formula, tanh at leading order,
 * and the coverage of the studentized-bootstrap interval. Fixed seeds, family level 0.99 unless said.
 */
import { describe, expect, it } from 'vitest';
import { decideFluctuations, checkFluctuations, sampleFluctuations, secondMomentRatioIntervals } from '../../src/numeric/fluctuations.js';
import { predictFluctuations } from '../../src/theory/fluctuations.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

const NETS = 4000;

describe('exact fluctuations on narrow networks', () => {
  for (const spec of [
    { widths: [10, 10, 10, 10], activation: 'relu', init: 'he_normal' },
    { widths: [5, 5, 5], activation: { name: 'leaky_relu', slope: 0.2 }, init: 'he_normal' },
    { widths: [20, 20, 20], activation: 'relu', init: 'he_normal', biasStd: 0.5 },
  ]) {
    it(`no site fails: ${JSON.stringify(spec)}`, () => {
      const report = checkFluctuations(resolveNetwork(spec), { nets: NETS, seed: 1 });
      expect(report.sites.every((site) => site.label === 'exact')).toBe(true);
      expect(report.sites.map((site) => site.verdict)).not.toContain('fails');
      expect(report.pass).toBe(true);
    });
  }
});

describe('wrong formulas are rejected', () => {
  it('κ instead of κ − 1 in the activation factor (relu width 10: 1 + 6/n instead of 1 + 5/n)', () => {
    const network = resolveNetwork({ widths: [10, 10, 10, 10], activation: 'relu', init: 'he_normal' });
    const prediction = predictFluctuations(network);
    const sample = sampleFluctuations(network, { nets: NETS, seed: 1 });
    const wrong = new Map<string, number>();
    let extra = 1;
    for (const site of prediction.sites) {
      if (site.kind === 'activation') extra *= (1 + 6 / site.units) / (1 + 5 / site.units);
      wrong.set(site.path, site.secondMomentRatio * extra);
    }
    const report = decideFluctuations(sample, prediction, { nets: NETS, seed: 1 }, (path) => wrong.get(path)!);
    expect(report.verdict).toBe('fails');
    expect(decideFluctuations(sample, prediction, { nets: NETS, seed: 1 }).pass).toBe(true);
  });

  it('uniform weights: the corrected prediction passes, the Gaussian (1 + 2/n) per layer fails (identity, width 5)', () => {
    const network = resolveNetwork({ widths: [5, 5, 5, 5], activation: 'identity', init: 'xavier_uniform' });
    const prediction = predictFluctuations(network);
    const sample = sampleFluctuations(network, { nets: NETS, seed: 3 });
    expect(decideFluctuations(sample, prediction, { nets: NETS, seed: 3 }).pass).toBe(true);
    const gaussian = predictFluctuations(resolveNetwork({ widths: [5, 5, 5, 5], activation: 'identity', init: 'xavier_normal' }));
    const byPath = new Map(gaussian.sites.map((site) => [site.path, site.secondMomentRatio]));
    expect(decideFluctuations(sample, prediction, { nets: NETS, seed: 3 }, (path) => byPath.get(path)!).verdict).toBe('fails');
  });
});

describe('leading order', () => {
  it('tanh width 10 under Xavier: within the 5% band, and the relu product is rejected there', () => {
    const network = resolveNetwork({ widths: [10, 10, 10, 10], activation: 'tanh', init: 'xavier_normal' });
    const prediction = predictFluctuations(network);
    const sample = sampleFluctuations(network, { nets: NETS, seed: 5 });
    const report = decideFluctuations(sample, prediction, { nets: NETS, seed: 5 });
    expect(report.sites.some((site) => site.label === 'leadingOrder')).toBe(true);
    expect(report.pass).toBe(true);
    // Taking tanh as homogeneous (κ of a Gaussian, elasticity 1) would predict the identity network's spread.
    const linear = predictFluctuations(resolveNetwork({ widths: [10, 10, 10, 10], activation: 'identity', init: 'xavier_normal' }));
    const byPath = new Map(linear.sites.map((site) => [site.path, site.secondMomentRatio]));
    expect(decideFluctuations(sample, prediction, { nets: NETS, seed: 5 }, (path) => byPath.get(path)!).verdict).toBe('fails');
  });
});

describe('the studentized-bootstrap interval', () => {
  it('covers the exact ratio at its level: relu width 10, 3 layers, 4000 networks, 80 runs at 80%', () => {
    // Nominal misses 16 of 80 (sd 3.6); 27 or more has probability below 0.5% if the level holds.
    const network = resolveNetwork({ widths: [10, 10, 10], activation: 'relu', init: 'he_normal' });
    const truth = predictFluctuations(network).sites.at(-1)!.secondMomentRatio;
    let misses = 0;
    for (let run = 0; run < 80; run++) {
      const sample = sampleFluctuations(network, { nets: NETS, seed: 1000 + run });
      const [interval] = secondMomentRatioIntervals([sample.values.at(-1)!], 0.8, run);
      if (truth < interval.ciLow || truth > interval.ciHigh) misses++;
    }
    expect(misses).toBeLessThanOrEqual(26);
    expect(misses).toBeGreaterThanOrEqual(6);
  });
});
