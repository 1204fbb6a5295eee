import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { computeFans } from '../../src/vocabulary/fans.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('depthwise convolutions', () => {
  it('Keras DepthwiseConv2D kernel (3, 3, 32, 1): true fans 9 and 9, Keras compute_fans 288 and 9', () => {
    const fans = computeFans([3, 3, 32, 1], { layout: 'keras', depthwise: true });
    expect(fans).toMatchObject({ fanIn: 9, fanOut: 9, frameworkFanIn: 288, frameworkFanOut: 9, inChannels: 32, outChannels: 32, depthMultiplier: 1, groups: 32 });
    expect(fans.notes.join(' ')).toMatch(/fan_in = C_in·rf = 288, 32× the true fan_in rf = 9/);
    // Without --depthwise the same shape is a 32 → 1 convolution (what varprop used to say).
    expect(computeFans([3, 3, 32, 1], { layout: 'keras' })).toMatchObject({ fanIn: 288, fanOut: 9, outChannels: 1 });
  });

  it('depth multiplier m: fan_out = m·rf; PyTorch Conv2d(32, 64, 3, groups=32) is the same layer', () => {
    const keras = computeFans([3, 3, 32, 2], { layout: 'keras', depthwise: true });
    expect(keras).toMatchObject({ fanIn: 9, fanOut: 18, frameworkFanIn: 288, frameworkFanOut: 18, outChannels: 64, depthMultiplier: 2 });
    const torch = computeFans([64, 1, 3, 3], { layout: 'torch', depthwise: true, groups: 32 });
    expect(torch).toMatchObject({ fanIn: 9, fanOut: 18, frameworkFanIn: 9, frameworkFanOut: 576, inChannels: 32, outChannels: 64, depthMultiplier: 2 });
    // The depthwise torch reading agrees with the grouped one.
    const grouped = computeFans([64, 1, 3, 3], { layout: 'torch', groups: 32 });
    expect([grouped.fanIn, grouped.fanOut, grouped.frameworkFanIn, grouped.frameworkFanOut]).toEqual([torch.fanIn, torch.fanOut, torch.frameworkFanIn, torch.frameworkFanOut]);
  });

  it('varprop fans --depthwise --layout keras --json', async () => {
    const { code, out } = await run(['fans', '--shape', '3,3,32,1', '--layout', 'keras', '--depthwise', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ fanIn: 9, fanOut: 9, frameworkFanIn: 288, frameworkFanOut: 9, depthwise: true, depthMultiplier: 1 });
    const text = (await run(['fans', '--shape', '3,3,32,1', '--layout', 'keras', '--depthwise'])).out;
    expect(text).toMatch(/depthwise conv2d, 32 → 32, kernel 3×3, depth multiplier 1/);
    expect(text).toMatch(/Keras fan_in\s+288 {2}\(differs\)/);
  });

  it('--help states the shape convention and the framework versions', async () => {
    const help = (await run(['fans', '--help'])).out.replace(/\s+/g, ' ');
    expect(help).toContain("PyTorch's order by default, --layout keras for Keras'");
    expect(help).toContain('PyTorch 1.x–2.x');
    expect(help).toContain('--depthwise');
  });

  it('bad depthwise input: one line naming the value, exit 2', async () => {
    for (const [argv, pattern] of [
      [['fans', '--shape', '64,2,3,3', '--depthwise'], /--shape\[1\] = 2 is not allowed: expected 1 for a PyTorch depthwise weight/],
      [['fans', '--shape', '3,3,32,1', '--layout', 'keras', '--depthwise', '--groups', '4'], /--groups = 4 is not allowed/],
      [['fans', '--shape', '32,1,3,3', '--depthwise', '--transposed'], /--transposed = true is not allowed: expected false for a depthwise/],
      [['fans', '--shape', '32,1', '--depthwise'], /--shape = .* is not allowed: expected a convolution kernel of rank ≥ 3/],
    ] as const) {
      const { code, err } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(pattern);
    }
  });
});
