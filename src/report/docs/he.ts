/** Docs: He (Kaiming) initialization for relu and leaky relu. */
import { deriveLayer } from '../../symbolic/layer.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { computeGains } from '../../vocabulary/gains.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { conditionsBlocks, sectionBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

export const heTopic: DocTopic = {
  slug: 'he-relu',
  title: 'He initialization for relu and leaky relu',
  summary: 'relu keeps half of the second moment, so the variance-preserving weight variance doubles: Var[w] = 2/n_in, and 2/((1 + a²) n_in) for leaky relu.',
  async build({ cat, check, fact, say }): Promise<ReportDocument> {
    const derivation = deriveLayer({ fanIn: 256, fanOut: 256, activation: 'relu', init: 'he_normal' });
    const counter = { next: 1 };
    const forwardSection = derivation.sections.find((s) => s.id === 'forward');
    const slopes = [0, 0.01, 0.2];
    const gains = slopes.map((slope) => ({ slope, gains: computeGains(resolveActivation(slope === 0 ? 'relu' : { name: 'leaky_relu', slope })) }));
    const deep = { widths: new Array(11).fill(128), activation: 'relu' };
    const runs = [
      { init: 'he_normal', report: await check({ ...deep, init: 'he_normal' }) },
      { init: 'xavier_normal', report: await check({ ...deep, init: 'xavier_normal' }) },
    ];
    const forward = (i: number) => runs[i].report.layers.map((layer) => layer.forward.estimate);
    const he = forward(0);
    const heLast = runs[0].report.layers[he.length - 1].forward;
    const covers = heLast.ciLow <= 2 && 2 <= heLast.ciHigh;
    const xavier = forward(1);
    const xavierRatio = Math.pow(xavier[xavier.length - 1] / xavier[0], 1 / (xavier.length - 1));
    return {
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'Delving deep into rectifiers (He, Zhang, Ren & Sun, 2015): what changes in the Xavier argument when the activation is a rectifier.' }],
      blocks: [
        say(
          'Xavier\'s derivation assumes the activation behaves like the identity near zero: a zero-mean input with variance $q$ comes out with second moment $q$. A relu throws away the negative half of its input, so a symmetric input with variance $q$ comes out with second moment $q/2$. Every layer therefore halves the signal, and a thirty-layer relu network initialised with Xavier\'s variance ends with a variance of about $2^{-30}$ of its input.',
          'lead',
        ),
        say(
          'The fix keeps the same chain of equalities and changes one substitution: where the zero-mean derivation puts $\\mathbb{E}[x^2] = \\gamma^2$, a relu input has $\\mathbb{E}[x^2] = \\tfrac12 \\operatorname{Var}[h]$. Here is the forward pass, with the place where the assumption fails marked at the step.',
        ),
        ...(forwardSection ? sectionBlocks(cat, forwardSection, counter, 2) : []),
        ...conditionsBlocks(cat, derivation, 2),
        say(
          'The row labelled He solves $\\tfrac12 n_\\text{in}\\sigma^2 = 1$. Because relu is positively homogeneous, $\\phi(cx) = c\\,\\phi(x)$ for $c > 0$, the factor $\\tfrac12$ is exact at every width and every input variance: there is no mean-field approximation in this case, and the Monte Carlo check below tests the exact prediction.',
        ),
        { kind: 'heading', level: 2, text: 'Leaky relu', id: 'leaky-relu' },
        say(
          'A leaky relu with negative slope $a$ keeps the positive half and scales the negative half by $a$, so its second moment is $\\tfrac12(1 + a^2)\\,q$ and the variance-preserving gain is $\\sqrt{2/(1+a^2)}$. This is exactly PyTorch\'s `calculate_gain(\'leaky_relu\', a)`; the vocabulary computes it from the Gaussian moments of each activation:',
        ),
        {
          kind: 'table',
          header: [[text('activation')], [text('slope '), math('a')], [math('\\mathbb{E}[\\phi(z)^2]')], [text('gain '), math('1/\\sqrt{\\mathbb{E}[\\phi(z)^2]}')], [text('PyTorch gain')]],
          align: ['left', 'right', 'right', 'right', 'right'],
          rows: gains.map(({ slope, gains: g }) => [
            [{ kind: 'code', text: g.activation }],
            [text(String(slope))],
            [text(formatNumber(g.secondMoment))],
            [text(formatNumber(g.forwardGain))],
            [text(g.pytorchGain === null ? '—' : formatNumber(g.pytorchGain))],
          ]),
        },
        say(
          'He et al. also show that the backward condition gives $\\tfrac12 n_\\text{out}\\sigma^2 = 1$, and that either choice is fine in practice: with equal widths they coincide, and otherwise the product of the ratios of consecutive widths telescopes to a modest constant instead of a power of the depth. PyTorch\'s `mode=\'fan_in\'` and `mode=\'fan_out\'` select between them.',
        ),
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'he-' }),
        say(
          `A ten-layer relu network of width 128 with input variance $\\gamma^2 = 1$. With He's variance the first layer, which sees the raw input rather than a relu output, doubles it: $\\mathbb{E}[h_1^2] = 2\\gamma^2$ (measured ${fact(he[0], 3)}). From there every layer keeps it, and the forward second moment stays at $2\\gamma^2$ layer after layer, in expectation and at any width (at layer ${he.length} the replicate networks measure ${fact(heLast.estimate, 3)}, with the interval [${fact(heLast.ciLow, 3)}, ${fact(heLast.ciHigh, 3)}], which ${covers ? 'contains' : 'misses'} 2: between networks of a deep, narrow relu stack the second moment spreads widely). With Xavier's it is multiplied by about ${fact(xavierRatio, 3)} at every layer, a halving, exactly as predicted.`,
        ),
      ],
    };
  },
};
