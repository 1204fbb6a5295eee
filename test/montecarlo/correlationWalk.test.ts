/**
 * The two-input measurement (src/numeric/correlation.ts) runs forward through the engine's one walk
 * (`walkTree`, src/numeric/engine.ts), not a copy of it: the same seeds give the very numbers its
 * former private walk gave (recorded from it before it was removed; bitwise equal), in float64 and
 * float32, on a plain tanh chain with biases and on a tree with a residual, a layer norm and a scale.
 */
import { describe, expect, it } from 'vitest';
import { measureCorrelation } from '../../src/numeric/correlation.js';
import { resolveNetwork, type NetworkSpec } from '../../src/vocabulary/network.js';

const NETWORKS: Record<string, NetworkSpec> = {
  tanhBiased: { widths: [12, 10, 8, 12], activation: 'tanh', init: 'xavier_normal', biasStd: 0.3 },
  residualLayerNorm: {
    input: 8,
    layers: [
      { kind: 'dense', width: 8, init: 'he_normal' },
      { kind: 'residual', alpha: 0.5, beta: 1, branch: [{ kind: 'layer_norm' }, { kind: 'dense', width: 8, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 8, init: 'lecun_normal' }] },
      { kind: 'scale', factor: 2 },
      { kind: 'dense', width: 6, init: 'lecun_normal' },
    ],
  },
};

/** What the former walk gave: replicate 1 of `measureCorrelation(network, { pairs: 3, nets: 2, seed: 7, inputCorrelation: 0.4, dtype })`, per site. */
const FORMER: Record<string, { cross: number[]; correlation: number[] }> = {
  'tanhBiased/float64': {
    cross: [0.07492865179343702, 0.1219997850651677, 0.00737629931483197, 0.042519239575868006, 0.05548723828856642, 0.0014364478816811233, -0.04775330725220498, 0.03088258000365668],
    correlation: [0.11360046508979822, 0.17241699408222302, 0.02307690715911848, 0.09745629464504406, 0.12362217400416092, 0.005681767824487061, -0.16356381668673245, 0.08646555490551253],
  },
  'tanhBiased/float32': {
    cross: [0.07492866903626554, 0.12199978932940352, 0.007376297773132238, 0.042519230333738146, 0.055487232033872735, 0.001436443691044451, -0.047753313192291674, 0.03088257334905668],
    correlation: [0.11360049009759324, 0.1724170021337322, 0.023076902501592646, 0.0974562755224016, 0.12362216000348855, 0.0056817512712999995, -0.16356384085652073, 0.08646553807891082],
  },
  'residualLayerNorm/float64': {
    cross: [0.3851492469243734, 0.6183795910581112, 0.1791365577346217, -0.2528039544592784, 0.2718729475924278, -0.03875998308732745, 2.473518364232445, 3.4114272711756635],
    correlation: [0.263622570043394, 0.4321823986402503, 0.17913821872825933, -0.12161962625975198, 0.3041212882659059, -0.04384016534810609, 0.4321823986402503, 0.5097174672314219],
  },
  'residualLayerNorm/float32': {
    cross: [0.38514923072898116, 0.6183795686348904, 0.17913654396407008, -0.25280395121578225, 0.27187294044720806, -0.038759973707778096, 2.4735182745395616, 3.4114269794367242],
    correlation: [0.26362254970646254, 0.4321823640179334, 0.1791382049260439, -0.12161962505319804, 0.30412128687706197, -0.04384015689531401, 0.4321823640179334, 0.50971742641287],
  },
};

describe('the two-input measurement through the engine walk', () => {
  for (const [name, spec] of Object.entries(NETWORKS)) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name} in ${dtype}: same seeds, the same numbers as the former private walk`, () => {
        const measured = measureCorrelation(resolveNetwork(spec), { pairs: 3, nets: 2, seed: 7, inputCorrelation: 0.4, dtype });
        expect(measured.brokenReplicates).toBe(0);
        expect(measured.replicates[1]).toEqual(FORMER[`${name}/${dtype}`]);
      });
    }
  }
});
