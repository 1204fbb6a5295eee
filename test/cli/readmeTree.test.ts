/**
 * The README's tree section says what the code says: its example is the shipped
 * examples/residual.json and resolves with the paths it names, its list of kinds is the registry's
 * own `summary` strings (none written by hand), and the derive line of the tour runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { builtInLayerKinds } from '../../src/layers/registry.js';
import { resolveNetwork } from '../../src/vocabulary/network.js';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = /## The network description\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

describe('README: the tree form', () => {
  it('the first JSON block is examples/residual.json, and it resolves with the paths the prose names', () => {
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const shown = JSON.parse(block!);
    expect(shown).toEqual(JSON.parse(readFileSync(join(ROOT, 'examples', 'residual.json'), 'utf8')));
    const network = resolveNetwork(shown);
    const site = network.sites.find((s) => s.path === '2/4/branch/1');
    expect(section).toContain('`2/4/branch/1` is top-level node 2 (the `repeat`)');
    expect(shown.layers[2].kind).toBe('repeat');
    expect(site?.kind).toBe('dense');
    expect(network.sites.find((s) => s.path === '2/4/branch/0')?.kind).toBe('layer_norm');
  });

  it('lists every registered kind with its own summary, verbatim', () => {
    const listed = [...section.matchAll(/^- `(\w+)`: (.*)$/gm)].map((m) => [m[1], m[2]]);
    expect(listed.map(([name]) => name)).toEqual(Object.keys(builtInLayerKinds));
    for (const [name, summary] of listed) expect(summary, name).toBe(builtInLayerKinds[name].summary);
  });

  it('examples/normalized.json, which the section names, resolves', () => {
    expect(section).toContain('`examples/normalized.json`');
    const network = resolveNetwork(JSON.parse(readFileSync(join(ROOT, 'examples', 'normalized.json'), 'utf8')));
    expect(network.sites.filter((s) => s.kind === 'layer_norm')).toHaveLength(4);
  });

  it('the tour derives examples/residual.json with every site', async () => {
    const line = readme.split('\n').find((l) => l.startsWith('npx varprop derive --spec '));
    expect(line).toBeDefined();
    const argv = line!.split(/\s+#\s+/)[0].split(/\s+/).slice(2);
    const io = memoryIO();
    const code = await main(argv.map((a) => (a.startsWith('examples/') ? join(ROOT, a) : a)).concat('--json'), io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(io.out).network.sites.length).toBe(resolveNetwork(JSON.parse(readFileSync(join(ROOT, 'examples', 'residual.json'), 'utf8'))).sites.length);
  });
});
