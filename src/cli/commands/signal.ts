/**
 * `varprop signal`: mean-field signal propagation (src/theory/criticality.ts, src/theory/signal.ts).
 * - `--act tanh --weight-var 1.5 --bias-var 0.05 [--json]`: q*, c*, χ₁, χ_c, ξ_q, ξ_c, ξ_∇, the phase
 *   and the critical σ_w² of that setting (JSON fields exactly qStar, cStar, chi1, chiC, xiQ, xiC,
 *   xiGrad, phase, criticalWeightVar; an infinite depth scale is null);
 * - `--act NAME --critical --bias-var V`: the critical σ_w² on χ₁ = 1 and q* there, for any activation;
 * - `--measure` (with --weight-var): two correlated inputs through sampled networks of that setting
 *   (src/numeric/correlation.ts): c_l per layer measured against the c-map, and the decay rate of
 *   |c_l − c*| against the c-map's and 1/ξ_c.
 */
import { InputError } from '../../errors.js';
import type { CorrelationDecay } from '../../numeric/correlation.js';
import type { SignalPropagation } from '../../theory/signal.js';
import type { Activation } from '../../vocabulary/activation.js';
import type { RegisterCommand } from './index.js';

interface SignalOptions {
  act: string;
  biasVar: string;
  weightVar?: string;
  critical?: boolean;
  json?: boolean;
  measure?: boolean;
  width: string;
  depth: string;
  nets: string;
  pairs: string;
  inputCorrelation: string;
  seed: string;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('signal')
    .description(
      'Mean-field signal propagation of one and two inputs: q*, c*, χ₁, the c-map slope χ_c, the depth scales ξ_q, ξ_c, ξ_∇ and the phase; with --critical, the σ_w² where χ₁ = 1 (order-to-chaos boundary)',
    )
    .requiredOption('--act <name>', 'an activation: tanh, relu, gelu, …, or an expression in x such as "x/(1+abs(x))"')
    .option('--bias-var <V>', 'bias variance σ_b² (≥ 0)', '0')
    .option('--critical', 'solve χ₁ = 1 for σ_w² at this σ_b² (any activation; Brent\'s method)')
    .option('--weight-var <W>', 'weight variance σ_w² = n·Var[w] (> 0): print q*, c*, χ₁, χ_c, ξ_q, ξ_c, ξ_∇ and the phase of this setting')
    .option('--measure', 'with --weight-var: measure c_l and the decay rate of |c_l − c*| by Monte Carlo on two correlated inputs')
    .option('--width <n>', 'width of the measured networks', '300')
    .option('--depth <L>', 'layers of the measured networks', '24')
    .option('--nets <R>', 'replicate networks measured', '12')
    .option('--pairs <P>', 'input pairs per network', '30')
    .option('--input-correlation <c0>', 'correlation of the two inputs, in [-1, 1]', '0.9')
    .option('--seed <s>', 'seed of the measurement', '1')
    .option('--json', 'print JSON: qStar, cStar, chi1, chiC, xiQ, xiC, xiGrad, phase, criticalWeightVar (null for ∞ or none); with --critical: activation, biasVar, criticalWeightVar, qStar, chi1')
    .addHelpText(
      'after',
      '\nA dense layer with σ_w² = n·Var[w] and σ_b² maps the pre-activation second moment q ↦ σ_w²·E[φ(√q z)²] + σ_b² and\n' +
        'the correlation c of two inputs by the c-map c ↦ (σ_w²·E[φ(u_a)φ(u_b)] + σ_b²)/q (Poole et al. 2016). At the fixed\n' +
        'points q*, c*: χ₁ = σ_w²·E[φ′(√q* z)²] (χ₁ < 1 ordered, > 1 chaotic), χ_c = the c-map\'s slope at c*, and the depth\n' +
        'scales ξ_q, ξ_c = −1/log χ_c, ξ_∇ = −1/log χ₁ (negative: gradients grow); networks train to about 6ξ_c layers\n' +
        '(Schoenholz et al. 2017). All mean-field: exact as width → ∞.\n' +
        'Examples: varprop signal --act tanh --weight-var 1.5 --bias-var 0.05\n' +
        '          varprop signal --act tanh --critical --bias-var 0.05   # σ_w² = 1.76095464, q* = 0.57004788\n' +
        '          varprop signal --act relu --weight-var 1.8 --bias-var 0.05 --measure\n',
    )
    .action(async (options: SignalOptions) => {
      const biasVar = parseNumber(options.biasVar, '--bias-var', 'a finite number ≥ 0 (a variance)', (v) => v >= 0);
      if (options.critical && options.weightVar !== undefined) {
        throw new InputError('--weight-var', options.weightVar, 'no value together with --critical', '--critical solves for σ_w²');
      }
      if (!options.critical && options.weightVar === undefined) {
        throw new InputError('--critical', undefined, '--critical, or --weight-var W', 'Say whether to solve for the critical σ_w² or to evaluate a given one');
      }
      if (options.measure && options.critical) throw new InputError('--measure', true, 'no --measure together with --critical', '--measure measures a given --weight-var');
      const [{ resolveActivation }, { signalPropagation }] = await Promise.all([import('../../vocabulary/activations/registry.js'), import('../../theory/signal.js')]);
      const activation = resolveActivation(options.act, '--act');
      if (options.critical) {
        io.stdout(await printCritical(activation, biasVar, options.json ?? false));
        return;
      }
      const weightVar = parseNumber(options.weightVar as string, '--weight-var', 'a positive finite number (σ_w² = n·Var[w])', (v) => v > 0);
      const signal = signalPropagation(activation, weightVar, biasVar);
      const measurement = options.measure ? await measure(options, signal) : undefined;
      if (options.json) {
        io.stdout(`${JSON.stringify({ ...signalJson(signal), ...(measurement ? { measurement: measurementJson(signal, measurement) } : {}) }, null, 2)}\n`);
        return;
      }
      io.stdout(
        table([
          ['activation', activation.label],
          ['σ_w²', format(weightVar)],
          ['σ_b²', format(biasVar)],
          ['q*', format(signal.qStar)],
          ['c*', format(signal.cStar)],
          ['χ₁', format(signal.chi1)],
          ['χ_c', format(signal.chiC)],
          ['ξ_q', format(signal.xiQ)],
          ['ξ_c', format(signal.xiC)],
          ['ξ_∇', format(signal.xiGrad)],
          ['phase', signal.phase],
          ['critical σ_w²', signal.criticalWeightVar === null ? 'none' : format(signal.criticalWeightVar)],
          ['trainable depth ≈ 6ξ_c', format(signal.trainableDepth)],
        ]) + (measurement ? measurementTable(signal, measurement) : ''),
      );
    });
};

/** The JSON contract of `signal --weight-var`: exactly these fields, ∞ as null. */
function signalJson(signal: SignalPropagation) {
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  return {
    qStar: signal.qStar,
    cStar: signal.cStar,
    chi1: signal.chi1,
    chiC: signal.chiC,
    xiQ: finite(signal.xiQ),
    xiC: finite(signal.xiC),
    xiGrad: finite(signal.xiGrad),
    phase: signal.phase,
    criticalWeightVar: signal.criticalWeightVar,
  };
}

async function printCritical(activation: Activation, biasVar: number, json: boolean): Promise<string> {
  const [{ criticalPoint, hasOrderToChaosLine, lengthFixedPoint }, { boundaryPoint }] = await Promise.all([import('../../theory/criticality.js'), import('../../theory/signal.js')]);
  let point: { criticalWeightVar: number; qStar: number; chi1: number };
  if (hasOrderToChaosLine(activation)) {
    point = criticalPoint(activation, biasVar);
  } else {
    const boundary = boundaryPoint(activation, biasVar);
    // Where q* runs off to ∞ (relu-like with σ_b² > 0), χ₁ → 1 in the limit.
    const chi1 = Number.isFinite(boundary.qStar) ? lengthFixedPoint(activation, boundary.criticalWeightVar, biasVar).chi1 : 1;
    point = { criticalWeightVar: boundary.criticalWeightVar, qStar: boundary.qStar, chi1 };
  }
  if (json) {
    const qStar = Number.isFinite(point.qStar) ? point.qStar : null;
    return `${JSON.stringify({ activation: activation.label, biasVar, criticalWeightVar: point.criticalWeightVar, qStar, chi1: point.chi1 }, null, 2)}\n`;
  }
  return table([
    ['activation', activation.label],
    ['σ_b²', format(biasVar)],
    ['critical σ_w²', format(point.criticalWeightVar)],
    ['q*', Number.isFinite(point.qStar) ? format(point.qStar) : '∞ (the variance grows without bound there)'],
    ['χ₁', format(point.chi1)],
  ]);
}

async function measure(options: SignalOptions, signal: SignalPropagation): Promise<CorrelationDecay> {
  const [{ measureCorrelationDecay }, { signalNetworkSpec }, { resolveNetwork }] = await Promise.all([
    import('../../numeric/correlation.js'),
    import('../../theory/signal.js'),
    import('../../vocabulary/network.js'),
  ]);
  const integer = (text: string, flag: string) => parseNumber(text, flag, 'a positive integer', (v) => Number.isInteger(v) && v > 0);
  const width = integer(options.width, '--width');
  const depth = integer(options.depth, '--depth');
  const nets = integer(options.nets, '--nets');
  const pairs = integer(options.pairs, '--pairs');
  const inputCorrelation = parseNumber(options.inputCorrelation, '--input-correlation', 'a number in [-1, 1]', (v) => Math.abs(v) <= 1);
  const seed = parseNumber(options.seed, '--seed', 'an integer', (v) => Number.isSafeInteger(v));
  const network = resolveNetwork(signalNetworkSpec(options.act, signal.weightVar, signal.biasVar, width, depth, signal.qStar));
  return measureCorrelationDecay(network, { pairs, nets, seed, inputCorrelation, cStar: signal.cStar, floor: 0.01 });
}

function measurementJson(signal: SignalPropagation, decay: CorrelationDecay) {
  return {
    layers: decay.layers,
    predictedCorrelation: decay.predictedCorrelations,
    measuredCorrelation: decay.measuredCorrelations,
    asymptoticRate: Number.isFinite(signal.xiC) ? 1 / signal.xiC : 0,
    predictedRate: decay.predictedRate,
    rate: { estimate: decay.rate.estimate, ciLow: decay.rate.ciLow, ciHigh: decay.rate.ciHigh, verdict: decay.rate.verdict, tolerance: decay.rate.tolerance },
    replicates: decay.replicates,
  };
}

function measurementTable(signal: SignalPropagation, decay: CorrelationDecay): string {
  const rows = decay.layers.map((layer, i) => `${String(layer).padStart(5)}  ${decay.predictedCorrelations[i].toFixed(4).padStart(9)}  ${decay.measuredCorrelations[i].toFixed(4).padStart(8)}`);
  const rate = decay.rate;
  return (
    `\nMonte Carlo, ${decay.replicates} networks (mean-field predictions):\nlayer  c_l c-map  c_l measured\n${rows.join('\n')}\n` +
    table([
      ['decay rate of |c_l − c*|, 1/ξ_c', Number.isFinite(signal.xiC) ? format(1 / signal.xiC) : '0'],
      ['… of the c-map over these layers', format(decay.predictedRate)],
      ['… measured (99% interval)', `${format(rate.estimate)} [${format(rate.ciLow)}, ${format(rate.ciHigh)}]`],
      ['verdict (±5% band)', rate.verdict],
    ])
  );
}

function parseNumber(text: string, field: string, allowed: string, ok: (value: number) => boolean): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) throw new InputError(field, text, allowed);
  return value;
}

function format(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (value === Number.NEGATIVE_INFINITY) return '−∞';
  return Math.abs(value) < 1e-15 ? '0' : Number(value.toPrecision(10)).toString();
}

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
