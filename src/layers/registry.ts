/**
 * The table of layer kinds, keyed by the `kind` of a node: adding a kind is one file and one line
 * here.
 */
import { activationKind } from './activation.js';
import { attentionKind } from './attention.js';
import { biasKind } from './bias.js';
import { conv2dKind } from './conv2d.js';
import { denseKind } from './dense.js';
import type { LayerKindTable } from './kind.js';
import { layerNormKind } from './layerNorm.js';
import { repeatKind } from './repeat.js';
import { residualKind } from './residual.js';
import { rmsNormKind } from './rmsNorm.js';
import { scaleKind } from './scale.js';
import { serialKind } from './serial.js';

export const builtInLayerKinds: LayerKindTable = {
  dense: denseKind,
  conv2d: conv2dKind,
  bias: biasKind,
  activation: activationKind,
  layer_norm: layerNormKind,
  rms_norm: rmsNormKind,
  residual: residualKind,
  repeat: repeatKind,
  serial: serialKind,
  scale: scaleKind,
  attention: attentionKind,
};
