/** Docs: where tanh's gain 5/3 comes from, and the variance-preserving gain 1.5925. */
import { curvesSpec } from '../../charts/curves.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { computeGains } from '../../vocabulary/gains.js';
import { math, paragraph, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

/** The fixed point of q ↦ g²·E[tanh(√q z)²], by iteration from q = 1 (the map is a contraction there). */
function fixedPoint(gain: number, m2: (q: number) => number): number {
  let q = 1;
  for (let i = 0; i < 500; i++) q = gain * gain * m2(q);
  return q;
}

export const tanhGainTopic: DocTopic = {
  slug: 'tanh-gain',
  title: 'Where tanh\'s gain 5/3 comes from, and the variance-preserving gain',
  summary: 'PyTorch\'s calculate_gain(\'tanh\') = 5/3 has no derivation; the gain that keeps E[h²] = 1 is 1.5925, and the one that keeps gradients is 1.4674.',
  async build({ cat, check }): Promise<ReportDocument> {
    const tanh = resolveActivation('tanh');
    const g = computeGains(tanh);
    const m2 = (q: number) => tanh.moments(q).secondMoment;
    const candidates = [
      { name: 'none (Xavier / LeCun)', gain: 1 },
      { name: 'gradient-preserving', gain: g.backwardGain },
      { name: 'variance-preserving', gain: g.forwardGain },
      { name: 'PyTorch calculate_gain', gain: g.pytorchGain ?? 5 / 3 },
    ];
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
        paragraph(
          'Xavier\'s derivation treats tanh as the identity, because $\\tanh(x) \\approx x$ near zero. But a pre-activation with variance 1 is not near zero: $\\tanh$ squashes its tails, and the second moment that comes out is smaller than the one that went in. A gain $g$, with $\\operatorname{Var}[w] = g^2/n$, makes up for the loss. PyTorch\'s `torch.nn.init.calculate_gain(\'tanh\')` returns $5/3$; its source gives no derivation for the number.',
          'lead',
        ),
        paragraph(
          'The mean-field view gives a derivation. With $\\operatorname{Var}[w] = g^2/n$ and a wide layer, the pre-activation is Gaussian, and its variance $q$ maps to $q\' = g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]$, $z \\sim \\mathcal{N}(0, 1)$. The gain that keeps $q = 1$ fixed is therefore $g = 1/\\sqrt{\\mathbb{E}[\\tanh(z)^2]}$; the gain that keeps the gradient\'s second moment fixed is $1/\\sqrt{\\mathbb{E}[\\tanh\'(z)^2]}$. The vocabulary computes both by quadrature:',
        ),
        {
          kind: 'table',
          header: [[text('gain')], [math('g')], [text('fixed point '), math('q^*')]],
          align: ['left', 'right', 'right'],
          rows: candidates.map((c) => [[text(c.name)], [text(formatNumber(c.gain))], [text(formatNumber(fixedPoint(c.gain, m2)))]]),
        },
        paragraph(
          `With $\\mathbb{E}[\\tanh(z)^2] \\approx ${formatNumber(g.secondMoment)}$ the variance-preserving gain is ${formatNumber(g.forwardGain)}, and with $\\mathbb{E}[\\tanh'(z)^2] \\approx ${formatNumber(g.derivativeSecondMoment)}$ the gradient-preserving gain is ${formatNumber(g.backwardGain)}. PyTorch's $5/3 \\approx 1.667$ is a little above both: it settles at a fixed point $q^*$ slightly above 1, trading a slightly larger forward variance for gradients that shrink a little less. Without any gain the only fixed point is $q^* = 0$: the signal of a deep tanh network with Xavier's variance slowly decays.`,
        ),
        {
          kind: 'figure',
          id: 'tanh-qmap',
          spec: curvesSpec(curves, { x: 'q (variance in)', y: 'variance out', series: 'map' }, { width: 400, height: 230 }),
          caption: [text('The variance map '), math("q \\mapsto g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]"), text(' for the three gains; where a curve crosses the diagonal is its fixed point.')],
          alt: 'Variance maps of tanh layers with different gains',
        },
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'tanh-' }),
        paragraph(
          'Ten tanh layers of width 128. The first layer sees the raw input of variance 1, so its pre-activation variance is $g^2$; from there the variance map pulls it towards the fixed point of each gain, and the mean-field prediction follows the measurements layer by layer.',
        ),
      ],
    };
  },
};
