/**
 * The symbolic layer: derivations of variance propagation built from named rules, every step
 * checked numerically. See `layer.ts` for the entry points most callers want.
 */
export type * from './derivation.js';
export { deriveLayer, deriveNetwork, type LayerOptions, type FieldNames } from './layer.js';
export { deriveForward, type ForwardOptions } from './forward.js';
export { deriveNonZeroMeanInput, type NonZeroMeanOptions } from './nonZeroMeanInput.js';
export { deriveBackward, type BackwardOptions } from './backward.js';
export { deriveWeightGradient, type WeightGradientOptions } from './weightGradient.js';
export { deriveNetworkSection, MAX_RENDERED_SITES } from './networkSection.js';
export { propagate, type Propagation, type SiteMoments } from './propagate.js';
export { solveConditions, type SolvedConditions } from './conditions.js';
export { createEngine, Chain, type Engine, type EngineOptions } from './engine.js';
export { DerivationCheckError, createChecker, type Checker } from './check.js';
export { canonicalVariance, varianceFormula, stdFormula, boundFormula, type CanonicalVariance } from './canonical.js';
export { createNerdamerAlgebra, type Algebra } from './algebra.js';
export { rewriteRules, ruleNames, substitution, RuleNotApplicableError, type RewriteRule } from './rules/index.js';
export { formatText, formatLatex, toDeriveJson, type DeriveJson } from './present.js';
