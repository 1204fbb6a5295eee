/**
 * The activation table. Adding an activation is one new file exporting an {@link ActivationKind}
 * and one line in `kinds` below.
 *
 * @example
 * ```ts
 * resolveActivation('tanh');
 * resolveActivation({ name: 'leaky_relu', slope: 0.2 });
 * resolveActivation('leaky_relu(0.2)');
 * resolveActivation('x/(1+abs(x))'); // custom, φ′ derived symbolically
 * ```
 */
import { InputError } from '../../errors.js';
import type { Activation, ActivationRef } from '../activation.js';
import { createCustomActivation } from './custom.js';
import { eluKind } from './elu.js';
import { erfKind } from './erf.js';
import { geluKind } from './gelu.js';
import { identityKind } from './identity.js';
import type { ActivationKind } from './kind.js';
import { leakyReluKind } from './leaky_relu.js';
import { reluKind } from './relu.js';
import { seluKind } from './selu.js';
import { sigmoidKind } from './sigmoid.js';
import { siluKind } from './silu.js';
import { softplusKind } from './softplus.js';
import { tanhKind } from './tanh.js';

const kinds: readonly ActivationKind[] = [
  identityKind,
  tanhKind,
  sigmoidKind,
  reluKind,
  leakyReluKind,
  eluKind,
  seluKind,
  geluKind,
  siluKind,
  softplusKind,
  erfKind,
];

const kindsByName = new Map(kinds.map((kind) => [kind.name, kind]));

/** Names of the built-in activations, in table order. */
export const activationNames: readonly string[] = kinds.map((kind) => kind.name);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `leaky_relu(0.2)`, `elu(0.5)`: a one-parameter kind with its value, as activation labels print. */
const CALL_WITH_NUMBER = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)$/;

function allowedNames(): string {
  return `one of ${activationNames.join(', ')}, or an expression in x such as x/(1+abs(x))`;
}

/**
 * Resolves an {@link ActivationRef} to an {@link Activation}.
 * - a built-in name (`'tanh'`), or `'leaky_relu(0.2)'` for a one-parameter kind;
 * - `{ name, slope?, alpha? }` with the kind's own parameters;
 * - `{ expression }`, or any other string that parses as an expression in x: a custom activation.
 * @param field the field name used in error messages (default `activation`)
 * @throws InputError for an unknown name (listing the allowed ones), a parameter the kind does not
 *   take or a bad value, or a malformed expression.
 */
export function resolveActivation(ref: ActivationRef, field = 'activation'): Activation {
  if (typeof ref === 'string') return resolveString(ref, field);
  if (ref !== null && typeof ref === 'object' && !Array.isArray(ref)) {
    if ('expression' in ref) {
      const extra = Object.keys(ref).filter((key) => key !== 'expression');
      if (extra.length > 0) throw new InputError(`${field}.${extra[0]}`, (ref as Record<string, unknown>)[extra[0]], 'nothing besides expression for a custom activation');
      return createCustomActivation(ref.expression, `${field}.expression`);
    }
    if ('name' in ref) {
      const { name, ...params } = ref as { name: unknown } & Record<string, unknown>;
      if (typeof name !== 'string' || !kindsByName.has(name)) {
        throw new InputError(`${field}.name`, name, `one of ${activationNames.join(', ')}`, suggestion(name));
      }
      return createKind(kindsByName.get(name)!, params, field);
    }
  }
  throw new InputError(field, ref, `an activation name (${activationNames.join(', ')}), { name, slope | alpha }, or { expression }`);
}

function resolveString(text: string, field: string): Activation {
  const trimmed = text.trim();
  const kind = kindsByName.get(trimmed);
  if (kind) return createKind(kind, {}, field);
  const call = CALL_WITH_NUMBER.exec(trimmed);
  if (call && kindsByName.has(call[1])) {
    const called = kindsByName.get(call[1])!;
    const parameterNames = Object.keys(called.parameters);
    if (parameterNames.length !== 1) {
      throw new InputError(field, text, `${called.name} without arguments`, `${called.name} takes no parameter`);
    }
    return createKind(called, { [parameterNames[0]]: Number(call[2]) }, field);
  }
  if (IDENTIFIER.test(trimmed) && trimmed !== 'x') {
    throw new InputError(field, text, allowedNames(), suggestion(trimmed));
  }
  return createCustomActivation(trimmed, field);
}

function createKind(kind: ActivationKind, given: Record<string, unknown>, field: string): Activation {
  const params: Record<string, number> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const parameter = kind.parameters[key];
    if (!parameter) {
      const accepted = Object.keys(kind.parameters);
      throw new InputError(
        `${field}.${key}`,
        value,
        accepted.length > 0 ? `only ${accepted.join(', ')} for ${kind.name}` : `no parameters: ${kind.name} takes none`,
      );
    }
    if (typeof value !== 'number' || !parameter.isAllowed(value)) throw new InputError(`${field}.${key}`, value, parameter.allowed);
    params[key] = value;
  }
  for (const [key, parameter] of Object.entries(kind.parameters)) params[key] ??= parameter.default;
  return kind.create(params);
}

/** "Did you mean tanh?" for a name within edit distance 2 of a known one. */
function suggestion(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of activationNames) {
    const distance = editDistance(name.toLowerCase(), known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best ? `Did you mean ${best}?` : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** Help text: one line per activation with its parameters and defaults, then the custom form. */
export function describeActivations(): string {
  const lines = kinds.map((kind) => {
    const parameters = Object.entries(kind.parameters).map(([key, parameter]) => `${key}=${parameter.default}`);
    const name = parameters.length > 0 ? `${kind.name}(${parameters.join(', ')})` : kind.name;
    return `  ${name.padEnd(24)} ${kind.summary}`;
  });
  lines.push(`  ${'<expression in x>'.padEnd(24)} custom, e.g. x/(1+abs(x)) or x*tanh(log(1+exp(x))); φ′ derived symbolically`);
  return lines.join('\n');
}
