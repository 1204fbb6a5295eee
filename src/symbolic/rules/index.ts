/**
 * The rule table: every rewrite rule a derivation may cite, by id. Rules that build their steps
 * differently (the chain rule, Gaussian moments, products over layers, solving) live in their own
 * files beside these and are listed in {@link ruleNames}.
 */
import type { RuleId } from '../derivation.js';
import { definition } from './definition.js';
import { iidSum } from './iidSum.js';
import { independence } from './independence.js';
import { linearity } from './linearity.js';
import type { RewriteRule } from './rule.js';
import { varianceDefinition } from './varianceDefinition.js';
import { varianceOfSum } from './varianceOfSum.js';
import { zeroMean } from './zeroMean.js';

export const rewriteRules = { definition, linearity, independence, zeroMean, varianceDefinition, varianceOfSum, iidSum } as const satisfies Record<string, RewriteRule>;

/** English names of every rule id (report catalogues translate these). */
export const ruleNames: Readonly<Record<RuleId, string>> = {
  definition: 'definition',
  linearity: 'linearity of expectation',
  independence: 'independence',
  zeroMean: 'zero mean',
  varianceDefinition: 'definition of variance',
  iidSum: 'sum of identically distributed terms',
  varianceOfSum: 'variance of a sum of independent terms',
  gaussianMoments: 'Gaussian moments of the activation',
  chainRule: 'chain rule',
  product: 'product over layers',
  substitution: 'substitution',
  solve: 'solve',
  simplify: 'simplify',
};

export { substitution } from './substitution.js';
export { RuleNotApplicableError, type RewriteRule } from './rule.js';
