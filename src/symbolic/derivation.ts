/**
 * A derivation is data: ordered steps, each produced by a named rule, each with KaTeX-valid LaTeX
 * and checked numerically by the engine before it is accepted. Reports, the CLI and the explorer
 * only present these objects; none of them writes math of its own.
 */

/** Names of the rules a step can cite. Report catalogues translate these ids. */
export type RuleId =
  | 'definition'
  | 'linearity'
  | 'independence'
  | 'zeroMean'
  | 'varianceDefinition'
  | 'iidSum'
  | 'varianceOfSum'
  | 'gaussianMoments'
  | 'chainRule'
  | 'product'
  | 'substitution'
  | 'solve'
  | 'simplify';

/** Which assumption a step relies on and whether it holds for the chosen activation. */
export interface AssumptionFlag {
  /** e.g. 'zeroMean', 'linearNearZero', 'halvesSecondMoment' */
  id: string;
  holds: boolean;
  /** One sentence for the reader, shown at the step. */
  note: string;
}

export interface DerivationStep {
  rule: RuleId;
  /** LaTeX of the step, usually `lhs = rhs` (valid for KaTeX with throwOnError). */
  latex: string;
  /** One sentence: why this step is allowed. */
  note: string;
  /** Optional plain-text (unicode) form of `latex` for terminals, printed from the same expression. */
  text?: string;
  /**
   * The equality that was checked numerically, as two mathjs expressions, with the symbols they
   * use (positive reals unless stated). Absent only for pure definitions.
   */
  check?: {
    lhs: string;
    rhs: string;
    symbols: string[];
    /** Optional: symbols pinned to these values (e.g. the fans) instead of drawn at random. */
    at?: Record<string, number>;
  };
  /** 'exact' (holds at any width) or 'meanField' (an approximation) when the step substitutes moments. */
  prediction?: 'exact' | 'meanField' | 'linear';
  assumptions?: AssumptionFlag[];
}

/** A named section of a derivation: forward, backward, weight gradient, stack, conditions. */
export interface DerivationSection {
  id: 'forward' | 'nonZeroMeanInput' | 'backward' | 'weightGradient' | 'network' | 'conditions' | 'init';
  title: string;
  steps: DerivationStep[];
  /** The result of the section as a mathjs expression in the symbols, e.g. `n_in*sigma^2*gamma^2`. */
  result?: string;
  resultLatex?: string;
  /** Optional: the result evaluated at the derivation's fans, init and input variance. */
  value?: number;
  /** Optional (network section): E[h_l²] and E[d_l²] per weight layer l = 1..L, as propagate() gives them. */
  perLayer?: { forward: number[]; backward: number[] };
  /** Optional (network section): every site's numbers, as propagate() gives them. */
  perSite?: SiteDerivation[];
}

/** One site of the network section: E[y²] and E[(∂y)²] at its output, E[(∂w)²] for weights. */
export interface SiteDerivation {
  path: string;
  kind: string;
  layer?: number;
  forward: number;
  forwardExact: boolean;
  backward: number;
  backwardExact: boolean;
  weightGradient?: number;
  weightGradientExact?: boolean;
}

/** A solved condition, e.g. Xavier's compromise, at the given fans. */
export interface SolvedCondition {
  /** 'forward' | 'backward' | 'compromise' | 'he' | 'gain' | 'gainBackward' */
  id: string;
  /** Optional English name, e.g. `Xavier's compromise`. */
  label?: string;
  /** The condition as LaTeX, e.g. `\tfrac12 (n_\text{in}+n_\text{out})\sigma^2 = 1`. */
  conditionLatex: string;
  /** σ² as a formula (nerdamer/mathjs syntax) and LaTeX. */
  formula: string;
  formulaLatex: string;
  /** σ as a canonical formula, e.g. `sqrt(2/(n_in+n_out))`, and its LaTeX. */
  stdFormula: string;
  stdLatex: string;
  /** Uniform bound a = √3 σ, canonical formula, e.g. `sqrt(6/(n_in+n_out))`. */
  boundFormula: string;
  boundLatex: string;
  /** Values at the given fans. */
  variance: number;
  std: number;
  bound: number;
}

export interface Derivation {
  /** What was derived for: fans, activation label, init label. */
  fanIn: number;
  fanOut: number;
  activation: string;
  init: string;
  sections: DerivationSection[];
  conditions: SolvedCondition[];
  /** The chosen init at the fans: its variance and std, and the bounds its law really has. */
  chosen: ChosenInit;
}

/**
 * The chosen init at the fans. Bounds are named for what they are: `uniformBound` only for a uniform
 * law (its a in U(−a, a)), `truncationBounds` only for a truncated normal (the absolute cut points
 * ±2σ of the pre-truncation σ), and `uniformEquivalentBound` = √3·σ, the bound a uniform law of the
 * same variance would have, for any law.
 */
export interface ChosenInit {
  variance: number;
  std: number;
  /** The weight law's name, e.g. 'uniform', 'normal', 'truncated_normal'. */
  law: string;
  /** U(−a, a)'s a: uniform laws only. */
  uniformBound?: number;
  /** The absolute cut points ±2σ_pre: truncated normals only. */
  truncationBounds?: [number, number];
  /** √3·σ: the bound of the uniform law with this variance, for any law. */
  uniformEquivalentBound: number;
  varianceLatex: string;
}
