/**
 * Demo: gradients vanish through a deep sigmoid network. σ′(x) = σ(x)(1 − σ(x)) ≤ 1/4 (maximum at
 * x = 0), so each layer multiplies the gradient's root mean square by at most ¼·√(n Var[w]); with a
 * variance-preserving init (n Var[w] = 1) that is (1/4)^k after k layers. The measured gradients
 * fall a little faster than the bound, as the mean-field χ-map predicts: E[σ′(h)²] = d2(q) < 1/16
 * for q > 0.
 */
import { InputError } from '../../errors.js';
import { MAX_REPLICATE_NETS } from '../measurement.js';
import { integerOption, levelOption, seedOption } from './validate.js';
import { backwardFanFactor } from '../../layers/weights.js';
import { predictMeanField } from '../../symbolic/predict.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import type { InitRef } from '../../vocabulary/init.js';
import type { MeasureFunction } from '../check.js';
import type { MeasureOptions, RawMeasurement } from '../measurement.js';
import type { ResolvedNetwork } from '../../vocabulary/network.js';
import { tInterval } from '../../math/statistics.js';

export interface SigmoidDemoOptions {
  /** Weight layers (default 10). */
  depth?: number;
  /** Width of every layer (default 256). */
  width?: number;
  /** Init preset (default xavier_normal: n·Var[w] = 1 for equal widths). */
  init?: InitRef;
  batch?: number;
  nets?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
  level?: number;
  onProgress?: (done: number, total: number) => void;
  /** The engine; default `measureNetwork` from src/numeric/engine.ts. */
  measure?: MeasureFunction;
}

export interface SigmoidDemoLayer {
  layer: number;
  /** Layers between this one and the output pre-activation (L − l). */
  layersAbove: number;
  /** Measured E[d_l²] across replicates. */
  measured: { estimate: number; stderr: number; ciLow: number; ciHigh: number };
  /** √E[d_l²] */
  measuredRms: number;
  /** The σ′ ≤ 1/4 bound on the RMS: ∏ over the layers above of ¼·√(n Var[w]); (1/4)^(L−l) when n Var[w] = 1. */
  boundRms: number;
  /** Mean-field E[d_l²] (χ-map with quadrature moments of the sigmoid) and its square root. */
  meanField: number;
  meanFieldRms: number;
}

export interface SigmoidDemoResult {
  widths: number[];
  init: string;
  batch: number;
  nets: number;
  seed: number;
  level: number;
  layers: SigmoidDemoLayer[];
  breakdown?: RawMeasurement['breakdown'];
}

async function defaultMeasure(network: ResolvedNetwork, options: MeasureOptions): Promise<RawMeasurement> {
  const { measureNetwork } = await import('../engine.js');
  return measureNetwork(network, options);
}

export async function runSigmoidDemo(options: SigmoidDemoOptions = {}): Promise<SigmoidDemoResult> {
  const depth = options.depth ?? 10;
  const width = options.width ?? 256;
  if (!Number.isInteger(depth) || depth < 2 || depth > 200) throw new InputError('depth', depth, 'an integer from 2 to 200');
  if (!Number.isInteger(width) || width < 1) throw new InputError('width', width, 'a positive integer');
  const level = levelOption(options.level ?? 0.99);
  const nets = integerOption('nets', options.nets ?? 4, 2, MAX_REPLICATE_NETS);
  const batch = integerOption('batch', options.batch ?? 128, 1, 1_000_000);
  const seed = seedOption(options.seed ?? 1);
  const init = options.init ?? 'xavier_normal';
  const widths = new Array<number>(depth + 1).fill(width);
  const network = resolveNetwork({ widths, activation: 'sigmoid', init });
  const measure = options.measure ?? defaultMeasure;
  const raw = await measure(network, {
    batch,
    nets,
    seed,
    dtype: options.dtype ?? 'float32',
    onProgress: options.onProgress,
  });
  const meanField = predictMeanField(network).backward;
  // Bound per layer, from the top: E[d_l²] ≤ (1/16)·fanFactor_{l+1}·E[d_{l+1}²].
  const bound = new Array<number>(depth);
  bound[depth - 1] = 1;
  for (let l = depth - 2; l >= 0; l--) bound[l] = bound[l + 1] * 0.25 * Math.sqrt(backwardFanFactor(network.layers[l + 1]));
  const layers = network.layers.map((layer, l): SigmoidDemoLayer => {
    const values = raw.replicates.map((r) => r.backward[l]);
    const { estimate, stderr, ciLow, ciHigh } = tInterval(values, level);
    return {
      layer: layer.index,
      layersAbove: depth - 1 - l,
      measured: { estimate, stderr, ciLow, ciHigh },
      measuredRms: Math.sqrt(Math.max(0, estimate)),
      boundRms: bound[l],
      meanField: meanField[l],
      meanFieldRms: Math.sqrt(meanField[l]),
    };
  });
  const result: SigmoidDemoResult = { widths, init: network.layers[0].init.label, batch, nets: raw.replicates.length, seed, level, layers };
  if (raw.breakdown) result.breakdown = raw.breakdown;
  return result;
}

export function formatSigmoidDemo(result: SigmoidDemoResult): string {
  const lines = [
    `Gradient RMS through a ${result.layers.length}-layer sigmoid net, width ${result.widths[0]}, ${result.init} (${result.nets} nets × ${result.batch} examples)`,
    'σ′(x) ≤ 1/4, so each layer shrinks the gradient by at least 4× (when n·Var[w] = 1).',
    '',
    'layer  layers above  measured RMS   bound (1/4)^k   mean-field RMS',
  ];
  for (const l of result.layers) {
    lines.push(
      `${String(l.layer).padStart(5)}  ${String(l.layersAbove).padStart(12)}  ${l.measuredRms.toExponential(3).padStart(11)}  ${l.boundRms.toExponential(3).padStart(14)}  ${l.meanFieldRms.toExponential(3).padStart(15)}`,
    );
  }
  if (result.breakdown) lines.push('', `The run ${result.breakdown.kind} at layer ${result.breakdown.layer} (${result.breakdown.pass} pass).`);
  lines.push('');
  return lines.join('\n');
}
