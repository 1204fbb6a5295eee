/**
 * `{ "kind": "repeat", "times": n, "layers": [ ... ] }`: n copies of a block, each sampled
 * independently (a block written once). Copy r is addressed `<path>/r` when the block is one node,
 * `<path>/r/j` otherwise. Its moments are the block's, composed n times by `propagate()`.
 */
import { InputError } from '../errors.js';
import type { FeatureShape, LayerKind, ResolveContext, ResolvedNode } from './kind.js';

export interface RepeatNode extends ResolvedNode {
  kind: 'repeat';
  times: number;
  /** The copies, in order; each a list of resolved nodes. */
  copies: ResolvedNode[][];
}

const sameShape = (a: FeatureShape, b: FeatureShape) => a.units === b.units && a.width === b.width && JSON.stringify(a.spatial) === JSON.stringify(b.spatial);

function resolveRepeat(spec: Readonly<Record<string, unknown>>, context: ResolveContext): RepeatNode {
  const path = context.path;
  const times = spec.times;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) throw new InputError(`${path}.times`, times, 'a positive integer (how many copies of the block)');
  const block = spec.layers;
  const single = Array.isArray(block) && block.length === 1;
  const copies: ResolvedNode[][] = [];
  let flowing = context.input;
  for (let r = 0; r < times; r++) {
    const { nodes, output } = context.resolveList(block, `${path}/${r}`, flowing, single);
    if (r === 0 && times > 1 && !sameShape(output, flowing)) {
      throw new InputError(`${path}.layers`, `a block from ${flowing.units} to ${output.units} units`, 'a block whose output has the shape of its input, so that it can be repeated');
    }
    copies.push(nodes);
    flowing = output;
  }
  return { kind: 'repeat', path, input: context.input, output: flowing, times, copies };
}

export const repeatKind: LayerKind<RepeatNode> = {
  name: 'repeat',
  fields: ['times', 'layers'],
  summary: 'n independently sampled copies of a block: { "kind": "repeat", "times": 10, "layers": [ ...nodes ] }',
  resolve: resolveRepeat,
  children: (node) => node.copies,
  moments: {
    forward(node, input, _flavour, run) {
      let flowing = input;
      for (const copy of node.copies) flowing = run.forward(copy, flowing);
      const rule = { name: 'composition', expression: 'y', latex: 'y', values: { y: flowing.secondMoment }, note: `${node.times} copies of the block, one after another.` };
      if (flowing.cross === undefined) return { output: flowing, rule };
      return { output: flowing, rule, crossRule: { ...rule, expression: 'k', latex: 'k', values: { k: flowing.cross } } };
    },
    backward(node, gradient, _input, _output, _flavour, run) {
      let flowing = gradient;
      for (let r = node.copies.length - 1; r >= 0; r--) flowing = run.backward(node.copies[r], flowing);
      return { input: flowing, rule: { name: 'composition', expression: 'g', latex: 'g', values: { g: flowing.secondMoment }, note: `Back through ${node.times} copies.` } };
    },
  },
  numeric: {
    forward(node, input, _context, run) {
      let flowing = input;
      for (const copy of node.copies) {
        const next = run.forward(copy, flowing);
        if (!next) return undefined;
        flowing = next;
      }
      return { output: flowing === input ? input : flowing };
    },
    backward(node, _state, _input, gradient, _context, _need, run) {
      let flowing: typeof gradient | undefined = gradient;
      for (let r = node.copies.length - 1; r >= 0 && flowing; r--) flowing = run.backward(node.copies[r], flowing);
      return flowing ? { inputGradient: flowing } : undefined;
    },
    keptElements: () => 0,
    workingElements: () => 0,
  },
};
