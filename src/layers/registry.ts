/**
 * The table of layer kinds, keyed by `ResolvedLayer.kind`: adding a kind is one file and one line
 * here (its name then becomes a `LayerKindName`, its override fields part of `LayerOverride`).
 */
import { conv2dKind } from './conv2d.js';
import { denseKind } from './dense.js';
import type { LayerKind, LayerKindTable, NumericLayerKind } from './kind.js';

export const builtInLayerKinds = {
  dense: denseKind,
  conv2d: conv2dKind,
} as const satisfies LayerKindTable;

/** The override fields each built-in kind adds, merged: `kernelSize` and `groups` from conv2d. */
export type BuiltInKindOverrides = UnionToIntersection<{ [K in keyof typeof builtInLayerKinds]: OverrideOf<(typeof builtInLayerKinds)[K]> }[keyof typeof builtInLayerKinds]>;

type OverrideOf<Kind> = Kind extends LayerKind<infer Override> ? Override : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The numeric faces of the built-in kinds (the Monte Carlo engine's view of the table). */
export const numericLayerKinds = Object.fromEntries(Object.entries(builtInLayerKinds).map(([name, kind]) => [name, kind.numeric])) as Readonly<
  Record<keyof typeof builtInLayerKinds, NumericLayerKind>
>;
