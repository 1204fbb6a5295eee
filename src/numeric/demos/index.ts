/**
 * The table of demos from the source chapter (Dive into Deep Learning §5.4). Each demo is one file:
 * a library function returning data (reports and the explorer plot it) and a plain-text formatter
 * for the CLI. Adding a demo is adding a file and one entry here.
 */
import { formatMatrixProductDemo, runMatrixProductDemo } from './matrices.js';
import { formatSigmoidDemo, runSigmoidDemo } from './sigmoid.js';
import { formatSymmetryDemo, runSymmetryDemo } from './symmetry.js';

export interface DemoRunOptions {
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoEntry {
  readonly name: string;
  readonly summary: string;
  run(options: DemoRunOptions): Promise<unknown>;
  format(result: unknown): string;
}

function entry<T>(name: string, summary: string, run: (options: DemoRunOptions) => T | Promise<T>, format: (result: T) => string): DemoEntry {
  return { name, summary, run: async (options) => run(options), format: (result) => format(result as T) };
}

export const demos: readonly DemoEntry[] = [
  entry('matrices', 'the product of 100 Gaussian 4×4 matrices explodes; λ₁ predicts the typical growth', (o) => runMatrixProductDemo({ seed: o.seed }), formatMatrixProductDemo),
  entry('sigmoid', 'gradients vanish through a deep sigmoid net: σ′ ≤ 1/4 per layer', (o) => runSigmoidDemo({ seed: o.seed, onProgress: o.onProgress }), formatSigmoidDemo),
  entry('symmetry', 'a constant init gives every hidden unit the same gradient, forever', (o) => runSymmetryDemo({ seed: o.seed }), formatSymmetryDemo),
];

export function findDemo(name: string): DemoEntry | undefined {
  return demos.find((demo) => demo.name === name);
}

export { runMatrixProductDemo, runSigmoidDemo, runSymmetryDemo };
