/**
 * Docs: residual scaling. x ↦ β·x + α·f(x) adds second moments instead of multiplying them; for a
 * relu branch with He then LeCun init, E‖x_{l+1}‖² = (β² + α²)·E‖x_l‖² exactly (src/layers/residual.ts),
 * so α = 1/√L keeps L blocks within a factor e. Every number comes from `propagate()` or the
 * seeded Monte Carlo run.
 */
import { createEngine } from '../../symbolic/engine.js';
import { deriveNetworkSection } from '../../symbolic/networkSection.js';
import { propagate } from '../../symbolic/propagate.js';
import type { NetworkSpec } from '../../vocabulary/network.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { sectionBlocks } from '../sections/derivation.js';
import type { DocTopic } from './topic.js';

/** Blocks of the deep towers (the prose's L). */
export const RESIDUAL_DEPTH = 100;
/** Width of every layer: small, so that the Monte Carlo of 2·L + 1 dense layers runs in seconds. */
export const RESIDUAL_WIDTH = 64;
/** The blocks whose output the evidence table shows. */
export const RESIDUAL_SHOWN_BLOCKS = [1, 10, 50, 100] as const;

/** A relu branch, He then LeCun: E[f(x)²] = E[x²] exactly. */
function branch(width: number) {
  return [
    { kind: 'dense', width, init: 'he_normal' },
    { kind: 'activation', activation: 'relu' },
    { kind: 'dense', width, init: 'lecun_normal' },
  ];
}

/**
 * A LeCun input layer and `blocks` residual blocks x ↦ β·x + α·f(x). The blocks are written out, not
 * as a `repeat` node: the same network either way, and every block a top-level site (path `b`).
 */
export function residualTower(blocks: number, alpha: number, beta = 1, width = RESIDUAL_WIDTH): NetworkSpec {
  return {
    input: width,
    layers: [{ kind: 'dense', width, init: 'lecun_normal' }, ...Array.from({ length: blocks }, () => ({ kind: 'residual', alpha, beta, branch: branch(width) }))],
  };
}

/** A plain relu net of `depth` dense layers (no skips), one init for all. */
export function plainTower(depth: number, init: string, width = RESIDUAL_WIDTH): NetworkSpec {
  return { widths: new Array(depth + 1).fill(width), activation: 'relu', init };
}

/** E[x²] after each residual block, as `propagate()` composes it (index b − 1 for block b). */
export function residualSecondMoments(spec: NetworkSpec): number[] {
  return propagate(resolveNetwork(spec)).sites.filter((s) => s.kind === 'residual').map((s) => s.output.secondMoment);
}

/** The numbers the page states, computed by the engine (the test recomputes them from here). */
export function residualFacts() {
  const L = RESIDUAL_DEPTH;
  const scaled = 1 / Math.sqrt(L);
  const plainResidual = residualSecondMoments(residualTower(L, 1));
  const scaledResidual = residualSecondMoments(residualTower(L, scaled));
  const plain = (init: string) => {
    const propagation = propagate(resolveNetwork(plainTower(L, init)));
    const dense = propagation.sites.filter((s) => s.kind === 'dense');
    return { last: dense[dense.length - 1].output.secondMoment, firstGradient: propagation.sites[0].gradient.secondMoment };
  };
  return {
    L,
    scaled,
    plainResidualLast: plainResidual[L - 1],
    scaledResidualLast: scaledResidual[L - 1],
    /** The limit (1 + 1/L)^L → e of the scaled tower. */
    e: Math.E,
    lecun: plain('lecun_normal'),
    he: plain('he_normal'),
    /** Plain relu net whose weight variance is 10% above He's: (1.1)^L. */
    heTooLarge: plain('variance_scaling(scale=2.2, mode=fan_in, distribution=truncated_normal)'),
  };
}

export const residualTopic: DocTopic = {
  slug: 'residual',
  title: 'Residual scaling: why α = 1/√L keeps a hundred blocks stable',
  summary: 'A residual block x ↦ β·x + α·f(x) adds second moments: E‖x_{l+1}‖² = (β² + α²)·E‖x_l‖², exactly for a relu branch (He, then LeCun); α = 1/√L keeps L blocks within a factor e.',
  zh: {
    title: '残差缩放：为什么 α = 1/√L 能让一百个块保持稳定',
    summary: '残差块 x ↦ β·x + α·f(x) 把二阶矩相加：E‖x_{l+1}‖² = (β² + α²)·E‖x_l‖²，对 relu 分支（先 He 后 LeCun）精确成立；α = 1/√L 使 L 个块的总变化不超过因子 e。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
    const f = residualFacts();
    const L = f.L;
    // The per-layer factor of the too-large He variance (1.1), read back from the two propagations.
    const tooLarge = (f.heTooLarge.last / f.he.last) ** (1 / L);
    // The derivation: one block, α = 1/2, β = 1, as propagate() composes it, every factor checked.
    const alphaShown = 0.5;
    const small = resolveNetwork(residualTower(1, alphaShown, 1));
    const section = deriveNetworkSection(small, createEngine());
    const blockFactor = 1 + alphaShown ** 2;
    // Monte Carlo: the same two towers of L blocks (2L + 1 dense layers of width 64).
    const runs = [
      { alpha: 1, report: await check(residualTower(L, 1)) },
      { alpha: f.scaled, report: await check(residualTower(L, f.scaled)) },
    ];
    const measuredAt = (report: (typeof runs)[number]['report'], block: number) => report.sites!.filter((s) => s.kind === 'residual')[block - 1].forward;
    const lastScaled = measuredAt(runs[1].report, L);
    const lastPlain = measuredAt(runs[0].report, L);
    const gradientAtBottom = runs.map(({ report }) => report.sites![0].backward);
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Deep residual learning (He, Zhang, Ren & Sun, 2016) and the scalings of SkipInit, Fixup and ReZero: what the skip connection does to the second moment.', '深度残差学习（He、Zhang、Ren 与 Sun，2016）以及 SkipInit、Fixup、ReZero 的缩放：跳跃连接对二阶矩做了什么。'))],
      blocks: [
        say(
          t(
            `A plain network multiplies: every layer multiplies the second moment of the signal by a factor $c$, and $L$ layers by $c^L$. Only $c = 1$ exactly survives depth. He's variance makes $c = 1$ for relu, but a variance ${fact((tooLarge - 1) * 100, 2)}% too large gives $${fact(tooLarge, 2)}^{${L}} = ${fact(f.heTooLarge.last / f.he.last)}$ after ${L} layers, and LeCun's variance on relu halves it at every layer, so the last of ${L} layers sees ${fact(f.lecun.last)} of the input's second moment.`,
            `普通网络是相乘的：每层把信号的二阶矩乘以一个因子 $c$，$L$ 层就乘以 $c^L$。只有恰好 $c = 1$ 才能经受住深度。He 的方差使 relu 的 $c = 1$，但方差大 ${fact((tooLarge - 1) * 100, 2)}% 时，${L} 层之后是 $${fact(tooLarge, 2)}^{${L}} = ${fact(f.heTooLarge.last / f.he.last)}$；在 relu 上用 LeCun 的方差则每层减半，${L} 层中的最后一层只看到输入二阶矩的 ${fact(f.lecun.last)}。`,
          ),
          'lead',
        ),
        say(
          t(
            'A residual block adds instead: $x_{l+1} = \\beta\\,x_l + \\alpha\\,f(x_l)$, the branch $f$ a few layers, $\\beta$ the skip scale and $\\alpha$ the branch scale. Squaring and taking expectations, $\\mathbb{E}\\|x_{l+1}\\|^2 = \\beta^2\\,\\mathbb{E}\\|x_l\\|^2 + \\alpha^2\\,\\mathbb{E}\\|f(x_l)\\|^2 + 2\\alpha\\beta\\,\\mathbb{E}[x_l^\\top f(x_l)]$. When the branch ends in zero-mean weights, flipping their signs flips $f(x_l)$ and not $x_l$, so the cross term is exactly zero. A relu branch with He init then a LeCun output layer has $\\mathbb{E}\\|f(x)\\|^2 = \\mathbb{E}\\|x\\|^2$ (He doubles, relu halves, LeCun keeps), so at any width',
            '残差块则是相加：$x_{l+1} = \\beta\\,x_l + \\alpha\\,f(x_l)$，分支 $f$ 由几层组成，$\\beta$ 是跳跃缩放，$\\alpha$ 是分支缩放。平方后取期望，$\\mathbb{E}\\|x_{l+1}\\|^2 = \\beta^2\\,\\mathbb{E}\\|x_l\\|^2 + \\alpha^2\\,\\mathbb{E}\\|f(x_l)\\|^2 + 2\\alpha\\beta\\,\\mathbb{E}[x_l^\\top f(x_l)]$。分支以零均值权重结尾时，翻转这些权重的符号会翻转 $f(x_l)$ 而不改变 $x_l$，所以交叉项精确为零。先用 He 初始化、输出层用 LeCun 的 relu 分支满足 $\\mathbb{E}\\|f(x)\\|^2 = \\mathbb{E}\\|x\\|^2$（He 加倍，relu 减半，LeCun 保持），所以在任意宽度下',
          ),
        ),
        { kind: 'math', latex: '\\mathbb{E}\\|x_{l+1}\\|^2 = (\\beta^2 + \\alpha^2)\\,\\mathbb{E}\\|x_l\\|^2, \\qquad \\mathbb{E}\\|x_L\\|^2 = (\\beta^2 + \\alpha^2)^L\\,\\mathbb{E}\\|x_0\\|^2.' },
        say(
          t(
            `Here is that recursion as varprop derives it for one block with $\\alpha = ${fact(alphaShown, 2)}$ and $\\beta = 1$ after a LeCun input layer: every factor is the one \`propagate()\` composed, checked numerically, and labelled exact. The block multiplies the second moment by $1 + \\alpha^2 = ${fact(blockFactor)}$.`,
            `下面是 varprop 对一个块（$\\alpha = ${fact(alphaShown, 2)}$，$\\beta = 1$，前接一个 LeCun 输入层）推导的这个递推：每个因子都是 \`propagate()\` 组合的那个因子，经过数值检验，并标为精确。这个块把二阶矩乘以 $1 + \\alpha^2 = ${fact(blockFactor)}$。`,
          ),
        ),
        ...sectionBlocks(cat, section, { next: 1 }, 2),
        { kind: 'heading', level: 2, text: t('Scaling the branch with depth', '随深度缩放分支'), id: 'scaling' },
        say(
          t(
            `With $\\alpha = \\beta = 1$ (the original ResNet at initialization, without normalization) every block doubles the second moment: after ${L} blocks it is $2^{${L}} = ${fact(f.plainResidualLast)}$ times the input's. The skip connection alone does not save a deep network; it turns a product that must be exactly one into a sum that grows. Choose $\\beta = 1$ and $\\alpha = 1/\\sqrt{L}$: each block multiplies by $1 + 1/L$, and $L$ blocks by $(1 + 1/L)^L < e = ${fact(f.e)}$, whatever $L$ is. For $L = ${L}$, $\\alpha = ${fact(f.scaled, 2)}$ and the last block's second moment is ${fact(f.scaledResidualLast)}. ($\\beta^2 + \\alpha^2 = 1$, e.g. $\\beta = \\sqrt{1 - 1/L}$, keeps it at exactly one.)`,
            `当 $\\alpha = \\beta = 1$（初始化时不带归一化的原始 ResNet），每个块把二阶矩加倍：${L} 个块之后是输入的 $2^{${L}} = ${fact(f.plainResidualLast)}$ 倍。仅有跳跃连接救不了深度网络；它把必须恰好为一的乘积变成了一个不断增长的和。取 $\\beta = 1$、$\\alpha = 1/\\sqrt{L}$：每个块乘以 $1 + 1/L$，$L$ 个块乘以 $(1 + 1/L)^L < e = ${fact(f.e)}$，与 $L$ 无关。$L = ${L}$ 时 $\\alpha = ${fact(f.scaled, 2)}$，最后一个块的二阶矩是 ${fact(f.scaledResidualLast)}。（$\\beta^2 + \\alpha^2 = 1$，例如 $\\beta = \\sqrt{1 - 1/L}$，使它精确保持为一。）`,
          ),
        ),
        say(
          t(
            'The backward pass is the same sum: the gradient reaches $x_l$ through the skip, multiplied by $\\beta$, and through the branch, which receives $\\alpha\\,\\partial x_{l+1}$; so $\\mathbb{E}[(\\partial x_l)^2] = (\\beta^2 + \\alpha^2)\\,\\mathbb{E}[(\\partial x_{l+1})^2]$ for the same branch, and $\\alpha = 1/\\sqrt{L}$ keeps the gradient at the bottom within a factor $e$ of the gradient at the top.',
            '反向传播是同样的和：梯度经跳跃连接到达 $x_l$（乘以 $\\beta$），也经分支到达（分支收到 $\\alpha\\,\\partial x_{l+1}$）；所以对同样的分支有 $\\mathbb{E}[(\\partial x_l)^2] = (\\beta^2 + \\alpha^2)\\,\\mathbb{E}[(\\partial x_{l+1})^2]$，$\\alpha = 1/\\sqrt{L}$ 使底部的梯度与顶部相差不超过因子 $e$。',
          ),
        ),
        { kind: 'heading', level: 2, text: t('Monte Carlo evidence', '蒙特卡洛证据'), id: 'evidence' },
        say(
          t(
            `Two towers of ${L} blocks, width ${RESIDUAL_WIDTH}, each block a relu branch (He, then LeCun) after a LeCun input layer, run forward and backward by the seeded Monte Carlo engine (the docs' small settings, shown in the footer). The table gives $\\mathbb{E}[x^2]$ after block $b$, predicted $(1 + \\alpha^2)^b$ and measured.`,
            `两个 ${L} 块的塔，宽度 ${RESIDUAL_WIDTH}，每块是一个 relu 分支（先 He 后 LeCun），前接一个 LeCun 输入层，由带种子的蒙特卡洛引擎做前向和反向传播（文档的小规模设置，见页脚）。表中给出第 $b$ 块之后的 $\\mathbb{E}[x^2]$：预测值 $(1 + \\alpha^2)^b$ 与测量值。`,
          ),
        ),
        {
          kind: 'table',
          header: [[text(t('block ', '块 ')), math('b')], [math('\\alpha = 1'), text(t(' predicted', ' 预测'))], [math('\\alpha = 1'), text(t(' measured', ' 测量'))], [math(`\\alpha = 1/\\sqrt{${L}}`), text(t(' predicted', ' 预测'))], [math(`\\alpha = 1/\\sqrt{${L}}`), text(t(' measured', ' 测量'))]],
          align: ['right', 'right', 'right', 'right', 'right'],
          rows: RESIDUAL_SHOWN_BLOCKS.map((b) => [
            [text(String(b))],
            ...runs.flatMap(({ report }) => {
              const q = measuredAt(report, b);
              return [[text(formatNumber(q.exact ?? q.meanField))], [text(formatNumber(q.estimate))]];
            }),
          ]),
        },
        say(
          t(
            `With $\\alpha = 1/\\sqrt{${L}}$ the measured second moment after block ${L} is ${fact(lastScaled.estimate)} against the exact ${fact(lastScaled.exact ?? lastScaled.meanField)}; with $\\alpha = 1$ it is ${fact(lastPlain.estimate)} against ${fact(lastPlain.exact ?? lastPlain.meanField)}. The gradient at the input layer, where the top's is one, is ${fact(gradientAtBottom[1].estimate)} with the scaled branch and ${fact(gradientAtBottom[0].estimate)} without. Between replicate networks the unscaled tower's second moment spreads over orders of magnitude (the product of ${L} random factors), so its interval is wide; the scaled tower's stays close to its prediction.`,
            `用 $\\alpha = 1/\\sqrt{${L}}$ 时，第 ${L} 块之后测得的二阶矩是 ${fact(lastScaled.estimate)}，精确值为 ${fact(lastScaled.exact ?? lastScaled.meanField)}；用 $\\alpha = 1$ 时是 ${fact(lastPlain.estimate)}，精确值为 ${fact(lastPlain.exact ?? lastPlain.meanField)}。输入层处的梯度（顶部梯度为一）在缩放分支下是 ${fact(gradientAtBottom[1].estimate)}，不缩放时是 ${fact(gradientAtBottom[0].estimate)}。不缩放的塔在各重复网络之间二阶矩相差几个数量级（${L} 个随机因子的乘积），所以区间很宽；缩放的塔则紧贴预测值。`,
          ),
        ),
        say(
          t(
            'Try it on your own network: `varprop derive --spec examples/residual.json` prints every block\'s factor, and `varprop check --spec examples/residual.json` measures them.',
            '在你自己的网络上试试：`varprop derive --spec examples/residual.json` 打印每个块的因子，`varprop check --spec examples/residual.json` 测量它们。',
          ),
        ),
      ],
    };
  },
};
