/**
 * 2-D convolution layer (stride 1, valid padding), numeric face, through im2col.
 *
 * Activations are NHWC: unit (y·W + x)·C + c of an example. With groups G, group g maps input
 * channels [g·C_in/G, (g+1)·C_in/G) to output channels [g·C_out/G, …). The weights are drawn as one
 * [K, C_out] matrix, K = kh·kw·C_in/G with rows ordered (ky, kx, c) (the im2col column order), and
 * split into G blocks W_g = [K, C_out/G].
 *
 * Forward: cols_g [batch·P, K] (P = Ho·Wo output positions) holds the receptive fields; h_g =
 * cols_g·W_g. Backward, with the upstream gradient unit-major e [P·C_out, batch]: dᵀ_g
 * [C_out/G, batch·P] is gathered from e; the weight gradient is (∂W_g)ᵀ = dᵀ_g·cols_g, and the
 * input gradient's columns are W_g·dᵀ_g [K, batch·P], scattered back (col2im) into [units, batch].
 */
import type { KernelBackend, Matrix } from '../../numeric/kernels/backend.js';
import type { RandomSource } from '../../math/random.js';
import type { ResolvedLayer } from '../../vocabulary/network.js';
import type { Float64Scratch } from '../kind.js';
import type { LayerState, WeightBackward, WeightLayerNumeric } from '../weights.js';
import { sumOfSquares } from '../kind.js';

interface ConvState extends LayerState {
  /** W_g, [K, C_out/G] each. */
  readonly blocks: Matrix[];
  /** cols_g of the last forward pass. */
  columns: Matrix[];
}

interface ConvGeometry {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kh: number;
  kw: number;
  groups: number;
  outHeight: number;
  outWidth: number;
  /** Input channels per group. */
  groupIn: number;
  /** Output channels per group. */
  groupOut: number;
  /** Receptive field size per group, kh·kw·groupIn. */
  depth: number;
  positions: number;
}

function geometry(layer: ResolvedLayer, batch: number): ConvGeometry {
  const conv = layer.conv;
  if (!conv) throw new Error(`layer ${layer.index} is not a conv2d layer`);
  const [kh, kw] = conv.kernel;
  const [height, width] = conv.inputSize;
  const [outHeight, outWidth] = conv.outputSize;
  const groupIn = conv.inChannels / conv.groups;
  return {
    batch,
    height,
    width,
    inChannels: conv.inChannels,
    outChannels: conv.outChannels,
    kh,
    kw,
    groups: conv.groups,
    outHeight,
    outWidth,
    groupIn,
    groupOut: conv.outChannels / conv.groups,
    depth: kh * kw * groupIn,
    positions: outHeight * outWidth,
  };
}

/** cols_g[(b·Ho + oy)·Wo + ox, (ky·kw + kx)·groupIn + c] = input[b, oy + ky, ox + kx, g·groupIn + c]. */
function im2col(input: ArrayLike<number>, cols: Float32Array | Float64Array, g: ConvGeometry, group: number): void {
  const { batch, height, width, inChannels, kh, kw, outHeight, outWidth, groupIn, depth } = g;
  const channelOffset = group * groupIn;
  let row = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        let o = row * depth;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            let s = ((b * height + oy + ky) * width + ox + kx) * inChannels + channelOffset;
            for (let c = 0; c < groupIn; c++) cols[o++] = input[s++];
          }
        }
      }
    }
  }
}

export const conv2dLayer: WeightLayerNumeric = {
  weightCount: (layer) => geometry(layer, 1).depth * (layer.conv?.outChannels ?? 0),

  sample(layer: ResolvedLayer, random: RandomSource, backend: KernelBackend, scratch: Float64Scratch): ConvState {
    const g = geometry(layer, 1);
    const drawn = scratch.take(g.depth * g.outChannels);
    layer.init.distribution.sample(random, drawn, g.depth, g.outChannels);
    const blocks: Matrix[] = [];
    for (let group = 0; group < g.groups; group++) {
      const block = backend.allocate(g.depth, g.groupOut);
      const view = backend.view(block);
      for (let r = 0; r < g.depth; r++) {
        for (let c = 0; c < g.groupOut; c++) view[r * g.groupOut + c] = drawn[r * g.outChannels + group * g.groupOut + c];
      }
      blocks.push(block);
    }
    const state: ConvState = {
      blocks,
      columns: [],
      release() {
        for (const m of [...state.blocks, ...state.columns]) backend.release(m);
        state.columns = [];
      },
    };
    return state;
  },

  forward(layer, layerState, input, backend): Matrix {
    const state = layerState as ConvState;
    const g = geometry(layer, input.rows);
    for (const m of state.columns) backend.release(m);
    state.columns = [];
    const rows = g.batch * g.positions;
    const outputs: Matrix[] = [];
    for (let group = 0; group < g.groups; group++) {
      const cols = backend.allocate(rows, g.depth);
      im2col(backend.view(input), backend.view(cols), g, group);
      state.columns.push(cols);
      outputs.push(backend.matmul(cols, state.blocks[group]));
    }
    if (g.groups === 1) return backend.reshape(outputs[0], g.batch, layer.outputUnits);
    const h = backend.allocate(g.batch, layer.outputUnits);
    for (let group = 0; group < g.groups; group++) {
      const out = backend.view(h);
      const part = backend.view(outputs[group]);
      for (let r = 0; r < rows; r++) {
        const o = r * g.outChannels + group * g.groupOut;
        for (let c = 0; c < g.groupOut; c++) out[o + c] = part[r * g.groupOut + c];
      }
      backend.release(outputs[group]);
    }
    return h;
  },

  backward(layer, layerState, input, gradient, backend, needInputGradient): WeightBackward {
    const state = layerState as ConvState;
    const g = geometry(layer, input.rows);
    const { batch, positions, groupOut, outChannels } = g;
    const columns = batch * positions;
    let weightGradientSumSquares = 0;
    const inputGradient = needInputGradient ? backend.allocate(layer.inputUnits, batch) : undefined;
    if (inputGradient) backend.view(inputGradient).fill(0);
    for (let group = 0; group < g.groups; group++) {
      // dᵀ_g[c, b·P + p] = e[(p·C_out + g·groupOut + c), b]
      const transposed = backend.allocate(groupOut, columns);
      const e = backend.view(gradient);
      const t = backend.view(transposed);
      for (let c = 0; c < groupOut; c++) {
        const channel = group * groupOut + c;
        for (let p = 0; p < positions; p++) {
          const source = (p * outChannels + channel) * batch;
          let target = c * columns + p;
          for (let b = 0; b < batch; b++, target += positions) t[target] = e[source + b];
        }
      }
      const weightGradient = backend.matmul(transposed, state.columns[group]);
      weightGradientSumSquares += sumOfSquares(backend, weightGradient);
      backend.release(weightGradient);
      if (inputGradient) {
        const columnGradient = backend.matmul(state.blocks[group], transposed);
        col2im(backend.view(columnGradient), backend.view(inputGradient), g, group);
        backend.release(columnGradient);
      }
      backend.release(transposed);
    }
    return inputGradient ? { weightGradientSumSquares, inputGradient } : { weightGradientSumSquares };
  },

  workingElements(layer, batch) {
    const g = geometry(layer, batch);
    const columns = batch * g.positions;
    // Weights, kept im2col columns, the transposed gradient, column gradient, input gradient, weight gradient.
    return (
      g.depth * g.outChannels +
      g.groups * columns * g.depth +
      g.groupOut * columns +
      g.depth * columns +
      layer.inputUnits * batch +
      g.depth * g.groupOut +
      layer.outputUnits * batch
    );
  },
};

/** inputGradient[((iy·W + ix)·C_in + g·groupIn + c), b] += columnGradient[(ky·kw + kx)·groupIn + c, (b·Ho + oy)·Wo + ox]. */
function col2im(columnGradient: ArrayLike<number>, inputGradient: Float32Array | Float64Array, g: ConvGeometry, group: number): void {
  const { batch, width, inChannels, kh, kw, outHeight, outWidth, groupIn, positions } = g;
  const columns = batch * positions;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let c = 0; c < groupIn; c++) {
        const row = ((ky * kw + kx) * groupIn + c) * columns;
        const channel = group * groupIn + c;
        for (let b = 0; b < batch; b++) {
          for (let oy = 0; oy < outHeight; oy++) {
            for (let ox = 0; ox < outWidth; ox++) {
              const unit = ((oy + ky) * width + ox + kx) * inChannels + channel;
              inputGradient[unit * batch + b] += columnGradient[row + (b * outHeight + oy) * outWidth + ox];
            }
          }
        }
      }
    }
  }
}
