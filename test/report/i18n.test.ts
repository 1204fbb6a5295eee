import { describe, expect, it } from 'vitest';
import { catalogues, fill, getCatalogue, placeholders } from '../../src/i18n/catalogue.js';
import { InputError } from '../../src/errors.js';

/** Every leaf key path of a catalogue with its string value. */
function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) for (const [k, v] of leaves(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

/** Differences between two catalogues: missing keys either way, and placeholder mismatches. */
function compareCatalogues(a: unknown, b: unknown): string[] {
  const la = leaves(a);
  const lb = leaves(b);
  const problems: string[] = [];
  for (const key of la.keys()) if (!lb.has(key)) problems.push(`missing in second: ${key}`);
  for (const key of lb.keys()) if (!la.has(key)) problems.push(`missing in first: ${key}`);
  for (const [key, value] of la) {
    const other = lb.get(key);
    if (other !== undefined && placeholders(value).join() !== placeholders(other).join()) problems.push(`placeholders differ: ${key}`);
  }
  return problems;
}

describe('message catalogues', () => {
  it('en and zh have the same keys and the same placeholders', () => {
    expect(compareCatalogues(catalogues.en, catalogues.zh)).toEqual([]);
  });

  it('the comparison rejects a catalogue with a missing key or a wrong placeholder', () => {
    const broken = structuredClone(catalogues.zh) as unknown as { rules: Record<string, unknown>; evidence: { allPass: string } };
    delete broken.rules.chainRule;
    broken.evidence.allPass = '{{init}} 全部通过';
    const problems = compareCatalogues(catalogues.en, broken);
    expect(problems).toContain('missing in second: rules.chainRule.name');
    expect(problems).toContain('placeholders differ: evidence.allPass');
  });

  it('no message is empty, and zh prose is in Chinese', () => {
    for (const [key, value] of leaves(catalogues.en)) expect(value.trim(), key).not.toBe('');
    const zh = leaves(catalogues.zh);
    // Spot checks on whole sections: headings and rule names are translated.
    for (const key of ['setup.heading', 'derivation.heading', 'evidence.heading', 'demos.heading', 'footer.heading', 'rules.chainRule.name', 'rules.iidSum.name']) {
      expect(zh.get(key), key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('fill substitutes double-brace placeholders and leaves LaTeX groups alone', () => {
    expect(fill('$n_\\text{in}$ = {{fanIn}}', { fanIn: 784 })).toBe('$n_\\text{in}$ = 784');
    expect(() => fill('{{missing}}', {})).toThrow(/missing/);
  });

  it('an unknown language is an InputError naming --lang', () => {
    expect(() => getCatalogue('fr')).toThrow(InputError);
    expect(() => getCatalogue('fr')).toThrow(/--lang = "fr" is not allowed: expected one of en, zh/);
  });
});
