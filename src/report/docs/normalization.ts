/**
 * Docs: normalization at initialization. layer_norm and rms_norm (src/layers/normalization.ts) reset
 * the forward second moment (exactly 1 when ε = 0) and divide the backward gradient by the scale
 * they removed. Every number comes from `propagate()` or the seeded Monte Carlo run.
 */
import { LAYER_NORM_DEFAULT_EPSILON } from '../../layers/layerNorm.js';
import { createEngine } from '../../symbolic/engine.js';
import { deriveNetworkSection } from '../../symbolic/networkSection.js';
import { propagate } from '../../symbolic/propagate.js';
import { resolveNetwork, type NetworkSpec } from '../../vocabulary/network.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { sectionBlocks } from '../sections/derivation.js';
import type { DocTopic } from './topic.js';

/** Width of the demo layers. */
export const NORMALIZATION_WIDTH = 64;
/** Second moments of the signal arriving at the normalization: vanished, at scale, exploded. */
export const NORMALIZATION_SCALES = [1e-4, 1, 1e4] as const;

/**
 * A LeCun dense layer whose output has second moment `scale` (its input has that variance), a
 * layer_norm, and a LeCun dense layer: site 0 is the signal, site 1 the normalized one.
 */
export function normalizedAt(scale: number, kind: 'layer_norm' | 'rms_norm' = 'layer_norm', epsilon = 0, width = NORMALIZATION_WIDTH): NetworkSpec {
  return {
    input: width,
    inputVariance: scale,
    layers: [{ kind: 'dense', width, init: 'lecun_normal' }, { kind, epsilon }, { kind: 'dense', width, init: 'lecun_normal' }],
  };
}

/** What propagate() says at the normalization: E[y²] after it, and E[(∂x)²]/E[(∂y)²] across it. */
export function normalizationFactors(spec: NetworkSpec): { forward: number; forwardExact: boolean; backwardFactor: number } {
  const [signal, norm] = propagate(resolveNetwork(spec)).sites;
  return { forward: norm.output.secondMoment, forwardExact: norm.output.exact, backwardFactor: signal.gradient.secondMoment / norm.gradient.secondMoment };
}

export const normalizationTopic: DocTopic = {
  slug: 'normalization',
  title: 'Normalization at initialization',
  summary: 'layer_norm and rms_norm reset the forward second moment to 1 (exactly when ε = 0) whatever the scale of the signal, and divide the gradient flowing back through them by that scale.',
  zh: {
    title: '初始化时的归一化',
    summary: 'layer_norm 与 rms_norm 无论信号的尺度如何都把前向二阶矩重置为 1（ε = 0 时精确），并把反向穿过它们的梯度除以这个尺度。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
    const n = NORMALIZATION_WIDTH;
    const section = deriveNetworkSection(resolveNetwork(normalizedAt(1e4)), createEngine());
    const predicted = NORMALIZATION_SCALES.map((scale) => ({ scale, ...normalizationFactors(normalizedAt(scale)) }));
    const eps = LAYER_NORM_DEFAULT_EPSILON;
    const tiny = 1e-6;
    const withEps = normalizationFactors(normalizedAt(tiny, 'layer_norm', eps));
    const rms = normalizationFactors(normalizedAt(1e4, 'rms_norm'));
    const runs = await Promise.all(NORMALIZATION_SCALES.map((scale) => check(normalizedAt(scale))));
    const measured = runs.map((report) => {
      const [signal, norm] = report.sites!;
      return { forward: norm.forward.estimate, backwardFactor: signal.backward.estimate / norm.backward.estimate };
    });
    const [vanished, , exploded] = predicted;
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Layer normalization (Ba, Kiros & Hinton, 2016) and RMSNorm (Zhang & Sennrich, 2019), at initialization: no learned gain or shift yet.', '层归一化（Ba、Kiros 与 Hinton，2016）和 RMSNorm（Zhang 与 Sennrich，2019）在初始化时的行为：尚无可学习的增益和偏移。'))],
      blocks: [
        say(
          t(
            'A normalization layer rescales every example by its own statistics over the $n$ units: $y = (x - c)/\\tilde\\sigma$ with $\\tilde\\sigma^2 = v + \\varepsilon$, where layer_norm takes $c$ the mean of $x$ over the units and $v$ their variance, and rms_norm takes $c = 0$ and $v$ the mean square. At initialization the learned gain is one and the shift zero, so that is the whole layer.',
            '归一化层用每个样本自身在 $n$ 个单元上的统计量对它重新缩放：$y = (x - c)/\\tilde\\sigma$，$\\tilde\\sigma^2 = v + \\varepsilon$，其中 layer_norm 取 $c$ 为 $x$ 在各单元上的均值、$v$ 为方差，rms_norm 取 $c = 0$、$v$ 为均方。初始化时可学习的增益为一、偏移为零，所以这就是整个层。',
          ),
          'lead',
        ),
        { kind: 'heading', level: 2, text: t('Forward: the scale is reset', '前向：尺度被重置'), id: 'forward' },
        say(
          t(
            `Per example, $\\sum_i y_i^2 = n\\,v/(v + \\varepsilon)$. With $\\varepsilon = 0$ that is exactly $n$: the normalized signal has second moment one whatever came in, vanished or exploded, at any width. With $\\varepsilon > 0$ it is $v/(v + \\varepsilon)$, which matters only for a signal that has already vanished: with PyTorch's default $\\varepsilon = ${fact(eps)}$ a signal of second moment ${fact(tiny)} leaves layer_norm at ${fact(withEps.forward)}, not one.`,
            `对每个样本，$\\sum_i y_i^2 = n\\,v/(v + \\varepsilon)$。$\\varepsilon = 0$ 时它恰好是 $n$：无论输入已经消失还是爆炸，归一化后的信号二阶矩都是一，且在任意宽度下成立。$\\varepsilon > 0$ 时它是 $v/(v + \\varepsilon)$，只有对已经消失的信号才有影响：用 PyTorch 的默认值 $\\varepsilon = ${fact(eps)}$ 时，二阶矩为 ${fact(tiny)} 的信号离开 layer_norm 时是 ${fact(withEps.forward)}，而不是一。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Backward: the gradient is divided by the scale', '反向：梯度被除以尺度'), id: 'backward' },
        say(
          t(
            'The Jacobian is $J = (C - y\\,y^\\top/n)/\\tilde\\sigma$, with $C = I - \\mathbf{1}\\mathbf{1}^\\top/n$ for layer_norm and $C = I$ for rms_norm. For an isotropic upstream gradient, per unit and with $r = \\bar v/(\\bar v + \\varepsilon)$,',
            '雅可比矩阵是 $J = (C - y\\,y^\\top/n)/\\tilde\\sigma$，layer_norm 取 $C = I - \\mathbf{1}\\mathbf{1}^\\top/n$，rms_norm 取 $C = I$。对各向同性的上游梯度，逐单元并记 $r = \\bar v/(\\bar v + \\varepsilon)$，',
          ),
        ),
        { kind: 'math', latex: '\\mathbb{E}[(\\partial x)^2] = \\frac{(n - 1 - 2r + r^2)\\,c}{n\\,(\\bar v + \\varepsilon)}\\,\\mathbb{E}[(\\partial y)^2] \\quad\\text{(layer\\_norm; } n \\text{ in place of } n - 1 \\text{ for rms\\_norm)},' },
        say(
          t(
            'where $c = 1 + 2\\bar v^2/(n\'(\\bar v + \\varepsilon)^2)$ corrects $1/\\mathbb{E}[v]$ to $\\mathbb{E}[1/v]$ to second order ($v$ a mean of $n\' = n - 1$ squares). The factor is essentially $1/\\bar v$: the normalization divides the gradient by the second moment it took away. Here is the derivation for a signal of second moment $10^4$ (a LeCun layer fed an input of that variance), a layer_norm with $\\varepsilon = 0$ and a LeCun layer, every factor as `propagate()` composed and checked it:',
            '其中 $c = 1 + 2\\bar v^2/(n\'(\\bar v + \\varepsilon)^2)$ 把 $1/\\mathbb{E}[v]$ 修正为二阶精度的 $\\mathbb{E}[1/v]$（$v$ 是 $n\' = n - 1$ 个平方的均值）。这个因子本质上就是 $1/\\bar v$：归一化把梯度除以它拿走的二阶矩。下面是对二阶矩为 $10^4$ 的信号（一个输入方差为 $10^4$ 的 LeCun 层）、$\\varepsilon = 0$ 的 layer_norm 和一个 LeCun 层的推导，每个因子都是 `propagate()` 组合并检验过的：',
          ),
        ),
        ...sectionBlocks(cat, section, { next: 1 }, 3),
        say(
          t(
            `So a normalization hides a vanishing or exploding forward signal from the layers above it, but not from the gradient: below an exploded signal (second moment ${fact(exploded.scale)}) the gradient shrinks by ${fact(exploded.backwardFactor)}, below a vanished one (${fact(vanished.scale)}) it grows by ${fact(vanished.backwardFactor)}. The weights that produced the signal then learn at a rate set by the scale they produced. rms_norm behaves the same: at second moment ${fact(exploded.scale)} its factor is ${fact(rms.backwardFactor)}.`,
            `所以归一化对上面的层隐藏了消失或爆炸的前向信号，却瞒不过梯度：在爆炸的信号（二阶矩 ${fact(exploded.scale)}）下面，梯度缩小为 ${fact(exploded.backwardFactor)} 倍；在消失的信号（${fact(vanished.scale)}）下面，梯度放大 ${fact(vanished.backwardFactor)} 倍。产生该信号的权重的学习速度因而由它们产生的尺度决定。rms_norm 的行为相同：二阶矩为 ${fact(exploded.scale)} 时它的因子是 ${fact(rms.backwardFactor)}。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Monte Carlo evidence', '蒙特卡洛证据'), id: 'evidence' },
        say(
          t(
            `Three networks of width ${n}: a LeCun layer whose output has second moment $s$, a layer_norm with $\\varepsilon = 0$, a LeCun layer; run forward and backward by the seeded Monte Carlo engine. The forward column is $\\mathbb{E}[y^2]$ after the normalization, the backward column the ratio $\\mathbb{E}[(\\partial x)^2]/\\mathbb{E}[(\\partial y)^2]$ of the gradient below it to the gradient above it.`,
            `三个宽度为 ${n} 的网络：一个输出二阶矩为 $s$ 的 LeCun 层、一个 $\\varepsilon = 0$ 的 layer_norm、一个 LeCun 层；由带种子的蒙特卡洛引擎做前向和反向传播。前向一列是归一化之后的 $\\mathbb{E}[y^2]$，反向一列是其下方梯度与上方梯度之比 $\\mathbb{E}[(\\partial x)^2]/\\mathbb{E}[(\\partial y)^2]$。`,
          ),
        ),
        {
          kind: 'table',
          header: [[math('s')], [text(t('forward predicted', '前向预测'))], [text(t('forward measured', '前向测量'))], [text(t('backward factor predicted', '反向因子预测'))], [text(t('backward factor measured', '反向因子测量'))]],
          align: ['right', 'right', 'right', 'right', 'right'],
          rows: predicted.map((p, i) => [
            [text(formatNumber(p.scale))],
            [text(`${formatNumber(p.forward)}${p.forwardExact ? t(' (exact)', '（精确）') : ''}`)],
            [text(formatNumber(measured[i].forward))],
            [text(formatNumber(p.backwardFactor))],
            [text(formatNumber(measured[i].backwardFactor))],
          ]),
        },
        say(
          t(
            `The forward second moment after the normalization is ${fact(measured[0].forward)}, ${fact(measured[1].forward)} and ${fact(measured[2].forward)} for the three scales: one up to the rounding of the arithmetic, as the exact prediction says. The gradient below it is ${fact(measured[2].backwardFactor)} times the gradient above it for the exploded signal and ${fact(measured[0].backwardFactor)} times for the vanished one. \`varprop derive --spec examples/normalized.json\` shows the same factors in a deeper network, where relu layers with LeCun's variance halve the signal twice before each layer_norm restores it, and multiply the gradient by the inverse on its way down.`,
            `三种尺度下归一化之后的前向二阶矩分别是 ${fact(measured[0].forward)}、${fact(measured[1].forward)} 和 ${fact(measured[2].forward)}：在算术舍入范围内为一，正如精确预测所说。对爆炸的信号，其下方梯度是上方梯度的 ${fact(measured[2].backwardFactor)} 倍，对消失的信号是 ${fact(measured[0].backwardFactor)} 倍。\`varprop derive --spec examples/normalized.json\` 在更深的网络中给出同样的因子：用 LeCun 方差的 relu 层在每个 layer_norm 之前把信号减半两次，layer_norm 再把它恢复，并在反向时把梯度乘以其倒数。`,
          ),
        ),
      ],
    };
  },
};
