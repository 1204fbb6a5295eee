/** Docs: why the sigmoid breaks the zero-mean assumption (and makes gradients vanish). */
import { curvesSpec, sampleCurve } from '../../charts/curves.js';
import { deriveLayer } from '../../symbolic/layer.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { computeGains } from '../../vocabulary/gains.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { sectionBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

export const sigmoidTopic: DocTopic = {
  slug: 'sigmoid',
  title: 'Why the sigmoid breaks the zero-mean assumption',
  summary: 'The sigmoid\'s mean is ½, so E[x²] ≠ Var[x] for the next layer; and σ′ ≤ ¼ makes gradients vanish.',
  async build({ cat, check, fact, say }): Promise<ReportDocument> {
    const sigmoid = resolveActivation('sigmoid');
    const derivation = deriveLayer({ fanIn: 256, fanOut: 256, activation: 'sigmoid', init: 'xavier_normal' });
    const counter = { next: 1 };
    const nonZero = derivation.sections.find((s) => s.id === 'nonZeroMeanInput');
    const g = computeGains(sigmoid);
    const variance = g.secondMoment - g.mean * g.mean;
    const spec = { widths: new Array(9).fill(128), activation: 'sigmoid', init: 'xavier_normal' };
    const runs = [{ init: 'xavier_normal', report: await check(spec) }];
    // Backward loss per layer at q = 1 with the exact variance-preserving gain: 1/(g²·E[σ′(z)²]).
    const preservingLoss = 1 / (g.forwardGain ** 2 * g.derivativeSecondMoment);
    // Measured: geometric mean per layer of E[(∂h_l)²] / E[(∂h_{l-1})²] over the network.
    const layers = runs[0].report.layers;
    const measuredLoss = Math.pow(layers[layers.length - 1].backward.estimate / layers[0].backward.estimate, 1 / (layers.length - 1));
    return {
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'Dive into Deep Learning opens its chapter on numerical stability with the sigmoid; here is what goes wrong, in formulas.' }],
      blocks: [
        say(
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
        say(
          `So the second moment that the next layer sees, ${fact(g.secondMoment)}, is dominated by the squared mean ${fact(g.mean * g.mean)}, not by the variance ${fact(variance)}. The weights still have mean zero, so the next pre-activation is still centred; but its variance is $n_\\text{in}\\sigma^2\\,\\mathbb{E}[x^2]$, not $n_\\text{in}\\sigma^2\\operatorname{Var}[x]$. The symbolic engine derives the general case:`,
        ),
        ...(nonZero ? sectionBlocks(cat, nonZero, counter, 2) : []),
        { kind: 'heading', level: 2, text: 'The gradient', id: 'gradient' },
        say(
          `The backward pass multiplies by $\\sigma'(h) = \\sigma(h)(1 - \\sigma(h))$ at every layer, and $\\sigma'$ is at most $1/4$, reached at $h = 0$. Each sigmoid layer multiplies the gradient's second moment by $n\\sigma^2\\,\\mathbb{E}[\\sigma'(h)^2]$, and $\\mathbb{E}[\\sigma'(h)^2] < 1/16$. With $n\\sigma^2 \\le 1$ (Xavier, LeCun) a deep sigmoid network therefore loses more than a factor of 16 per layer going backward. A larger weight variance helps only partly: with the exact variance-preserving gain ${fact(g.forwardGain)} ($n\\sigma^2 = ${fact(g.forwardGain ** 2)}$, keeping $q = 1$) the factor at $q = 1$ is ${fact(g.forwardGain ** 2)} × ${fact(g.derivativeSecondMoment)}, still a loss of about ${fact(preservingLoss, 2)}× per layer.`,
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
        say(
          `An eight-layer sigmoid network of width 128 with Xavier's variance: the measured backward second moment falls by a factor of about ${fact(measuredLoss, 3)} per layer towards the input, as the mean-field prediction (which accounts for the non-zero mean) says. This is why the sigmoid gave way to tanh and then to relu in deep networks, and why the sigmoid survives mainly as a gate or an output.`,
        ),
      ],
    };
  },
};
