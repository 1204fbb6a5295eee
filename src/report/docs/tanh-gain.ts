/** Docs: where tanh's gain 5/3 comes from, and the variance-preserving gain 1.5925. */
import { curvesSpec } from '../../charts/curves.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { criticalPoint, lengthFixedPoint } from '../../theory/criticality.js';
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

/** The bias variance of Schoenholz et al. 2017, fig. 1, at which the docs quote the critical σ_w². */
const BIAS_EXAMPLE = 0.05;

const CANDIDATE_NAMES_ZH: Record<string, string> = {
  'none (Xavier / LeCun)': '无（Xavier / LeCun）',
  'gradient-preserving': '保持梯度',
  'variance-preserving': '保持方差',
  'PyTorch calculate_gain': 'PyTorch calculate_gain',
};

export const tanhGainTopic: DocTopic = {
  slug: 'tanh-gain',
  title: 'Where tanh\'s gain 5/3 comes from, and the variance-preserving gain',
  get summary(): string {
    const g = computeGains(resolveActivation('tanh'));
    return `PyTorch's calculate_gain('tanh') = 5/3 has no derivation; the gain that keeps E[h²] = 1 is ${formatNumber(g.forwardGain)}, and the one that keeps gradients at q = 1 is ${formatNumber(g.backwardGain)}.`;
  },
  get zh(): { title: string; summary: string } {
    const g = computeGains(resolveActivation('tanh'));
    return {
      title: 'tanh 的增益 5/3 从何而来，以及保持方差的增益',
      summary: `PyTorch 的 calculate_gain('tanh') = 5/3 没有推导；保持 E[h²] = 1 的增益是 ${formatNumber(g.forwardGain)}，在 q = 1 处保持梯度的增益是 ${formatNumber(g.backwardGain)}。`,
    };
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
    const tanh = resolveActivation('tanh');
    const g = computeGains(tanh);
    const m2 = (q: number) => tanh.moments(q).secondMoment;
    const candidates = tanhGainCandidates();
    const [none, gradient, , pytorch] = candidates;
    const critical = criticalPoint(tanh, BIAS_EXAMPLE);
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
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('A gain g scales the weights to Var[w] = g²/n. Which g keeps a tanh network\'s signal at scale?', '增益 g 把权重缩放为 Var[w] = g²/n。哪个 g 能让 tanh 网络的信号保持尺度？') }],
      blocks: [
        say(
          t('Xavier\'s derivation treats tanh as the identity, because $\\tanh(x) \\approx x$ near zero. But a pre-activation with variance 1 is not near zero: $\\tanh$ squashes its tails, and the second moment that comes out is smaller than the one that went in. A gain $g$, with $\\operatorname{Var}[w] = g^2/n$, makes up for the loss. PyTorch\'s `torch.nn.init.calculate_gain(\'tanh\')` returns $5/3$; its source gives no derivation for the number.',
          'Xavier 的推导把 tanh 当作恒等映射，因为零附近 $\\tanh(x) \\approx x$。但方差为 1 的预激活并不在零附近：$\\tanh$ 压扁它的尾部，输出的二阶矩比输入的小。增益 $g$（$\\operatorname{Var}[w] = g^2/n$）弥补这一损失。PyTorch 的 `torch.nn.init.calculate_gain(\'tanh\')` 返回 $5/3$；其源代码没有给出这个数的推导。'),
          'lead',
        ),
        say(
          t('The mean-field view gives a derivation. With $\\operatorname{Var}[w] = g^2/n$ and a wide layer, the pre-activation is Gaussian, and its variance $q$ maps to $q\' = g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]$, $z \\sim \\mathcal{N}(0, 1)$. The gain that keeps $q = 1$ fixed is therefore $g = 1/\\sqrt{\\mathbb{E}[\\tanh(z)^2]}$; the gain that keeps the gradient\'s second moment fixed is $1/\\sqrt{\\mathbb{E}[\\tanh\'(z)^2]}$. The vocabulary computes both by quadrature:',
          '平均场观点给出一个推导。取 $\\operatorname{Var}[w] = g^2/n$ 且层很宽时，预激活是高斯的，其方差 $q$ 映射为 $q\' = g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]$，$z \\sim \\mathcal{N}(0, 1)$。因此保持 $q = 1$ 不变的增益是 $g = 1/\\sqrt{\\mathbb{E}[\\tanh(z)^2]}$；保持梯度二阶矩不变的增益是 $1/\\sqrt{\\mathbb{E}[\\tanh\'(z)^2]}$。词汇表用求积计算两者：'),
        ),
        {
          kind: 'table',
          header: [[text(t('gain', '增益'))], [math('g')], [text(t('fixed point ', '不动点 ')), math('q^*')], [math('\\chi_1'), text(t(' at ', '，在 ')), math('q^*')]],
          align: ['left', 'right', 'right', 'right'],
          rows: candidates.map((c) => [[text(t(c.name, CANDIDATE_NAMES_ZH[c.name] ?? c.name))], [text(formatNumber(c.gain))], [text(formatNumber(c.qStar))], [text(formatNumber(c.chi1))]]),
        },
        say(
          t(`With $\\mathbb{E}[\\tanh(z)^2] \\approx ${fact(g.secondMoment)}$ the variance-preserving gain is ${fact(g.forwardGain)}, and with $\\mathbb{E}[\\tanh'(z)^2] \\approx ${fact(g.derivativeSecondMoment)}$ the gradient-preserving gain is ${fact(g.backwardGain)}. Both are computed at $q = 1$. A deep network does not stay at $q = 1$: the variance moves to the fixed point $q^*$ of its gain, and there each layer multiplies the gradient's second moment by $\\chi_1 = g^2\\,\\mathbb{E}[\\tanh'(\\sqrt{q^*}\\,z)^2]$ (the last column).`,
          `由 $\\mathbb{E}[\\tanh(z)^2] \\approx ${fact(g.secondMoment)}$ 得保持方差的增益为 ${fact(g.forwardGain)}，由 $\\mathbb{E}[\\tanh'(z)^2] \\approx ${fact(g.derivativeSecondMoment)}$ 得保持梯度的增益为 ${fact(g.backwardGain)}。两者都是在 $q = 1$ 处计算的。深层网络并不停留在 $q = 1$：方差会移到其增益对应的不动点 $q^*$，在那里每层把梯度的二阶矩乘以 $\\chi_1 = g^2\\,\\mathbb{E}[\\tanh'(\\sqrt{q^*}\\,z)^2]$（最后一列）。`),
        ),
        say(
          t(`PyTorch's $5/3 \\approx ${fact(pytorch.gain)}$ is above both: it settles at $q^* = ${fact(pytorch.qStar)}$, where $\\chi_1 = ${fact(pytorch.chi1)}$, so its gradients ${direction(pytorch.chi1)} going backward, by that factor per layer. The gradient-preserving gain does not preserve gradients at its own fixed point either: it settles at $q^* = ${fact(gradient.qStar)}$, where $\\chi_1 = ${fact(gradient.chi1)}$. Without a bias, every gain above 1 has $\\chi_1 > 1$ at its fixed point (the order-to-chaos line of tanh starts at $\\sigma_w^2 = 1$, see \`varprop signal --act tanh --critical\`), so no gain keeps both the forward variance and the gradients exactly level over many layers. Without any gain the only fixed point is $q^* = ${fact(none.qStar)}$, with $\\chi_1 = ${fact(none.chi1)}$ there: the signal of a deep tanh network with Xavier's variance slowly decays towards zero. A bias moves the line: at $\\sigma_b^2 = ${fact(BIAS_EXAMPLE)}$ the critical weight variance is $\\sigma_w^2 = ${fact(critical.criticalWeightVar, 7)}$, with $q^* = ${fact(critical.qStar)}$ (Schoenholz et al. 2017, fig. 1; solved to $10^{-8}$ by \`varprop signal --act tanh --critical --bias-var ${fact(BIAS_EXAMPLE)}\`).`,
          `PyTorch 的 $5/3 \\approx ${fact(pytorch.gain)}$ 高于两者：它稳定在 $q^* = ${fact(pytorch.qStar)}$，那里 $\\chi_1 = ${fact(pytorch.chi1)}$，所以它的梯度在反向传播中${pytorch.chi1 > 1 ? '增长' : '缩小'}，每层乘以这个因子。保持梯度的增益在它自己的不动点上也不保持梯度：它稳定在 $q^* = ${fact(gradient.qStar)}$，那里 $\\chi_1 = ${fact(gradient.chi1)}$。没有偏置时，任何大于 1 的增益在其不动点上都有 $\\chi_1 > 1$（tanh 的有序—混沌分界线从 $\\sigma_w^2 = 1$ 开始，见 \`varprop signal --act tanh --critical\`），所以没有哪个增益能让前向方差和梯度在许多层上都精确保持不变。没有增益时唯一的不动点是 $q^* = ${fact(none.qStar)}$，那里 $\\chi_1 = ${fact(none.chi1)}$：用 Xavier 方差的深层 tanh 网络的信号缓慢衰减到零。偏置会移动这条线：在 $\\sigma_b^2 = ${fact(BIAS_EXAMPLE)}$ 时临界权重方差为 $\\sigma_w^2 = ${fact(critical.criticalWeightVar, 7)}$，$q^* = ${fact(critical.qStar)}$（Schoenholz 等 2017，图 1；由 \`varprop signal --act tanh --critical --bias-var ${fact(BIAS_EXAMPLE)}\` 解到 $10^{-8}$）。`),
        ),
        {
          kind: 'figure',
          id: 'tanh-qmap',
          spec: curvesSpec(curves, { x: 'q (variance in)', y: 'variance out', series: 'map' }, { width: 400, height: 230 }),
          caption: [text(t('The variance map ', '方差映射 ')), math("q \\mapsto g^2\\,\\mathbb{E}[\\tanh(\\sqrt{q}\\,z)^2]"), text(t(' for the three gains; where a curve crosses the diagonal is its fixed point.', '，三个增益各一条；曲线与对角线的交点就是不动点。'))],
          alt: 'Variance maps of tanh layers with different gains',
        },
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'tanh-' }),
        say(
          t('Ten tanh layers of width 128. The first layer sees the raw input of variance 1, so its pre-activation variance is $g^2$; from there the variance map pulls it towards the fixed point of each gain, and the mean-field prediction follows the measurements layer by layer.',
          '十个宽度为 128 的 tanh 层。第一层看到方差为 1 的原始输入，所以它的预激活方差是 $g^2$；此后方差映射把它拉向各增益的不动点，平均场预测逐层跟随测量值。'),
        ),
      ],
    };
  },
};
