/**
 * `npm install` on Node 20 is clean: no installed package declares an engines.node range that
 * excludes it (katex 0.19 pulled in commander 15, which wants Node ≥ 22.12, for a CLI varprop never
 * runs; package.json's overrides give katex the commander varprop itself uses).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
};

type Version = [number, number, number];
const parse = (text: string): Version => {
  const [a = 0, b = 0, c = 0] = text.replace(/^v/, '').split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  return [a, b, c];
};
const compare = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Whether `version` satisfies an npm range of the forms engines fields use (>=, >, <, <=, ^, ~, x, *, ||). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((clause) =>
    clause
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1') // ">= 10" is one comparator
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const match = /^(>=|<=|>|<|\^|~|=)?\s*v?([\dx*.]+)$/.exec(comparator);
        if (!match) return true; // a form this check does not know: do not claim a conflict
        const [, op = '=', text] = match;
        if (/^[x*]$/.test(text)) return true;
        const w = parse(text);
        const parts = text.split('.').filter((p) => /^\d+$/.test(p)).length;
        switch (op) {
          case '>=': return compare(v, w) >= 0;
          case '>': return compare(v, w) > 0;
          case '<=': return compare(v, w) <= 0;
          case '<': return compare(v, w) < 0;
          case '^': return v[0] === w[0] && compare(v, w) >= 0;
          case '~': return v[0] === w[0] && (parts < 2 || v[1] === w[1]) && compare(v, w) >= 0;
          default: return parts === 1 ? v[0] === w[0] : parts === 2 ? v[0] === w[0] && v[1] === w[1] : compare(v, w) === 0;
        }
      }),
  );
}

const offenders = (version: string, include: (dev: boolean) => boolean): string[] =>
  Object.entries(lock.packages)
    .filter(([name, info]) => name !== '' && include(info.dev === true))
    .map(([name, info]) => [name, Array.isArray(info.engines) ? undefined : info.engines?.node] as const)
    .filter(([, range]) => range !== undefined && !satisfies(version, range))
    .map(([name, range]) => `${name} needs node ${range}`);

describe('Node 20 installs cleanly', () => {
  it('the range check reads engines fields right', () => {
    expect(satisfies('20.20.2', '>=22.12.0')).toBe(false);
    expect(satisfies('20.20.2', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.0.0', '>=20')).toBe(true);
    expect(satisfies('20.0.0', '>= 6.9.0')).toBe(true);
  });

  it('every installed package admits the oldest Node that package.json promises (yargs, via vega, needs 20.19)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = /^>=\s*([\d.]+)$/.exec(pkg.engines.node)?.[1];
    expect(oldest, 'package.json engines.node is ">=X.Y"').toBeDefined();
    expect(oldest!.startsWith('20.')).toBe(true); // the README's promise: Node 20
    expect(offenders(oldest!, () => true)).toEqual([]);
  });
});
