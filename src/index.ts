/**
 * varprop's public entry point: every concern's public API, re-exported. One line (or one small
 * block) per concern; the testing helpers live in the separate `varprop/testing` export.
 *
 * @example
 * ```ts
 * import { deriveLayer, checkNetwork, computeFans } from 'varprop';
 * ```
 */
// Errors every entry point throws for bad input.
export { InputError, NumericalBreakdownError, MemoryBudgetError, isUserFacingError } from './errors.js';
// The network vocabulary: descriptions, activations, weight distributions, init presets, fans, gains.
export { resolveNetwork, validateNetworkSpec, builtInCatalogue, expandWidths, networkWidths, MAX_NETWORK_NODES, MAX_NESTING } from './vocabulary/network.js';
export type { NetworkSpec, WidthsNetworkSpec, TreeNetworkSpec, LayerNodeSpec, NetworkSite, ResolvedNetwork, ResolvedLayer, LayerOverride, NetworkCatalogue } from './vocabulary/network.js';
// Layer kinds: the table, and the contract a new kind fulfils.
export { builtInLayerKinds } from './layers/registry.js';
export type { LayerKind, LayerKindTable, ResolvedNode, SignalMoments, GradientMoments, MomentRule, MomentFace, NumericFace } from './layers/kind.js';
export { propagate } from './symbolic/propagate.js';
export type { Propagation, SiteMoments } from './symbolic/propagate.js';
export type { Activation, ActivationRef, GaussianMoments, PredictionKind } from './vocabulary/activation.js';
export type { WeightDistribution } from './vocabulary/distribution.js';
export type { InitPreset, InitRef, ResolvedInit, FanMode } from './vocabulary/init.js';
export { resolveActivation, activationNames, describeActivations } from './vocabulary/activations/registry.js';
export { resolveInit, initNames, describeInits } from './vocabulary/inits/registry.js';
export { createDistribution, distributionNames, describeDistributions } from './vocabulary/distributions/registry.js';
export { computeFans, type Fans, type FanOptions, type WeightLayout } from './vocabulary/fans.js';
export { computeGains, type GainReport } from './vocabulary/gains.js';
// The symbolic engine: derivations as data, solved conditions, predictions.
export * from './symbolic/index.js';
export type { Derivation, DerivationSection, DerivationStep, RuleId, AssumptionFlag, SolvedCondition } from './symbolic/derivation.js';
export { predictNetwork, predictLinear, predictMeanField } from './symbolic/predict.js';
export type { NetworkPrediction, LayerPrediction, SitePrediction, PredictionFlavours, PredictionSeries } from './symbolic/predict.js';
// The Monte Carlo engine, its statistics and checks.
export { measureNetwork } from './numeric/engine.js';
export { checkNetwork, checkResolvedNetwork, CHECK_DEFAULTS, type CheckOptions, type MeasureFunction } from './numeric/check.js';
export type { CheckReport, LayerCheck, QuantityCheck, MeasureOptions, RawMeasurement, ReplicateValues } from './numeric/measurement.js';
export { createRandom, replicateRandom } from './math/random.js';
export type { RandomSource } from './math/random.js';
export * as statistics from './math/statistics.js';
export { estimateMemory, type MemoryEstimate } from './numeric/memory.js';
export { demos, runMatrixProductDemo, runSigmoidDemo, runSymmetryDemo } from './numeric/demos/index.js';
// Reports.
export { generateReport, type ReportRequest, type GeneratedReport } from './report/generate.js';
// The command line, runnable in-process.
export { main } from './cli/main.js';
export { memoryIO, type CliIO } from './cli/io.js';
