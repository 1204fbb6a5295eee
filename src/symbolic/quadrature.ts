/**
 * An independent computation of an activation's Gaussian moments, used to check the values the
 * activation registry supplies (closed forms or its own quadrature). φ comes from the activation's
 * mathjs expression, φ′ from mathjs' symbolic derivative of it (falling back to the activation's
 * own φ′ where mathjs cannot differentiate, e.g. `max`). Composite Gauss–Legendre on panels of
 * width ≤ 0.25 over z ∈ [−12, 12], split at the kinks, so piecewise-smooth integrands converge to
 * near machine precision.
 */
import { compile, derivative, parse } from 'mathjs';
import type { Activation } from '../vocabulary/activation.js';

const Z_LIMIT = 12;
const PANEL_WIDTH = 0.25;
const ORDER = 16;

/** Raw Gaussian moments computed here: E[φ], E[φ²], E[φ′], E[φ′²] at z ~ N(0, q). */
export interface IndependentMoments {
  mean: number;
  secondMoment: number;
  derivativeMean: number;
  derivativeSecondMoment: number;
}

function legendre(order: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let k = 1; k <= order; k++) {
    let x = Math.cos((Math.PI * (k - 0.25)) / (order + 0.5));
    let dp = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let n = 2; n <= order; n++) [p0, p1] = [p1, ((2 * n - 1) * x * p1 - (n - 1) * p0) / n];
      dp = (order * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / dp;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * dp * dp));
  }
  return { nodes, weights };
}

const RULE = legendre(ORDER);

/** E[f(z)] for z ~ N(0, 1), with `breaks` (in z) where f is not smooth. */
export function gaussianExpectation(f: (z: number) => number, breaks: readonly number[] = []): number {
  const points = [-Z_LIMIT, ...breaks.filter((b) => Math.abs(b) < Z_LIMIT).sort((a, b) => a - b), Z_LIMIT];
  let total = 0;
  for (let s = 0; s + 1 < points.length; s++) {
    const [lo, hi] = [points[s], points[s + 1]];
    const panels = Math.max(1, Math.ceil((hi - lo) / PANEL_WIDTH));
    const width = (hi - lo) / panels;
    for (let p = 0; p < panels; p++) {
      const centre = lo + (p + 0.5) * width;
      for (let k = 0; k < ORDER; k++) {
        const z = centre + 0.5 * width * RULE.nodes[k];
        total += 0.5 * width * RULE.weights[k] * f(z) * Math.exp(-0.5 * z * z);
      }
    }
  }
  return total / Math.sqrt(2 * Math.PI);
}

/** E[φ(√q z)^k] and E[φ′(√q z)^k], k = 1, 2, computed from the activation's expression. */
export function independentMoments(activation: Activation, q: number): IndependentMoments {
  const phi = compile(activation.expression);
  let slope: (x: number) => number;
  try {
    const compiled = derivative(parse(activation.expression), 'x').compile();
    slope = (x) => Number(compiled.evaluate({ x }));
    slope(0.3);
  } catch {
    slope = (x) => activation.derivative(x);
  }
  const value = (x: number) => Number(phi.evaluate({ x }));
  const root = Math.sqrt(q);
  const breaks = activation.kinks.map((k) => k / root);
  return {
    mean: gaussianExpectation((z) => value(root * z), breaks),
    secondMoment: gaussianExpectation((z) => value(root * z) ** 2, breaks),
    derivativeMean: gaussianExpectation((z) => slope(root * z), breaks),
    derivativeSecondMoment: gaussianExpectation((z) => slope(root * z) ** 2, breaks),
  };
}
