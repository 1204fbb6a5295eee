/**
 * The contract every activation kind fulfils. One file per kind under `activations/` implements it
 * (φ, φ′, Gaussian moments, PyTorch gain, words for derivations) and is registered in
 * `activations/registry.ts`.
 */

/** Gaussian moments of an activation at input variance q, z ~ N(0, 1). */
export interface GaussianMoments {
  /** q, the variance of the pre-activation the moments are taken at. */
  q: number;
  /** m1(q) = E[φ(√q z)] */
  mean: number;
  /** m2(q) = E[φ(√q z)²] */
  secondMoment: number;
  /** d2(q) = E[φ′(√q z)²] */
  derivativeSecondMoment: number;
  /** True when all three came from closed forms, false when any came from quadrature. */
  closedForm: boolean;
}

/**
 * How a prediction built from this activation's moments behaves at finite width.
 * - `exact`: positively homogeneous (identity, relu, leaky relu): m2(q) = m2(1)·q and d2 constant,
 *   so E[h²] and E[d²] recursions hold in expectation at any width.
 * - `meanField`: the moments depend on q non-linearly; the q-map is exact only as width → ∞
 *   (error O(1/width)).
 */
export type PredictionKind = 'exact' | 'meanField';

/** A reference to an activation inside a network description (JSON-serialisable). */
export type ActivationRef =
  | string // 'tanh', 'relu', 'leaky_relu', ... or a custom expression in x such as 'x/(1+abs(x))'
  | { name: string; slope?: number; alpha?: number }
  | { expression: string };

export interface Activation {
  /** Registry name ('tanh', 'leaky_relu') or 'custom'. */
  readonly name: string;
  /** Human label with parameters, e.g. `leaky_relu(0.01)` or the custom expression. */
  readonly label: string;
  /** Parameters (slope, alpha, ...) as given or defaulted. */
  readonly params: Readonly<Record<string, number>>;
  /** LaTeX of φ(x), e.g. `\tanh(x)`, `\max(0, x)`. */
  readonly latex: string;
  /** LaTeX of φ′(x). */
  readonly derivativeLatex: string;
  /** mathjs-syntax expression of φ in x (for symbolic checks and the explorer). */
  readonly expression: string;
  /** Points where φ or φ′ is not smooth; quadrature splits there. Empty for smooth activations. */
  readonly kinks: readonly number[];
  /** `exact` for positively homogeneous activations, `meanField` otherwise. */
  readonly predictionKind: PredictionKind;
  /** φ′(0): the slope linear theory assumes (1 for tanh, 1/4 for sigmoid, ...). */
  readonly slopeAtZero: number;
  /** φ(x) */
  phi(x: number): number;
  /** φ′(x); at a kink, the right derivative. */
  derivative(x: number): number;
  /** Elementwise φ over an array, writing into `out` (may alias `input`). Hot path of Monte Carlo. */
  applyInPlace(input: Float32Array | Float64Array, out: Float32Array | Float64Array): void;
  /** Elementwise φ′ over an array, writing into `out` (may alias `input`). */
  derivativeInPlace(input: Float32Array | Float64Array, out: Float32Array | Float64Array): void;
  /** Gaussian moments at input variance q > 0 (closed form where one exists, quadrature otherwise). */
  moments(q: number): GaussianMoments;
  /** PyTorch `torch.nn.init.calculate_gain` value, or null where PyTorch has none. */
  readonly pytorchGain: number | null;
  /** One sentence on where PyTorch's value comes from, when it differs from the variance-preserving gain. */
  readonly pytorchGainNote?: string;
  /** One sentence for derivations: what this activation does to the zero-mean / linear assumptions. */
  readonly assumptionNote?: string;
}
