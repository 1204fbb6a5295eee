import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('varprop fans', () => {
  it('--json carries the contract fields fanIn, fanOut, receptiveField, frameworkFanIn, frameworkFanOut', async () => {
    const { code, out } = await run(['fans', '--shape', '64,3,3,3', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ fanIn: 27, fanOut: 576, receptiveField: 9, frameworkFanIn: 27, frameworkFanOut: 576 });
  });

  it('keras layout, groups and transposed flags', async () => {
    const grouped = JSON.parse((await run(['fans', '--shape', '3,3,8,64', '--layout', 'keras', '--groups', '4', '--json'])).out);
    expect(grouped).toMatchObject({ fanIn: 72, fanOut: 144, frameworkFanOut: 576 });
    const transposed = JSON.parse((await run(['fans', '--shape', '16,8,4,4', '--transposed', '--json'])).out);
    expect(transposed).toMatchObject({ fanIn: 256, fanOut: 128, frameworkFanIn: 128, frameworkFanOut: 256 });
  });

  it('prints readable text with the notes', async () => {
    const { code, out } = await run(['fans', '--shape', '64,8,3,3', '--groups', '4']);
    expect(code).toBe(0);
    expect(out).toMatch(/fan_in\s+72/);
    expect(out).toMatch(/PyTorch fan_out\s+576 {2}\(differs\)/);
    expect(out).toMatch(/note: .*4× the true fan_out/);
  });

  it('bad input: one line, exit 2, field and value named', async () => {
    for (const [argv, pattern] of [
      [['fans', '--shape', '64'], /--shape = "64" is not allowed/],
      [['fans', '--shape', '64,0,3'], /--shape\[1\] = "0"/],
      [['fans', '--shape', '64,3,3,3', '--groups', '5'], /--groups = 5 .*divisor of out_channels/],
      [['fans', '--shape', '64,3,3,3', '--groups', '-1'], /--groups = "-1"/],
      [['fans', '--shape', '64,3,3', '--layout', 'jax'], /--layout = "jax" .*torch, keras/],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
