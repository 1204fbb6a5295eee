/**
 * The numbers the README states are the engine's: recomputed here, so prose and numbers cannot drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predictMeanField } from '../../src/symbolic/predict.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('README numbers', () => {
  it('tanh + Xavier over 1000-wide layers: the mean-field forward variances it quotes', () => {
    const network = resolveNetwork({ widths: new Array(8).fill(1000), activation: 'tanh', init: 'xavier_normal' });
    const forward = predictMeanField(network).forward.slice(0, 4).map((v) => Number(v.toPrecision(3)));
    const quoted = /the measured forward variance is ([\d., ]+), …/.exec(readme);
    expect(quoted).not.toBeNull();
    expect(quoted![1].split(',').map((v) => Number(v.trim())).filter((v) => !Number.isNaN(v) && v > 0)).toEqual(forward);
  });
});
