/**
 * Three faces of a {@link Derivation} for the command line: a readable terminal text, an aligned
 * LaTeX document body, and the JSON contract of `varprop derive --json`. They only present the
 * data; every formula comes from the derivation's checked steps.
 */
import type { ChosenInit, Derivation, DerivationSection, DerivationStep, SolvedCondition } from './derivation.js';
import { ruleNames } from './rules/index.js';
import { formatSignificant } from '../math/significant.js';

/** A mathjs formula in the derivation's symbols, written for a terminal (σ², γ², ·). */
export function prettyFormula(formula: string): string {
  return formula
    .replace(/var_do/g, 'Var[∂o]')
    .replace(/var_dy/g, 'Var[∂y]')
    .replace(/sigma/g, 'σ')
    .replace(/gamma/g, 'γ')
    .replace(/\^2/g, '²')
    .replace(/\*/g, '·')
    .replace(/\d+\.\d{7,}(e[+-]?\d+)?/g, (n) => formatSignificant(Number(n)));
}

function wrap(text: string, indent: string, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width - indent.length) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

function headline(d: Derivation): string {
  return `Variance propagation through a dense layer ${d.fanIn} → ${d.fanOut}, activation ${d.activation}, init ${d.init}`;
}

/** The readable terminal derivation: sections, numbered steps with rule names, notes, then the numbers. */
export function formatText(d: Derivation): string {
  const out: string[] = [headline(d), '='.repeat(Math.min(100, headline(d).length)), ''];
  out.push('Assumptions: weights w_ij iid with mean 0 and variance σ²; inputs x_j iid with variance γ², independent of the weights;');
  out.push('upstream gradients ∂o_i iid with mean 0, independent of weights and inputs. Every step below was checked numerically.');
  out.push('');
  d.sections.forEach((section, s) => {
    out.push(`${s + 1}. ${section.title}`);
    section.steps.forEach((step, i) => {
      out.push(`  ${s + 1}.${i + 1} [${ruleNames[step.rule]}${step.prediction ? `, ${step.prediction === 'meanField' ? 'mean-field' : step.prediction}` : ''}]`);
      out.push(wrap(step.text ?? step.latex, '      '));
      out.push(wrap(step.note, '      '));
      for (const flag of step.assumptions ?? []) out.push(wrap(`${flag.holds ? '✓' : '⚠'} ${flag.note}`, '      '));
    });
    if (section.result && section.id !== 'conditions') {
      const value = section.value === undefined ? '' : `  (${formatSignificant(section.value)} here)`;
      out.push(`  ⇒ ${prettyFormula(section.result)}${value}`);
    }
    out.push('');
  });
  out.push(`Solved conditions at n_in = ${d.fanIn}, n_out = ${d.fanOut}:`);
  const rows = d.conditions.map((c) => [c.label ?? c.id, prettyFormula(c.formula), formatSignificant(c.variance), formatSignificant(c.std), formatSignificant(c.bound)]);
  const header = ['condition', 'σ²', 'Var[w]', 'σ', 'a = √3σ'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  out.push('');
  out.push(`Chosen init ${d.init}: Var[w] = ${formatSignificant(d.chosen.variance)}, σ = ${formatSignificant(d.chosen.std)}, ${chosenBoundsText(d.chosen)}`);
  return `${out.join('\n')}\n`;
}

/** Index of the first top-level relation (=, \approx, \Longrightarrow) in a LaTeX step, for `&`. */
function alignPoint(latex: string): number {
  let depth = 0;
  for (let i = 0; i < latex.length; i++) {
    const ch = latex[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (depth === 0) {
      if (ch === '=' && latex[i - 1] === ' ') return i;
      if (latex.startsWith('\\approx', i) || latex.startsWith('\\;\\Longrightarrow', i)) return i;
    }
  }
  return -1;
}

function latexLine(step: DerivationStep): string {
  const at = alignPoint(step.latex);
  const aligned = at < 0 ? `& ${step.latex}` : `${step.latex.slice(0, at)}&${step.latex.slice(at)}`;
  return `  ${aligned} && \\text{${ruleNames[step.rule]}}`;
}

/** An aligned LaTeX document body (amsmath `align*` per section), notes as comments. */
export function formatLatex(d: Derivation): string {
  const out: string[] = [`% ${headline(d)}`, '% Requires amsmath and amssymb. Every step was checked numerically by varprop.', ''];
  for (const section of d.sections) {
    out.push(`\\subsection*{${escapeText(section.title)}}`);
    out.push('\\begin{align*}');
    section.steps.forEach((step, i) => {
      out.push(`  % ${step.note.replace(/\n/g, ' ')}`);
      out.push(`${latexLine(step)}${i < section.steps.length - 1 ? ' \\\\' : ''}`);
    });
    out.push('\\end{align*}', '');
  }
  out.push('\\subsection*{Solved conditions}', '\\begin{align*}');
  d.conditions.forEach((c, i) => {
    out.push(
      `  ${c.conditionLatex.replace(' = 1', ' &= 1')} &&\\Longrightarrow\\; \\sigma = ${c.stdLatex} \\approx ${formatSignificant(c.std)},\\; a = ${c.boundLatex} \\approx ${formatSignificant(c.bound)}${i < d.conditions.length - 1 ? ' \\\\' : ''}`,
    );
  });
  out.push('\\end{align*}', '');
  return `${out.join('\n')}\n`;
}

function escapeText(text: string): string {
  return text.replace(/[\\{}_&%$#^~]/g, (ch) => (ch === '\\' ? '\\textbackslash{}' : ch === '^' || ch === '~' ? `\\${ch}{}` : `\\${ch}`));
}

/** A condition in the `derive --json` contract: formula, variance, std and bound at the fans, plus forms. */
export interface ConditionJson {
  formula: string;
  variance: number;
  std: number;
  /** √3·σ: the bound of the uniform law that solves the condition. */
  uniformBound: number;
  label?: string;
  stdFormula: string;
  uniformBoundFormula: string;
  conditionLatex: string;
  formulaLatex: string;
}

/** The `varprop derive --json` contract: the chosen init's fields at the top level. */
export interface DeriveJson extends ChosenInit {
  fanIn: number;
  fanOut: number;
  activation: string;
  init: string;
  steps: Array<{ section: DerivationSection['id']; rule: DerivationStep['rule']; latex: string; note: string; text?: string; prediction?: string; assumptions?: DerivationStep['assumptions'] }>;
  sections: Array<{ id: DerivationSection['id']; title: string; result?: string; resultLatex?: string; value?: number }>;
  conditions: Record<string, ConditionJson>;
}

function conditionJson(c: SolvedCondition): ConditionJson {
  return {
    formula: c.formula,
    variance: c.variance,
    std: c.std,
    uniformBound: c.bound,
    label: c.label,
    stdFormula: c.stdFormula,
    uniformBoundFormula: c.boundFormula,
    conditionLatex: c.conditionLatex,
    formulaLatex: c.formulaLatex,
  };
}

/** The chosen init's bounds in words: the ones its law has, then the uniform-equivalent one. */
function chosenBoundsText(chosen: Derivation['chosen']): string {
  const parts: string[] = [];
  if (chosen.uniformBound !== undefined) parts.push(`uniform bound a = ${formatSignificant(chosen.uniformBound)}`);
  if (chosen.truncationBounds !== undefined) parts.push(`truncated at ±${formatSignificant(chosen.truncationBounds[1])}`);
  if (chosen.uniformBound === undefined) parts.push(`uniform-equivalent bound √3·σ = ${formatSignificant(chosen.uniformEquivalentBound)}`);
  return parts.join(', ');
}

export function toDeriveJson(d: Derivation): DeriveJson {
  return {
    fanIn: d.fanIn,
    fanOut: d.fanOut,
    activation: d.activation,
    init: d.init,
    steps: d.sections.flatMap((section) =>
      section.steps.map((step) => ({
        section: section.id,
        rule: step.rule,
        latex: step.latex,
        note: step.note,
        text: step.text,
        ...(step.prediction ? { prediction: step.prediction } : {}),
        ...(step.assumptions ? { assumptions: step.assumptions } : {}),
      })),
    ),
    sections: d.sections.map((s) => ({ id: s.id, title: s.title, result: s.result, resultLatex: s.resultLatex, value: s.value })),
    conditions: Object.fromEntries(d.conditions.map((c) => [c.id, conditionJson(c)])),
    variance: d.chosen.variance,
    std: d.chosen.std,
    law: d.chosen.law,
    ...(d.chosen.uniformBound !== undefined ? { uniformBound: d.chosen.uniformBound } : {}),
    ...(d.chosen.truncationBounds !== undefined ? { truncationBounds: d.chosen.truncationBounds } : {}),
    uniformEquivalentBound: d.chosen.uniformEquivalentBound,
    varianceLatex: d.chosen.varianceLatex,
  };
}
