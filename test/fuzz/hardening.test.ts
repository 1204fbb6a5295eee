/**
 * Hardening: numerical edge cases (overflow, underflow, width 1, depth 200, float32 and float64),
 * inputs that must be refused up front (with the file/function that must do it named in the test),
 * commands that must not hang (run in child processes with a hard time limit, since a synchronous
 * loop cannot be interrupted in-process), and the guarantee that no user text reaches the
 * computer-algebra system.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkNetwork, validateCheckOptions } from '../../src/numeric/check.js';
import { validateMeasureOptions } from '../../src/numeric/engine.js';
import { createEngine } from '../../src/symbolic/engine.js';
import { createNerdamerAlgebra } from '../../src/symbolic/algebra.js';
import { deriveLayer } from '../../src/symbolic/layer.js';
import { checkVariance } from '../../src/testing/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function hasNaN(value: unknown): boolean {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && Number.isNaN(v) ? '__NaN__' : v)).includes('__NaN__');
}

/**
 * Runs CLI commands from source, one after the other, in one child process killed after `limitMs`
 * (a synchronous loop cannot be interrupted in-process). Returns per command the exit code, or null
 * for the commands that had not finished when the child was killed. The limit only catches a hang:
 * it is generous (minutes), and no test compares how long a command took, which depends on the
 * machine and its load.
 */
function runCliChild(argvs: string[][], limitMs: number): Promise<({ code: number } | null)[]> {
  return new Promise((done) => {
    const script = [
      `const { main } = await import(${JSON.stringify(resolve(root, 'src/cli/main.ts'))});`,
      `const io = { stdout() {}, stderr() {}, isTTY: false };`,
      `for (const [i, argv] of ${JSON.stringify(argvs)}.entries()) {`,
      `  const code = await main(argv, io);`,
      `  process.stderr.write('DONE ' + i + ' ' + code + '\\n');`,
      `}`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', () => {
      clearTimeout(timer);
      const results: ({ code: number } | null)[] = argvs.map(() => null);
      for (const match of err.matchAll(/^DONE (\d+) (\d+)$/gm)) results[Number(match[1])] = { code: Number(match[2]) };
      done(results);
    });
  });
}

describe('numerical edge cases', () => {
  const spec = (gain: number) => ({ widths: [32, 32, 32, 32, 32], init: { name: 'xavier_normal', gain } });

  it('huge gains are reported as "exploded at layer k", tiny gains as "vanished at layer k" (float32)', async () => {
    const exploded = await checkNetwork(spec(1e12), { dtype: 'float32', nets: 4, batch: 8 });
    expect(exploded.pass).toBe(false);
    expect(exploded.breakdown).toMatchObject({ kind: 'exploded', pass: 'forward' });
    expect(exploded.breakdown!.layer).toBeGreaterThanOrEqual(2); // 1e24 per layer passes float32's 3.4e38 after layer 1
    expect(hasNaN(exploded)).toBe(false);
    const vanished = await checkNetwork(spec(1e-12), { dtype: 'float32', nets: 4, batch: 8 });
    expect(vanished.breakdown).toMatchObject({ kind: 'vanished', pass: 'forward' });
    expect(hasNaN(vanished)).toBe(false);
  });

  it('tiny gains vanish in float64 too, and checkVariance explains it', async () => {
    const vanished = await checkNetwork(spec(1e-100), { dtype: 'float64', nets: 4, batch: 8 });
    expect(vanished.breakdown).toMatchObject({ kind: 'vanished' });
    const result = await checkVariance(spec(1e-100), 'forward-preserved', { maxNets: 8 });
    expect(result.verdict).toBe('fails');
    expect(result.explanation).toMatch(/^vanished at layer \d \(forward pass\)|too small by a factor/);
    const exploding = await checkVariance(spec(1e12), 'forward-preserved', { maxNets: 8, dtype: 'float32' });
    expect(exploding.verdict).toBe('fails');
    expect(exploding.explanation).toMatch(/^exploded at layer \d \(forward pass\)/);
  });

  it('huge gains in float64: predictions overflow with the measurement, reported as an explosion (src/symbolic/predict.ts)', async () => {
    // Today predictNetwork throws "q = Infinity is not allowed" (an InputError about a field the
    // user never gave) before the engine can report where the run exploded.
    let outcome: unknown;
    try {
      outcome = await checkNetwork(spec(1e100), { dtype: 'float64', nets: 4, batch: 8 });
    } catch (error) {
      outcome = error;
    }
    expect(outcome, outcome instanceof Error ? outcome.message : '').toMatchObject({ breakdown: { kind: 'exploded' } });
  });

  it('width 1 and depth 200 run without NaN, and report where the signal died', async () => {
    const narrow = await checkNetwork({ widths: [1, 1, 1, 1], activation: 'identity', init: 'he_normal' }, { nets: 8, batch: 8, dtype: 'float64' });
    expect(hasNaN(narrow)).toBe(false);
    // A width-1 relu net dies as soon as one weight is negative: that is "vanished", not NaN.
    const deadRelu = await checkNetwork({ widths: [1, 1, 1, 1, 1, 1], activation: 'relu', init: 'he_normal' }, { nets: 8, batch: 8 });
    expect(hasNaN(deadRelu)).toBe(false);
    if (!deadRelu.pass && deadRelu.breakdown) expect(deadRelu.breakdown.kind).toBe('vanished');
    const deep = await checkNetwork({ widths: Array(201).fill(64), activation: 'relu', init: 'he_normal' }, { nets: 4, batch: 8, dtype: 'float32' });
    expect(hasNaN(deep)).toBe(false);
    expect(deep.layers).toHaveLength(200);
    const deepVariance = await checkVariance({ widths: Array(201).fill(64), activation: 'identity', init: 'xavier_normal' }, 'forward-preserved', { maxNets: 16, tolerance: 0.5 });
    expect(deepVariance.layers).toHaveLength(199);
    expect(hasNaN(deepVariance)).toBe(false);
  });

  it('float32 and float64 paths agree', async () => {
    const network = { widths: [64, 64, 64], activation: 'relu', init: 'he_normal' };
    const single = await checkNetwork(network, { dtype: 'float32', nets: 16, batch: 32, seed: 3 });
    const double = await checkNetwork(network, { dtype: 'float64', nets: 16, batch: 32, seed: 3 });
    expect(single.pass && double.pass).toBe(true);
    for (let l = 0; l < 2; l++) {
      const a = single.layers[l].forward;
      const b = double.layers[l].forward;
      // Same seed, same weights: the two differ by rounding only.
      expect(Math.abs(a.estimate - b.estimate) / b.estimate).toBeLessThan(1e-4);
    }
  });
});

describe('inputs that must be refused up front', () => {
  it('replicate counts that cannot fit in memory or time (src/numeric/check.ts validateCheckOptions, src/numeric/engine.ts validateMeasureOptions)', () => {
    // Today nets = 1e9 passes validation and the engine runs out of heap planning the replicates.
    expect(() => validateCheckOptions({ nets: 1e9 })).toThrow(InputError);
    expect(() => validateCheckOptions({ relWidth: 1e-6, maxNets: 1e9 })).toThrow(InputError);
    expect(() => validateMeasureOptions({ batch: 8, nets: 1e9, seed: 1, dtype: 'float64' })).toThrow(InputError);
  });

  it('a null activation in deriveLayer (src/symbolic/layer.ts isActivation)', () => {
    expect(() => deriveLayer({ fanIn: 8, fanOut: 8, activation: null as never })).toThrow(InputError);
  });

});

describe('commands that must finish (child processes, hard time limit)', () => {
  it('Gaussian moments at a huge variance do not hang (src/math/quadrature.ts via src/vocabulary/activations/kind.ts quadratureMoments)', async () => {
    // Each should answer in well under a second or be refused; today tanh at q = 1e12 takes ~15 s
    // and silu, softplus, x/(1+abs(x)) at q ≥ 1e12 do not finish.
    const argvs = [
      ['gain', 'tanh', '--q', '1e12', '--json'],
      ['gain', 'silu', '--q', '1e12', '--json'],
      ['gain', 'x/(1+abs(x))', '--q', '1e20', '--json'],
      ['check', '--widths', '16,16,16,16', '--act', '1e10*x', '--dtype', 'float32', '--nets', '2', '--batch', '4'],
      // A polynomial activation: q grows like q³ per layer into the range where quadrature hung.
      ['check', '--widths', '8,8,8,8,8,8', '--act', 'x^3', '--nets', '2', '--batch', '4'],
      // Was: a minute of quadrature, then a DerivationCheckError escaping as exit 70 (src/symbolic).
      ['derive', '--fan-in', '6', '--fan-out', '17', '--act', 'silu', '--init', 'orthogonal', '--input-variance', '2147483648'],
    ];
    // A hang, not slowness, is what fails: 13 s quiet and 36 s loaded for one of these is fine.
    const results = await runCliChild(argvs, 540_000);
    const problems = results
      .map((result, i) => (result === null ? `${JSON.stringify(argvs[i])} did not finish within 9 minutes` : ![0, 1, 2].includes(result.code) ? `${JSON.stringify(argvs[i])} exit ${result.code}` : null))
      .filter(Boolean);
    expect(problems).toEqual([]);
  }, 600_000);
});

describe('no user text reaches the computer-algebra system', () => {
  it('nerdamer only ever sees the fixed condition coefficients, never a custom expression', () => {
    // nerdamer-prime compiles expressions to JavaScript with `new Function` (nerdamer.core.js,
    // Build.build) when asked to evaluate numerically; varprop therefore feeds it only its own
    // condition strings, and parses every user expression with mathjs (no eval).
    const seen: string[] = [];
    const nerdamer = createNerdamerAlgebra();
    const engine = createEngine({
      algebra: {
        solve(equation, variable) {
          seen.push(`${equation} | ${variable}`);
          return nerdamer.solve(equation, variable);
        },
      },
    });
    const hostile = 'x/(1+abs(x)) + 0*constructor';
    let refused = false;
    try {
      deriveLayer({ fanIn: 30, fanOut: 20, activation: hostile, engine });
    } catch (error) {
      refused = error instanceof InputError; // mathjs refuses the unknown symbol before any algebra
    }
    deriveLayer({ fanIn: 30, fanOut: 20, activation: 'x/(1+abs(x))', engine });
    expect(refused).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    for (const call of seen) {
      expect(call).toMatch(/^[cnoutiv_()*/+12s^ ]+=1 \| [vs]$/);
      expect(call).not.toMatch(/abs|constructor|x\b/);
    }
  });
});
