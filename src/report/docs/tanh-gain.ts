/** Docs: where tanh's gain 5/3 comes from, and the variance-preserving gain 1.5925. */
import { curvesSpec } from '../../charts/curves.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { lengthFixedPoint } from '../../theory/criticality.js';
import { computeGains } from '../../vocabulary/gains.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

/**
 * The gains of the table with the stable fixed point q* of q ↦ g²·E[tanh(√q z)²] (no bias) and
 * χ₁ = g²·E[tanh′(√q* z)²] there (src/theory/criticality.ts: q* = 0 exactly for g ≤ 1, a root
 * finder otherwise — iterating the map crawls, 501 steps from q = 1 still leave 0.001 at g = 1).
 */
export function tanhGainCandidates(): Array<{ name: string; gain: number; qStar: number; chi1: number }> {
  const tanh = resolveActivation('tanh');
  const g = computeGains(tanh);
  return [
    { name: 'none (Xavier / LeCun)', gain: 1 },
    { name: 'gradient-preserving', gain: g.backwardGain },
    { name: 'variance-preserving', gain: g.forwardGain },
    { name: 'PyTorch calculate_gain', gain: g.pytorchGain ?? 5 / 3 },
  ].map((c) => ({ ...c, ...lengthFixedPoint(tanh, c.gain * c.gain, 0) }));
}

export const tanhGainTopic: DocTopic = {
  slug: 'tanh-gain',
  title: 'Where tanh\'s gain 5/3 comes from, and the variance-preserving gain',
  get summary(): string {
    const g = computeGains(resolveActivation('tanh'));
    return `PyTorch's calculate_gain('tanh') = 5/3 has no derivation; the gain that keeps E[h²] = 1 is ${formatNumber(g.forwardGain)}, and the one that keeps gradients at q = 1 is ${formatNumber(g.backwardGain)}.`;
  },
  async build({ cat, check, fact, say }): Promise<ReportDocument> {
    const tanh = resolveActivation('tanh');
    const g = computeGains(tanh);
    const m2 = (q: number) => tanh.moments(q).secondMoment;
    const candidates = tanhGainCandidates();
    const [none, gradient, , pytorch] = candidates;
    const direction = (chi1: number): string => (chi1 > 1 ? 'grow' : chi1 < 1 ? 'shrink' : 'keep their size');
    const qs = Array.from({ length: 61 }, (_, i) => 0.05 + (i * 2.95) / 60);
    const curves = [
      ...qs.map((q) => ({ x: q, y: q, series: 'identity' })),
      ...candidates.slice(1).flatMap((c) => qs.map((q) => ({ x: q, y: c.gain * c.gain * m2(q), series: `g = ${formatNumber(c.gain)}` }))),
    ];
    const spec = { widths: new Array(11).fill(128), activation: 'tanh' };
    const runs = [
      { init: `xavier_normal, gain ${formatNumber(g.forwardGain)}`, report: await check({ ...spec, init: { name: 'xavier_normal', gain: g.forwardGain } }) },
      { init: 'xavier_normal, gain 5/3', report: await check({ ...spec, init: { name: 'xavier_normal', gain: 5 / 3 } }) },
    ];
    return {
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'A gain g scales the weights to Var[w] = g²/n. Which g keeps a tanh network\'s signal at scale?' }],
      blocks: [
        say(
          'Xavier\'s derivation treats tanh as the identity, because $\\tanh(x) \\approx x$ near zero. But a pre-activation with variance 1 is not near zero: $\\tanh$ squashes its tails, and the second moment that comes out is smaller than the one that went in. A gain $g$, with $\\operatorname{Var}[w] = g^2/n$, makes up for the loss. PyTorch\'s `torch.nn.init.calculate_gain(\'tanh\')` returns $5/3$; its source gives no derivation for the number.',
          'lead',
        ),
        say(
          'The mean-field view gives a derivation. With $\\operatorname{Var}[w] = g^2/n$ and a wide layer, the pre-activation is Gaussian, and its variance $q$ maps to $q\' = g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]$, $z \\sim \\mathcal{N}(0, 1)$. The gain that keeps $q = 1$ fixed is therefore $g = 1/\\sqrt{\\mathbb{E}[\\tanh(z)^2]}$; the gain that keeps the gradient\'s second moment fixed is $1/\\sqrt{\\mathbb{E}[\\tanh\'(z)^2]}$. The vocabulary computes both by quadrature:',
        ),
        {
          kind: 'table',
          header: [[text('gain')], [math('g')], [text('fixed point '), math('q^*')], [math('\\chi_1'), text(' at '), math('q^*')]],
          align: ['left', 'right', 'right', 'right'],
          rows: candidates.map((c) => [[text(c.name)], [text(formatNumber(c.gain))], [text(formatNumber(c.qStar))], [text(formatNumber(c.chi1))]]),
        },
        say(
          `With $\\mathbb{E}[\\tanh(z)^2] \\approx ${fact(g.secondMoment)}$ the variance-preserving gain is ${fact(g.forwardGain)}, and with $\\mathbb{E}[\\tanh'(z)^2] \\approx ${fact(g.derivativeSecondMoment)}$ the gradient-preserving gain is ${fact(g.backwardGain)}. Both are computed at $q = 1$. A deep network does not stay at $q = 1$: the variance moves to the fixed point $q^*$ of its gain, and there each layer multiplies the gradient's second moment by $\\chi_1 = g^2\\,\\mathbb{E}[\\tanh'(\\sqrt{q^*}\\,z)^2]$ (the last column).`,
        ),
        say(
          `PyTorch's $5/3 \\approx ${fact(pytorch.gain)}$ is above both: it settles at $q^* = ${fact(pytorch.qStar)}$, where $\\chi_1 = ${fact(pytorch.chi1)}$, so its gradients ${direction(pytorch.chi1)} going backward, by that factor per layer. The gradient-preserving gain does not preserve gradients at its own fixed point either: it settles at $q^* = ${fact(gradient.qStar)}$, where $\\chi_1 = ${fact(gradient.chi1)}$. Without a bias, every gain above 1 has $\\chi_1 > 1$ at its fixed point (the order-to-chaos line of tanh starts at $\\sigma_w^2 = 1$, see \`varprop signal --act tanh --critical\`), so no gain keeps both the forward variance and the gradients exactly level over many layers. Without any gain the only fixed point is $q^* = ${fact(none.qStar)}$, with $\\chi_1 = ${fact(none.chi1)}$ there: the signal of a deep tanh network with Xavier's variance slowly decays towards zero.`,
        ),
        {
          kind: 'figure',
          id: 'tanh-qmap',
          spec: curvesSpec(curves, { x: 'q (variance in)', y: 'variance out', series: 'map' }, { width: 400, height: 230 }),
          caption: [text('The variance map '), math("q \\mapsto g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]"), text(' for the three gains; where a curve crosses the diagonal is its fixed point.')],
          alt: 'Variance maps of tanh layers with different gains',
        },
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'tanh-' }),
        say(
          'Ten tanh layers of width 128. The first layer sees the raw input of variance 1, so its pre-activation variance is $g^2$; from there the variance map pulls it towards the fixed point of each gain, and the mean-field prediction follows the measurements layer by layer.',
        ),
      ],
    };
  },
};
