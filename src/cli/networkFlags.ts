/**
 * The network flags that `check` and `report` share: either a JSON network description (`--spec`)
 * or `--widths`/`--act`/`--init` with the init's options as flags. One parser, so every command reads
 * a network the same way and reports a conflict the same way.
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { parseNumberFlag, parseWidthsFlag, refText } from './flags.js';
import type { InitRef } from '../vocabulary/init.js';
import { parseCallSyntax } from '../vocabulary/inits/registry.js';
import { isTreeSpec, type NetworkSpec, type TreeNetworkSpec, type WidthsNetworkSpec } from '../vocabulary/network.js';

export interface NetworkFlags {
  spec?: string;
  widths?: string;
  act?: string;
  init?: string;
  gain?: string;
  mode?: string;
  biasStd?: string;
  inputVariance?: string;
}

/**
 * Builds the network description from the flags. `fallback` fills what neither `--spec` nor a flag
 * gives (e.g. the flagship network); `--spec` together with `--widths` is a conflict.
 */
export function networkSpecFromFlags(flags: NetworkFlags, fallback: Partial<WidthsNetworkSpec> = {}): NetworkSpec {
  if (flags.spec !== undefined && flags.widths !== undefined) {
    throw new InputError('--widths', flags.widths, 'no --widths together with --spec', 'the spec file gives the widths');
  }
  const file = flags.spec !== undefined ? readSpecFile(flags.spec) : undefined;
  if (file !== undefined && 'input' in file && !('widths' in file)) return treeSpecWithFlags(file as TreeNetworkSpec, flags);
  const base: Partial<WidthsNetworkSpec> = (file as Partial<WidthsNetworkSpec> | undefined) ?? { ...fallback };
  const widths = flags.widths !== undefined ? parseWidthsFlag('--widths', flags.widths) : base.widths;
  if (widths === undefined) throw new InputError('--widths', undefined, 'a comma-separated list such as 784,256,256,10', 'Or pass --spec file.json');
  const spec: WidthsNetworkSpec = { ...base, widths };
  if (flags.act !== undefined) spec.activation = flags.act;
  spec.activation ??= 'identity';
  const init = initFromFlags(flags, base.init ?? 'xavier_uniform');
  spec.init = init;
  if (flags.biasStd !== undefined) spec.biasStd = parseNumberFlag('--bias-std', flags.biasStd, 'a number ≥ 0', (v) => v >= 0);
  if (flags.inputVariance !== undefined) {
    spec.inputVariance = parseNumberFlag('--input-variance', flags.inputVariance, 'a number > 0', (v) => v > 0);
  }
  return spec;
}

/** A tree spec names activations, inits and biases per node: only --input-variance applies to it. */
function treeSpecWithFlags(spec: TreeNetworkSpec, flags: NetworkFlags): NetworkSpec {
  const perNode: [string, unknown][] = [['--act', flags.act], ['--init', flags.init], ['--gain', flags.gain], ['--mode', flags.mode], ['--bias-std', flags.biasStd]];
  for (const [flag, value] of perNode) {
    if (value !== undefined) throw new InputError(flag, value, `no ${flag} with a tree spec (input and layers)`, 'set it on the nodes of the spec file instead');
  }
  if (flags.inputVariance === undefined) return spec;
  return { ...spec, inputVariance: parseNumberFlag('--input-variance', flags.inputVariance, 'a number > 0', (v) => v > 0) };
}

function initFromFlags(flags: NetworkFlags, fallback: InitRef): InitRef {
  const given: InitRef = flags.init ?? fallback;
  if (flags.gain === undefined && flags.mode === undefined) return given;
  const options: Exclude<InitRef, string> =
    typeof given === 'string' ? (given.includes('(') ? parseCallSyntax(given).options : { name: given }) : { ...given };
  if (flags.gain !== undefined) {
    if (options.gain !== undefined) throw new InputError('--gain', flags.gain, 'one gain, not both --gain and a gain inside --init');
    options.gain = parseNumberFlag('--gain', flags.gain, 'a finite number > 0', (v) => v > 0);
  }
  if (flags.mode !== undefined) {
    if (options.mode !== undefined) throw new InputError('--mode', flags.mode, 'one mode, not both --mode and a mode inside --init');
    options.mode = flags.mode as Exclude<InitRef, string>['mode'];
  }
  return options;
}

/** Largest spec file read (a 6,667-layer widths list is ~40 KB; anything near this is not a network). */
export const MAX_SPEC_BYTES = 4 * 1024 * 1024;

function readSpecFile(path: string): Partial<WidthsNetworkSpec> | TreeNetworkSpec {
  let text: string;
  try {
    const info = statSync(path);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: info.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
    if (info.size > MAX_SPEC_BYTES) {
      throw new InputError('--spec', path, `a JSON file of at most ${MAX_SPEC_BYTES / 1024 / 1024} MiB`, `It is ${(info.size / 1024 / 1024).toFixed(1)} MiB`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'It does not exist' : code === 'EISDIR' ? 'It is a folder' : code === 'EACCES' ? 'It cannot be read (permission denied)' : 'It cannot be read';
    throw new InputError('--spec', path, 'a readable JSON file', why);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError('--spec', path, 'a file of valid JSON', (error as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError('--spec', path, 'a JSON object such as {"widths": [784, 256, 10], "activation": "tanh"}');
  }
  // `"activation": null` used to mean the default quietly; a null is more likely a mistake.
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null) throw new InputError(key, null, `a value for "${key}"`, `Leave "${key}" out of the spec file for its default`);
  }
  return parsed as Partial<WidthsNetworkSpec> | TreeNetworkSpec;
}

/** The flags that reproduce a network description on the command line (for report footers). */
export function networkFlagsText(spec: NetworkSpec, specPath?: string): string {
  if (specPath !== undefined) return `--spec ${shellQuote(specPath)}`;
  if (isTreeSpec(spec)) return `--spec network.json (the tree: ${spec.layers.length} top-level nodes)`;
  const parts = [`--widths ${spec.widths.join(',')}`, `--act ${shellQuote(refText(spec.activation ?? 'identity'))}`, `--init ${shellQuote(refText(spec.init ?? 'xavier_uniform'))}`];
  if (spec.biasStd) parts.push(`--bias-std ${spec.biasStd}`);
  if (spec.inputVariance !== undefined && spec.inputVariance !== 1) parts.push(`--input-variance ${spec.inputVariance}`);
  return parts.join(' ');
}

/** Quotes a shell word when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a comma-separated list, keeping commas inside parentheses: `standard,he_normal(mode=fan_out, a=0)`. */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter(Boolean);
}
