/**
 * RMS normalization at initialization (Zhang & Sennrich 2019), no learned gain:
 * `{ "kind": "rms_norm", "epsilon"?: 1e-6 }` (ε of the LLaMA reference RMSNorm,
 * facebookresearch/llama model.py; PyTorch's torch.nn.RMSNorm defaults to the dtype's machine
 * epsilon). Faces shared with layer_norm: src/layers/normalization.ts.
 */
import type { LayerKind } from './kind.js';
import { normalizationMoments, normalizationNumeric, resolveNormalization, type NormalizationNode } from './normalization.js';

export const RMS_NORM_DEFAULT_EPSILON = 1e-6;

export const rmsNormKind: LayerKind<NormalizationNode> = {
  name: 'rms_norm',
  fields: ['epsilon'],
  summary: 'RMS normalization over the units, no gain: { "kind": "rms_norm", "epsilon"?: 1e-6 }',
  resolve: resolveNormalization('rms_norm', RMS_NORM_DEFAULT_EPSILON),
  moments: normalizationMoments({ centred: false }),
  numeric: normalizationNumeric({ centred: false }),
};
