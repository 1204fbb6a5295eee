/**
 * `varprop derive`: the step-by-step derivation, for one dense layer or for a whole network.
 *
 * - One layer: `--fan-in 784 --fan-out 256 [--act tanh] [--init xavier_uniform] [--input-variance 1]`.
 *   JSON fields `steps`, `conditions`, `std`, `bound`, `variance` are a contract.
 * - A network: `--spec net.json` (the tree form or the widths shorthand) or `--widths 784,256,10
 *   [--act …] [--init …]`: the first weight layer's derivation in its kind's words, then every site
 *   (node of the tree) as `propagate()` composed it, each factor a checked step. The JSON adds
 *   `network: { input, inputVariance, sites, layers }`; a site is `{ path, kind, layer?, forward,
 *   backward, weightGradient? }`, each quantity `{ value, prediction: 'exact' | 'meanField', linear }`.
 *   These names are a contract too.
 *
 * Output formats: text (default), latex, json (`--json` is `--format json`).
 */
import { InputError } from '../../errors.js';
import type { PredictionFlavours, SitePrediction } from '../../symbolic/predict.js';
import type { DeriveJson } from '../../symbolic/present.js';
import type { NetworkSpec, ResolvedNetwork } from '../../vocabulary/network.js';
import { addNetworkOptions, parseNumberFlag, refText } from '../flags.js';
import type { NetworkFlags } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

const FORMATS = ['text', 'latex', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface DeriveFlags extends NetworkFlags {
  fanIn?: string;
  fanOut?: string;
  format: string;
  json?: boolean;
}

/** One predicted quantity at a site: the value tested by `check`, which prediction it is, and linear theory's. */
export interface SiteQuantityJson {
  value: number;
  prediction: 'exact' | 'meanField';
  linear: number;
}

/** One site (node of the tree) in `derive --json`. */
export interface SiteJson {
  path: string;
  kind: string;
  /** 1-based weight-layer index (dense, conv2d). */
  layer?: number;
  /** E[y²] at the node's output. */
  forward: SiteQuantityJson;
  /** E[(∂y)²] at the node's output. */
  backward: SiteQuantityJson;
  /** E[(∂w)²] per weight entry and example (weight sites). */
  weightGradient?: SiteQuantityJson;
}

/** `derive --json` for a network: the first layer's derivation plus every site's predictions. */
export interface DeriveNetworkJson extends DeriveJson {
  network: {
    /** Units of a vector input, or [channels, height, width]. */
    input: number | [number, number, number];
    inputVariance: number;
    sites: SiteJson[];
    /** Per weight layer: E[h_l²] and E[d_l²] at its pre-activation, E[(∂W_l)²]. */
    layers: Array<{ layer: number; path: string; fanIn: number; fanOut: number; forward: SiteQuantityJson; backward: SiteQuantityJson; weightGradient: SiteQuantityJson }>;
  };
}

function quantity(flavours: PredictionFlavours): SiteQuantityJson {
  return flavours.exact !== null
    ? { value: flavours.exact, prediction: 'exact', linear: flavours.linear }
    : { value: flavours.meanField, prediction: 'meanField', linear: flavours.linear };
}

function siteJson(site: SitePrediction): SiteJson {
  return {
    path: site.path,
    kind: site.kind,
    ...(site.layer !== undefined ? { layer: site.layer } : {}),
    forward: quantity(site.forward),
    backward: quantity(site.backward),
    ...(site.weightGradient ? { weightGradient: quantity(site.weightGradient) } : {}),
  };
}

function inputShape(network: ResolvedNetwork): number | [number, number, number] {
  const { input } = network;
  return input.spatial ? [input.width, input.spatial[0], input.spatial[1]] : input.units;
}

/** The per-site predictions of a network, as `derive --json` states them. */
export async function networkJson(network: ResolvedNetwork): Promise<DeriveNetworkJson['network']> {
  const { predictNetwork } = await import('../../symbolic/predict.js');
  const prediction = predictNetwork(network);
  return {
    input: inputShape(network),
    inputVariance: network.inputVariance,
    sites: prediction.sites.map(siteJson),
    layers: prediction.layers.map((layer) => ({
      layer: layer.layer,
      path: layer.path,
      fanIn: layer.fanIn,
      fanOut: layer.fanOut,
      forward: quantity(layer.forward),
      backward: quantity(layer.backward),
      weightGradient: quantity(layer.weightGradient),
    })),
  };
}

const fmt = (value: number) => {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5 ? String(Number(value.toPrecision(6))) : value.toExponential(4);
};
const label = (q: SiteQuantityJson) => `${fmt(q.value)} ${q.prediction === 'exact' ? '(exact)' : '(mean-field)'}`;

/** One line naming the network: the widths shorthand, or the tree's input and node count. */
async function networkHeadline(spec: NetworkSpec, network: ResolvedNetwork): Promise<string> {
  const { isTreeSpec } = await import('../../vocabulary/network.js');
  if (!isTreeSpec(spec)) {
    return `Variance propagation through the network ${spec.widths.join(' → ')}, activation ${refText(spec.activation ?? 'identity')}, init ${refText(spec.init ?? 'xavier_uniform')}`;
  }
  const input = inputShape(network);
  return `Variance propagation through a network of ${network.sites.length} nodes (${network.layers.length} weight layers), input ${Array.isArray(input) ? input.join('×') : input}`;
}

/** The per-site table: path, kind, E[y²], E[(∂y)²], E[(∂w)²], each labelled exact or mean-field. */
function siteTable(sites: readonly SiteJson[]): string[] {
  const header = ['path', 'kind', 'E[y²]', 'E[(∂y)²]', 'E[(∂w)²]'];
  const rows = sites.map((s) => [s.path, s.kind, label(s.forward), label(s.backward), s.weightGradient ? label(s.weightGradient) : '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function networkText(headline: string, network: ResolvedNetwork, body: string, json: DeriveNetworkJson['network']): string {
  const out = [headline, '='.repeat(Math.min(100, headline.length)), ''];
  out.push(`Per site (node of the tree, by path): E[y²] and E[(∂y)²] at its output, E[(∂w)²] per weight entry; input E[x²] = ${fmt(network.inputVariance)},`);
  out.push('E[(∂y)²] = 1 at the output (a random linear loss). "exact" holds in expectation at any width; "mean-field" as width → ∞.');
  out.push('', ...siteTable(json.sites), '', `The first weight layer (${json.layers[0].path}) step by step, then every site's factor as a checked step:`, '');
  return `${out.join('\n')}\n${body}`;
}

const latexNumber = (value: number) => {
  const text = fmt(value);
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(text);
  return m ? `${m[1]}\\times 10^{${Number(m[2])}}` : text;
};
const latexLabel = (q: SiteQuantityJson) => `$${latexNumber(q.value)}$${q.prediction === 'exact' ? '' : '$^\\ast$'}`;
const latexEscape = (text: string) => text.replace(/_/g, '\\_');

function networkLatex(headline: string, body: string, json: DeriveNetworkJson['network']): string {
  const out = [`% ${headline}`, '% Per-site predictions; values marked * are mean-field (exact as width → ∞), the others exact at any width.', ''];
  out.push('\\subsection*{Per site}', '\\begin{tabular}{llrrr}', '  path & kind & $\\mathbb{E}[y^2]$ & $\\mathbb{E}[(\\partial y)^2]$ & $\\mathbb{E}[(\\partial w)^2]$ \\\\ \\hline');
  for (const s of json.sites) {
    out.push(`  \\texttt{${latexEscape(s.path)}} & ${latexEscape(s.kind)} & ${latexLabel(s.forward)} & ${latexLabel(s.backward)} & ${s.weightGradient ? latexLabel(s.weightGradient) : ''} \\\\`);
  }
  out.push('\\end{tabular}', '');
  return `${out.join('\n')}\n${body}`;
}

async function networkSpecOf(flags: DeriveFlags): Promise<NetworkSpec> {
  for (const [flag, value] of [['--fan-in', flags.fanIn], ['--fan-out', flags.fanOut]] as const) {
    if (value !== undefined) throw new InputError(flag, value, `no ${flag} together with ${flags.spec !== undefined ? '--spec' : '--widths'}`, 'the network gives the fans');
  }
  const { networkSpecFromFlags } = await import('../networkFlags.js');
  return networkSpecFromFlags(flags);
}

function print(format: Format, io: { stdout(text: string): void }, json: () => unknown, latex: () => string, text: () => string): void {
  if (format === 'json') io.stdout(`${JSON.stringify(json(), null, 2)}\n`);
  else if (format === 'latex') io.stdout(latex());
  else io.stdout(text());
}

export const register: RegisterCommand = (program, io) => {
  addNetworkOptions(
    program
      .command('derive')
      .description('Derive, step by step, the second moments forward and backward: for one dense layer (--fan-in/--fan-out) or a whole network (--spec, --widths)')
      .option('--fan-in <n>', 'one layer: fan-in n_in (a positive integer)')
      .option('--fan-out <n>', 'one layer: fan-out n_out (a positive integer)'),
  )
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--json', 'same as --format json')
    .addHelpText('after', '\nOne layer: --fan-in and --fan-out (with --act, --init, --input-variance; init default xavier_uniform).\nA network: --spec net.json (tree form {"input", "layers"} or the widths shorthand) or --widths; the output adds every site (path, kind) with E[y²], E[(∂y)²] and E[(∂w)²], each labelled exact or mean-field.')
    .action(async (flags: DeriveFlags) => {
      const format = (flags.json ? 'json' : flags.format) as Format;
      if (!FORMATS.includes(format)) throw new InputError('--format', flags.format, `one of ${FORMATS.join(', ')}`);
      if (flags.spec !== undefined || flags.widths !== undefined) {
        const spec = await networkSpecOf(flags);
        const [{ resolveNetwork }, { deriveNetwork }, { formatLatex, formatText, toDeriveJson }] = await Promise.all([
          import('../../vocabulary/network.js'),
          import('../../symbolic/layer.js'),
          import('../../symbolic/present.js'),
        ]);
        const network = resolveNetwork(spec);
        const derivation = deriveNetwork(network);
        const sites = await networkJson(network);
        const headline = await networkHeadline(spec, network);
        print(
          format,
          io,
          (): DeriveNetworkJson => ({ ...toDeriveJson(derivation), network: sites }),
          () => networkLatex(headline, formatLatex(derivation), sites),
          () => networkText(headline, network, formatText(derivation), sites),
        );
        return;
      }
      if (flags.fanIn === undefined) throw new InputError('--fan-in', undefined, 'a positive integer', 'or derive a whole network with --spec net.json or --widths 784,256,10');
      if (flags.fanOut === undefined) throw new InputError('--fan-out', undefined, 'a positive integer');
      for (const flag of ['gain', 'mode', 'biasStd'] as const) {
        if (flags[flag] !== undefined) {
          const name = `--${flag === 'biasStd' ? 'bias-std' : flag}`;
          throw new InputError(name, flags[flag], `no ${name} with --fan-in/--fan-out`, 'write it into --init, e.g. kaiming_normal(mode=fan_out), or derive a network with --widths');
        }
      }
      const [{ deriveLayer }, { formatLatex, formatText, toDeriveJson }] = await Promise.all([import('../../symbolic/layer.js'), import('../../symbolic/present.js')]);
      const derivation = deriveLayer(
        {
          fanIn: parseLayerNumber(flags.fanIn, '--fan-in', 'a positive integer'),
          fanOut: parseLayerNumber(flags.fanOut, '--fan-out', 'a positive integer'),
          activation: flags.act,
          init: flags.init ?? 'xavier_uniform',
          inputVariance: parseLayerNumber(flags.inputVariance ?? '1', '--input-variance', 'a positive finite number'),
        },
        { fanIn: '--fan-in', fanOut: '--fan-out', inputVariance: '--input-variance', activation: '--act', init: '--init' },
      );
      print(format, io, () => toDeriveJson(derivation), () => formatLatex(derivation), () => formatText(derivation));
    });
};

/**
 * Parses a flag's text as a plain decimal number (`0x10`, `5.` and `Infinity` are refused, as for
 * every other command); what is allowed beyond that is decided by the derivation (named by flag).
 */
function parseLayerNumber(text: string, flag: string, allowed: string): number {
  return parseNumberFlag(flag, text, allowed, () => true);
}
