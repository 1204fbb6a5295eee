/**
 * What layer_norm and rms_norm share: per example, over the n units of the signal (no learned
 * affine: at initialization it is the identity, γ = 1 and β = 0, as in PyTorch's LayerNorm and
 * RMSNorm), y = (x − c)/σ̃ with σ̃² = v + ε, where
 *   layer_norm (Ba, Kiros & Hinton 2016): c = mean of x, v = its variance over the units;
 *   rms_norm (Zhang & Sennrich 2019):     c = 0,         v = the mean square over the units.
 *
 * Moments. Σ_i y_i² = n·v/(v + ε), so E[y²] = E[v/(v + ε)]: exactly 1 when ε = 0 (for v > 0), and
 * v̄/(v̄ + ε) to leading order otherwise, with v̄ the mean-field value of v. Whatever scale the signal
 * had (vanished or exploded), the normalized signal has second moment ≈ 1.
 * Backward: the Jacobian is J = (C − y yᵀ/n)/σ̃ (C = I − 11ᵀ/n for layer_norm, I for rms_norm), so
 * for an isotropic upstream gradient E‖Jᵀg‖² = E[(g²)]·(tr C − 2r + r²)/σ̃², r = v/(v + ε): per unit
 *   layer_norm  E[(∂x)²] = (n − 1 − 2r + r²)/(n (v̄ + ε))·E[(∂y)²],
 *   rms_norm    E[(∂x)²] = (n − 2r + r²)/(n (v̄ + ε))·E[(∂y)²].
 * The gradient is divided by the signal's scale: a normalization after an exploding signal makes
 * the gradient below it vanish by the same factor. Taking v at its mean (E[1/v] ≈ 1/E[v]) and the
 * gradient as isotropic and independent of x are leading-order (mean-field) approximations; the
 * backward factor carries the second-order (delta-method) correction E[1/v] ≈ (1 + 2/n′)/v̄ for v a
 * mean of n′ Gaussian squares.
 */
import { InputError } from '../errors.js';
import type { MomentFace, MomentRule, NodeState, NumericFace, ResolveContext, ResolvedNode } from './kind.js';
import { formatSignificant } from '../math/significant.js';
import { tokenCount } from './tokens.js';

export interface NormalizationNode extends ResolvedNode {
  kind: 'layer_norm' | 'rms_norm';
  epsilon: number;
  /** Units normalized over (all of them: C·H·W for an image; the token width on a sequence). */
  units: number;
}

/** Centred (layer_norm) or not (rms_norm). */
interface Flavour {
  centred: boolean;
}

export function resolveNormalization(kind: NormalizationNode['kind'], defaultEpsilon: number) {
  return (spec: Readonly<Record<string, unknown>>, context: ResolveContext): NormalizationNode => {
    const epsilon = spec.epsilon ?? defaultEpsilon;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
      throw new InputError(`${context.path}.epsilon`, epsilon, 'a finite number >= 0 (added to the variance before the square root)');
    }
    // On a sequence each token is normalized on its own, over its width.
    const units = context.input.tokens !== undefined ? context.input.width : context.input.units;
    if (units < 2) throw new InputError(`${context.path}`, `${units} unit`, `a signal of at least 2 units to normalize over`);
    return { kind, path: context.path, input: context.input, output: context.input, epsilon, units };
  };
}

/** The mean-field v̄: the (centred) per-example variance, or the mean square. */
function meanFieldV(node: NormalizationNode, q: number, mean: number, centred: boolean): number {
  return centred ? Math.max(0, q - mean * mean) * (1 - 1 / node.units) : q;
}

export function normalizationMoments({ centred }: Flavour): MomentFace<NormalizationNode> {
  const name = centred ? 'layer norm' : 'RMS norm';
  return {
    forward(node, input) {
      const v = meanFieldV(node, input.secondMoment, input.mean, centred);
      const exact = node.epsilon === 0;
      const rule: MomentRule = {
        name: `${name}: per-example rescaling`,
        expression: 'v/(v + eps)',
        latex: '\\frac{\\bar v}{\\bar v + \\varepsilon}',
        values: { v, eps: node.epsilon },
        note: exact
          ? `Σ_i y_i² = n exactly for every example when ε = 0: the normalized signal has second moment 1 whatever the input's scale (v̄ = ${formatSignificant(v)}).`
          : `Σ_i y_i² = n·v/(v + ε) per example; at the mean-field v̄ = ${formatSignificant(v)} ${centred ? '(variance over the units, (q − μ²)(1 − 1/n))' : '(mean square over the units)'} with ε = ${node.epsilon}.`,
      };
      const mean = centred ? 0 : input.mean / Math.sqrt(input.secondMoment + node.epsilon);
      const output = { secondMoment: v / (v + node.epsilon), mean, exact, symmetric: input.symmetric };
      if (input.cross === undefined) return { output, rule };
      // Both examples are divided by their own σ̃, each ≈ √(v̄ + ε) to leading order; layer_norm
      // also subtracts each example's mean over the units, which takes μ² off E[x_a x_b] and a 1/n share.
      const k = centred ? (input.cross - input.mean * input.mean) * (1 - 1 / node.units) : input.cross;
      const crossRule: MomentRule = {
        name: `${name}: two inputs, leading order`,
        expression: centred ? '(k - mx^2)*(1 - 1/n)/(v + eps)' : 'k/(v + eps)',
        latex: centred ? '\\frac{(\\mathbb{E}[x_a x_b] - \\mathbb{E}[x]^2)(1 - 1/n)}{\\bar v + \\varepsilon}' : '\\frac{\\mathbb{E}[x_a x_b]}{\\bar v + \\varepsilon}',
        values: centred ? { k: input.cross, mx: input.mean, n: node.units, v, eps: node.epsilon } : { k: input.cross, v, eps: node.epsilon },
        note: `Each example is divided by its own scale σ̃, taken at its mean-field value √(v̄ + ε) (leading order in 1/n)${centred ? ', after its mean over the units is removed' : ''}; at c = 1 this is the forward factor v̄/(v̄ + ε).`,
      };
      return { output: { ...output, cross: k / (v + node.epsilon), crossExact: false }, rule, crossRule };
    },
    backward(node, gradient, input) {
      const v = meanFieldV(node, input.secondMoment, input.mean, centred);
      const n = node.units;
      const r = v / (v + node.epsilon);
      const trace = centred ? n - 1 : n;
      // E[1/(v + ε)] to second order (delta method), v a mean of `trace` squares of Gaussians:
      // Var[v] = 2v̄²/trace, so E[1/(v + ε)] ≈ (1 + 2v̄²/(trace·(v̄ + ε)²))/(v̄ + ε).
      const jensen = 1 + (2 * v * v) / (trace * (v + node.epsilon) ** 2);
      const factor = ((trace - 2 * r + r * r) * jensen) / (n * (v + node.epsilon));
      const rule: MomentRule = {
        name: `${name}: Jacobian (C − y yᵀ/n)/σ̃`,
        expression: `(${centred ? 'n - 1' : 'n'} - 2*r + r^2)*(1 + 2*v^2/(${centred ? '(n - 1)' : 'n'}*(v + eps)^2))/(n*(v + eps))*g`,
        latex: `\\frac{(${centred ? 'n - 1' : 'n'} - 2r + r^2)\\,c}{n(\\bar v + \\varepsilon)}\\,\\mathbb{E}[(\\partial y)^2]`,
        values: { n, r, v, eps: node.epsilon, g: gradient.secondMoment },
        note: `The normalization divides the gradient by the signal's scale σ̃² = v̄ + ε = ${formatSignificant(v + node.epsilon)} and projects out ${centred ? 'the mean and the signal direction' : 'the signal direction'} (r = v̄/(v̄ + ε); c = ${formatSignificant(jensen)} = 1 + 2v̄²/(n′(v̄ + ε)²) corrects 1/E[v] to E[1/v] to second order, n′ = ${trace} squares).`,
      };
      return { input: { secondMoment: factor * gradient.secondMoment, exact: false }, rule };
    },
  };
}

interface NormalizationState extends NodeState {
  /** y per example, [batch, units]. */
  normalized: ArrayLike<number>;
  /** 1/σ̃ per example. */
  inverseScale: Float64Array;
}

export function normalizationNumeric({ centred }: Flavour): NumericFace<NormalizationNode> {
  return {
    forward(node, input, { backend, batch, buffers }) {
      const n = node.units;
      // Rows normalized: one per example, or one per token of each example ([batch·tokens, width]).
      const rows = batch * tokenCount(node.input);
      const x = backend.view(input);
      const output = backend.allocate(batch, node.output.units);
      const y = backend.view(output);
      const normalized = buffers.take(node, 'normalized', rows * n);
      const inverseScale = new Float64Array(rows);
      for (let b = 0; b < rows; b++) {
        const row = b * n;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += x[row + i];
        const c = centred ? sum / n : 0;
        let squares = 0;
        for (let i = 0; i < n; i++) squares += (x[row + i] - c) ** 2;
        const inverse = 1 / Math.sqrt(squares / n + node.epsilon);
        inverseScale[b] = inverse;
        for (let i = 0; i < n; i++) y[row + i] = (x[row + i] - c) * inverse;
      }
      normalized.set(y);
      return { output, state: { normalized, inverseScale, release() {} } as NormalizationState };
    },
    // ∂x = (C ∂y − y (y·∂y)/n)/σ̃ per example (per token); the gradient is unit-major [tokens·units, batch].
    backward(node, state, _input, gradient, { backend, batch }) {
      const { normalized, inverseScale } = state as NormalizationState;
      const n = node.units;
      const tokens = tokenCount(node.input);
      const g = backend.view(gradient);
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < tokens; t++) {
          const row = b * tokens + t;
          const first = t * n * batch + b;
          let mean = 0;
          let dot = 0;
          for (let i = 0; i < n; i++) {
            const gi = g[first + i * batch];
            mean += gi;
            dot += gi * normalized[row * n + i];
          }
          mean = centred ? mean / n : 0;
          dot /= n;
          const inverse = inverseScale[row];
          for (let i = 0; i < n; i++) g[first + i * batch] = (g[first + i * batch] - mean - normalized[row * n + i] * dot) * inverse;
        }
      }
      return { inputGradient: gradient };
    },
    keptElements: (node, batch) => 2 * batch * node.output.units,
    workingElements: () => 0,
  };
}
