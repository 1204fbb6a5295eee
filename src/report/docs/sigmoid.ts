/** Docs: why the sigmoid breaks the zero-mean assumption (and makes gradients vanish). */
import { curvesSpec, sampleCurve } from '../../charts/curves.js';
import { deriveLayer } from '../../symbolic/layer.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { computeGains } from '../../vocabulary/gains.js';
import { math, paragraph, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { sectionBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

export const sigmoidTopic: DocTopic = {
  slug: 'sigmoid',
  title: 'Why the sigmoid breaks the zero-mean assumption',
  summary: 'The sigmoid\'s mean is ½, so E[x²] ≠ Var[x] for the next layer; and σ′ ≤ ¼ makes gradients vanish.',
  async build({ cat, check }): Promise<ReportDocument> {
    const sigmoid = resolveActivation('sigmoid');
    const derivation = deriveLayer({ fanIn: 256, fanOut: 256, activation: 'sigmoid', init: 'xavier_normal' });
    const counter = { next: 1 };
    const nonZero = derivation.sections.find((s) => s.id === 'nonZeroMeanInput');
    const g = computeGains(sigmoid);
    const variance = g.secondMoment - g.mean * g.mean;
    const spec = { widths: new Array(9).fill(128), activation: 'sigmoid', init: 'xavier_normal' };
    const runs = [{ init: 'xavier_normal', report: await check(spec) }];
    return {
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'Dive into Deep Learning opens its chapter on numerical stability with the sigmoid; here is what goes wrong, in formulas.' }],
      blocks: [
        paragraph(
          'Every step of the Xavier derivation that removes a cross term uses a zero mean: $\\mathbb{E}[w_{ij} x_j] = \\mathbb{E}[w_{ij}]\\,\\mathbb{E}[x_j] = 0$, and $\\operatorname{Var}[w x] = \\mathbb{E}[w^2]\\,\\mathbb{E}[x^2]$ becomes $\\sigma^2\\gamma^2$ only because $\\mathbb{E}[x^2] = \\operatorname{Var}[x]$ when $\\mathbb{E}[x] = 0$. The input of the second layer is the output of the first activation. For tanh it has mean zero. For the sigmoid it does not.',
          'lead',
        ),
        {
          kind: 'table',
          header: [[text('for '), math('z \\sim \\mathcal{N}(0, 1)')], [text('value')]],
          align: ['left', 'right'],
          rows: [
            [[math('\\mathbb{E}[\\sigma(z)]')], [text(formatNumber(g.mean))]],
            [[math('\\mathbb{E}[\\sigma(z)^2]')], [text(formatNumber(g.secondMoment))]],
            [[math('\\operatorname{Var}[\\sigma(z)]')], [text(formatNumber(variance))]],
            [[math('\\mathbb{E}[\\sigma\'(z)^2]')], [text(formatNumber(g.derivativeSecondMoment))]],
          ],
        },
        paragraph(
          `So the second moment that the next layer sees, ${formatNumber(g.secondMoment)}, is dominated by the squared mean ${formatNumber(g.mean * g.mean)}, not by the variance ${formatNumber(variance)}. The weights still have mean zero, so the next pre-activation is still centred; but its variance is $n_\\text{in}\\sigma^2\\,\\mathbb{E}[x^2]$, not $n_\\text{in}\\sigma^2\\operatorname{Var}[x]$. The symbolic engine derives the general case:`,
        ),
        ...(nonZero ? sectionBlocks(cat, nonZero, counter, 2) : []),
        { kind: 'heading', level: 2, text: 'The gradient', id: 'gradient' },
        paragraph(
          'The backward pass multiplies by $\\sigma\'(h) = \\sigma(h)(1 - \\sigma(h))$ at every layer, and $\\sigma\'$ is at most $1/4$, reached at $h = 0$. However the weights are scaled, each sigmoid layer multiplies the gradient\'s second moment by $\\mathbb{E}[\\sigma\'(h)^2] < 1/16$, so a deep sigmoid network with a variance-preserving init loses more than a factor of 16 per layer going backward.',
        ),
        {
          kind: 'figure',
          id: 'sigmoid-curves',
          spec: curvesSpec(
            [...sampleCurve((x) => sigmoid.phi(x), -8, 8, 161, 'σ(x)'), ...sampleCurve((x) => sigmoid.derivative(x), -8, 8, 161, 'σ′(x)')],
            { x: 'x', y: 'value', series: 'function' },
            { seriesOrder: ['σ(x)', 'σ′(x)'] },
          ),
          caption: [text('The sigmoid and its gradient over '), math('[-8, 8]'), text(': the gradient is small everywhere and vanishes for large inputs.')],
          alt: 'Sigmoid and its gradient',
        },
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'sigmoid-' }),
        paragraph(
          'An eight-layer sigmoid network of width 128 with Xavier\'s variance: the measured backward second moment falls by more than an order of magnitude per layer towards the input, as the mean-field prediction (which accounts for the non-zero mean) says. This is why the sigmoid gave way to tanh and then to relu in deep networks, and why the sigmoid survives mainly as a gate or an output.',
        ),
      ],
    };
  },
};
