/**
 * The whole derivation for one layer (dense unless its kind's words are passed), and for a network
 * (the first layer's derivation, in its kind's words, plus every site's factors). This is
 * what the CLI, reports and the explorer present.
 */
import { InputError } from '../errors.js';
import { findLayerKind, type LayerWords } from '../layers/kind.js';
import type { Activation, ActivationRef } from '../vocabulary/activation.js';
import { resolveActivation } from '../vocabulary/activations/registry.js';
import type { InitRef, ResolvedInit } from '../vocabulary/init.js';
import { resolveInit } from '../vocabulary/inits/registry.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';
import { deriveBackward } from './backward.js';
import { solveConditions } from './conditions.js';
import type { Derivation, DerivationSection } from './derivation.js';
import { createEngine, type Engine } from './engine.js';
import { deriveForward } from './forward.js';
import { deriveInit } from './initSection.js';
import { deriveNonZeroMeanInput } from './nonZeroMeanInput.js';
import { deriveNetworkSection } from './networkSection.js';
import { assertFans, assertPositiveFinite } from './validate.js';
import { deriveWeightGradient } from './weightGradient.js';

export interface LayerOptions {
  fanIn: number;
  fanOut: number;
  /** The activation (name, options or a resolved one); default identity. */
  activation?: ActivationRef | Activation;
  /** The init preset (name, options or resolved at these fans); default xavier_uniform. */
  init?: InitRef | ResolvedInit;
  /** γ²: variance of the layer input (and of the pre-activation feeding φ); default 1. */
  inputVariance?: number;
  /** Engine to check steps with (default a fresh one). */
  engine?: Engine;
  /** The layer kind's words (default dense); `deriveNetwork` passes the first layer's kind's. */
  words?: LayerWords;
}

/** Field names used in error messages (the CLI passes its flag names). */
export interface FieldNames {
  fanIn: string;
  fanOut: string;
  inputVariance: string;
  activation: string;
  init: string;
}

const DEFAULT_FIELDS: FieldNames = { fanIn: 'fanIn', fanOut: 'fanOut', inputVariance: 'inputVariance', activation: 'activation', init: 'init' };

function isActivation(value: ActivationRef | Activation): value is Activation {
  return value !== null && typeof value === 'object' && 'moments' in value && typeof value.moments === 'function';
}

function isResolvedInit(value: InitRef | ResolvedInit): value is ResolvedInit {
  return value !== null && typeof value === 'object' && 'distribution' in value && 'varianceExpression' in value;
}

/**
 * Derives, for one dense layer, the forward and backward variances, the non-zero-mean input case
 * when the activation is not zero-mean, the weight gradient, the solved conditions and the chosen
 * init, every step checked numerically.
 *
 * @example
 * ```ts
 * const d = deriveLayer({ fanIn: 784, fanOut: 256, activation: 'tanh', init: 'xavier_uniform' });
 * d.chosen.std; // 0.0438529...
 * ```
 */
export function deriveLayer(options: LayerOptions, fields: FieldNames = DEFAULT_FIELDS): Derivation {
  const { fanIn, fanOut } = options;
  assertFans(fanIn, fanOut, fields);
  const q = options.inputVariance ?? 1;
  assertPositiveFinite(q, fields.inputVariance);
  const engine = options.engine ?? createEngine();
  const activation = options.activation === undefined ? undefined : isActivation(options.activation) ? options.activation : resolveActivation(options.activation, fields.activation);
  const init = isResolvedInit(options.init ?? 'xavier_uniform') ? (options.init as ResolvedInit) : resolveInit((options.init ?? 'xavier_uniform') as InitRef, fanIn, fanOut, fields.init);
  const variance = init.variance;
  if (!Number.isFinite(variance) || variance <= 0) throw new InputError(fields.init, init.label, 'an init with a positive variance at these fans');

  const words = options.words;
  const sections: DerivationSection[] = [deriveForward({ engine, activation, fanIn, variance, inputVariance: q, words })];
  if (activation && Math.abs(activation.moments(q).mean) > 1e-12) sections.push(deriveNonZeroMeanInput({ engine, activation, q, fanIn, variance, words }));
  // The activation after this layer sees the layer's own output, of variance n_in σ² γ².
  const outputVariance = fanIn * variance * q;
  sections.push(deriveBackward({ engine, activation, q: outputVariance, fanOut, variance, words }));
  // x is this layer's input, the same x as the forward section's: E[x²] = γ² (one second moment for it everywhere).
  sections.push(deriveWeightGradient({ engine, q, words }));
  const solved = solveConditions(fanIn, fanOut, activation, { engine });
  sections.push(solved.section);
  const initPart = deriveInit(engine, init, fanIn, fanOut, solved.conditions);
  sections.push(initPart.section);
  return {
    fanIn,
    fanOut,
    activation: activation?.label ?? 'identity',
    init: init.label,
    sections,
    conditions: solved.conditions,
    chosen: initPart.chosen,
  };
}

/**
 * The first weight layer's derivation, in the words of its kind (a conv2d layer's pre-activation sum
 * and fans), plus the network section: every site's factors as `propagate()` composed them.
 */
export function deriveNetwork(network: ResolvedNetwork, options: { engine?: Engine } = {}): Derivation {
  const first = network.layers[0];
  const kind = findLayerKind(network.kinds, first.kind);
  const engine = options.engine ?? createEngine();
  const derivation = deriveLayer({
    fanIn: first.fanIn,
    fanOut: first.fanOut,
    activation: first.activation,
    init: first.init,
    inputVariance: network.inputVariance,
    engine,
    ...(kind?.words ? { words: kind.words(first) } : {}),
  });
  return { ...derivation, sections: [...derivation.sections, deriveNetworkSection(network, engine)] };
}
