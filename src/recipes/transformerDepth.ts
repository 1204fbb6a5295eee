/**
 * What a stack of transformer blocks (src/recipes/transformer.ts) does through depth, per block
 * output (a top-level site): the second moment E[x_l²] and the mean cosine similarity between the
 * tokens of one example, the measure of rank collapse (Dong et al. 2021; Noci et al. 2022: without
 * residual scaling the tokens of a deep attention stack align, cosine → 1).
 *
 * Predicted by `propagate(network, 'meanField', { inputCorrelation: 0 })`: the tokens are the "two
 * inputs through the same weights" of the c-map (SignalMoments.cross, independent at the input), so
 * cosine = E[x_t x_s]/E[x²] (the mean-field value of the mean cosine: per-token norms concentrate).
 *
 * Measured by the engine's replicate walk (`measureReplicate`, its observer reads each block's
 * output): per replicate, E[x²] over units, tokens and examples, and per example the mean over token
 * pairs of cos(x_t, x_s), averaged over examples. Decided by the one procedure
 * (src/numeric/decision.ts) on second moments: E[x²] against its prediction, and, for the tokens, the
 * second moment of the token mean E[x̄²] = E[x²]/T + (1 − 1/T)·E[x_t x_s] against its prediction
 * (a cosine is not a second moment; x̄ carries the same information and is one); the cosine's own
 * interval is a t interval at the same simultaneous level.
 */
import { tInterval } from '../math/statistics.js';
import { createFloat64Scratch, measureReplicate } from '../numeric/engine.js';
import { decidePrediction, DEFAULT_TOLERANCE, simultaneousLevel, type Verdict } from '../numeric/decision.js';
import { createPlainBackend } from '../numeric/kernels/plain.js';
import { propagate } from '../symbolic/propagate.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';

export interface BlockQuantity {
  predicted: number;
  /** 'exact' when propagate says the value holds at any width, else 'meanField'. */
  prediction: 'exact' | 'meanField';
  estimate?: number;
  ciLow?: number;
  ciHigh?: number;
  verdict?: Verdict;
}

/** One block's output. Field names are the `transformer --json` contract. */
export interface BlockRow {
  /** 0-based block index = the top-level path. */
  block: number;
  variance: BlockQuantity;
  tokenCosine: BlockQuantity;
}

export interface TransformerMeasureSettings {
  nets: number;
  batch: number;
  seed: number;
  /** Family level (default 0.99): 2 quantities per block, Bonferroni. */
  level: number;
}

export interface TransformerDepth {
  blocks: BlockRow[];
  /** Present when measured. */
  monteCarlo?: { nets: number; batch: number; seed: number; level: number; pass: boolean; breakdown?: string };
}

/** The predictions per block output (top-level node). */
export function predictBlocks(network: ResolvedNetwork): BlockRow[] {
  const propagation = propagate(network, 'meanField', { inputCorrelation: 0 });
  return network.nodes.map((node, block) => {
    const site = propagation.sites.find((s) => s.path === node.path)!;
    const q = site.output.secondMoment;
    const cross = site.output.cross ?? 0;
    return {
      block,
      variance: { predicted: q, prediction: site.output.exact ? 'exact' : 'meanField' },
      tokenCosine: { predicted: cross / q, prediction: site.output.crossExact ? 'exact' : 'meanField' },
    };
  });
}

/** Per block: E[x²], E[x̄²] (token mean) and the mean pairwise token cosine of one replicate. */
interface ReplicateBlocks {
  secondMoment: number[];
  tokenMean: number[];
  cosine: number[];
}

function observeBlock(values: ArrayLike<number>, batch: number, tokens: number, width: number): { secondMoment: number; tokenMean: number; cosine: number } {
  let squares = 0;
  let meanSquares = 0;
  let cosine = 0;
  const norms = new Float64Array(tokens);
  const mean = new Float64Array(width);
  for (let b = 0; b < batch; b++) {
    const row = b * tokens * width;
    mean.fill(0);
    for (let t = 0; t < tokens; t++) {
      let norm = 0;
      for (let i = 0; i < width; i++) {
        const v = values[row + t * width + i];
        norm += v * v;
        mean[i] += v / tokens;
      }
      norms[t] = Math.sqrt(norm);
      squares += norm;
    }
    for (let i = 0; i < width; i++) meanSquares += mean[i] * mean[i];
    let pairs = 0;
    for (let t = 0; t < tokens; t++) {
      for (let s = t + 1; s < tokens; s++) {
        let dot = 0;
        for (let i = 0; i < width; i++) dot += values[row + t * width + i] * values[row + s * width + i];
        pairs += dot / (norms[t] * norms[s]);
      }
    }
    cosine += tokens > 1 ? pairs / ((tokens * (tokens - 1)) / 2) : 1;
  }
  return { secondMoment: squares / (batch * tokens * width), tokenMean: meanSquares / (batch * width), cosine: cosine / batch };
}

/**
 * Predicts every block output and measures it on `settings.nets` replicate networks (plain float64
 * backend, one thread); a replicate that breaks down stops the measurement and is reported.
 */
export function measureBlocks(network: ResolvedNetwork, settings: TransformerMeasureSettings): TransformerDepth {
  const blocks = predictBlocks(network);
  const tokens = network.input.tokens ?? 1;
  const width = network.input.width;
  const top = new Map(network.nodes.map((node, i) => [node, i]));
  const backend = createPlainBackend('float64');
  const workspace = createFloat64Scratch();
  const replicates: ReplicateBlocks[] = [];
  let breakdown: string | undefined;
  for (let r = 0; r < settings.nets && !breakdown; r++) {
    const observed: ReplicateBlocks = { secondMoment: [], tokenMean: [], cosine: [] };
    const outcome = measureReplicate(network, r, { batch: settings.batch, seed: settings.seed, histogramBins: 10 }, backend, workspace, {
      forward(node, _input, output) {
        const block = top.get(node);
        if (block === undefined) return;
        const values = observeBlock(backend.view(output), settings.batch, tokens, width);
        observed.secondMoment[block] = values.secondMoment;
        observed.tokenMean[block] = values.tokenMean;
        observed.cosine[block] = values.cosine;
      },
    });
    if (outcome.breakdown) breakdown = `${outcome.breakdown.kind} at ${outcome.breakdown.path} (${outcome.breakdown.pass} pass, replicate ${r})`;
    else replicates.push(observed);
  }
  const level = simultaneousLevel(settings.level, 1, 2 * blocks.length);
  let pass = !breakdown;
  for (const row of blocks) {
    const i = row.block;
    const q = row.variance.predicted;
    const tolerance = row.variance.prediction === 'exact' ? DEFAULT_TOLERANCE.exact : DEFAULT_TOLERANCE.meanField;
    const variance = decidePrediction(replicates.map((r) => r.secondMoment[i]), q, level, tolerance);
    const tokenMeanPrediction = q / tokens + (1 - 1 / tokens) * row.tokenCosine.predicted * q;
    const tokenMean = decidePrediction(replicates.map((r) => r.tokenMean[i]), tokenMeanPrediction, level, DEFAULT_TOLERANCE.meanField);
    const cosines = replicates.map((r) => r.cosine[i]);
    const cosine = cosines.length >= 2 ? tInterval(cosines, level) : undefined;
    Object.assign(row.variance, { estimate: variance.estimate, ciLow: variance.ciLow, ciHigh: variance.ciHigh, verdict: variance.usable ? variance.verdict : 'undecided' });
    if (cosine) Object.assign(row.tokenCosine, { estimate: cosine.estimate, ciLow: cosine.ciLow, ciHigh: cosine.ciHigh, verdict: tokenMean.usable ? tokenMean.verdict : 'undecided' });
    if (variance.verdict === 'fails' || tokenMean.verdict === 'fails' || !variance.usable) pass = false;
  }
  return { blocks, monteCarlo: { nets: replicates.length, batch: settings.batch, seed: settings.seed, level: settings.level, pass, ...(breakdown ? { breakdown } : {}) } };
}
