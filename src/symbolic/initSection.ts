/**
 * The chosen init preset at the given fans: its variance formula and value, which solved condition
 * it satisfies (checked as an identity in the fans), and its std and uniform-equivalent bound.
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { compile } from '../math/lazyMathjs.js';
import type { ResolvedInit } from '../vocabulary/init.js';
import { symbolsOf } from './check.js';
import type { Derivation, DerivationSection, DerivationStep, SolvedCondition } from './derivation.js';
import type { Engine } from './engine.js';
import { formatSignificant } from '../math/significant.js';

const relation = (value: number) => (Number(value.toPrecision(6)) === value ? '=' : '\\approx');

/** Conditions whose σ² formula equals the preset's, as functions of the fans. */
export function matchingConditions(init: ResolvedInit, conditions: readonly SolvedCondition[]): SolvedCondition[] {
  const preset = compile(init.varianceExpression);
  const samples = [
    [3, 7],
    [784, 256],
    [64, 1000],
  ];
  return conditions.filter((c) => {
    const formula = compile(c.formula);
    return samples.every(([nIn, nOut]) => {
      const a = Number(preset.evaluate({ n_in: nIn, n_out: nOut }));
      const b = Number(formula.evaluate({ n_in: nIn, n_out: nOut }));
      return Math.abs(a - b) <= 1e-9 * Math.abs(b);
    });
  });
}

export function deriveInit(
  engine: Engine,
  init: ResolvedInit,
  fanIn: number,
  fanOut: number,
  conditions: readonly SolvedCondition[],
): { section: DerivationSection; chosen: Derivation['chosen'] } {
  const fans = { n_in: fanIn, n_out: fanOut };
  const variance = Number(compile(init.varianceExpression).evaluate({ ...fans }));
  const std = Math.sqrt(variance);
  const bound = Math.sqrt(3) * std;
  const steps: DerivationStep[] = [
    engine.accept({
      rule: 'substitution',
      latex: `\\operatorname{Var}[w] = ${init.varianceLatex} ${relation(variance)} ${formatSignificant(variance)}`,
      text: `Var[w] = ${init.varianceExpression} ${relation(variance) === '=' ? '=' : '≈'} ${formatSignificant(variance)}`,
      note: `${init.label} (${init.source}) at n_in = ${fanIn}, n_out = ${fanOut}; weights drawn from ${init.distribution.label}.`,
      check: { lhs: init.varianceExpression, rhs: String(init.variance), symbols: symbolsOf(init.varianceExpression), at: fans },
    }),
  ];
  const matches = matchingConditions(init, conditions);
  if (matches.length > 0) {
    const [first] = matches;
    steps.push(
      engine.accept({
        rule: 'substitution',
        latex: `\\operatorname{Var}[w] = ${first.formulaLatex} \\quad\\text{solves}\\quad ${first.conditionLatex}`,
        text: `Var[w] = ${first.formula}, the σ² that solves ${first.label ?? first.id}`,
        note: `${init.label} satisfies ${matches.map((m) => m.label ?? m.id).join(' and ')}: its variance is the solved σ² for any fans.`,
        check: { lhs: init.varianceExpression, rhs: first.formula, symbols: symbolsOf(init.varianceExpression, first.formula) },
      }),
    );
  }
  const distributionBound = init.distribution.name === 'uniform' ? init.distribution.params.bound : undefined;
  // A truncated normal is cut at ±2 pre-truncation σ (src/vocabulary/distributions/truncatedNormal.ts).
  const truncation = init.distribution.name === 'truncated_normal' ? 2 * init.distribution.params.std : undefined;
  steps.push(
    engine.accept({
      rule: 'substitution',
      latex: `\\sigma = \\sqrt{\\operatorname{Var}[w]} ${relation(std)} ${formatSignificant(std)}, \\quad a = \\sqrt{3}\\,\\sigma ${relation(bound)} ${formatSignificant(bound)}`,
      text: `σ = √Var[w] ≈ ${formatSignificant(std)},  a = √3·σ ≈ ${formatSignificant(bound)}`,
      note:
        distributionBound === undefined
          ? 'The standard deviation, and the bound of the uniform law with the same variance.'
          : `The standard deviation, and the bound of ${init.distribution.label}, whose variance a²/3 is Var[w].`,
      check: {
        lhs: `sqrt(3*(${init.varianceExpression}))`,
        rhs: String(distributionBound ?? bound),
        symbols: symbolsOf(init.varianceExpression),
        at: fans,
      },
    }),
  );
  return {
    section: { id: 'init', title: `The chosen init: ${init.label}`, steps, result: init.varianceExpression, resultLatex: init.varianceLatex, value: variance },
    chosen: {
      variance,
      std,
      law: init.distribution.name,
      ...(distributionBound !== undefined ? { uniformBound: distributionBound } : {}),
      ...(truncation !== undefined ? { truncationBounds: [-truncation, truncation] as [number, number] } : {}),
      uniformEquivalentBound: bound,
      varianceLatex: init.varianceLatex,
    },
  };
}
