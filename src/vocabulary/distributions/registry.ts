/**
 * The table of weight distributions: each law lives in its own file; this table names them and
 * builds one from JSON-style parameters.
 *
 * @example
 * ```ts
 * createDistribution('uniform', { bound: 0.0759555 }).variance; // 0.0019230…
 * ```
 */
import { InputError } from '../../errors.js';
import type { WeightDistribution } from '../distribution.js';
import { constantDistribution } from './constant.js';
import { normalDistribution } from './normal.js';
import { orthogonalDistribution } from './orthogonal.js';
import { truncatedNormalDistribution } from './truncatedNormal.js';
import { uniformDistribution } from './uniform.js';

interface DistributionEntry {
  readonly name: string;
  readonly description: string;
  /** Parameter names and defaults (undefined = required). */
  readonly parameters: Readonly<Record<string, number | undefined>>;
  create(params: Readonly<Record<string, number>>): WeightDistribution;
}

const entries: readonly DistributionEntry[] = [
  {
    name: 'normal',
    description: 'N(0, σ²); variance σ², fourth moment 3σ⁴',
    parameters: { std: undefined },
    create: (p) => normalDistribution(p.std),
  },
  {
    name: 'uniform',
    description: 'U(−a, a); variance a²/3, fourth moment a⁴/5',
    parameters: { bound: undefined },
    create: (p) => uniformDistribution(p.bound),
  },
  {
    name: 'truncated_normal',
    description: 'N(0, σ²) redrawn outside ±2σ; actual std 0.8796·σ',
    parameters: { std: undefined },
    create: (p) => truncatedNormalDistribution(p.std),
  },
  {
    name: 'orthogonal',
    description: 'Haar semi-orthogonal rows×cols matrix times the gain; variance gain²/max(rows, cols)',
    parameters: { gain: 1, rows: undefined, cols: undefined },
    create: (p) => orthogonalDistribution(p.gain, p.rows, p.cols),
  },
  {
    name: 'constant',
    description: 'every weight equal to c; variance 0',
    parameters: { value: 0 },
    create: (p) => constantDistribution(p.value),
  },
];

/** Names of the weight distributions, in table order. */
export const distributionNames: readonly string[] = entries.map((entry) => entry.name);

/** Name, parameters and one line for each law (for `--help` and docs). */
export function describeDistributions(): { name: string; parameters: string[]; description: string }[] {
  return entries.map((entry) => ({
    name: entry.name,
    parameters: Object.keys(entry.parameters),
    description: entry.description,
  }));
}

/**
 * Builds a weight distribution by name. Unknown names, unknown or missing parameters and bad
 * values throw {@link InputError}.
 */
export function createDistribution(name: string, params: Readonly<Record<string, number>> = {}): WeightDistribution {
  const entry = entries.find((candidate) => candidate.name === name);
  if (!entry) throw new InputError('distribution', name, `one of ${distributionNames.join(', ')}`);
  const allowed = Object.keys(entry.parameters);
  const resolved: Record<string, number> = {};
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw new InputError(`distribution.${key}`, params[key], `no such parameter for ${name}`, `Allowed: ${allowed.join(', ')}`);
    }
  }
  for (const key of allowed) {
    const value = params[key] ?? entry.parameters[key];
    if (value === undefined) throw new InputError(`distribution.${key}`, undefined, `a number (required by ${name})`);
    resolved[key] = value;
  }
  return entry.create(resolved);
}
