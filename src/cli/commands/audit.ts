/**
 * `varprop audit --framework pytorch|keras|jax|tfjs (--spec net.json | --widths … --act …) [--json]`:
 * what the framework's default initialization does to this network's forward and backward variance,
 * layer by layer, against the variance-preserving choice, and why (src/audit/frameworkAudit.ts).
 *
 * JSON (a contract): `{ framework, label, version, layers: [{ layer, path, kind, fanIn, fanOut,
 * frameworkFanIn, frameworkFanOut, init, variance, inputActivation, gain, preservingVariance, ratio,
 * forward: { framework, preserving, prediction }, backward: { … } }], summary: { forwardAtOutput,
 * backwardAtInput }, findings: [{ id, text, values, source }] }`.
 */
import type { FrameworkAudit } from '../../audit/frameworkAudit.js';
import { formatSignificant } from '../../math/significant.js';
import { findFramework, frameworkNames } from '../../vocabulary/frameworks.js';
import { addNetworkOptions } from '../flags.js';
import type { NetworkFlags } from '../networkFlags.js';
import type { RegisterCommand } from './index.js';

interface AuditFlags extends NetworkFlags {
  framework: string;
  json?: boolean;
}

export const register: RegisterCommand = (program, io) => {
  const command = program
    .command('audit')
    .description("What a framework's default init does to this network's forward and backward variance over its depth, against the variance-preserving choice, and why")
    .requiredOption('--framework <name>', `one of ${frameworkNames.join(', ')}`);
  addNetworkOptions(command)
    .option(
      '--json',
      'print JSON: framework, label, version, layers [{ layer, path, kind, fanIn, fanOut, frameworkFanIn, frameworkFanOut, init, variance, inputActivation, gain, preservingVariance, ratio, forward { framework, preserving, prediction }, backward { framework, preserving, prediction } }], summary { forwardAtOutput, backwardAtInput }, findings [{ id, text, values, source }]',
    )
    .addHelpText(
      'after',
      "\nEvery weight layer's init is replaced by the framework's default for its kind (fans counted as the framework counts them\n" +
        "from the weight's shape), and, separately, by the variance-preserving choice Var[w] = g²/fan_in, g the exact forward gain\n" +
        "of the activation on the layer's input (computeGains at q = 1; 1 when there is none). forward = E[h_l²] at each weight\n" +
        "layer's pre-activation, backward = E[d_l²] there, both from propagate() (exact or mean-field, as labelled). Biases are left as\n" +
        'the network has them. The findings say why, each with its numbers and the framework file it was read from.\n' +
        'Example: varprop audit --framework pytorch --widths 256,256,256,256,10 --act relu\n',
    )
    .action(async (flags: AuditFlags) => {
      const framework = findFramework(flags.framework, '--framework');
      const [{ auditFramework }, { networkSpecFromFlags }] = await Promise.all([import('../../audit/frameworkAudit.js'), import('../networkFlags.js')]);
      const audit = auditFramework(networkSpecFromFlags(flags), framework);
      io.stdout(flags.json ? `${JSON.stringify(audit, null, 1)}\n` : formatAudit(audit));
    });
};

function fmt(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5 ? formatSignificant(value, 4) : value.toExponential(3);
}

function formatAudit(audit: FrameworkAudit): string {
  const lines = [`audit     ${audit.label} defaults`, `describes ${audit.version}`, ''];
  const header = ['layer', 'path', 'fans (framework)', 'default', 'Var ÷ preserving', 'E[h²] default', 'E[h²] preserving', 'E[d²] default', 'E[d²] preserving'];
  const rows = audit.layers.map((l) => [
    String(l.layer),
    l.path,
    l.frameworkFanIn === l.fanIn && l.frameworkFanOut === l.fanOut ? `${l.fanIn}/${l.fanOut}` : `${l.fanIn}/${l.fanOut} (${l.frameworkFanIn}/${l.frameworkFanOut})`,
    l.init,
    fmt(l.ratio),
    `${fmt(l.forward.framework)}${l.forward.prediction === 'exact' ? '' : ' mf'}`,
    fmt(l.forward.preserving),
    `${fmt(l.backward.framework)}${l.backward.prediction === 'exact' ? '' : ' mf'}`,
    fmt(l.backward.preserving),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) lines.push(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  const { forwardAtOutput: f, backwardAtInput: b } = audit.summary;
  lines.push('');
  lines.push(`over the depth: E[h²] at the last layer ${fmt(f.framework)} with the defaults, ${fmt(f.preserving)} preserving; E[d²] at the first layer ${fmt(b.framework)}, ${fmt(b.preserving)} preserving (mf: mean-field, else exact)`);
  lines.push('');
  lines.push('why:');
  for (const finding of audit.findings) lines.push(`- ${finding.text} [${finding.source}]`);
  return `${lines.join('\n')}\n`;
}
