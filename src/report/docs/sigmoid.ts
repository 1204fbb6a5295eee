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
  zh: {
    title: '为什么 sigmoid 破坏了零均值假设',
    summary: 'sigmoid 的均值是 ½，所以下一层的 E[x²] ≠ Var[x]；而 σ′ ≤ ¼ 使梯度消失。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
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
    const measuredLoss = (layers[layers.length - 1].backward.estimate / layers[0].backward.estimate) ** (1 / (layers.length - 1));
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('Dive into Deep Learning opens its chapter on numerical stability with the sigmoid; here is what goes wrong, in formulas.', '《动手学深度学习》的数值稳定性一章从 sigmoid 讲起；这里用公式说明哪里出了问题。') }],
      blocks: [
        say(
          t('Every step of the Xavier derivation that removes a cross term uses a zero mean: $\\mathbb{E}[w_{ij} x_j] = \\mathbb{E}[w_{ij}]\\,\\mathbb{E}[x_j] = 0$, and $\\operatorname{Var}[w x] = \\mathbb{E}[w^2]\\,\\mathbb{E}[x^2]$ becomes $\\sigma^2\\gamma^2$ only because $\\mathbb{E}[x^2] = \\operatorname{Var}[x]$ when $\\mathbb{E}[x] = 0$. The input of the second layer is the output of the first activation. For tanh it has mean zero. For the sigmoid it does not.',
          'Xavier 推导中每一步去掉交叉项时都用到零均值：$\\mathbb{E}[w_{ij} x_j] = \\mathbb{E}[w_{ij}]\\,\\mathbb{E}[x_j] = 0$；而 $\\operatorname{Var}[w x] = \\mathbb{E}[w^2]\\,\\mathbb{E}[x^2]$ 之所以变成 $\\sigma^2\\gamma^2$，只是因为 $\\mathbb{E}[x] = 0$ 时 $\\mathbb{E}[x^2] = \\operatorname{Var}[x]$。第二层的输入是第一个激活函数的输出。对 tanh 它均值为零；对 sigmoid 则不是。'),
          'lead',
        ),
        {
          kind: 'table',
          header: [[text(t('for ', '对 ')), math('z \\sim \\mathcal{N}(0, 1)')], [text(t('value', '值'))]],
          align: ['left', 'right'],
          rows: [
            [[math('\\mathbb{E}[\\sigma(z)]')], [text(formatNumber(g.mean))]],
            [[math('\\mathbb{E}[\\sigma(z)^2]')], [text(formatNumber(g.secondMoment))]],
            [[math('\\operatorname{Var}[\\sigma(z)]')], [text(formatNumber(variance))]],
            [[math('\\mathbb{E}[\\sigma\'(z)^2]')], [text(formatNumber(g.derivativeSecondMoment))]],
          ],
        },
        say(
          t(`So the second moment that the next layer sees, ${fact(g.secondMoment)}, is dominated by the squared mean ${fact(g.mean * g.mean)}, not by the variance ${fact(variance)}. The weights still have mean zero, so the next pre-activation is still centred; but its variance is $n_\\text{in}\\sigma^2\\,\\mathbb{E}[x^2]$, not $n_\\text{in}\\sigma^2\\operatorname{Var}[x]$. The symbolic engine derives the general case:`,
          `所以下一层看到的二阶矩 ${fact(g.secondMoment)} 主要来自均值的平方 ${fact(g.mean * g.mean)}，而不是方差 ${fact(variance)}。权重仍然均值为零，所以下一层的预激活仍然居中；但它的方差是 $n_\\text{in}\\sigma^2\\,\\mathbb{E}[x^2]$，而不是 $n_\\text{in}\\sigma^2\\operatorname{Var}[x]$。符号引擎推导一般情形：`),
        ),
        ...(nonZero ? sectionBlocks(cat, nonZero, counter, 2) : []),
        { kind: 'heading', level: 2, text: t('The gradient', '梯度'), id: 'gradient' },
        say(
          t(`The backward pass multiplies by $\\sigma'(h) = \\sigma(h)(1 - \\sigma(h))$ at every layer, and $\\sigma'$ is at most $1/4$, reached at $h = 0$. Each sigmoid layer multiplies the gradient's second moment by $n\\sigma^2\\,\\mathbb{E}[\\sigma'(h)^2]$, and $\\mathbb{E}[\\sigma'(h)^2] < 1/16$. With $n\\sigma^2 \\le 1$ (Xavier, LeCun) a deep sigmoid network therefore loses more than a factor of 16 per layer going backward. A larger weight variance helps only partly: with the exact variance-preserving gain ${fact(g.forwardGain)} ($n\\sigma^2 = ${fact(g.forwardGain ** 2)}$, keeping $q = 1$) the factor at $q = 1$ is ${fact(g.forwardGain ** 2)} × ${fact(g.derivativeSecondMoment)}, still a loss of about ${fact(preservingLoss, 2)}× per layer.`,
          `反向传播在每一层乘以 $\\sigma'(h) = \\sigma(h)(1 - \\sigma(h))$，而 $\\sigma'$ 至多为 $1/4$，在 $h = 0$ 处取到。每个 sigmoid 层把梯度的二阶矩乘以 $n\\sigma^2\\,\\mathbb{E}[\\sigma'(h)^2]$，且 $\\mathbb{E}[\\sigma'(h)^2] < 1/16$。当 $n\\sigma^2 \\le 1$ 时（Xavier、LeCun），深层 sigmoid 网络在反向传播中每层损失超过 16 倍。更大的权重方差只能部分补救：用精确的保持方差增益 ${fact(g.forwardGain)}（$n\\sigma^2 = ${fact(g.forwardGain ** 2)}$，保持 $q = 1$）时，$q = 1$ 处的因子是 ${fact(g.forwardGain ** 2)} × ${fact(g.derivativeSecondMoment)}，每层仍损失约 ${fact(preservingLoss, 2)} 倍。`),
        ),
        {
          kind: 'figure',
          id: 'sigmoid-curves',
          spec: curvesSpec(
            [...sampleCurve((x) => sigmoid.phi(x), -8, 8, 161, 'σ(x)'), ...sampleCurve((x) => sigmoid.derivative(x), -8, 8, 161, 'σ′(x)')],
            { x: 'x', y: 'value', series: 'function' },
            { seriesOrder: ['σ(x)', 'σ′(x)'] },
          ),
          caption: [text(t('The sigmoid and its gradient over ', 'sigmoid 及其梯度，区间 ')), math('[-8, 8]'), text(t(': the gradient is small everywhere and vanishes for large inputs.', '：梯度处处都小，输入很大时趋于零。'))],
          alt: 'Sigmoid and its gradient',
        },
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'sigmoid-' }),
        say(
          t(`An eight-layer sigmoid network of width 128 with Xavier's variance: the measured backward second moment falls by a factor of about ${fact(measuredLoss, 3)} per layer towards the input, as the mean-field prediction (which accounts for the non-zero mean) says. This is why the sigmoid gave way to tanh and then to relu in deep networks, and why the sigmoid survives mainly as a gate or an output.`,
          `一个宽度为 128、用 Xavier 方差的八层 sigmoid 网络：测得的反向二阶矩朝输入方向每层下降约 ${fact(measuredLoss, 3)} 倍，与（考虑了非零均值的）平均场预测一致。这就是为什么深度网络中 sigmoid 让位于 tanh、再让位于 relu，而 sigmoid 主要作为门控或输出留存下来。`),
        ),
      ],
    };
  },
};
