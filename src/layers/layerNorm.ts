/**
 * Layer normalization at initialization (Ba, Kiros & Hinton 2016), no learned affine:
 * `{ "kind": "layer_norm", "epsilon"?: 1e-5 }` (ε default of PyTorch's torch.nn.LayerNorm,
 * torch/nn/modules/normalization.py). Faces shared with rms_norm: src/layers/normalization.ts.
 */
import type { LayerKind } from './kind.js';
import { normalizationMoments, normalizationNumeric, resolveNormalization, type NormalizationNode } from './normalization.js';

export const LAYER_NORM_DEFAULT_EPSILON = 1e-5;

export const layerNormKind: LayerKind<NormalizationNode> = {
  name: 'layer_norm',
  fields: ['epsilon'],
  summary: 'layer normalization over the units, no affine: { "kind": "layer_norm", "epsilon"?: 1e-5 }',
  resolve: resolveNormalization('layer_norm', LAYER_NORM_DEFAULT_EPSILON),
  moments: normalizationMoments({ centred: true }),
  numeric: normalizationNumeric({ centred: true }),
};
