import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';

async function run(argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('non-integrable singularities of custom activations', () => {
  it('sqrt(abs(x)): φ′² = 1/(4|x|) is not integrable at 0, so no E[φ′²] (was a finite 1.4469)', () => {
    expect(() => resolveActivation('sqrt(abs(x))')).toThrow(/Near x = 0, φ′\(x\)² ~ 1\/\|x − 0\|\^1, which is not integrable: E\[φ′\(√q z\)²\] is infinite/);
  });

  it('finds singularities of φ and φ′ away from 0, and of roots with exponents above 1/2', () => {
    expect(() => resolveActivation('abs(x-0.5)^0.5')).toThrow(/Near x = 0\.5, φ′/);
    expect(() => resolveActivation('abs(x)^(1/3)')).toThrow(/φ′\(x\)² ~ 1\/\|x − 0\|\^1\.33/);
    expect(() => resolveActivation('1/(x-0.3)')).toThrow(/Near x = 0\.3, φ\(x\)²/);
  });

  it('accepts integrable ones: kinks, |x|^0.75 (φ′² ~ |x|^(−1/2)), smooth activations', () => {
    for (const expression of ['abs(x)', 'abs(x)^0.75', 'x/(1+abs(x))', '(x + abs(x))/2', 'x*tanh(log(1+exp(x)))', 'sqrt(abs(x))*x']) {
      expect(() => resolveActivation(expression), expression).not.toThrow();
    }
  });

  it('varprop gain prints one line and exits 2 instead of a number', async () => {
    const { code, out, err } = await run(['gain', 'sqrt(abs(x))']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/activation = "sqrt\(abs\(x\)\)" is not allowed: .*φ′\(x\)² ~ 1\/\|x − 0\|\^1, which is not integrable/);
  });

  it('gain --help says what is computed: √(q/E[φ(√q z)²]), not 1/√E[φ²]', async () => {
    const { out } = await run(['gain', '--help']);
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toContain('forward √(q/E[φ(√q z)²])');
    expect(flat).toContain('backward 1/√E[φ′(√q z)²]');
    expect(flat).toContain('forward gain √(q/E[φ(x)²]) keeps the pre-activation variance at q');
    expect(flat).not.toContain('forward 1/√E[φ²]');
    const q4 = JSON.parse((await run(['gain', 'tanh', '--q', '4', '--json'])).out);
    expect(q4.forwardGain).toBeCloseTo(Math.sqrt(4 / q4.secondMoment), 12);
    expect(q4.forwardGain).toBeCloseTo(2.509, 3);
  });
});
