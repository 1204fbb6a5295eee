/**
 * The 2-D convolution layer (stride 1, valid padding), every face of it in one place; the faces
 * are long enough to sit in their own files beside this one:
 *
 * - shape (`conv2d/shape.ts`): kernelSize and groups; widths are channels; fans
 *   (C/G)·k_h·k_w, units C·H·W, each layer shrinks the image by k − 1; no orthogonal init.
 * - numeric (`conv2d/numeric.ts`): forward and backward through im2col, NHWC.
 * - moments (src/layers/weights.ts, shared with dense): a kernel entry's gradient sums one term per
 *   output position; backward, the average number of outputs an input feeds (border inputs feed
 *   fewer than n_out).
 * - words (`conv2d/words.ts`): o_{c,u,v} = Σ_{c′,i,j} w_{c,c′,i,j} x_{c′,u+i,v+j}, a sum of n_in
 *   terms; ∂x collects n_out terms away from the border.
 */
import type { LayerKind } from './kind.js';
import { conv2dLayer } from './conv2d/numeric.js';
import { resolveConv2d, type Conv2dNode } from './conv2d/shape.js';
import { conv2dWords } from './conv2d/words.js';
import { weightMoments, weightNumeric } from './weights.js';

export { conv2dLayer };

export const conv2dKind: LayerKind<Conv2dNode> = {
  name: 'conv2d',
  fields: ['channels', 'kernelSize', 'groups', 'init', 'biasStd'],
  summary: 'a 2-D convolution, stride 1, valid padding: { "kind": "conv2d", "channels": C_out, "kernelSize": k, "groups"?, "init"?, "biasStd"? }',
  resolve: resolveConv2d,
  moments: weightMoments,
  numeric: weightNumeric(conv2dLayer),
  words: conv2dWords,
};
