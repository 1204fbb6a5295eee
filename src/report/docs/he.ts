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
  zh: {
    title: 'relu 与 leaky relu 的 He 初始化',
    summary: 'relu 保留一半的二阶矩，所以保持方差的权重方差加倍：Var[w] = 2/n_in，leaky relu 则为 2/((1 + a²) n_in)。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
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
    // Enough significant digits that formatNumber never falls into toPrecision's e-notation (2880 → "2.88e+3").
    const digits = (x: number): number => Math.max(3, Math.floor(Math.log10(Math.abs(x))) + 1);
    const xavier = forward(1);
    const xavierRatio = (xavier[xavier.length - 1] / xavier[0]) ** (1 / (xavier.length - 1));
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('Delving deep into rectifiers (He, Zhang, Ren & Sun, 2015): what changes in the Xavier argument when the activation is a rectifier.', '《Delving deep into rectifiers》（He、Zhang、Ren 与 Sun，2015）：激活函数是整流函数时，Xavier 的论证有什么变化。') }],
      blocks: [
        say(
          t('Xavier\'s derivation assumes the activation behaves like the identity near zero: a zero-mean input with variance $q$ comes out with second moment $q$. A relu throws away the negative half of its input, so a symmetric input with variance $q$ comes out with second moment $q/2$. Every layer therefore halves the signal, and a thirty-layer relu network initialised with Xavier\'s variance ends with a variance of about $2^{-30}$ of its input.',
          'Xavier 的推导假设激活函数在零附近像恒等映射：方差为 $q$ 的零均值输入，输出的二阶矩也是 $q$。relu 丢掉输入的负半部分，所以方差为 $q$ 的对称输入输出的二阶矩是 $q/2$。因此每层都把信号减半，用 Xavier 方差初始化的三十层 relu 网络最后的方差约为输入的 $2^{-30}$。'),
          'lead',
        ),
        say(
          t('The fix keeps the same chain of equalities and changes one substitution: where the zero-mean derivation puts $\\mathbb{E}[x^2] = \\gamma^2$, a relu input has $\\mathbb{E}[x^2] = \\tfrac12 \\operatorname{Var}[h]$. Here is the forward pass, with the place where the assumption fails marked at the step.',
          '修正保留同一串等式，只改一处代入：零均值推导写 $\\mathbb{E}[x^2] = \\gamma^2$ 的地方，relu 的输入有 $\\mathbb{E}[x^2] = \\tfrac12 \\operatorname{Var}[h]$。下面是前向传播，假设失效之处在该步标出。'),
        ),
        ...(forwardSection ? sectionBlocks(cat, forwardSection, counter, 2) : []),
        ...conditionsBlocks(cat, derivation, 2),
        say(
          t('The row labelled He solves $\\tfrac12 n_\\text{in}\\sigma^2 = 1$. Because relu is positively homogeneous, $\\phi(cx) = c\\,\\phi(x)$ for $c > 0$, the factor $\\tfrac12$ is exact at every width and every input variance: there is no mean-field approximation in this case, and the Monte Carlo check below tests the exact prediction.',
          '标为 He 的一行解 $\\tfrac12 n_\\text{in}\\sigma^2 = 1$。因为 relu 是正齐次的，即对 $c > 0$ 有 $\\phi(cx) = c\\,\\phi(x)$，因子 $\\tfrac12$ 在任意宽度和任意输入方差下都精确成立：这里没有平均场近似，下面的蒙特卡洛检验检验的是精确预测。'),
        ),
        { kind: 'heading', level: 2, text: 'Leaky relu', id: 'leaky-relu' },
        say(
          t('A leaky relu with negative slope $a$ keeps the positive half and scales the negative half by $a$, so its second moment is $\\tfrac12(1 + a^2)\\,q$ and the variance-preserving gain is $\\sqrt{2/(1+a^2)}$. This is exactly PyTorch\'s `calculate_gain(\'leaky_relu\', a)`; the vocabulary computes it from the Gaussian moments of each activation:',
          '负斜率为 $a$ 的 leaky relu 保留正半部分、把负半部分乘以 $a$，所以它的二阶矩是 $\\tfrac12(1 + a^2)\\,q$，保持方差的增益是 $\\sqrt{2/(1+a^2)}$。这正是 PyTorch 的 `calculate_gain(\'leaky_relu\', a)`；词汇表由每个激活函数的高斯矩计算它：'),
        ),
        {
          kind: 'table',
          header: [[text(t('activation', '激活函数'))], [text(t('slope ', '斜率 ')), math('a')], [math('\\mathbb{E}[\\phi(z)^2]')], [text(t('gain ', '增益 ')), math('1/\\sqrt{\\mathbb{E}[\\phi(z)^2]}')], [text(t('PyTorch gain', 'PyTorch 增益'))]],
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
          t('He et al. also show that the backward condition gives $\\tfrac12 n_\\text{out}\\sigma^2 = 1$, and that either choice is fine in practice: with equal widths they coincide, and otherwise the product of the ratios of consecutive widths telescopes to a modest constant instead of a power of the depth. PyTorch\'s `mode=\'fan_in\'` and `mode=\'fan_out\'` select between them.',
          'He 等人还表明反向条件给出 $\\tfrac12 n_\\text{out}\\sigma^2 = 1$，而且两种选择在实践中都可以：宽度相等时二者一致，否则相邻宽度之比的乘积会逐项相消，只剩一个不大的常数，而不是深度的幂。PyTorch 的 `mode=\'fan_in\'` 和 `mode=\'fan_out\'` 在两者之间选择。'),
        ),
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'he-' }),
        say(
          t(`A ten-layer relu network of width 128 with input variance $\\gamma^2 = 1$. With He's variance the first layer, which sees the raw input rather than a relu output, doubles it: $\\mathbb{E}[h_1^2] = 2\\gamma^2$ (measured ${fact(he[0], 3)}). From there every layer keeps it, and the forward second moment stays at $2\\gamma^2$ layer after layer, in expectation and at any width (at layer ${he.length} the replicate networks measure ${fact(heLast.estimate, digits(heLast.estimate))}, with the interval [${fact(heLast.ciLow, 3)}, ${fact(heLast.ciHigh, digits(heLast.ciHigh))}], which ${covers ? 'contains' : 'misses'} 2: between networks of a deep, narrow relu stack the second moment spreads widely). With Xavier's it is multiplied by about ${fact(xavierRatio, 3)} at every layer, a halving, exactly as predicted.`,
          `一个宽度为 128 的十层 relu 网络，输入方差 $\\gamma^2 = 1$。用 He 的方差时，第一层看到的是原始输入而不是 relu 的输出，它把二阶矩加倍：$\\mathbb{E}[h_1^2] = 2\\gamma^2$（测得 ${fact(he[0], 3)}）。此后每层都保持它，前向二阶矩逐层停留在 $2\\gamma^2$，这在期望意义下、在任意宽度下都成立（第 ${he.length} 层各个重复网络测得 ${fact(heLast.estimate, digits(heLast.estimate))}，区间为 [${fact(heLast.ciLow, 3)}, ${fact(heLast.ciHigh, digits(heLast.ciHigh))}]，${covers ? '包含' : '不包含'} 2：深而窄的 relu 网络之间二阶矩差别很大）。用 Xavier 的方差时，它每层乘以约 ${fact(xavierRatio, 3)}，即减半，与预测完全一致。`),
        ),
      ],
    };
  },
};
