/**
 * `{ "kind": "serial", "layers": [ ... ] }`: a list of nodes as one node (neural-tangents' `serial`),
 * e.g. a block to name once inside a residual branch or a repeat. Its moments are its children's,
 * composed by `propagate()`.
 */
import type { LayerKind, ResolveContext, ResolvedNode } from './kind.js';

export interface SerialNode extends ResolvedNode {
  kind: 'serial';
  layers: ResolvedNode[];
}

function resolveSerial(spec: Readonly<Record<string, unknown>>, context: ResolveContext): SerialNode {
  const { nodes, output } = context.resolveList(spec.layers, context.path, context.input);
  return { kind: 'serial', path: context.path, input: context.input, output, layers: nodes };
}

export const serialKind: LayerKind<SerialNode> = {
  name: 'serial',
  fields: ['layers'],
  summary: 'a list of nodes as one node: { "kind": "serial", "layers": [ ...nodes ] }',
  resolve: resolveSerial,
  children: (node) => [node.layers],
  moments: {
    forward(node, input, _flavour, run) {
      const output = run.forward(node.layers, input);
      const rule = { name: 'composition', expression: 'y', latex: 'y', values: { y: output.secondMoment }, note: 'Its nodes, one after another.' };
      if (output.cross === undefined) return { output, rule };
      return { output, rule, crossRule: { ...rule, expression: 'k', latex: 'k', values: { k: output.cross } } };
    },
    backward(node, gradient, _input, _output, _flavour, run) {
      const input = run.backward(node.layers, gradient);
      return { input, rule: { name: 'composition', expression: 'g', latex: 'g', values: { g: input.secondMoment }, note: 'Back through its nodes.' } };
    },
  },
  numeric: {
    forward: (node, input, _context, run) => {
      const output = run.forward(node.layers, input);
      return output ? { output } : undefined;
    },
    backward: (node, _state, _input, gradient, _context, _need, run) => {
      const inputGradient = run.backward(node.layers, gradient);
      return inputGradient ? { inputGradient } : undefined;
    },
    keptElements: () => 0,
    workingElements: () => 0,
  },
};
