/**
 * The bias, a kind of its own (`biasStd` on a dense or conv2d node is sugar for it):
 * `{ "kind": "bias", "std": σ_b }` adds b ~ N(0, σ_b²), one per unit of a vector or one per channel
 * of an image (NHWC: unit = position·C + channel).
 *
 * Moments: E[(h + b)²] = E[h²] + σ_b² (b is independent of h and zero-mean); the gradient passes
 * through unchanged. Exact at any width.
 */
import { InputError } from '../errors.js';
import type { LayerKind, ResolveContext, ResolvedNode } from './kind.js';

export interface BiasNode extends ResolvedNode {
  kind: 'bias';
  /** σ_b². */
  variance: number;
  /** Bias entries: units of a vector, channels of an image. */
  channels: number;
}

function resolveBias(spec: Readonly<Record<string, unknown>>, context: ResolveContext): BiasNode {
  const std = spec.std;
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) throw new InputError(`${context.path}.std`, std, 'a finite number >= 0 (the bias standard deviation)');
  const input = context.input;
  return { kind: 'bias', path: context.path, input, output: input, variance: std * std, channels: input.spatial ? input.width : input.units };
}

export const biasKind: LayerKind<BiasNode> = {
  name: 'bias',
  fields: ['std'],
  summary: 'a random bias b ~ N(0, std²), one per unit (per channel of an image): { "kind": "bias", "std": 0.1 }',
  resolve: resolveBias,
  moments: {
    forward(node, input) {
      const { cross, crossExact, ...single } = input;
      const result = {
        output: { ...single, secondMoment: input.secondMoment + node.variance },
        rule: {
          name: 'independent zero-mean bias',
          expression: 'q + sb2',
          latex: '\\mathbb{E}[h^2] + \\sigma_b^2',
          values: { q: input.secondMoment, sb2: node.variance },
          note: 'b is independent of h and has mean 0, so E[(h + b)²] = E[h²] + σ_b².',
        },
      };
      if (cross === undefined) return result;
      return {
        output: { ...result.output, cross: cross + node.variance, crossExact },
        rule: result.rule,
        crossRule: {
          name: 'one bias for both inputs',
          expression: 'k + sb2',
          latex: '\\mathbb{E}[h_a h_b] + \\sigma_b^2',
          values: { k: cross, sb2: node.variance },
          note: 'Both inputs get the same b, independent of h and zero-mean: E[(h_a + b)(h_b + b)] = E[h_a h_b] + σ_b².',
        },
      };
    },
    backward(_node, gradient) {
      return {
        input: gradient,
        rule: { name: 'identity Jacobian', expression: 'g', latex: '\\mathbb{E}[(\\partial h)^2]', values: { g: gradient.secondMoment }, note: '∂(h + b)/∂h = 1.' },
      };
    },
  },
  numeric: {
    forward(node, input, { backend, random, scratch, batch }) {
      const bias = scratch.take(node.channels);
      random.fillNormal(bias, 0, Math.sqrt(node.variance));
      const units = node.output.units;
      const output = backend.allocate(batch, units);
      const source = backend.view(input);
      const target = backend.view(output);
      const channels = node.channels;
      for (let b = 0; b < batch; b++) {
        const row = b * units;
        for (let u = 0; u < units; u++) target[row + u] = source[row + u] + bias[u % channels];
      }
      return { output };
    },
    backward: (_node, _state, _input, gradient) => ({ inputGradient: gradient }),
    keptElements: (node, batch) => batch * node.output.units,
    workingElements: () => 0,
  },
};
