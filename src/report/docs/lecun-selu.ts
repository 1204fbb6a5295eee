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
  zh: {
    title: 'LeCun 初始化与 SELU 的不动点',
    summary: 'Var[w] = 1/n_in，以及为什么 SELU 的两个常数使均值 0、方差 1 成为层映射的稳定不动点。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
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
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('Efficient BackProp (LeCun et al., 1998) and Self-Normalizing Neural Networks (Klambauer et al., 2017).', '《Efficient BackProp》（LeCun 等，1998）与《Self-Normalizing Neural Networks》（Klambauer 等，2017）。') }],
      blocks: [
        say(
          t('LeCun initialization is the forward condition alone: $n_\\text{in}\\sigma^2 = 1$, so $\\operatorname{Var}[w] = 1/n_\\text{in}$. It predates Xavier by a decade and is what Xavier reduces to when only the forward pass matters. (Some libraries and tutorials call this "Xavier"; it is not: Xavier averages the two fans.)',
          'LeCun 初始化只用前向条件：$n_\\text{in}\\sigma^2 = 1$，所以 $\\operatorname{Var}[w] = 1/n_\\text{in}$。它比 Xavier 早十年，也是只关心前向传播时 Xavier 退化成的样子。（有些库和教程把它叫作“Xavier”；其实不是：Xavier 取两个扇数的平均。）'),
          'lead',
        ),
        ...conditionsBlocks(cat, derivation, 2),
        { kind: 'heading', level: 2, text: t('SELU: an activation designed for a fixed point', 'SELU：为不动点设计的激活函数'), id: 'selu' },
        say(
          t(`The scaled exponential linear unit is $\\lambda x$ for $x > 0$ and $\\lambda\\alpha(e^x - 1)$ otherwise. Klambauer et al. chose $\\lambda \\approx ${fact(SELU_LAMBDA, 6)}$ and $\\alpha \\approx ${fact(SELU_ALPHA, 6)}$ as the unique pair for which a standard normal input comes out with mean 0 and second moment 1. With LeCun's $n\\operatorname{Var}[w] = 1$ the next pre-activation then again has mean 0 and variance 1: $(0, 1)$ is a fixed point of the map from one layer's moments to the next.`,
          `缩放指数线性单元在 $x > 0$ 时是 $\\lambda x$，否则是 $\\lambda\\alpha(e^x - 1)$。Klambauer 等人选择 $\\lambda \\approx ${fact(SELU_LAMBDA, 6)}$ 和 $\\alpha \\approx ${fact(SELU_ALPHA, 6)}$，这是唯一一对使标准正态输入的输出均值为 0、二阶矩为 1 的常数。配合 LeCun 的 $n\\operatorname{Var}[w] = 1$，下一层的预激活又是均值 0、方差 1：$(0, 1)$ 是从一层的矩到下一层的矩这个映射的不动点。`),
        ),
        {
          kind: 'table',
          header: [[text(t('moment at ', '矩，')), math('q = 1')], [text(t('value', '值'))]],
          align: ['left', 'right'],
          rows: [
            [[math('\\mathbb{E}[\\operatorname{selu}(z)]')], [text(formatNumber(Math.abs(gains.mean) < 1e-12 ? 0 : gains.mean))]],
            [[math('\\mathbb{E}[\\operatorname{selu}(z)^2]')], [text(formatNumber(gains.secondMoment))]],
            [[math('\\mathbb{E}[\\operatorname{selu}\'(z)^2]')], [text(formatNumber(gains.derivativeSecondMoment))]],
            [[text(t('variance-preserving gain', '保持方差的增益'))], [text(formatNumber(gains.forwardGain))]],
            [[text('PyTorch calculate_gain')], [text(gains.pytorchGain === null ? '—' : formatNumber(gains.pytorchGain))]],
          ],
        },
        say(
          t('The fixed point is attracting: the map $q \\mapsto \\mathbb{E}[\\operatorname{selu}(\\sqrt q\\, z)^2]$ crosses the diagonal at $q = 1$ with slope below one, so a variance that starts too large or too small is pulled back towards 1 layer after layer. This is the sense in which SELU networks "self-normalize".',
          '这个不动点是吸引的：映射 $q \\mapsto \\mathbb{E}[\\operatorname{selu}(\\sqrt q\\, z)^2]$ 在 $q = 1$ 处以小于一的斜率穿过对角线，所以开始时过大或过小的方差会逐层被拉回 1。这就是 SELU 网络“自归一化”的含义。'),
        ),
        {
          kind: 'figure',
          id: 'selu-map',
          spec: curvesSpec([...map, ...diagonal], { x: 'q (variance of the pre-activation)', y: 'next variance', series: 'curve' }, { width: 380, height: 220 }),
          caption: [text(t('The variance map of a LeCun-initialised SELU layer against the diagonal; they meet at the fixed point ', 'LeCun 初始化的 SELU 层的方差映射与对角线；二者相交于不动点 ')), math('q^* = 1'), text(t('.', '。'))],
          alt: 'SELU variance map and its fixed point',
        },
        say(
          t(`Note that the backward factor $\\mathbb{E}[\\operatorname{selu}'(z)^2] \\approx ${fact(gains.derivativeSecondMoment)}$ is slightly above one, so gradients grow slowly with depth even at the fixed point; PyTorch's gain of 3/4 for SELU, by its own documentation found empirically, is a different trade-off and not the variance-preserving one.`,
          `注意反向因子 $\\mathbb{E}[\\operatorname{selu}'(z)^2] \\approx ${fact(gains.derivativeSecondMoment)}$ 略大于一，所以即使在不动点上梯度也随深度缓慢增长；PyTorch 给 SELU 的增益 3/4 按其文档是经验得出的，是另一种权衡，而不是保持方差的增益。`),
        ),
        ...evidenceBlocks(cat, runs, { histograms: 'first', figurePrefix: 'selu-' }),
      ],
    };
  },
};
