/**
 * `varprop fluctuations --spec net.json [--json]`: finite-width fluctuations of M = ‖y‖²/n across
 * independently sampled networks. Per site, E[M²]/E[M]² predicted by src/theory/fluctuations.ts
 * (exact for homogeneous activations, leading order otherwise) against a Monte Carlo estimate with
 * a studentized-bootstrap interval (src/numeric/fluctuations.ts). JSON field names are a contract:
 * per site `secondMomentRatio` with `predicted`, `estimate`, `ciLow`, `ciHigh`. A failed check
 * sets exit code 1.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { formatSignificant } from '../../math/significant.js';
import type { FluctuationReport } from '../../numeric/fluctuations.js';
import { DEFAULT_FLUCTUATION_NETS, DEFAULT_LEADING_ORDER_TOLERANCE, MAX_REPLICATE_NETS, MIN_FLUCTUATION_NETS } from '../../numeric/measurement.js';
import { addNetworkOptions, parseNumberFlag } from '../flags.js';
import type { NetworkFlags } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

interface FluctuationFlags extends NetworkFlags {
  nets: string;
  seed: string;
  level: string;
  tolerance: string;
  json?: boolean;
}

export const register: RegisterCommand = (program: Command, io) => {
  addNetworkOptions(
    program
      .command('fluctuations')
      .description('Finite-width fluctuations: E[M²]/E[M]² of M = ‖y‖²/n across sampled networks, per site, predicted (exact or leading order) and measured'),
  )
    .option('--nets <n>', `networks sampled (one input each; from ${MIN_FLUCTUATION_NETS})`, String(DEFAULT_FLUCTUATION_NETS))
    .option('--seed <n>', 'random seed', '1')
    .option('--level <p>', 'family level over the sites: a correct exact prediction fails with probability about 1 − level', '0.99')
    .option('--tolerance <r>', 'relative band around a leading-order prediction (exact ones are tested strictly)', String(DEFAULT_LEADING_ORDER_TOLERANCE))
    .option('--json', 'print JSON: per site path, kind, units, label, secondMomentRatio {predicted, estimate, ciLow, ciHigh}, verdict')
    .addHelpText(
      'after',
      '\nM = ‖y‖²/n at a site; across networks E[M] is the variance every other command predicts, and\n' +
        'E[M²]/E[M]² = 1 + Var[M]/E[M]² says how far one network strays from it. With Gaussian weights and a\n' +
        'positively homogeneous activation it is exactly (1 + 2/n_0)·∏_l (1 + (κ − 1)/n_l), κ = E[φ(z)⁴]/E[φ(z)²]²\n' +
        '(relu: 6, so 1 + 5/n per layer; Hanin 2018). Other activations: leading order in 1/n. Supported: chains of\n' +
        'dense, bias and activation nodes (serial/repeat of them). Interval: studentized bootstrap of ln R.\n' +
        'Example: varprop fluctuations --widths 10,10,10,10 --act relu --init he_normal\n',
    )
    .action(async (flags: FluctuationFlags) => {
      if (flags.spec === undefined && flags.widths === undefined) {
        throw new InputError('--widths', undefined, 'a comma-separated list such as 10,10,10', 'or pass --spec file.json');
      }
      const [{ networkSpecFromFlags }, { resolveNetwork }, { predictFluctuations }, { decideFluctuations, sampleFluctuations }] = await Promise.all([
        import('../networkFlags.js'),
        import('../../vocabulary/network.js'),
        import('../../theory/fluctuations.js'),
        import('../../numeric/fluctuations.js'),
      ]);
      const network = resolveNetwork(networkSpecFromFlags(flags));
      const options = {
        nets: parseNumberFlag('--nets', flags.nets, `an integer from ${MIN_FLUCTUATION_NETS} to ${MAX_REPLICATE_NETS}`, (v) => Number.isInteger(v) && v >= MIN_FLUCTUATION_NETS && v <= MAX_REPLICATE_NETS),
        seed: parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32),
        level: parseNumberFlag('--level', flags.level, 'a number strictly between 0 and 1', (v) => v > 0 && v < 1),
        tolerance: parseNumberFlag('--tolerance', flags.tolerance, 'a number from 0 (inclusive) to 1, e.g. 0.05', (v) => v >= 0 && v < 1),
      };
      const prediction = predictFluctuations(network);
      const report = decideFluctuations(sampleFluctuations(network, options), prediction, options);
      io.stdout(flags.json ? `${JSON.stringify(report, null, 1)}\n` : formatFluctuationReport(report));
      if (!report.pass) io.exitCode = 1;
    });
};

function fmt(value: number): string {
  return Number.isFinite(value) ? formatSignificant(Number(value.toPrecision(4))) : '—';
}

/** The report as a table: one row per site. */
export function formatFluctuationReport(report: FluctuationReport): string {
  const header = ['site', 'kind', 'n', 'label', 'predicted', 'measured', `interval (${+(report.intervalLevel * 100).toPrecision(4)}%)`, 'verdict'];
  const rows = report.sites.map((site) => [
    site.path,
    site.kind,
    String(site.units),
    site.label === 'exact' ? 'exact' : `leading order ±${+(site.tolerance * 100).toPrecision(3)}%`,
    fmt(site.secondMomentRatio.predicted),
    fmt(site.secondMomentRatio.estimate),
    `[${fmt(site.secondMomentRatio.ciLow)}, ${fmt(site.secondMomentRatio.ciHigh)}]`,
    site.verdict,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const dropped = [report.vanished > 0 ? `${report.vanished} vanished (M = 0 from there on)` : '', report.exploded > 0 ? `${report.exploded} overflowed (dropped)` : '']
    .filter(Boolean)
    .join(', ');
  return [
    `E[M²]/E[M]², M = ‖y‖²/n, over ${report.nets} networks (seed ${report.seed}, one input each)${dropped ? `; ${dropped}` : ''}`,
    line(header),
    ...rows.map(line),
    `verdict: ${report.verdict} (family level ${report.level}; exact sites tested strictly, studentized bootstrap of ln R)`,
    '',
  ].join('\n');
}
