/**
 * The residual block x ↦ β·x + α·f(x), the branch f a list of kinds:
 * `{ "kind": "residual", "alpha"?: 1, "beta"?: 1, "branch": [ ... ] }` (He et al. 2016; the α/β
 * scalings of SkipInit, ReZero, Fixup and DeepNet are choices of these two numbers).
 *
 * Moments: E[y²] = β²·E[x²] + α²·E[f(x)²] + 2αβ·E[x f(x)]. The cross term is 0 exactly when the
 * branch output is sign-symmetric given x (it ends in a zero-mean weight layer, possibly followed by
 * a bias or an odd function of it: flip that layer's weights). Then, for a relu branch with He
 * init and a LeCun output layer, E[y²] = (β² + α²)·E[x²] exactly. Otherwise the cross term is taken
 * as E[x]·E[f(x)] (mean-field). Backward, the same: E[(∂x)²] = β²·E[(∂y)²] + (the branch's backward
 * of α²·E[(∂y)²]), the cross term vanishing under the same condition.
 */
import { InputError } from '../errors.js';
import type { GradientMoments, LayerKind, MomentRule, ResolveContext, ResolvedNode, SignalMoments } from './kind.js';

export interface ResidualNode extends ResolvedNode {
  kind: 'residual';
  alpha: number;
  beta: number;
  branch: ResolvedNode[];
}

function readScale(path: string, field: 'alpha' | 'beta', value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(`${path}.${field}`, value, `a finite number >= 0 (the ${field === 'alpha' ? 'branch' : 'skip'} scale; a sign does not change any second moment)`);
  }
  return value;
}

function resolveResidual(spec: Readonly<Record<string, unknown>>, context: ResolveContext): ResidualNode {
  const path = context.path;
  const alpha = readScale(path, 'alpha', spec.alpha);
  const beta = readScale(path, 'beta', spec.beta);
  const { nodes, output } = context.resolveList(spec.branch, `${path}/branch`, context.input);
  const input = context.input;
  const sameSpatial = JSON.stringify(output.spatial) === JSON.stringify(input.spatial);
  if (output.units !== input.units || output.width !== input.width || !sameSpatial) {
    throw new InputError(
      `${path}.branch`,
      `output ${describe(output)}`,
      `a branch whose output has the shape of its input, ${describe(input)} (β·x + α·f(x) adds them unit by unit)`,
    );
  }
  return { kind: 'residual', path, input, output: input, alpha, beta, branch: nodes };
}

function describe(shape: ResolvedNode['input']): string {
  return shape.spatial ? `${shape.width}×${shape.spatial[0]}×${shape.spatial[1]}` : `${shape.units} units`;
}

export const residualKind: LayerKind<ResidualNode> = {
  name: 'residual',
  fields: ['alpha', 'beta', 'branch'],
  summary: 'a residual block β·x + α·f(x): { "kind": "residual", "alpha"?: 1, "beta"?: 1, "branch": [ ...nodes ] }',
  resolve: resolveResidual,
  children: (node) => [node.branch],
  moments: {
    forward(node, input, _flavour, run) {
      // Run the branch as if its input were not symmetric: its output's symmetry is then what the
      // branch itself guarantees, given x.
      const branch = run.forward(node.branch, { ...input, symmetric: false });
      const { alpha, beta } = node;
      const crossFree = branch.symmetric || alpha === 0 || beta === 0;
      // E[x·f(x)] (and E[x_a f(x_b)] for two inputs): 0 when crossFree, else E[x]·E[f(x)] (mean-field).
      const crossTerm = crossFree ? 0 : input.mean * branch.mean;
      const output: SignalMoments = {
        secondMoment: beta * beta * input.secondMoment + alpha * alpha * branch.secondMoment + 2 * alpha * beta * crossTerm,
        mean: beta * input.mean + alpha * branch.mean,
        exact: input.exact && (alpha === 0 || branch.exact) && crossFree,
        symmetric: (beta === 0 || input.symmetric) && (alpha === 0 || branch.symmetric) && input.symmetric,
      };
      const rule: MomentRule = crossFree
        ? {
              name: 'residual sum, uncorrelated branch',
              expression: 'beta^2*q + alpha^2*qf',
              latex: '\\beta^2\\,\\mathbb{E}[x^2] + \\alpha^2\\,\\mathbb{E}[f(x)^2]',
              values: { beta, alpha, q: input.secondMoment, qf: branch.secondMoment },
              note: 'The branch ends in zero-mean weights: flipping their sign flips f(x) and not x, so E[x·f(x)] = 0.',
            }
          : {
              name: 'residual sum, mean-field cross term',
              expression: 'beta^2*q + alpha^2*qf + 2*alpha*beta*mx*mf',
              latex: '\\beta^2\\,\\mathbb{E}[x^2] + \\alpha^2\\,\\mathbb{E}[f(x)^2] + 2\\alpha\\beta\\,\\mathbb{E}[x]\\,\\mathbb{E}[f(x)]',
              values: { beta, alpha, q: input.secondMoment, qf: branch.secondMoment, mx: input.mean, mf: branch.mean },
              note: 'The branch does not end in zero-mean weights, so x and f(x) are correlated; E[x·f(x)] ≈ E[x]·E[f(x)] is the mean-field approximation.',
            };
      if (input.cross === undefined || branch.cross === undefined) return { output, rule };
      // Two inputs: the same sum with E[x_a x_b] and E[f(x_a) f(x_b)]; the cross terms E[x_a f(x_b)]
      // vanish under the same sign flip of the branch's last weights.
      const crossValue = beta * beta * input.cross + alpha * alpha * branch.cross + 2 * alpha * beta * crossTerm;
      const crossRule: MomentRule = crossFree
        ? {
            name: 'residual sum of two inputs, uncorrelated branch',
            expression: 'beta^2*k + alpha^2*kf',
            latex: '\\beta^2\\,\\mathbb{E}[x_a x_b] + \\alpha^2\\,\\mathbb{E}[f(x_a) f(x_b)]',
            values: { beta, alpha, k: input.cross, kf: branch.cross },
            note: 'Flipping the sign of the branch\'s last weights flips f(x_a) and f(x_b) but neither x: E[x_a f(x_b)] = 0.',
          }
        : {
            name: 'residual sum of two inputs, mean-field cross term',
            expression: 'beta^2*k + alpha^2*kf + 2*alpha*beta*mx*mf',
            latex: '\\beta^2\\,\\mathbb{E}[x_a x_b] + \\alpha^2\\,\\mathbb{E}[f(x_a) f(x_b)] + 2\\alpha\\beta\\,\\mathbb{E}[x]\\,\\mathbb{E}[f(x)]',
            values: { beta, alpha, k: input.cross, kf: branch.cross, mx: input.mean, mf: branch.mean },
            note: 'The branch does not end in zero-mean weights; E[x_a f(x_b)] ≈ E[x]·E[f(x)] is the mean-field approximation.',
          };
      const crossExact = (input.crossExact ?? false) && (alpha === 0 || (branch.crossExact ?? false)) && crossFree;
      return { output: { ...output, cross: crossValue, crossExact }, rule, crossRule };
    },
    backward(node, gradient, _input, _output, _flavour, run) {
      const { alpha, beta } = node;
      const branchTop: GradientMoments = { secondMoment: alpha * alpha * gradient.secondMoment, exact: gradient.exact };
      // With α = 0 the branch receives no gradient at all; its sites are still walked (they predict 0).
      const branch = run.backward(node.branch, branchTop);
      const symmetric = alpha === 0 || run.forwardOutput(node.branch[node.branch.length - 1]).symmetric;
      return {
        input: { secondMoment: beta * beta * gradient.secondMoment + branch.secondMoment, exact: gradient.exact && branch.exact && symmetric },
        rule: {
          name: 'residual: skip plus branch',
          expression: 'beta^2*g + gf',
          latex: '\\beta^2\\,\\mathbb{E}[(\\partial y)^2] + \\mathbb{E}[(J_f^\\top \\alpha\\,\\partial y)^2]',
          values: { beta, g: gradient.secondMoment, gf: branch.secondMoment },
          note: symmetric
            ? 'The gradient reaches x through the skip (β) and through the branch, which receives α·∂y; the cross term vanishes as forward.'
            : 'The gradient reaches x through the skip (β) and through the branch, which receives α·∂y; the cross term is neglected (mean-field).',
        },
      };
    },
  },
  numeric: {
    forward(node, input, { backend }, run) {
      const { alpha, beta } = node;
      // The branch runs even at α = 0: its sites are measured (and draw their weights, so the
      // random stream does not depend on α); backward it then receives an exact zero gradient.
      const output = run.forward(node.branch, input);
      if (!output) return undefined;
      const y = backend.view(output);
      const x = backend.view(input);
      for (let i = 0; i < y.length; i++) y[i] = alpha * y[i] + beta * x[i];
      return { output };
    },
    backward(node, _state, _input, gradient, { backend }, _needInputGradient, run) {
      const { alpha, beta } = node;
      const g = backend.view(gradient);
      const branchGradient = backend.allocate(node.output.units, g.length / node.output.units);
      const top = backend.view(branchGradient);
      for (let i = 0; i < g.length; i++) top[i] = alpha * g[i];
      const throughBranch = run.backward(node.branch, branchGradient);
      if (!throughBranch) return undefined;
      const sum = backend.view(throughBranch);
      for (let i = 0; i < sum.length; i++) sum[i] += beta * g[i];
      return { inputGradient: throughBranch };
    },
    keptElements: (node, batch) => batch * node.output.units,
    workingElements: (node, batch) => batch * node.output.units,
  },
};
