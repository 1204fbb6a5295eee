/** Docs: LeCun initialization and SELU's self-normalizing fixed point. */
import { deriveLayer } from '../../symbolic/layer.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { SELU_ALPHA, SELU_LAMBDA } from '../../vocabulary/activations/selu.js';
import { computeGains } from '../../vocabulary/gains.js';
import { curvesSpec } from '../../charts/curves.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { conditionsBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

export const lecunSeluTopic: DocTopic = {
  slug: 'lecun-selu',
  title: 'LeCun initialization and the SELU fixed point',
  summary: 'Var[w] = 1/n_in, and why SELU\'s two constants make mean 0 and variance 1 a stable fixed point of the layer map.',
  async build({ cat, check, fact, say }): Promise<ReportDocument> {
    const derivation = deriveLayer({ fanIn: 256, fanOut: 256, activation: 'selu', init: 'lecun_normal' });
    const selu = resolveActivation('selu');
    const gains = computeGains(selu);
    // The variance map of a LeCun layer followed by SELU: q ↦ E[selu(√q z)²] (n·Var[w] = 1).
    const qs = Array.from({ length: 61 }, (_, i) => 0.05 + (i * 2.95) / 60);
    const map = qs.map((q) => ({ x: q, y: selu.moments(q).secondMoment, series: 'E[selu(√q z)²]' }));
    const diagonal = qs.map((q) => ({ x: q, y: q, series: 'identity q' }));
    const spec = { widths: new Array(11).fill(128), activation: 'selu' };
    const runs = [{ init: 'lecun_normal', report: await check({ ...spec, init: 'lecun_normal' }) }];
    return {
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'Efficient BackProp (LeCun et al., 1998) and Self-Normalizing Neural Networks (Klambauer et al., 2017).' }],
      blocks: [
        say(
          'LeCun initialization is the forward condition alone: $n_\\text{in}\\sigma^2 = 1$, so $\\operatorname{Var}[w] = 1/n_\\text{in}$. It predates Xavier by a decade and is what Xavier reduces to when only the forward pass matters. (Some libraries and tutorials call this "Xavier"; it is not: Xavier averages the two fans.)',
          'lead',
        ),
        ...conditionsBlocks(cat, derivation, 2),
        { kind: 'heading', level: 2, text: 'SELU: an activation designed for a fixed point', id: 'selu' },
        say(
          `The scaled exponential linear unit is $\\lambda x$ for $x > 0$ and $\\lambda\\alpha(e^x - 1)$ otherwise. Klambauer et al. chose $\\lambda \\approx ${fact(SELU_LAMBDA, 6)}$ and $\\alpha \\approx ${fact(SELU_ALPHA, 6)}$ as the unique pair for which a standard normal input comes out with mean 0 and second moment 1. With LeCun's $n\\operatorname{Var}[w] = 1$ the next pre-activation then again has mean 0 and variance 1: $(0, 1)$ is a fixed point of the map from one layer's moments to the next.`,
        ),
        {
          kind: 'table',
          header: [[text('moment at '), math('q = 1')], [text('value')]],
          align: ['left', 'right'],
          rows: [
            [[math('\\mathbb{E}[\\operatorname{selu}(z)]')], [text(formatNumber(Math.abs(gains.mean) < 1e-12 ? 0 : gains.mean))]],
            [[math('\\mathbb{E}[\\operatorname{selu}(z)^2]')], [text(formatNumber(gains.secondMoment))]],
            [[math('\\mathbb{E}[\\operatorname{selu}\'(z)^2]')], [text(formatNumber(gains.derivativeSecondMoment))]],
            [[text('variance-preserving gain')], [text(formatNumber(gains.forwardGain))]],
            [[text('PyTorch calculate_gain')], [text(gains.pytorchGain === null ? '—' : formatNumber(gains.pytorchGain))]],
          ],
        },
        say(
          'The fixed point is attracting: the map $q \\mapsto \\mathbb{E}[\\operatorname{selu}(\\sqrt q\\, z)^2]$ crosses the diagonal at $q = 1$ with slope below one, so a variance that starts too large or too small is pulled back towards 1 layer after layer. This is the sense in which SELU networks "self-normalize".',
        ),
        {
          kind: 'figure',
          id: 'selu-map',
          spec: curvesSpec([...map, ...diagonal], { x: 'q (variance of the pre-activation)', y: 'next variance', series: 'curve' }, { width: 380, height: 220 }),
          caption: [text('The variance map of a LeCun-initialised SELU layer against the diagonal; they meet at the fixed point '), math('q^* = 1'), text('.')],
          alt: 'SELU variance map and its fixed point',
        },
        say(
          `Note that the backward factor $\\mathbb{E}[\\operatorname{selu}'(z)^2] \\approx ${fact(gains.derivativeSecondMoment)}$ is slightly above one, so gradients grow slowly with depth even at the fixed point; PyTorch's gain of 3/4 for SELU, by its own documentation found empirically, is a different trade-off and not the variance-preserving one.`,
        ),
        ...evidenceBlocks(cat, runs, { histograms: 'first', figurePrefix: 'selu-' }),
      ],
    };
  },
};
