/**
 * Runs every `ts` block of docs/testing.md as a test file (imports of `varprop` and
 * `varprop/testing` point at the sources), and checks that the failure message printed in the docs
 * is the one the matcher prints today, up to the digits. The docs cannot rot.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { varianceMatchers } from '../../src/testing/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docs = readFileSync(join(root, 'docs/testing.md'), 'utf8');

/** Fenced blocks with their info string, in document order. */
function fencedBlocks(markdown: string): { info: string; code: string }[] {
  const blocks: { info: string; code: string }[] = [];
  const fence = /^```(\w*)[^\n]*\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) blocks.push({ info: match[1], code: match[2] });
  return blocks;
}

function pointImportsAtSources(code: string): string {
  const testing = pathToFileURL(join(root, 'src/testing/index.ts')).href;
  const library = pathToFileURL(join(root, 'src/index.ts')).href;
  return code.replace(/from 'varprop\/testing'/g, `from '${testing}'`).replace(/import 'varprop\/testing'/g, `import '${testing}'`).replace(/from 'varprop'/g, `from '${library}'`);
}

const blocks = fencedBlocks(docs);
const tsBlocks = blocks.filter((block) => block.info === 'ts');
const folder = join(tmpdir(), `varprop-docs-${process.pid}`);
mkdirSync(folder, { recursive: true });

describe('docs/testing.md', () => {
  it('has runnable examples and a failure message to compare', () => {
    expect(tsBlocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks.some((block) => block.info === 'text')).toBe(true);
    for (const block of tsBlocks) expect(block.code).toMatch(/\btest\(/);
  });

  // Each block registers its own test(...) calls when imported, inside this describe.
  for (const [index, block] of tsBlocks.entries()) {
    const file = join(folder, `block-${index + 1}.ts`);
    writeFileSync(file, pointImportsAtSources(block.code));
    describe(`block ${index + 1}`, async () => {
      await import(pathToFileURL(file).href);
    });
  }

  it('shows the message the matcher really prints for Xavier + relu (up to digits)', async () => {
    const printed = blocks.find((block) => block.info === 'text' && block.code.includes('toPreserveForwardVariance'))!.code;
    const spec = JSON.parse(/^Spec: (.*)$/m.exec(printed)![1]);
    const context = { isNot: false, utils: { matcherHint: (name: string) => `expect(spec)${name}()` } };
    const result = await varianceMatchers.toPreserveForwardVariance.call(context, spec);
    expect(result.pass).toBe(false);
    const actual = result.message();
    const shape = (text: string) => text.trim().replace(/−?-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#');
    expect(shape(actual), `the matcher now prints:\n${actual}`).toBe(shape(printed));
  });
});
