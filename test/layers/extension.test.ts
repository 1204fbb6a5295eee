/**
 * The extension point: a third layer kind, written here as one object with all four faces and
 * passed in a table (no global registry is touched), is validated, resolved, predicted and derived
 * through the same code as the built-in kinds.
 *
 * The kind: a block-diagonal dense layer with B blocks (`blocks` field): unit i of block b sums the
 * n_0/B inputs of block b, so n_in = n_0/B and n_out = n_1/B.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { denseLayer, denseWords } from '../../src/layers/dense.js';
import { averageBackwardFanFactor, type LayerKind, type LayerState, type NumericLayerKind } from '../../src/layers/kind.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { uploadMatrix, downloadMatrix, type Matrix } from '../../src/numeric/kernels/backend.js';
import { createPlainBackend } from '../../src/numeric/kernels/plain.js';
import { createRandom } from '../../src/math/random.js';
import { createFloat64Scratch } from '../../src/numeric/engine.js';
import { DerivationCheckError } from '../../src/symbolic/check.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { deriveNetwork } from '../../src/symbolic/layer.js';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { requirePositiveInteger } from '../../src/vocabulary/fields.js';
import { builtInCatalogue, resolveNetwork, type ResolvedLayer } from '../../src/vocabulary/network.js';
import { allSteps, recheckStep, renderStrict } from '../symbolic/helpers.js';
import { inputErrorOf } from './inputError.js';

interface BlockOverride {
  blocks?: number;
}

const blocksOf = (layer: ResolvedLayer) => layer.outputUnits / layer.fanOut;

/** The dense product with every weight outside the diagonal blocks zeroed (forward only is exercised here). */
const blockNumeric: NumericLayerKind = {
  ...denseLayer,
  name: 'blockDense',
  weightCount: (layer) => layer.fanIn * layer.outputUnits,
  sample(layer, random, backend, scratch) {
    const state = denseLayer.sample(layer, random, backend, scratch) as LayerState & { weights: Matrix };
    const view = backend.view(state.weights);
    const blocks = blocksOf(layer);
    for (let r = 0; r < layer.inputUnits; r++) {
      for (let c = 0; c < layer.outputUnits; c++) if (Math.floor(r / layer.fanIn) !== Math.floor(c / (layer.outputUnits / blocks))) view[r * layer.outputUnits + c] = 0;
    }
    return state;
  },
};

const blockDense: LayerKind<BlockOverride> = {
  name: 'blockDense',
  shape: {
    fields: ['blocks'],
    checkOverride(override, at) {
      requirePositiveInteger(`${at}.blocks`, override.blocks);
    },
    resolve({ position, at, override, input, outWidth }) {
      const blocks = override.blocks ?? 1;
      const inputUnits = input.units ?? input.width;
      if (inputUnits % blocks !== 0 || outWidth % blocks !== 0) {
        throw new InputError(`${at}.blocks`, blocks, `a divisor of widths[${position}] = ${inputUnits} and widths[${position + 1}] = ${outWidth}`);
      }
      return { fanIn: inputUnits / blocks, fanOut: outWidth / blocks, inputUnits, outputUnits: outWidth, output: { width: outWidth, spatial: null, units: outWidth } };
    },
  },
  numeric: blockNumeric,
  predict: { positionsPerWeight: () => 1, backwardFanFactor: averageBackwardFanFactor },
  words: (layer) => ({
    ...denseWords,
    forwardDefinition: (engine) => [
      engine.accept({
        rule: 'definition',
        latex: `o_{i} = \\sum_{j \\in \\operatorname{block}(i)} w_{ij} x_{j}, \\quad n_\\text{in} = n_0 / B = ${layer.fanIn}`,
        text: `o_i = Σ_{j ∈ block(i)} w_ij·x_j,  n_in = n_0/B = ${layer.fanIn}`,
        note: 'A block-diagonal layer: each output sums only the inputs of its own block.',
        check: { lhs: 'n_in', rhs: 'n_0/B', symbols: ['B', 'n_0', 'n_in'], at: { n_in: layer.fanIn, n_0: layer.inputUnits, B: blocksOf(layer) } },
      }),
    ],
  }),
};

const table = { ...builtInLayerKinds, blockDense };
const catalogue = { ...builtInCatalogue, layerKinds: table };
const spec = { widths: [8, 6, 4, 3], activation: 'tanh', init: 'xavier_normal', layers: [{ kind: 'blockDense', blocks: 2 }, { kind: 'blockDense', blocks: 2 }] };


describe('a third layer kind passed in a table', () => {
  const network = resolveNetwork(spec, catalogue);
  const [block, second, dense] = network.layers;

  it('resolves through its own shape face, and the next dense layer reads its output', () => {
    expect(block).toMatchObject({ kind: 'blockDense', fanIn: 4, fanOut: 3, inputUnits: 8, outputUnits: 6 });
    expect(block.init.variance).toBeCloseTo(2 / (4 + 3), 15);
    expect(second).toMatchObject({ kind: 'blockDense', fanIn: 3, fanOut: 2, inputUnits: 6, outputUnits: 4 });
    expect(dense).toMatchObject({ kind: 'dense', fanIn: 4, fanOut: 3 });
  });

  it('validates its own field and names it on other kinds; the built-in table is untouched', () => {
    expect(inputErrorOf(() => resolveNetwork({ widths: [8, 6], layers: [{ kind: 'blockDense' }] }, catalogue)).field).toBe('layers[0].blocks');
    expect(inputErrorOf(() => resolveNetwork({ widths: [8, 6], layers: [{ kind: 'blockDense', blocks: 3 }] }, catalogue)).field).toBe('layers[0].blocks');
    const onDense = inputErrorOf(() => resolveNetwork({ widths: [8, 6], layers: [{ blocks: 2 }] }, catalogue));
    expect(onDense.field).toBe('layers[0].blocks');
    expect(onDense.allowed).toMatch(/set kind: "blockDense"/);
    expect(inputErrorOf(() => resolveNetwork({ widths: [8, 6], layers: [{ block: 2 }] }, catalogue)).allowed).toMatch(/kind, kernelSize, groups, blocks, activation/);
    const builtIn = inputErrorOf(() => resolveNetwork({ widths: [8, 6], layers: [{ kind: 'blockDense' }] }));
    expect(builtIn.field).toBe('layers[0].kind');
    expect(builtIn.allowed).toBe('one of dense, conv2d');
    expect(inputErrorOf(() => resolveNetwork(spec)).field).toBe('layers[0].blocks');
  });

  it('predicts through its factors (and the built-in table does not know it)', () => {
    const prediction = predictNetwork(network, table);
    // E[h_1²] = n_in·Var[w]·γ² with n_in = 4. Backward (tanh′(0) = 1), each layer's factor
    // Var[w]·fanIn·units_out/units_in: the block layer 6 → 4 gives 3·4/6 = 2 = n_out, the dense 4 → 3 gives 3.
    expect(prediction.layers[0].forward.linear).toBeCloseTo(4 * block.init.variance, 14);
    expect(prediction.layers[1].backward.linear).toBeCloseTo(3 * dense.init.variance, 14);
    expect(prediction.layers[0].backward.linear).toBeCloseTo(2 * second.init.variance * 3 * dense.init.variance, 14);
    expect(() => predictNetwork(network)).toThrow(/not in the layer-kind table/);
  });

  it('derives in its own words, every step checked and KaTeX-strict', () => {
    const engine = createEngine();
    const derivation = deriveNetwork(network, { engine, layerKinds: table });
    const forward = derivation.sections.find((s) => s.id === 'forward')!;
    expect(forward.steps[0].text).toBe('o_i = Σ_{j ∈ block(i)} w_ij·x_j,  n_in = n_0/B = 4');
    expect(derivation).toMatchObject({ fanIn: 4, fanOut: 3 });
    for (const step of allSteps(derivation)) {
      recheckStep(step);
      expect(() => renderStrict(step.latex)).not.toThrow();
    }
    // Its words are checked too: a fan that disagrees with n_0/B is rejected.
    expect(() => blockDense.words({ ...block, fanIn: 5 }).forwardDefinition(engine)).toThrow(DerivationCheckError);
    expect(() => deriveNetwork(network, { engine })).toThrow(InputError);
  });

  it('runs forward through its numeric face: outputs only see their own block', () => {
    const backend = createPlainBackend('float64');
    const state = blockNumeric.sample(block, createRandom(3), backend, createFloat64Scratch());
    const input = new Float64Array(8).map((_, i) => (i < 4 ? 1 : 0));
    const h = downloadMatrix(backend, blockNumeric.forward(block, state, uploadMatrix(backend, input, 1, 8), backend));
    // Inputs 0..3 (block 0) are on, so outputs 3..5 (block 1) are exactly 0 and outputs 0..2 are not.
    expect([...h.slice(3)]).toEqual([0, 0, 0]);
    expect(h.slice(0, 3).every((v) => v !== 0)).toBe(true);
    expect(blockNumeric.weightCount(block)).toBe(4 * 6);
    state.release();
  });
});
