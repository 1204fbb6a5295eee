/**
 * `toKeepVarianceWithin([low, high])`: asserts that a network keeps its signal's second moment (or
 * its gradient's) inside a band all the way through its depth — the promise of a residual recipe
 * (src/recipes/): E[x_l²] at the output of every top-level node (every block of a tower) measured by
 * the Monte Carlo engine, each with an interval from the one decision procedure
 * (src/numeric/decision.ts), Bonferroni over the nodes.
 *
 * Per node, the band [low, high] is the decision's band around its centre c = (low + high)/2 with
 * relative tolerance τ = (high − low)/(high + low): the node holds when its interval lies inside the
 * band, fails when it lies entirely outside, and is undecided otherwise. The assertion passes when
 * every node holds (an undecided run fails it rather than guessing); `.not` passes when some node
 * fails.
 *
 * @example
 * ```ts
 * import 'varprop/testing';
 * const branch = [{ kind: 'dense', width: 32, init: 'he_normal' }, { kind: 'activation', activation: 'relu' }, { kind: 'dense', width: 32, init: 'lecun_normal' }];
 * const tower = (alpha: number) => ({ input: 32, layers: Array.from({ length: 10 }, () => ({ kind: 'residual', alpha, beta: 1, branch })) });
 * // α = 1/√L (SkipInit's bound): E[x_l²] = (1 + α²)^l, at most e.
 * await expect(tower(1 / Math.sqrt(10))).toKeepVarianceWithin([0.8, 3.2]);
 * // α = 1: every block doubles it.
 * await expect(tower(1)).not.toKeepVarianceWithin([0.5, 2]);
 * ```
 */
import { InputError } from '../errors.js';
import { combineVerdicts, decidePrediction, simultaneousLevel, type Verdict } from '../numeric/decision.js';
import { measureNetwork } from '../numeric/engine.js';
import { resolveNetwork } from '../vocabulary/network.js';
import type { MatcherContextLike, MatcherResult } from './matchers.js';

export interface VarianceBandOptions {
  /** `forward` (default): E[x²] at each top-level node's output; `backward`: E[(∂x)²] there. */
  pass?: 'forward' | 'backward';
  /** Replicate networks (default 16). */
  nets?: number;
  /** Examples per replicate (default 128). */
  batch?: number;
  seed?: number;
  /** Family level over the nodes (default 0.99). */
  level?: number;
}

export interface VarianceBandNode {
  /** The node's path (`0`, `1`, …: its depth in the tree). */
  path: string;
  kind: string;
  /** Mean over replicate networks and its interval at `intervalLevel`. */
  estimate: number;
  ciLow: number;
  ciHigh: number;
  verdict: Verdict;
}

export interface VarianceBandResult {
  verdict: Verdict;
  band: [number, number];
  pass: 'forward' | 'backward';
  level: number;
  intervalLevel: number;
  nets: number;
  nodes: VarianceBandNode[];
  /** Where the run overflowed or underflowed (then the verdict is 'undecided'). */
  breakdown?: string;
}

/** Measures `spec` and decides, node by node over its depth, whether the second moment stays in `band`. */
export async function checkVarianceBand(spec: unknown, band: readonly [number, number], options: VarianceBandOptions = {}): Promise<VarianceBandResult> {
  const [low, high] = Array.isArray(band) ? band : [Number.NaN, Number.NaN];
  if (!(low >= 0 && high > low && Number.isFinite(high))) throw new InputError('band', band, 'two finite numbers [low, high] with 0 <= low < high');
  const pass = options.pass ?? 'forward';
  if (pass !== 'forward' && pass !== 'backward') throw new InputError('pass', pass, 'forward or backward');
  const level = options.level ?? 0.99;
  const network = resolveNetwork(spec);
  const raw = await measureNetwork(network, { nets: options.nets ?? 16, batch: options.batch ?? 128, seed: options.seed ?? 1, dtype: 'float64' });
  const topLevel = new Set(network.nodes.map((node) => node.path));
  const tested = network.sites.map((site, index) => ({ site, index })).filter(({ site }) => topLevel.has(site.path));
  const intervalLevel = simultaneousLevel(level, 1, tested.length);
  const centre = (low + high) / 2;
  const tolerance = (high - low) / (high + low);
  const result = { band: [low, high] as [number, number], pass, level, intervalLevel, nets: raw.replicates.length };
  if (raw.breakdown) {
    return { ...result, verdict: 'undecided', nodes: [], breakdown: `${raw.breakdown.kind} in the ${raw.breakdown.pass} pass at ${raw.breakdown.path}` };
  }
  const nodes = tested.map(({ site, index }): VarianceBandNode => {
    const decision = decidePrediction(
      raw.replicates.map((r) => r.sites![pass][index]),
      centre,
      intervalLevel,
      tolerance,
    );
    return { path: site.path, kind: site.kind, estimate: decision.estimate, ciLow: decision.ciLow, ciHigh: decision.ciHigh, verdict: decision.verdict };
  });
  return { ...result, verdict: combineVerdicts(nodes.map((node) => node.verdict)), nodes };
}

function describeNode(node: VarianceBandNode, pass: 'forward' | 'backward'): string {
  const round = (x: number) => Number(x.toPrecision(4));
  return `${pass === 'forward' ? 'E[x²]' : 'E[(∂x)²]'} at node ${node.path} (${node.kind}): measured ${round(node.estimate)}, interval [${round(node.ciLow)}, ${round(node.ciHigh)}]: ${node.verdict}`;
}

export const depthBandMatchers = {
  /**
   * Passes when the second moment at every top-level node's output is shown to lie in `band`
   * (forward by default, or the gradient with `pass: 'backward'`); with `.not`, when at some node it
   * is shown to lie outside.
   */
  async toKeepVarianceWithin(this: MatcherContextLike, spec: unknown, band: readonly [number, number], options?: VarianceBandOptions): Promise<MatcherResult> {
    const result = await checkVarianceBand(spec, band, options);
    // `.not` asserts a decided failure; an undecided run satisfies neither form of the assertion.
    const pass = this.isNot ? result.verdict !== 'fails' : result.verdict === 'holds';
    const worst = result.nodes.filter((node) => node.verdict === result.verdict && node.verdict !== 'holds');
    const shown = worst.length > 0 ? worst.slice(0, 3) : result.nodes.slice(-1);
    const message = () =>
      [
        `expect(spec)${this.isNot ? '.not' : ''}.toKeepVarianceWithin([${result.band.join(', ')}])`,
        '',
        `Expected: ${this.isNot ? 'at some node outside' : 'at every node inside'} [${result.band.join(', ')}] (family level ${result.level}, ${result.nets} networks; the verdict was ${result.verdict})`,
        ...(result.breakdown ? [`Received: ${result.breakdown}`] : shown.map((node) => `Received: ${describeNode(node, result.pass)}`)),
        ...(result.verdict === 'undecided' ? ['The check was UNDECIDED, which fails the assertion rather than guessing.'] : []),
      ].join('\n');
    return { pass, message, actual: result };
  },
};

/** The matcher's signature on `expect(...)`. */
export interface DepthBandMatchers<R = unknown> {
  /** Asserts that the second moment at every top-level node's output lies in [low, high]. */
  toKeepVarianceWithin(band: readonly [number, number], options?: VarianceBandOptions): Promise<R>;
}
