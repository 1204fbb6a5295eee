/**
 * A stack of layers: the one-layer results compose into products (Glorot & Bengio 2010, eqs. 5–6;
 * Dive into Deep Learning §4.8, "the product of many matrices"):
 *   Var[h_L] = γ² Π_{l=1}^{L} n_l^in σ_l² · Π_{l=1}^{L−1} c_l,
 *   Var[∂h_l] = Var[∂h_L] Π_{k=l+1}^{L} n_k^out σ_k² d_{k−1},
 * where c_l = E[φ(h_l)²]/Var[h_l] and d_l = E[φ′(h_l)²] are exact for identity and relu-like
 * activations (1; ½ for relu) and the linear-regime value φ′(0)² otherwise.
 */
import type { Activation } from '../vocabulary/activation.js';
import type { ResolvedNetwork } from '../vocabulary/network.js';
import { symbolsOf } from './check.js';
import type { AssumptionFlag, DerivationSection, DerivationStep } from './derivation.js';
import { createEngine, type Engine } from './engine.js';
import { linearNearZeroFlag, zeroMeanFlag } from './flags.js';
import { assertPositiveFinite, assertPositiveInteger } from './validate.js';

/** One layer of a stack: its fans, its weight variance and the activation after it. */
export interface StackLayer {
  fanIn: number;
  fanOut: number;
  variance: number;
  activation?: Activation;
}

export interface StackInput {
  layers: readonly StackLayer[];
  /** γ², the variance of the network input (default 1). */
  inputVariance?: number;
}

interface Factors {
  forward: number;
  backward: number;
  kind: 'exact' | 'linear';
}

/** c_l and d_l of the activation after a layer. */
function activationFactors(activation: Activation | undefined): Factors {
  if (!activation || activation.name === 'identity') return { forward: 1, backward: 1, kind: 'exact' };
  if (activation.predictionKind === 'exact') {
    const moments = activation.moments(1);
    return { forward: moments.secondMoment, backward: moments.derivativeSecondMoment, kind: 'exact' };
  }
  const slope = activation.slopeAtZero ** 2;
  return { forward: slope, backward: slope, kind: 'linear' };
}

function isLayerList(input: StackInput | ResolvedNetwork | readonly StackLayer[]): input is readonly StackLayer[] {
  return Array.isArray(input);
}

function toStack(input: StackInput | ResolvedNetwork | readonly StackLayer[]): { layers: StackLayer[]; inputVariance: number } {
  if (isLayerList(input)) return { layers: [...input], inputVariance: 1 };
  if ('spec' in input) {
    return {
      layers: input.layers.map((l) => ({ fanIn: l.fanIn, fanOut: l.fanOut, variance: l.init.variance, activation: l.activation })),
      inputVariance: input.inputVariance,
    };
  }
  return { layers: [...input.layers], inputVariance: input.inputVariance ?? 1 };
}

const round = (value: number) => String(Number(value.toPrecision(6)));

/**
 * The product formulas for the forward variance at the top and the gradient variance at each layer,
 * for a resolved network, a list of layers (input variance 1), or layers with an input variance.
 *
 * @example
 * ```ts
 * deriveStack([{ fanIn: 100, fanOut: 100, variance: 0.01 }, { fanIn: 100, fanOut: 10, variance: 0.01 }]).value; // 1
 * ```
 */
export function deriveStack(input: StackInput | ResolvedNetwork | readonly StackLayer[], options: { engine?: Engine } = {}): DerivationSection {
  const engine = options.engine ?? createEngine();
  const { layers, inputVariance } = toStack(input);
  if (layers.length === 0) throw new Error('deriveStack needs at least one layer');
  layers.forEach((l, i) => {
    assertPositiveInteger(l.fanIn, `layers[${i}].fanIn`);
    assertPositiveInteger(l.fanOut, `layers[${i}].fanOut`);
    assertPositiveFinite(l.variance, `layers[${i}].variance`);
  });
  assertPositiveFinite(inputVariance, 'inputVariance');
  const L = layers.length;
  const factors = layers.map((l) => activationFactors(l.activation));
  // Symbol values: a_l = fan-in, b_l = fan-out, s_l = σ_l, c_l, d_l, gamma.
  const values: Record<string, number> = { gamma: Math.sqrt(inputVariance) };
  layers.forEach((l, i) => {
    const k = i + 1;
    values[`a_${k}`] = l.fanIn;
    values[`b_${k}`] = l.fanOut;
    values[`s_${k}`] = Math.sqrt(l.variance);
    values[`c_${k}`] = factors[i].forward;
    values[`d_${k}`] = factors[i].backward;
  });

  // Forward: the recursion unrolled by nesting, against the product formula.
  let nested = 'gamma^2';
  for (let l = 1; l <= L; l++) nested = `a_${l}*s_${l}^2*${l > 1 ? `c_${l - 1}*` : ''}(${nested})`;
  const productTerms = Array.from({ length: L }, (_, i) => `a_${i + 1}*s_${i + 1}^2`);
  const activationTerms = Array.from({ length: L - 1 }, (_, i) => `c_${i + 1}`);
  const forwardProduct = ['gamma^2', ...productTerms, ...activationTerms].join('*');

  // Backward from Var[∂h_L] = 1 down to Var[∂h_1]: G_{l-1} = d_{l-1} b_l s_l² G_l.
  let nestedBack = '1';
  for (let l = L; l >= 2; l--) nestedBack = `d_${l - 1}*b_${l}*s_${l}^2*(${nestedBack})`;
  const backwardProduct = ['1', ...Array.from({ length: L - 1 }, (_, i) => `b_${i + 2}*s_${i + 2}^2*d_${i + 1}`)].join('*');

  const forward: number[] = [];
  const backward: number[] = new Array<number>(L).fill(0);
  let v = inputVariance;
  layers.forEach((l, i) => {
    v = l.fanIn * l.variance * (i > 0 ? factors[i - 1].forward : 1) * v;
    forward.push(v);
  });
  let g = 1;
  backward[L - 1] = 1;
  for (let l = L; l >= 2; l--) {
    g = factors[l - 2].backward * layers[l - 1].fanOut * layers[l - 1].variance * g;
    backward[l - 2] = g;
  }

  const flags: AssumptionFlag[] = [];
  const seen = new Set<string>();
  for (const l of layers.slice(0, -1)) {
    if (!l.activation || seen.has(l.activation.label)) continue;
    seen.add(l.activation.label);
    flags.push(...linearNearZeroFlag(l.activation), ...zeroMeanFlag(l.activation, 1));
  }
  const linear = factors.slice(0, -1).some((f) => f.kind === 'linear');
  const factorNote = describeFactors(layers, factors);
  const allSymbols = (lhs: string, rhs: string) => symbolsOf(lhs, rhs);

  const steps: DerivationStep[] = [
    {
      rule: 'definition',
      latex:
        '\\operatorname{Var}[h_l] = n^\\text{in}_l \\sigma_l^2 \\, c_{l-1} \\operatorname{Var}[h_{l-1}], \\quad c_l = \\frac{\\mathbb{E}\\left[\\phi(h_l)^2\\right]}{\\operatorname{Var}[h_l]}, \\quad c_0 \\operatorname{Var}[h_0] = \\gamma^2',
      text: 'Var[h_l] = n_l^in·σ_l²·c_(l−1)·Var[h_(l−1)],  c_l = E[φ(h_l)²]/Var[h_l],  c_0·Var[h_0] = γ²',
      note: `The forward result applied to every layer, with E[x²] = c·Var[h] for the activation in between; ${factorNote}.`,
      assumptions: flags.length > 0 ? flags : undefined,
    },
    engine.accept({
      rule: 'product',
      latex: '\\operatorname{Var}[h_L] = \\gamma^2 \\prod_{l=1}^{L} n^\\text{in}_l \\sigma_l^2 \\prod_{l=1}^{L-1} c_l',
      text: 'Var[h_L] = γ²·Π_{l=1..L} n_l^in·σ_l² · Π_{l=1..L−1} c_l',
      note: `Unrolling the recursion over the ${L} layer${L > 1 ? 's' : ''} multiplies the per-layer factors: the variance explodes or vanishes geometrically unless each factor is 1.`,
      check: { lhs: nested, rhs: forwardProduct, symbols: allSymbols(nested, forwardProduct) },
      prediction: linear ? 'linear' : 'exact',
    }),
    engine.accept({
      rule: 'substitution',
      latex: `\\operatorname{Var}[h_{${L}}] ${relation(forward[L - 1])} ${round(forward[L - 1])}`,
      text: `Var[h_${L}] ${relation(forward[L - 1]) === '=' ? '=' : '≈'} ${round(forward[L - 1])}`,
      note: `At the given fans and variances with γ² = ${round(inputVariance)}; per layer: ${forward.map(round).join(', ')}.`,
      check: { lhs: forwardProduct, rhs: String(forward[L - 1]), symbols: allSymbols(forwardProduct, '0'), at: values },
    }),
    {
      rule: 'chainRule',
      latex:
        "\\operatorname{Var}[\\partial h_{l-1}] = d_{l-1} \\, n^\\text{out}_l \\sigma_l^2 \\operatorname{Var}[\\partial h_l], \\quad d_l = \\mathbb{E}\\left[\\phi'(h_l)^2\\right]",
      text: 'Var[∂h_(l−1)] = d_(l−1)·n_l^out·σ_l²·Var[∂h_l],  d_l = E[φ′(h_l)²]',
      note: 'The backward result applied to every layer: through the weights a factor n_out σ², through the activation a factor E[φ′²].',
    },
    engine.accept({
      rule: 'product',
      latex: '\\operatorname{Var}[\\partial h_l] = \\operatorname{Var}[\\partial h_L] \\prod_{k=l+1}^{L} n^\\text{out}_k \\sigma_k^2 \\, d_{k-1}',
      text: 'Var[∂h_l] = Var[∂h_L]·Π_{k=l+1..L} n_k^out·σ_k²·d_(k−1)',
      note: 'Unrolled from the top layer down: the gradient at layer l is a product of L − l factors (checked here for l = 1).',
      check: { lhs: nestedBack, rhs: backwardProduct, symbols: allSymbols(nestedBack, backwardProduct) },
      prediction: linear ? 'linear' : 'exact',
    }),
    engine.accept({
      rule: 'substitution',
      latex: `\\operatorname{Var}[\\partial h_{1}] ${relation(backward[0])} ${round(backward[0])} \\cdot \\operatorname{Var}[\\partial h_{${L}}]`,
      text: `Var[∂h_1] ${relation(backward[0]) === '=' ? '=' : '≈'} ${round(backward[0])}·Var[∂h_${L}]`,
      note: `Relative to the top layer's gradient; per layer l = 1..${L}: ${backward.map(round).join(', ')}.`,
      check: { lhs: backwardProduct, rhs: String(backward[0]), symbols: allSymbols(backwardProduct, '0'), at: values },
    }),
  ];
  return {
    id: 'stack',
    title: `A stack of ${L} layer${L > 1 ? 's' : ''}: products over layers`,
    steps: steps.map((s) => (s.assumptions === undefined ? withoutUndefined(s) : s)),
    result: forwardProduct,
    resultLatex: '\\gamma^2 \\prod_{l=1}^{L} n^\\text{in}_l \\sigma_l^2 \\prod_{l=1}^{L-1} c_l',
    value: forward[L - 1],
    perLayer: { forward, backward },
  };
}

function relation(value: number): string {
  return Number(value.toPrecision(6)) === value ? '=' : '\\approx';
}

function withoutUndefined(step: DerivationStep): DerivationStep {
  const copy = { ...step };
  delete copy.assumptions;
  return copy;
}

function describeFactors(layers: readonly StackLayer[], factors: readonly Factors[]): string {
  const described = new Map<string, string>();
  layers.slice(0, -1).forEach((l, i) => {
    const label = l.activation?.label ?? 'identity';
    const f = factors[i];
    if (!described.has(label)) {
      described.set(
        label,
        f.kind === 'exact' ? `c = ${round(f.forward)}, d = ${round(f.backward)} for ${label} (exact)` : `c = d = φ′(0)² = ${round(f.forward)} for ${label} (linear regime)`,
      );
    }
  });
  return described.size > 0 ? [...described.values()].join('; ') : 'a single layer has no activation in between';
}
