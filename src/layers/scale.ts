/**
 * A fixed scale y = c·x, every face of it: `{ "kind": "scale", "factor": c }` (c ≥ 0 and finite).
 * It is how a recipe writes a constant multiplier as a node of the tree: NF-ResNet's division of a
 * residual branch's input by β_l, the expected standard deviation of the signal (Brock, De & Smith
 * 2021, "Characterizing signal propagation to close the performance gap in unnormalized ResNets",
 * §4: h_{l+1} = h_l + α·f_l(h_l/β_l)), so that every branch sees a unit-variance input.
 *
 * Moments: E[y²] = c²·E[x²], E[y] = c·E[x], sign symmetry kept; for two inputs through the same
 * node E[y_a y_b] = c²·E[x_a x_b] (the c-map step, `SignalMoments.cross`); backward
 * E[(∂x)²] = c²·E[(∂y)²]. Exact at any width: a constant factor commutes with every expectation.
 */
import { InputError } from '../errors.js';
import type { LayerKind, ResolveContext, ResolvedNode } from './kind.js';

export interface ScaleNode extends ResolvedNode {
  kind: 'scale';
  factor: number;
}

function resolveScale(spec: Readonly<Record<string, unknown>>, context: ResolveContext): ScaleNode {
  const factor = spec.factor;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0) {
    throw new InputError(`${context.path}.factor`, factor, 'a finite number >= 0 (the constant c of y = c·x; a sign does not change any second moment)');
  }
  return { kind: 'scale', path: context.path, input: context.input, output: context.input, factor };
}

export const scaleKind: LayerKind<ScaleNode> = {
  name: 'scale',
  fields: ['factor'],
  summary: 'a fixed scale y = c·x: { "kind": "scale", "factor": c }',
  resolve: resolveScale,
  moments: {
    forward(node, input) {
      const c = node.factor;
      const output = { secondMoment: c * c * input.secondMoment, mean: c * input.mean, symmetric: input.symmetric, exact: input.exact };
      const rule = {
        name: 'constant factor',
        expression: 'c^2*q',
        latex: 'c^2\\,\\mathbb{E}[x^2]',
        values: { c, q: input.secondMoment },
        note: 'c is a constant: E[(c·x)²] = c²·E[x²] at any width.',
      };
      if (input.cross === undefined) return { output, rule };
      return {
        output: { ...output, cross: c * c * input.cross, crossExact: input.crossExact },
        rule,
        crossRule: {
          name: 'one constant for both inputs',
          expression: 'c^2*k',
          latex: 'c^2\\,\\mathbb{E}[x_a x_b]',
          values: { c, k: input.cross },
          note: 'Both inputs are multiplied by the same c: E[(c·x_a)(c·x_b)] = c²·E[x_a x_b] at any width.',
        },
      };
    },
    backward(node, gradient) {
      const c = node.factor;
      return {
        input: { secondMoment: c * c * gradient.secondMoment, exact: gradient.exact },
        rule: {
          name: 'constant factor',
          expression: 'c^2*g',
          latex: 'c^2\\,\\mathbb{E}[(\\partial y)^2]',
          values: { c, g: gradient.secondMoment },
          note: '∂(c·x)/∂x = c, so the gradient is multiplied by c.',
        },
      };
    },
  },
  numeric: {
    forward(node, input, { backend, batch }) {
      const output = backend.allocate(batch, node.output.units);
      const source = backend.view(input);
      const target = backend.view(output);
      const c = node.factor;
      for (let i = 0; i < target.length; i++) target[i] = c * source[i];
      return { output };
    },
    backward(node, _state, _input, gradient, { backend }) {
      const g = backend.view(gradient);
      const c = node.factor;
      for (let i = 0; i < g.length; i++) g[i] *= c;
      return { inputGradient: gradient };
    },
    keptElements: (node, batch) => batch * node.output.units,
    workingElements: () => 0,
  },
};
