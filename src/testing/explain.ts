/**
 * Words for a {@link VarianceCheckResult}: which layer decided the verdict, by how much, in which
 * direction, and (when undecided) what would decide it.
 */
import type { LayerVarianceResult, VarianceCheckResult } from './variance.js';

/** Four significant digits, without exponent noise for ordinary magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : 'undefined';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e6) return String(Number(value.toPrecision(4)));
  return value.toExponential(3);
}

function percent(value: number): string {
  return `${Number((value * 100).toPrecision(3))}%`;
}

function where(row: LayerVarianceResult, singleLayer: boolean): string {
  return singleLayer ? 'the layer' : `layer ${row.layer}`;
}

/** One line for one quantity: measured with interval, claimed value, ratio with interval. */
export function describeRow(row: LayerVarianceResult, levelPercent: string, singleLayer = false): string {
  return (
    `${where(row, singleLayer)} (${row.pass}): measured ${row.quantity} = ${formatNumber(row.measured)} ` +
    `[${formatNumber(row.measuredLow)}, ${formatNumber(row.measuredHigh)}], claimed ${row.claimed} = ${formatNumber(row.predicted)}; ` +
    `ratio ${formatNumber(row.ratio)} with ${levelPercent} interval [${formatNumber(row.ratioLow)}, ${formatNumber(row.ratioHigh)}], z = ${formatNumber(row.z)}`
  );
}

function direction(row: LayerVarianceResult): string {
  const off = row.ratio - 1;
  // Far from 1, a factor reads better than "100% too small".
  if (row.ratio > 0 && row.ratio < 0.5) return `too small by a factor ${formatNumber(1 / row.ratio)}`;
  if (row.ratio > 2) return `too large by a factor ${formatNumber(row.ratio)}`;
  return off < 0 ? `${percent(-off)} too small` : `${percent(off)} too large`;
}

/** Builds the explanation sentence(s) of a result. */
export function explainResult(result: VarianceCheckResult, context: { singleLayer: boolean }): string {
  const { singleLayer } = context;
  const band = `±${percent(result.tolerance)}`;
  const levelPercent = `${Number((result.intervalLevel * 100).toPrecision(4))}%`;
  const samples = `${result.samples.nets} replicate networks × batch ${result.samples.batch}, seed ${result.seed}, ${result.dtype}`;
  if (result.breakdown) {
    const { kind, layer, pass } = result.breakdown;
    const what = kind === 'exploded' ? 'overflowed to Inf/NaN' : 'underflowed to zero';
    return `${kind} at layer ${layer} (${pass} pass): the ${pass} signal ${what}, so ${result.claim} fails (${samples})`;
  }
  const deviation = (row: LayerVarianceResult) => Math.abs(Math.log(Math.abs(row.ratio) || Number.MIN_VALUE));
  const worstFirst = [...result.layers].sort((a, b) => deviation(b) - deviation(a));
  if (result.verdict === 'fails') {
    const failing = worstFirst.filter((row) => row.verdict === 'fails');
    const worst = failing[0];
    const others = failing.length - 1;
    const more = others > 0 ? `; ${others} more quantit${others === 1 ? 'y fails' : 'ies fail'} (${failing.slice(1).map((r) => `${where(r, singleLayer)} ${r.pass}`).join(', ')})` : '';
    return (
      `${result.claim} fails at ${where(worst, singleLayer)}: ${worst.quantity} is ${direction(worst)} ` +
      `(measured/claimed = ${formatNumber(worst.ratio)}, ${levelPercent} interval [${formatNumber(worst.ratioLow)}, ${formatNumber(worst.ratioHigh)}] lies outside the ${band} band)` +
      `${more}.\n  ${describeRow(worst, levelPercent, singleLayer)}\n  (${samples})`
    );
  }
  if (result.verdict === 'holds') {
    const worst = worstFirst[0];
    return (
      `${result.claim} holds within ${band} at level ${result.level}: every ratio measured/claimed has its ${levelPercent} interval inside [${formatNumber(1 - result.tolerance)}, ${formatNumber(1 + result.tolerance)}]` +
      ` (largest deviation at ${where(worst, singleLayer)} ${worst.pass}: ${formatNumber(worst.ratio)} [${formatNumber(worst.ratioLow)}, ${formatNumber(worst.ratioHigh)}]) (${samples})`
    );
  }
  const open = worstFirst.filter((row) => row.verdict === 'undecided');
  const widest = open[0] ?? worstFirst[0];
  const width = widest ? (widest.ratioHigh - widest.ratioLow) / 2 : Infinity;
  return (
    `undecided: after the budget of ${result.samples.budget} replicate networks, ${open.length} interval${open.length === 1 ? '' : 's'} still straddle${open.length === 1 ? 's' : ''} an edge of the ${band} band` +
    (widest ? `, e.g. ${where(widest, singleLayer)} (${widest.pass}) ratio ${formatNumber(widest.ratio)} [${formatNumber(widest.ratioLow)}, ${formatNumber(widest.ratioHigh)}] (half-width ${formatNumber(width)})` : '') +
    `. The data cannot tell whether the error is below or above the tolerance: raise maxNets or batch, or choose a tolerance away from the measured deviation (${samples})`
  );
}
