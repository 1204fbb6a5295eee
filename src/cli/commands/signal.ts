/**
 * `varprop signal --act tanh --critical --bias-var 0.05 [--json]`: mean-field signal propagation
 * (src/theory/criticality.ts). With --critical, the critical σ_w² on the order-to-chaos line χ₁ = 1
 * and the fixed point q* there; with --weight-var, the fixed point q* and χ₁ of that setting.
 */
import { InputError } from '../../errors.js';
import { criticalPoint, hasOrderToChaosLine, lengthFixedPoint } from '../../theory/criticality.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import type { RegisterCommand } from './index.js';

interface SignalOptions {
  act: string;
  biasVar: string;
  weightVar?: string;
  critical?: boolean;
  json?: boolean;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('signal')
    .description('Mean-field signal propagation: the length map\'s fixed point q*, χ₁ = σ_w²·E[φ′(√q* z)²], and the critical σ_w² where χ₁ = 1 (order-to-chaos line)')
    .requiredOption('--act <name>', 'an odd, saturating activation: tanh, erf, or an expression in x such as "x/(1+abs(x))"')
    .option('--bias-var <V>', 'bias variance σ_b² (≥ 0)', '0')
    .option('--critical', 'solve χ₁ = 1 for σ_w² at this σ_b² (Brent\'s method, 1e-8 relative)')
    .option('--weight-var <W>', 'weight variance σ_w² = n·Var[w] (> 0): print q* and χ₁ of this setting')
    .option('--json', 'print JSON (with --critical: biasVar, criticalWeightVar, qStar, chi1; else weightVar, biasVar, qStar, chi1, phase)')
    .addHelpText(
      'after',
      '\nA dense layer with σ_w² = n·Var[w] and σ_b² maps the pre-activation variance q ↦ σ_w²·E[φ(√q z)²] + σ_b²;\n' +
        'at its fixed point q*, χ₁ = σ_w²·E[φ′(√q* z)²] multiplies the size of small perturbations and of\n' +
        'gradients per layer: χ₁ < 1 ordered, χ₁ > 1 chaotic (Poole et al. 2016; Schoenholz et al. 2017).\n' +
        'Example: varprop signal --act tanh --critical --bias-var 0.05   # σ_w² = 1.76095464, q* = 0.57004788\n',
    )
    .action((options: SignalOptions) => {
      const biasVar = parseNumber(options.biasVar, '--bias-var', 'a finite number ≥ 0 (a variance)', (v) => v >= 0);
      if (options.critical && options.weightVar !== undefined) {
        throw new InputError('--weight-var', options.weightVar, 'no value together with --critical', '--critical solves for σ_w²');
      }
      if (!options.critical && options.weightVar === undefined) {
        throw new InputError('--critical', undefined, '--critical, or --weight-var W', 'Say whether to solve for the critical σ_w² or to evaluate a given one');
      }
      const activation = resolveActivation(options.act, '--act');
      if (options.critical) {
        if (!hasOrderToChaosLine(activation)) {
          throw new InputError('--act', options.act, 'an odd, saturating activation with φ′(0) > 0 (tanh, erf, x/(1+abs(x)), …)', 'Only those have an order-to-chaos line χ₁ = 1');
        }
        const point = criticalPoint(activation, biasVar);
        io.stdout(
          options.json
            ? `${JSON.stringify({ activation: activation.label, ...point }, null, 2)}\n`
            : table([
                ['activation', activation.label],
                ['σ_b²', format(point.biasVar)],
                ['critical σ_w²', format(point.criticalWeightVar)],
                ['q*', format(point.qStar)],
                ['χ₁', format(point.chi1)],
              ]),
        );
        return;
      }
      const weightVar = parseNumber(options.weightVar as string, '--weight-var', 'a positive finite number (σ_w² = n·Var[w])', (v) => v > 0);
      const { qStar, chi1 } = lengthFixedPoint(activation, weightVar, biasVar);
      if (!Number.isFinite(qStar)) {
        throw new InputError('--weight-var', options.weightVar, `a σ_w² for which the length map of ${activation.label} has a finite fixed point`, 'The variance grows without bound');
      }
      const phase = Math.abs(chi1 - 1) < 1e-8 ? 'critical' : chi1 > 1 ? 'chaotic' : 'ordered';
      io.stdout(
        options.json
          ? `${JSON.stringify({ activation: activation.label, weightVar, biasVar, qStar, chi1, phase }, null, 2)}\n`
          : table([
              ['activation', activation.label],
              ['σ_w²', format(weightVar)],
              ['σ_b²', format(biasVar)],
              ['q*', format(qStar)],
              ['χ₁', format(chi1)],
              ['phase', phase],
            ]),
      );
    });
};

function parseNumber(text: string, field: string, allowed: string, ok: (value: number) => boolean): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) throw new InputError(field, text, allowed);
  return value;
}

function format(value: number): string {
  return Math.abs(value) < 1e-15 ? '0' : Number(value.toPrecision(10)).toString();
}

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
