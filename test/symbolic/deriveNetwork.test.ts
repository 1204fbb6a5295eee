/**
 * `varprop derive --spec net.json` / `--widths`: the whole network as text, LaTeX and JSON, with
 * every site's predictions (path, kind, each quantity labelled exact or mean-field) equal to the
 * numbers `predictNetwork` (that is, `propagate()`) gives. The one-layer form keeps working.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeriveNetworkJson } from '../../src/cli/commands/derive.js';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { predictNetwork } from '../../src/symbolic/predict.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';
import { renderStrict } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const example = (name: string) => join(ROOT, 'examples', name);
const scratch = mkdtempSync(join(tmpdir(), 'varprop-derive-'));
/** Writes a spec into a scratch folder and returns its path. */
function specFile(name: string, spec: unknown): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

async function run(...argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('varprop derive --spec (a network)', () => {
  it('--json: every site of examples/residual.json, with the values and labels of predictNetwork', async () => {
    const { code, out, err } = await run('derive', '--spec', example('residual.json'), '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out) as DeriveNetworkJson;
    const network = resolveNetwork(JSON.parse(readFileSync(example('residual.json'), 'utf8')));
    const prediction = predictNetwork(network);
    expect(json.network.input).toBe(256);
    expect(json.network.sites.map((s) => s.path)).toEqual(network.sites.map((s) => s.path));
    expect(json.network.sites.map((s) => s.kind)).toEqual(network.sites.map((s) => s.kind));
    expect(json.network.sites.find((s) => s.path === '2/4/branch/1')?.kind).toBe('dense');
    prediction.sites.forEach((site, i) => {
      const stated = json.network.sites[i];
      for (const q of ['forward', 'backward', 'weightGradient'] as const) {
        const flavours = site[q];
        if (!flavours) {
          expect(stated[q], `${site.path} ${q}`).toBeUndefined();
          continue;
        }
        expect(stated[q]!.prediction, `${site.path} ${q}`).toBe(flavours.exact === null ? 'meanField' : 'exact');
        expect(stated[q]!.value).toBe(flavours.exact ?? flavours.meanField);
        expect(stated[q]!.linear).toBe(flavours.linear);
      }
    });
    expect(json.network.layers.map((l) => l.layer)).toEqual(network.layers.map((l) => l.index));
    // The derivation is there too: the first layer's sections, then the network section, whose steps render.
    expect(json.sections.map((s) => s.id)).toContain('network');
    const networkSteps = json.steps.filter((s) => s.section === 'network');
    expect(networkSteps.length).toBeGreaterThan(network.sites.length);
    for (const step of networkSteps) renderStrict(step.latex);
  });

  it('a residual tower with a relu branch (He, then LeCun) is labelled exact at (β² + α²)^k', async () => {
    const spec = {
      input: 32,
      layers: [
        { kind: 'dense', width: 32, init: 'lecun_normal' },
        { kind: 'repeat', times: 6, layers: [{ kind: 'residual', alpha: 0.5, beta: 1, branch: [{ kind: 'dense', width: 32, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 32, init: 'lecun_normal' }] }] },
      ],
    };
    const file = specFile('residual-tower.json', spec);
    const { code, out } = await run('derive', '--spec', file, '--json');
    expect(code).toBe(0);
    const residuals = (JSON.parse(out) as DeriveNetworkJson).network.sites.filter((s) => s.kind === 'residual');
    expect(residuals.map((s) => s.path)).toEqual(['1/0', '1/1', '1/2', '1/3', '1/4', '1/5']);
    residuals.forEach((site, k) => {
      expect(site.forward.prediction).toBe('exact');
      expect(site.forward.value).toBeCloseTo(1.25 ** (k + 1), 12);
    });
  });

  it('--widths derives the same network as the shorthand in a spec file', async () => {
    const flags = await run('derive', '--widths', '16,8,4', '--act', 'tanh', '--init', 'he_normal', '--json');
    const file = specFile('widths.json', { widths: [16, 8, 4], activation: 'tanh', init: 'he_normal' });
    const spec = await run('derive', '--spec', file, '--json');
    expect(flags.code).toBe(0);
    expect(spec.code).toBe(0);
    const [a, b] = [JSON.parse(flags.out) as DeriveNetworkJson, JSON.parse(spec.out) as DeriveNetworkJson];
    expect(a.network).toEqual(b.network);
    expect(a.network.sites.map((s) => `${s.path}:${s.kind}`)).toEqual(['0:dense', '1:activation', '2:dense']);
    // tanh is mean-field after the first layer; the first pre-activation is exact.
    expect(a.network.sites[0].forward.prediction).toBe('exact');
    expect(a.network.sites[1].forward.prediction).toBe('meanField');
  });

  it('text: a headline, the per-site table with labels, then the steps', async () => {
    const { code, out } = await run('derive', '--spec', example('normalized.json'));
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/network of 22 nodes \(9 weight layers\), input 128/);
    expect(out).toMatch(/^ {2}path\s+kind\s+E\[y²\]\s+E\[\(∂y\)²\]\s+E\[\(∂w\)²\]$/m);
    // layer_norm with ε = 0 resets the forward second moment to exactly 1.
    expect(out).toMatch(/^ {2}0\/2\/4\s+layer_norm\s+1 \(exact\)\s+\S+ \(mean-field\)$/m);
    expect(out).toMatch(/^ {2}0\/2\/3\s+activation\s+0\.25 \(exact\)/m);
    expect(out).toContain('The network, node by node');
    expect(out).toContain('E[y²] at 0/2/4 (layer_norm)');
    expect(out).not.toMatch(/NaN|undefined/);
  });

  it('latex: a per-site tabular (mean-field marked) and balanced align blocks', async () => {
    const { code, out } = await run('derive', '--spec', example('normalized.json'), '--format', 'latex');
    expect(code).toBe(0);
    expect(out).toContain('\\begin{tabular}{llrrr}');
    expect(out).toMatch(/\\texttt\{0\/2\/4\} & layer\\_norm & \$1\$ & \$[\d.]+\$\$\^\\ast\$/);
    expect(out.match(/\\begin\{align\*\}/g)?.length).toBe(out.match(/\\end\{align\*\}/g)?.length);
  });

  const bad: [string, string[], RegExp][] = [
    ['--fan-in together with --spec', ['--spec', 'examples/residual.json', '--fan-in', '3'], /--fan-in = "3" is not allowed: expected no --fan-in together with --spec/],
    ['--act with a tree spec', ['--spec', 'examples/residual.json', '--act', 'tanh'], /--act = "tanh" is not allowed: expected no --act with a tree spec/],
    ['--spec and --widths', ['--spec', 'examples/residual.json', '--widths', '3,4'], /--widths = "3,4" is not allowed/],
    ['a missing file', ['--spec', 'examples/nope.json'], /--spec = "examples\/nope.json" is not allowed: expected a readable JSON file/],
    ['a bad width', ['--widths', '3,0,4'], /--widths\[1\] = "0" is not allowed: expected a positive integer/],
    ['neither a layer nor a network', [], /--fan-in is required: expected a positive integer\. or derive a whole network with --spec/],
    ['--mode with --fan-in', ['--fan-in', '3', '--fan-out', '4', '--mode', 'fan_out'], /--mode = "fan_out" is not allowed/],
  ];
  for (const [title, argv, message] of bad) {
    it(`refuses ${title} in one line, exit 2`, async () => {
      const { code, out, err } = await run('derive', ...argv.map((a) => (a.startsWith('examples/') ? join(ROOT, a) : a)));
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err.replace(`${ROOT}/`, '')).toMatch(message);
    });
  }

  it('a bad tree names the path of the node', async () => {
    const file = specFile('bad-tree.json', { input: 8, layers: [{ kind: 'repeat', times: 2, layers: [{ kind: 'residual', branch: [{ kind: 'dense', width: 9 }] }] }] });
    const { code, err } = await run('derive', '--spec', file);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/0\/0\.branch = .* expected a branch whose output has the shape of its input, 8 units/);
  });
});
