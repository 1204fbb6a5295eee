/**
 * The conditions that keep variances steady, solved for the weight variance σ² with computer
 * algebra and printed in canonical form: forward n_in σ² = 1, backward n_out σ² = 1, Xavier's
 * compromise ½(n_in + n_out)σ² = 1 (Glorot & Bengio 2010, eq. 12), He's ½ n_in σ² = 1 (He et al.
 * 2015, eq. 10), and for an activation φ the gain conditions n_in σ² E[φ(z)²] = 1 and
 * n_out σ² E[φ′(z)²] = 1, i.e. σ² = g²/n with g the forward or backward gain. Each solution is
 * checked three ways: it satisfies the condition, the canonical σ equals the algebra system's own
 * root, and the uniform bound is √3 σ.
 */
// Loaded on first use (see src/math/lazyMathjs.ts).
import { compile } from '../math/lazyMathjs.js';
import { InputError } from '../errors.js';
import type { Activation } from '../vocabulary/activation.js';
import {
  boundFormula,
  boundLatex,
  canonicalVariance,
  stdFormula,
  stdLatex,
  varianceFormula,
  varianceLatex,
} from './canonical.js';
import { symbolsOf } from './check.js';
import type { DerivationSection, DerivationStep, SolvedCondition } from './derivation.js';
import { createEngine, type Engine } from './engine.js';
import { assertFans } from './validate.js';
import { formatSignificant } from '../math/significant.js';
import { numberLatex } from '../vocabulary/inits/options.js';

/** One condition: `coefficient * σ² = 1`, the coefficient in n_in, n_out and optionally c. */
interface ConditionSpec {
  id: string;
  label: string;
  /** nerdamer syntax, σ² written as `v`. */
  coefficient: string;
  latex: string;
  note: string;
  /** Value of the symbol c (an activation moment) when the coefficient uses it. */
  c?: number;
}

function conditionSpecs(activation: Activation | undefined): ConditionSpec[] {
  const specs: ConditionSpec[] = [
    {
      id: 'forward',
      label: 'forward (fan-in)',
      coefficient: 'n_in',
      latex: 'n_\\text{in}\\sigma^2 = 1',
      note: 'Var[o] = Var[x] when n_in σ² = 1: the forward pass keeps the variance (LeCun et al. 1998; Glorot & Bengio 2010, eq. 10).',
    },
    {
      id: 'backward',
      label: 'backward (fan-out)',
      coefficient: 'n_out',
      latex: 'n_\\text{out}\\sigma^2 = 1',
      note: 'Var[∂x] = Var[∂o] when n_out σ² = 1: the backward pass keeps the gradient variance (Glorot & Bengio 2010, eq. 11).',
    },
    {
      id: 'compromise',
      label: "Xavier's compromise",
      coefficient: '(1/2)*(n_in+n_out)',
      latex: '\\tfrac{1}{2}\\left(n_\\text{in}+n_\\text{out}\\right)\\sigma^2 = 1',
      note: 'Both cannot hold unless n_in = n_out; Glorot & Bengio (2010, eq. 12) take the harmonic compromise between them.',
    },
    {
      id: 'he',
      label: "He's condition",
      coefficient: '(1/2)*n_in',
      latex: '\\tfrac{1}{2} n_\\text{in}\\sigma^2 = 1',
      note: 'relu keeps half of the second moment, so the forward variance is kept when ½ n_in σ² = 1 (He et al. 2015, eq. 10).',
    },
  ];
  if (activation && activation.name !== 'identity') {
    const forward = solvableMoment(activation, 'E[φ(z)²]', 'n_in', activation.moments(1).secondMoment);
    const backward = solvableMoment(activation, 'E[φ′(z)²]', 'n_out', activation.moments(1).derivativeSecondMoment);
    specs.push(
      {
        id: 'gain',
        label: `forward gain of ${activation.label}`,
        coefficient: 'c*n_in',
        c: forward,
        latex: `n_\\text{in}\\sigma^2 \\, \\mathbb{E}\\left[\\phi(z)^2\\right] = 1, \\quad \\mathbb{E}\\left[\\phi(z)^2\\right] ${exactOrApprox(forward)} ${numberLatex(Number(formatSignificant(forward)))}`,
        note: `With φ = ${activation.label} and unit pre-activation variance, E[x²] = E[φ(z)²], so σ² = g²/n_in with forward gain g = 1/√E[φ(z)²] = ${formatSignificant(1 / Math.sqrt(forward))}${activation.predictionKind === 'exact' ? '' : ' (a mean-field fixed point at q = 1)'}.`,
      },
      {
        id: 'gainBackward',
        label: `backward gain of ${activation.label}`,
        coefficient: 'c*n_out',
        c: backward,
        latex: `n_\\text{out}\\sigma^2 \\, \\mathbb{E}\\left[\\phi'(z)^2\\right] = 1, \\quad \\mathbb{E}\\left[\\phi'(z)^2\\right] ${exactOrApprox(backward)} ${numberLatex(Number(formatSignificant(backward)))}`,
        note: `Backward, Var[∂o] picks up E[φ′(z)²], so σ² = g²/n_out with backward gain g = 1/√E[φ′(z)²] = ${formatSignificant(1 / Math.sqrt(backward))}.`,
      },
    );
  }
  return specs;
}

/** The smallest positive double with full precision (2^−1022); below it σ² = 1/(n·c) is not a finite double. */
const SMALLEST_NORMAL = 2 ** -1022;

/**
 * A gain condition n σ² c = 1 divides by the moment c: it must be a positive double whose reciprocal
 * is finite (1e-300·x has E[φ(z)²] = 1e-600, which is 0 in double precision), or the activation is
 * refused in words naming the moment.
 */
function solvableMoment(activation: Activation, moment: string, fan: string, value: number): number {
  if (value >= SMALLEST_NORMAL && Number.isFinite(1 / value)) return value;
  throw new InputError(
    'activation',
    activation.label,
    'an activation whose E[φ(z)²] and E[φ′(z)²] (z ~ N(0, 1)) are positive numbers a double can hold',
    `${moment} = ${value}${value < SMALLEST_NORMAL ? ' in double precision (zero, or too small to represent)' : ''}, so no finite σ² solves ${fan}·σ²·${moment} = 1`,
  );
}

function exactOrApprox(value: number): string {
  return Number(value.toPrecision(6)) === value ? '=' : '\\approx';
}

/** The positive solution: the one that evaluates positive at sample fans. */
function positiveRoot(solutions: string[], scope: Record<string, number>): string {
  const positive = solutions.filter((s) => Number(compile(s).evaluate({ ...scope, n_in: 3, n_out: 5 })) > 0);
  if (positive.length !== 1) throw new Error(`expected one positive root among ${solutions.join(', ')}`);
  return positive[0];
}

export interface SolvedConditions {
  conditions: SolvedCondition[];
  section: DerivationSection;
}

/**
 * Solves every condition for σ² at the given fans (and the activation's gain conditions when one is
 * given): σ, and the uniform bound a = √3 σ, in canonical form and as numbers.
 *
 * @example
 * ```ts
 * const { conditions } = solveConditions(784, 256);
 * conditions.find((c) => c.id === 'compromise')?.stdFormula; // 'sqrt(2/(n_in+n_out))'
 * ```
 */
export function solveConditions(fanIn: number, fanOut: number, activation?: Activation, options: { engine?: Engine } = {}): SolvedConditions {
  assertFans(fanIn, fanOut);
  const engine = options.engine ?? createEngine();
  const conditions: SolvedCondition[] = [];
  const steps: DerivationStep[] = [];
  const fans = { n_in: fanIn, n_out: fanOut };
  for (const spec of conditionSpecs(activation)) {
    const scope: Record<string, number> = spec.c === undefined ? {} : { c: spec.c };
    const rawVariance = engine.algebra.solve(`${spec.coefficient}*v=1`, 'v');
    if (rawVariance.length !== 1) throw new Error(`${spec.id}: expected one solution for σ², got ${rawVariance.join(', ')}`);
    const rawStd = positiveRoot(engine.algebra.solve(`${spec.coefficient}*s^2=1`, 's'), scope);
    const canonical = canonicalVariance(rawVariance[0], scope);
    const variance = varianceFormula(canonical);
    const std = stdFormula(canonical);
    const bound = boundFormula(canonical);
    const coefficient = spec.c === undefined ? spec.coefficient : spec.coefficient.replace('c', `(${spec.c})`);
    // The canonical form must be the algebra system's solution (checked, not trusted).
    accept(engine, 'simplify', `${spec.id}: \\sigma^2 = ${varianceLatex(canonical)}`, rawVariance[0], variance, scope);
    steps.push(
      accept(engine, 'solve', `${spec.latex} \\;\\Longrightarrow\\; \\sigma^2 = ${varianceLatex(canonical)}`, `(${coefficient})*(${variance})`, '1', {}, {
        note: `${spec.label} — ${spec.note}`,
        text: `${textOf(spec)} ⇒ σ² = ${variance}`,
      }),
      accept(engine, 'simplify', `\\sigma = \\sqrt{\\sigma^2} = ${stdLatex(canonical)}`, rawStd, std, scope, {
        note: 'The positive square root, written in canonical form (checked against the computer algebra’s own root).',
        text: `σ = √(σ²) = ${std}`,
      }),
      accept(engine, 'substitution', `a = \\sqrt{3}\\,\\sigma = ${boundLatex(canonical)}`, `sqrt(3)*${std}`, bound, {}, {
        note: 'U(−a, a) has variance a²/3, so the uniform law with variance σ² has bound a = √3 σ.',
        text: `a = √3·σ = ${bound}`,
      }),
    );
    const at = (formula: string) => Number(compile(formula).evaluate({ ...fans }));
    conditions.push({
      id: spec.id,
      label: spec.label,
      conditionLatex: spec.latex,
      formula: variance,
      formulaLatex: varianceLatex(canonical),
      stdFormula: std,
      stdLatex: stdLatex(canonical),
      boundFormula: bound,
      boundLatex: boundLatex(canonical),
      variance: at(variance),
      std: at(std),
      bound: at(bound),
    });
  }
  return {
    conditions,
    section: { id: 'conditions', title: 'Conditions for steady variances, solved', steps },
  };
}

function textOf(spec: ConditionSpec): string {
  const base = spec.coefficient.replace('(1/2)*', '½·').replace('*', '·');
  return spec.c === undefined ? `${base}·σ² = 1` : `${base.replace('c·', '')}·σ²·${formatSignificant(spec.c)} = 1`;
}

function accept(
  engine: Engine,
  rule: DerivationStep['rule'],
  latex: string,
  lhs: string,
  rhs: string,
  scope: Record<string, number>,
  extra: { note: string; text: string } = { note: '', text: '' },
): DerivationStep {
  const symbols = symbolsOf(lhs, rhs);
  const check: NonNullable<DerivationStep['check']> = { lhs, rhs, symbols };
  if (Object.keys(scope).length > 0) check.at = scope;
  return engine.accept({ rule, latex, note: extra.note, text: extra.text, check });
}
