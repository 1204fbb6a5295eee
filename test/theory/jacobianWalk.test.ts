/**
 * The Jacobian is formed through the engine's own walk (`inputGradientOf`, src/numeric/engine.ts),
 * not a copy of it: the same seeds give the very numbers the Jacobian's former private walk gave
 * (recorded from it before it was removed; bitwise equal), and J(x)·x equals the network's output
 * f(x) as `measureReplicate` runs it, for a positively homogeneous network (relu, no biases: Euler's
 * theorem), with the same weights because both draw them from the same replicate stream.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedNode } from '../../src/layers/kind.js';
import { measureReplicate } from '../../src/numeric/engine.js';
import { measureJacobianSpectrum, replicateJacobians } from '../../src/numeric/jacobian.js';
import type { Matrix } from '../../src/numeric/kernels/backend.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { replicateRandom } from '../../src/math/random.js';
import { resolveNetwork, type NetworkSpec } from '../../src/vocabulary/network.js';

const NETWORKS: Record<string, NetworkSpec> = {
  tanhOrthogonal: { widths: [12, 10, 8, 12], activation: 'tanh', init: 'orthogonal', biasStd: 0.1 },
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

/**
 * What the former walk gave: `measureJacobianSpectrum(network, { nets: 3, seed: 5, inputsPerNet: 2 })`
 * per replicate (mean, variance of the squared singular values), and entries 0 and 7 of replicate
 * 1's first Jacobian and entry 5 of its second (seed 5, 2 inputs).
 */
const FORMER: Record<string, { replicates: [number, number][]; entries: [number, number, number] }> = {
  tanhOrthogonal: {
    replicates: [
      [0.2232056655639325, 0.0563239909822513],
      [0.11373700496107436, 0.02263820073766413],
      [0.2752439986068169, 0.08359463392768102],
    ],
    entries: [0.16469119511136623, -0.02292408171920828, 0.046281698135041995],
  },
  residualLayerNorm: {
    replicates: [
      [5.779939627121449, 51.62302246795623],
      [6.491899961581634, 106.31633311403718],
      [2.7054017929703322, 12.117917965125834],
    ],
    entries: [-0.7565650376494625, -0.3508803078206385, -0.4380925125472438],
  },
};

describe('the Jacobian through the engine walk', () => {
  for (const [name, spec] of Object.entries(NETWORKS)) {
    it(`${name}: same seeds, the same numbers as the former private walk`, () => {
      const network = resolveNetwork(spec);
      const measured = measureJacobianSpectrum(network, { nets: 3, seed: 5, inputsPerNet: 2 });
      expect(measured.replicates.map((r) => [r.meanSquaredSingularValue, r.varianceSquaredSingularValue])).toEqual(FORMER[name].replicates);
      const [first, second] = replicateJacobians(network, 1, 5, 2);
      expect([first[0], first[7], second[5]]).toEqual(FORMER[name].entries);
    });
  }

  it('J(x)·x = f(x) on a relu residual tower without biases, f(x) as measureReplicate runs it (same stream, same weights)', () => {
    const network = resolveNetwork({
      input: 10,
      layers: [
        { kind: 'dense', width: 12, init: 'he_normal' },
        { kind: 'residual', alpha: 0.7, beta: 1, branch: [{ kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 12, init: 'he_normal' }] },
        { kind: 'scale', factor: 0.5 },
        { kind: 'activation', activation: 'relu' },
        { kind: 'dense', width: 7, init: 'lecun_normal' },
      ],
    });
    const seed = 11;
    for (const index of [0, 3]) {
      // The replicate's input: the first n_0 normals of its stream (the Jacobian draws k·n_0 = n_0 of them; the engine batch·n_0 = n_0).
      const x = new Float64Array(10);
      replicateRandom(seed, index).fillNormal(x, 0, 1);
      const [jacobian] = replicateJacobians(network, index, seed, 1);
      const backend = createPlainBackend('float64');
      const top = network.nodes[network.nodes.length - 1];
      let output: Float64Array | undefined;
      const observer = {
        forward(node: ResolvedNode, _input: Matrix, result: Matrix) {
          if (node === top) output = Float64Array.from(backend.view(result));
        },
      };
      measureReplicate(network, index, { batch: 1, seed, histogramBins: 32 }, backend, undefined, observer);
      expect(output).toHaveLength(7);
      for (let j = 0; j < 7; j++) {
        let jx = 0;
        for (let a = 0; a < 10; a++) jx += jacobian[j * 10 + a] * x[a];
        expect(jx).toBeCloseTo(output![j], 12);
      }
    }
  });
});
