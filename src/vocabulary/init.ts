import type { WeightDistribution } from './distribution.js';

/** Which fan a preset scales by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';

/** A reference to an init preset inside a network description (JSON-serialisable). */
export type InitRef =
  | string // 'xavier_uniform', 'he_normal', 'pytorch_default', 'standard', ...
  | {
      name: string;
      gain?: number;
      /** kaiming's negative slope `a` */
      a?: number;
      mode?: FanMode;
      nonlinearity?: string;
      /** Keras VarianceScaling */
      scale?: number;
      distribution?: 'truncated_normal' | 'untruncated_normal' | 'normal' | 'uniform';
      /** constant init */
      value?: number;
    };

/** An init preset resolved at concrete fans: the law the weights are drawn from, and why. */
export interface ResolvedInit {
  /** Canonical preset name, e.g. 'xavier_uniform'. */
  readonly name: string;
  /** Label with options, e.g. `kaiming_normal(mode=fan_out, nonlinearity=relu)`. */
  readonly label: string;
  /** The distribution at these fans. */
  readonly distribution: WeightDistribution;
  /** Var[w] at these fans. */
  readonly variance: number;
  /**
   * Variance as an expression in the symbols `n_in` and `n_out` (mathjs/nerdamer syntax), e.g.
   * `2/(n_in+n_out)`; evaluating it at the fans gives `variance`.
   */
  readonly varianceExpression: string;
  /** LaTeX of the variance formula, e.g. `\frac{2}{n_\text{in}+n_\text{out}}`. */
  readonly varianceLatex: string;
  /** Source of the preset (paper or library), one line. */
  readonly source: string;
}

export interface InitPreset {
  readonly name: string;
  /** Other accepted names ('glorot_uniform' for 'xavier_uniform', 'kaiming_normal' for 'he_normal'). */
  readonly aliases: readonly string[];
  readonly description: string;
  resolve(fanIn: number, fanOut: number, options: Exclude<InitRef, string> | undefined): ResolvedInit;
}
