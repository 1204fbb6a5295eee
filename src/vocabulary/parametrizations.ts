/**
 * Width parametrizations as data: how the init variance, the forward multiplier and the learning
 * rate of each weight matrix scale with the width n, for the standard (SP), neural-tangent (NTK) and
 * maximal-update (μP) parametrizations.
 *
 * The common language is the abc-parametrization of Tensor Programs IV (Yang & Hu 2021, "Feature
 * Learning in Infinite-Width Neural Networks", §3, Definition 3.1): a weight matrix is
 * W = n^{−a}·w, its trained entries start as w_ij ~ N(0, n^{−2b}), and the optimizer's learning
 * rate for w is η·n^{−c}. Input weights map the fixed input dimension to width n, hidden weights map
 * width to width, output weights map width to the fixed output dimension.
 *
 * Only what the forward and backward passes see matters for the training dynamics, and that is the
 * effective matrix W: its variance scales as n^{−2(a+b)}; one SGD step on w moves W by
 * −η·n^{−(2a+c)}·∂L/∂W, one Adam step (entrywise normalised) by η·n^{−(a+c)}·(±1). So (a, b, c) and
 * (a + θ, b − θ, c − 2θ) are the same SGD training, (a + θ, b − θ, c − θ) the same Adam training
 * (Tensor Programs V, Yang et al. 2022, §B: the "abc symmetry"; exact for Adam only while its ε is
 * negligible). {@link effectiveExponents} reduces a table to those effective exponents, and the three
 * μP tables below reduce to the same numbers (test/vocabulary/parametrizations.test.ts).
 *
 * Which μP is which:
 * - `mup` is Tensor Programs V, Table 3 ("μP and SP for general neural networks"): no multipliers
 *   (a = 0); init variance 1/fan_in for input and hidden weights and 1/fan_in² for output weights;
 *   SGD learning rate fan_out (input), 1 (hidden), 1/fan_in (output); Adam learning rate 1 (input),
 *   1/fan_in (hidden and output). SP is the same table's grey entries: 1/fan_in everywhere, every
 *   learning rate 1.
 * - {@link mupPackageFormulation} is what the `mup` package (microsoft/mup, version 1.0.0 in
 *   setup.py) implements, read from its source: mup/layer.py (MuReadout: the output layer's input is
 *   multiplied by output_mult/width_mult, and `_rescale_parameters` multiplies the PyTorch-default
 *   output weights by width_mult^{1/2}, so their variance no longer shrinks with width) and
 *   mup/optim.py (MuAdam divides the learning rate of "matrix-like" parameters, two infinite
 *   dimensions, by width_mult = fan_in/base_fan_in and leaves "vector-like" ones, one infinite
 *   dimension, alone; MuSGD multiplies the vector-like learning rates by width_mult and divides the
 *   matrix-like ones by fan_in/fan_out ratio). In table form: output weights init variance 1,
 *   multiplier 1/fan_in, SGD learning rate fan_in, Adam learning rate 1; input and hidden weights as
 *   in Table 3. This is the "alternative (equivalent) μP formulation" of Tensor Programs V's
 *   appendix (Table 8 in the arXiv version as we recall it; the table number is not checked against
 *   the paper here, the content is checked against the package source).
 * - {@link mupTp4Formulation} is Tensor Programs IV's μP for SGD (§5, "μP"): a_1 = −1/2 (input
 *   multiplier √n), a_{L+1} = 1/2 (output multiplier 1/√n), every b = 1/2, c = 0.
 * They differ in what a practitioner stores and tunes, not in the training: the package's 1/fan_in
 * output multiplier keeps stored output weights Θ(1), so they can be tied to an input embedding, and
 * every rule is relative to a base width (width_mult = n/n₀), so at the base width μP *is* the model
 * as written. Where they differ numerically is Adam's ε (the gradient of w scales with n^{−a}) and
 * weight decay, which one Adam step with ε ≪ |gradient| does not see.
 *
 * The coordinate check (src/numeric/coordinateCheck.ts) uses the same base-width convention: at the
 * spec's own width every parametrization is the spec's init and the given learning rate.
 */
import { InputError } from '../errors.js';

/** Where a weight matrix sits: input (fixed fan-in), hidden (both fans ∝ n), output (fixed fan-out). */
export type WeightRole = 'input' | 'hidden' | 'output';
export const WEIGHT_ROLES: readonly WeightRole[] = ['input', 'hidden', 'output'];

export type OptimizerName = 'sgd' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam'];

/**
 * The abc exponents of one kind of weight matrix (Tensor Programs IV, Definition 3.1):
 * W = n^{−a}·w, w_ij ~ N(0, n^{−2b}), learning rate of w η·n^{−c} (c per optimizer).
 */
export interface AbcExponents {
  a: number;
  b: number;
  c: Readonly<Record<OptimizerName, number>>;
}

export type ParametrizationName = 'sp' | 'ntk' | 'mup';
export const PARAMETRIZATION_NAMES: readonly ParametrizationName[] = ['sp', 'ntk', 'mup'];

/** One parametrization or formulation: its abc table and where it comes from. */
export interface Parametrization {
  readonly name: string;
  readonly label: string;
  /** Paper, table or source file the exponents come from. */
  readonly source: string;
  readonly roles: Readonly<Record<WeightRole, AbcExponents>>;
}

const same = (c: number): Record<OptimizerName, number> => ({ sgd: c, adam: c });

/** Standard parametrization (PyTorch/He/LeCun fan-in init, one global learning rate): TP5 Table 3 (grey), TP4 §3 "SP". */
export const standardParametrization: Parametrization = {
  name: 'sp',
  label: 'SP (standard)',
  source: 'Tensor Programs V (Yang et al. 2022), Table 3, grey entries; Tensor Programs IV (Yang & Hu 2021), §3',
  roles: {
    input: { a: 0, b: 0, c: same(0) },
    hidden: { a: 0, b: 1 / 2, c: same(0) },
    output: { a: 0, b: 1 / 2, c: same(0) },
  },
};

/**
 * Neural tangent parametrization (Jacot et al. 2018): unit-variance w, a 1/√fan_in multiplier, one
 * global learning rate; TP4 §3 "NTP". Tensor Programs IV defines it for SGD; with Adam we keep the
 * same global learning rate (c = 0), which is no longer a kernel limit, and the prediction says so.
 */
export const ntkParametrization: Parametrization = {
  name: 'ntk',
  label: 'NTK (neural tangent)',
  source: 'Jacot, Gabriel & Hongler 2018; Tensor Programs IV (Yang & Hu 2021), §3 "NTP"',
  roles: {
    input: { a: 0, b: 0, c: same(0) },
    hidden: { a: 1 / 2, b: 0, c: same(0) },
    output: { a: 1 / 2, b: 0, c: same(0) },
  },
};

/** μP as Tensor Programs V, Table 3 writes it (no multipliers). */
export const maximalUpdateParametrization: Parametrization = {
  name: 'mup',
  label: 'μP (maximal update)',
  source: 'Tensor Programs V (Yang et al. 2022), Table 3',
  roles: {
    // init 1/fan_in (fan_in fixed), SGD lr fan_out = n, Adam lr 1
    input: { a: 0, b: 0, c: { sgd: -1, adam: 0 } },
    // init 1/fan_in, SGD lr 1, Adam lr 1/fan_in
    hidden: { a: 0, b: 1 / 2, c: { sgd: 0, adam: 1 } },
    // init 1/fan_in², SGD lr 1/fan_in, Adam lr 1/fan_in
    output: { a: 0, b: 1, c: { sgd: 1, adam: 1 } },
  },
};

/** μP as the `mup` package 1.0.0 implements it (mup/layer.py MuReadout, mup/optim.py MuSGD/MuAdam). */
export const mupPackageFormulation: Parametrization = {
  name: 'mup-package',
  label: 'μP, mup package 1.0.0',
  source: 'microsoft/mup 1.0.0: mup/layer.py (MuReadout, _rescale_parameters), mup/optim.py (MuSGD, MuAdam)',
  roles: {
    // Vector-like (one infinite dimension): MuSGD lr × width_mult (the fan-out multiple), MuAdam lr unchanged.
    input: { a: 0, b: 0, c: { sgd: -1, adam: 0 } },
    // Matrix-like: MuSGD lr ÷ (fan_in/fan_out ratio) = 1 for square, MuAdam lr ÷ width_mult (fan-in multiple).
    hidden: { a: 0, b: 1 / 2, c: { sgd: 0, adam: 1 } },
    // MuReadout: multiplier 1/width_mult, weights rescaled to Θ(1) variance; vector-like learning rates.
    output: { a: 1, b: 0, c: { sgd: -1, adam: 0 } },
  },
};

/** μP as Tensor Programs IV states it for SGD (§5): multipliers √n on the input, 1/√n on the output. */
export const mupTp4Formulation: Parametrization = {
  name: 'mup-tp4',
  label: 'μP, Tensor Programs IV',
  source: 'Tensor Programs IV (Yang & Hu 2021), §5 "μP": a_1 = −1/2, a_{L+1} = 1/2, b = 1/2, c = 0 (SGD; the Adam c from the abc symmetry)',
  roles: {
    input: { a: -1 / 2, b: 1 / 2, c: { sgd: 0, adam: 1 / 2 } },
    hidden: { a: 0, b: 1 / 2, c: { sgd: 0, adam: 1 } },
    output: { a: 1 / 2, b: 1 / 2, c: { sgd: 0, adam: 1 / 2 } },
  },
};

export const parametrizations: Readonly<Record<ParametrizationName, Parametrization>> = {
  sp: standardParametrization,
  ntk: ntkParametrization,
  mup: maximalUpdateParametrization,
};

/** The equivalent formulations of μP (same effective exponents as Table 3). */
export const mupFormulations: readonly Parametrization[] = [maximalUpdateParametrization, mupPackageFormulation, mupTp4Formulation];

/** What training sees of one kind of weight matrix, as powers of the width n. */
export interface EffectiveExponents {
  /** Var[W_ij] ∝ n^{initVariance}: −2(a + b). */
  initVariance: number;
  /** The step on W per unit of ∂L/∂W (SGD) or per unit sign (Adam) ∝ n^{learningRate}: −(2a + c) for SGD, −(a + c) for Adam. */
  learningRate: number;
}

export function effectiveExponents(exponents: AbcExponents, optimizer: OptimizerName): EffectiveExponents {
  const { a, b, c } = exponents;
  // `+ 0` turns −0 into 0: exponents are printed and compared.
  return {
    initVariance: -2 * (a + b) + 0,
    learningRate: (optimizer === 'sgd' ? -(2 * a + c.sgd) : -(a + c.adam)) + 0,
  };
}

/** The parametrization named `name`, or an InputError naming `field` and the names allowed. */
export function resolveParametrization(name: unknown, field: string): Parametrization {
  if (typeof name === 'string' && Object.hasOwn(parametrizations, name)) return parametrizations[name as ParametrizationName];
  throw new InputError(field, name, `one of ${PARAMETRIZATION_NAMES.join(', ')}`);
}

export function resolveOptimizer(name: unknown, field: string): OptimizerName {
  if (name === 'sgd' || name === 'adam') return name;
  throw new InputError(field, name, `one of ${OPTIMIZERS.join(', ')}`);
}
