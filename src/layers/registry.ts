/** The table of numeric layer kinds, keyed by `ResolvedLayer.kind`. */
import type { LayerKindName } from '../vocabulary/network.js';
import { conv2dLayer } from './conv2d.js';
import { denseLayer } from './dense.js';
import type { NumericLayerKind } from './kind.js';

export const numericLayerKinds: Readonly<Record<LayerKindName, NumericLayerKind>> = {
  dense: denseLayer,
  conv2d: conv2dLayer,
};
