/**
 * The computer-algebra back end for solving conditions: nerdamer-prime (the maintained fork;
 * nerdamer 1.1.13 returned silently wrong simplifications). Passed into the condition solver so
 * tests can substitute a faulty one and watch the numeric check reject it. Results are cached per
 * equation because conditions are symbolic in the fans and solving takes tens of milliseconds.
 */
import { requireOnDemand } from '../math/requireOnDemand.js';

/** nerdamer with its Solve add-on (the CommonJS build of `nerdamer-prime/all`), loaded on the first solve: ≈30 ms of start-up otherwise. */
type Solver = { solve(equation: string, variable: string): { toString(): string } };
let nerdamer: Solver | undefined;
const loadNerdamer = (): Solver => (nerdamer ??= requireOnDemand('nerdamer-prime/all', import.meta.url) as Solver);

export interface Algebra {
  /** Every solution of `equation` (nerdamer syntax, `lhs=rhs`) for `variable`, as expressions. */
  solve(equation: string, variable: string): string[];
}

/** Splits nerdamer's `[a,b]` at top-level commas. */
export function splitSolutions(text: string): string[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function createNerdamerAlgebra(): Algebra {
  const cache = new Map<string, string[]>();
  return {
    solve(equation, variable) {
      const id = `${equation}|${variable}`;
      let solutions = cache.get(id);
      if (!solutions) {
        solutions = splitSolutions(loadNerdamer().solve(equation, variable).toString());
        cache.set(id, solutions);
      }
      return solutions;
    },
  };
}
