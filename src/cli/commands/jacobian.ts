/**
 * `varprop jacobian --spec net.json [--json]`: the spectrum of the input–output Jacobian — the mean
 * and variance of its squared singular values, predicted (src/theory/jacobian.ts) and measured by
 * Monte Carlo (src/numeric/jacobian.ts), with intervals from the one decision procedure. A check
 * that ran and failed exits 1; a Jacobian too large for memory or time is refused in one line, exit 2.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { formatSignificant } from '../../math/significant.js';
import { DECISION_RULE } from '../../numeric/decision.js';
import type { SpectrumComparison } from '../../numeric/jacobian.js';
import {
  JACOBIAN_DEFAULTS,
  LEADING_ORDER_TOLERANCE,
  MAX_JACOBIAN_FLOPS,
  MAX_REPLICATE_NETS,
  MAX_SPECTRUM_SIDE,
  ROUNDING_TOLERANCE,
} from '../../numeric/measurement.js';
import { addNetworkOptions, parseNumberFlag } from '../flags.js';
import type { NetworkFlags } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

interface JacobianFlags extends NetworkFlags {
  nets: string;
  inputs: string;
  seed: string;
  level: string;
  json?: boolean;
}

const LABEL_WORDS = { exact: 'exact', meanField: 'mean-field', leadingOrder: 'leading order (large width)' } as const;

function row(name: string, comparison: SpectrumComparison): string {
  const predicted = comparison.predicted === null ? 'n/a' : formatSignificant(comparison.predicted, 5);
  const label = comparison.label === null ? '' : ` (${LABEL_WORDS[comparison.label]})`;
  const verdict = comparison.verdict ?? 'not tested';
  return `${name}  predicted ${predicted}${label}  measured ${formatSignificant(comparison.estimate, 5)} [${formatSignificant(comparison.ciLow, 4)}, ${formatSignificant(comparison.ciHigh, 4)}]  ${verdict}`;
}

export const register: RegisterCommand = (program: Command, io) => {
  addNetworkOptions(
    program
      .command('jacobian')
      .description('The spectrum of the input–output Jacobian: mean and variance of its squared singular values, predicted and measured'),
  )
    .option('--nets <n>', 'replicate networks', String(JACOBIAN_DEFAULTS.nets))
    .option('--inputs <k>', 'inputs per network at which the Jacobian is formed', String(JACOBIAN_DEFAULTS.inputs))
    .option('--seed <n>', 'random seed', String(JACOBIAN_DEFAULTS.seed))
    .option('--level <p>', 'family level: a correct prediction fails with probability at most 1 − level', String(JACOBIAN_DEFAULTS.level))
    .option('--json', 'print JSON: meanSquaredSingularValue and varianceSquaredSingularValue, each with predicted, label, estimate, ciLow, ciHigh, tolerance, verdict')
    .addHelpText(
      'after',
      '\nThe squared singular values of J = ∂y/∂x are the n_0 eigenvalues λ of JᵀJ. Their mean tr(JᵀJ)/n_0 is the product of the\n' +
        'backward factors propagate() composes, (σ_w² μ₁)^L on a chain (exact for identity/relu-like, else mean-field); their variance is\n' +
        'm₁²·Σ_layers (μ₂/μ₁² − 1 − s₁), μ_k = E[φ′(h)^{2k}], s₁ = −1 for iid and 0 for orthogonal weights (leading order in 1/width;\n' +
        'Pennington, Schoenholz & Ganguli 2017). Bands: exact ±' + ROUNDING_TOLERANCE + ' (rounding), mean-field ±5%, leading order ±' + LEADING_ORDER_TOLERANCE * 100 + '%.\n' +
        `Limits: the Jacobian's smaller side at most ${MAX_SPECTRUM_SIDE}, a run at most ${MAX_JACOBIAN_FLOPS.toExponential(0)} floating-point operations, the memory budget of 4 GiB.\n` +
        `Decision rule: ${DECISION_RULE}\n` +
        'Example: varprop jacobian --widths 128,128,128,128,128 --act tanh --init orthogonal --gain 1.0905 --bias-std 0.0316 --input-variance 0.0894\n',
    )
    .action(async (flags: JacobianFlags) => {
      if (flags.spec === undefined && flags.widths === undefined) {
        throw new InputError('--widths', undefined, 'a comma-separated list such as 128,128,128,128', 'or pass --spec file.json');
      }
      const [{ networkSpecFromFlags }, { resolveNetwork }, { exactLinearGaussianVariance, predictJacobianSpectrum }, { decideJacobianSpectrum, measureJacobianSpectrum }] = await Promise.all([
        import('../networkFlags.js'),
        import('../../vocabulary/network.js'),
        import('../../theory/jacobian.js'),
        import('../../numeric/jacobian.js'),
      ]);
      const spec = networkSpecFromFlags(flags);
      const nets = parseNumberFlag('--nets', flags.nets, `an integer from 2 to ${MAX_REPLICATE_NETS}`, (v) => Number.isInteger(v) && v >= 2 && v <= MAX_REPLICATE_NETS);
      const inputsPerNet = parseNumberFlag('--inputs', flags.inputs, 'an integer from 1 to 64', (v) => Number.isInteger(v) && v >= 1 && v <= 64);
      const seed = parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32);
      const level = parseNumberFlag('--level', flags.level, 'a number strictly between 0 and 1', (v) => v > 0 && v < 1);
      const network = resolveNetwork(spec);
      const prediction = predictJacobianSpectrum(network);
      const measurement = measureJacobianSpectrum(network, { nets, inputsPerNet, seed, keepSpectra: 0 });
      const variance = prediction.varianceSquaredSingularValue;
      const decided = decideJacobianSpectrum(
        measurement,
        { mean: prediction.meanSquaredSingularValue, variance: variance ? { value: variance.value, label: variance.label } : null },
        { level },
      );
      const exactVariance = exactLinearGaussianVariance(network);
      const failed = [decided.meanSquaredSingularValue, decided.varianceSquaredSingularValue].some((c) => c.verdict === 'fails');
      if (failed) io.exitCode = 1;
      if (flags.json) {
        io.stdout(
          `${JSON.stringify(
            {
              inputUnits: measurement.inputUnits,
              outputUnits: measurement.outputUnits,
              nets,
              inputsPerNet,
              seed,
              level,
              intervalLevel: decided.intervalLevel,
              decisionRule: DECISION_RULE,
              meanSquaredSingularValue: decided.meanSquaredSingularValue,
              varianceSquaredSingularValue: decided.varianceSquaredSingularValue,
              normalizedVariance: prediction.normalizedVariance,
              ...(prediction.varianceUnavailable ? { varianceUnavailable: prediction.varianceUnavailable } : {}),
              ...(exactVariance !== null ? { exactFiniteWidthVariance: exactVariance } : {}),
              verdict: failed ? 'fails' : 'passes',
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      const lines = [
        `Jacobian ${measurement.outputUnits}×${measurement.inputUnits}: squared singular values over ${nets} networks × ${inputsPerNet} input${inputsPerNet > 1 ? 's' : ''} (seed ${seed}), intervals at ${formatSignificant(decided.intervalLevel * 100, 4)}% each`,
        row('mean     ', decided.meanSquaredSingularValue),
        row('variance ', decided.varianceSquaredSingularValue),
      ];
      if (prediction.varianceUnavailable) lines.push(`no variance prediction: ${prediction.varianceUnavailable}`);
      if (exactVariance !== null && variance) {
        lines.push(`finite width: the exact variance of this linear Gaussian chain is ${formatSignificant(exactVariance, 5)}, ${formatSignificant((exactVariance / variance.value - 1) * 100, 3)}% from the leading order`);
      }
      lines.push(failed ? 'verdict: a prediction fails' : 'verdict: no prediction fails');
      io.stdout(`${lines.join('\n')}\n`);
    });
};
