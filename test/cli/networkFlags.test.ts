import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { networkSpecFromFlags, splitList } from '../../src/cli/networkFlags.js';
import { InputError } from '../../src/errors.js';
import { resolveInit } from '../../src/vocabulary/inits/registry.js';
import type { WidthsNetworkSpec } from '../../src/vocabulary/network.js';

describe('network flags shared by check and report', () => {
  it('turns --gain and --mode into init options, and reads call syntax in --init', () => {
    expect((networkSpecFromFlags({ widths: '8,4', init: 'xavier_normal', gain: '2' }) as WidthsNetworkSpec).init).toEqual({ name: 'xavier_normal', gain: 2 });
    expect((networkSpecFromFlags({ widths: '8,4', init: 'he_normal(a=0.1)', mode: 'fan_out' }) as WidthsNetworkSpec).init).toEqual({ name: 'he_normal', a: 0.1, mode: 'fan_out' });
    expect(resolveInit('kaiming_normal(mode=fan_out)', 100, 50).variance).toBeCloseTo(2 / 50, 15);
    expect(resolveInit('xavier_uniform(gain=2)', 100, 50).variance).toBeCloseTo((4 * 2) / 150, 15);
  });

  it('reads a JSON network description with --spec and rejects a conflicting --widths', () => {
    const folder = mkdtempSync(join(tmpdir(), 'varprop-spec-'));
    const path = join(folder, 'net.json');
    writeFileSync(path, JSON.stringify({ widths: [16, 8], activation: 'relu', layers: [{ biasStd: 0.5 }] }));
    const spec = networkSpecFromFlags({ spec: path, init: 'he_normal' });
    expect(spec).toMatchObject({ widths: [16, 8], activation: 'relu', init: 'he_normal', layers: [{ biasStd: 0.5 }] });
    expect(() => networkSpecFromFlags({ spec: path, widths: '3,3' })).toThrow(/--widths = "3,3".*--spec/);
    expect(() => networkSpecFromFlags({ spec: join(folder, 'missing.json') })).toThrow(InputError);
    writeFileSync(path, '{not json');
    expect(() => networkSpecFromFlags({ spec: path })).toThrow(/valid JSON/);
  });

  it('rejects a gain given twice, with one line and exit code 2', async () => {
    const io = memoryIO();
    const code = await main(['check', '--widths', '8,8', '--init', 'xavier_normal(gain=2)', '--gain', '3'], io);
    expect(code).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain('--gain = "3"');
  });

  it('splits a list of presets without breaking call syntax', () => {
    expect(splitList('standard, he_normal(mode=fan_out, a=0),lecun_normal')).toEqual(['standard', 'he_normal(mode=fan_out, a=0)', 'lecun_normal']);
  });
});
