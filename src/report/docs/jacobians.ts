/** Docs: exploding and vanishing gradients as products of Jacobians. */
import { matrixProductSpec } from '../../charts/matrixProduct.js';
import { runMatrixProductDemo } from '../../numeric/demos/matrices.js';
import { createEngine } from '../../symbolic/engine.js';
import { deriveNetworkSection } from '../../symbolic/networkSection.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { sectionBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import type { DocTopic } from './topic.js';

export const jacobiansTopic: DocTopic = {
  slug: 'jacobians',
  title: 'Exploding and vanishing gradients as products of Jacobians',
  summary: 'The gradient at layer l is a product of L − l Jacobians; its size is a product of per-layer factors, and only a factor of one keeps it at scale.',
  zh: {
    title: '梯度爆炸与消失：雅可比矩阵的乘积',
    summary: '第 l 层的梯度是 L − l 个雅可比矩阵的乘积；它的大小是逐层因子的乘积，只有因子为一才能保持尺度。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
    const spec = { widths: new Array(13).fill(64), activation: 'tanh' };
    const network = resolveNetwork({ ...spec, init: 'standard' });
    const stack = deriveNetworkSection(network, createEngine());
    // The defaults of `varprop demo matrices` (400 trials, seed 1), so the two print the same figures.
    const demo = runMatrixProductDemo({ seed: 1 });
    const standard = demo.cases.find((c) => c.id === 'standard');
    const scaled = demo.cases.find((c) => c.id === 'scaled');
    const runs = [
      { init: 'standard', report: await check({ ...spec, init: 'standard' }) },
      { init: 'xavier_normal', report: await check({ ...spec, init: 'xavier_normal' }) },
    ];
    // Measured E[(∂h_1)²] / E[(∂h_L)²]: how much of the gradient's second moment reaches the first layer.
    const arriving = runs.map(({ report }) => report.layers[0].backward.estimate / report.layers[report.layers.length - 1].backward.estimate);
    const [arrivingStandard, arrivingXavier] = arriving;
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('Dive into Deep Learning, "Numerical Stability and Initialization", section on vanishing and exploding gradients.', '《动手学深度学习》“数值稳定性和模型初始化”中关于梯度消失与爆炸的一节。') }],
      blocks: [
        say(
          t('Write a network with column vectors as $h_l = W_l\\,\\phi(h_{l-1})$, $W_l$ of shape $n_l \\times n_{l-1}$ (PyTorch\'s (out, in)). By the chain rule the gradient of the loss with respect to $h_l$ is the gradient at the top multiplied by one Jacobian per layer above: $\\partial_{h_l}\\mathcal{L} = J_{l+1}^\\top \\cdots J_L^\\top\\,\\partial_{h_L}\\mathcal{L}$ with $J_k = W_k\\,\\operatorname{diag}(\\phi\'(h_{k-1}))$. A product of many matrices is the whole story: its size changes geometrically with the number of factors.',
          '用列向量把网络写成 $h_l = W_l\\,\\phi(h_{l-1})$，$W_l$ 的形状是 $n_l \\times n_{l-1}$（PyTorch 的 (out, in)）。由链式法则，损失对 $h_l$ 的梯度是顶层的梯度乘以其上每层一个雅可比矩阵：$\\partial_{h_l}\\mathcal{L} = J_{l+1}^\\top \\cdots J_L^\\top\\,\\partial_{h_L}\\mathcal{L}$，其中 $J_k = W_k\\,\\operatorname{diag}(\\phi\'(h_{k-1}))$。许多矩阵的乘积就是全部：它的大小随因子个数几何地变化。'),
          'lead',
        ),
        { kind: 'heading', level: 2, text: t('A product of random matrices', '随机矩阵的乘积'), id: 'matrices' },
        say(
          t(`The chapter's experiment multiplies ${demo.steps} random ${demo.size}×${demo.size} matrices with standard normal entries. Each factor multiplies the squared length of a vector by ${demo.size} on average, so the product explodes; the typical growth rate per factor is the top Lyapunov exponent $\\lambda_1 = \\tfrac12[\\ln(2\\sigma^2) + \\psi(N/2)]$. The measured values below come from ${demo.trials} independent products (seed ${demo.seed}), the same run as \`varprop demo matrices\`.`,
          `该章的实验把 ${demo.steps} 个元素服从标准正态分布的 ${demo.size}×${demo.size} 随机矩阵相乘。每个因子平均把向量长度的平方乘以 ${demo.size}，所以乘积爆炸；每个因子的典型增长率是最大李雅普诺夫指数 $\\lambda_1 = \\tfrac12[\\ln(2\\sigma^2) + \\psi(N/2)]$。下面的测量值来自 ${demo.trials} 个独立乘积（种子 ${demo.seed}），与 \`varprop demo matrices\` 是同一次运行。`),
        ),
        {
          kind: 'figure',
          id: 'jacobians-matrices',
          spec: matrixProductSpec(
            demo.cases.map((c) => ({ label: c.id === 'standard' ? 'σ² = 1' : `σ² = 1/${demo.size}`, sampleLogNorms: c.sampleLogNorms, predictedLogNorm: c.predictedLogNorm })),
            { factors: 'factors multiplied k', logNorm: 'ln ‖M_k ⋯ M_1 v‖', case: 'entries', prediction: 'prediction λ₁k', sample: 'single product' },
          ),
          caption: [text(t('The log-length of ', '每种方差五个单独乘积的 ')), math('M_k \\cdots M_1 v'), text(t(' for five single products per variance, and the prediction ', ' 的对数长度，以及预测 ')), math('\\lambda_1 k'), text(t(' (dashed).', '（虚线）。'))],
          alt: 'Product of random matrices',
        },
        ...(standard && scaled
          ? [
              {
                kind: 'table' as const,
                header: [[text(t('entries', '元素'))], [math('\\lambda_1'), text(t(' predicted', ' 预测'))], [math('\\lambda_1'), text(t(' measured', ' 测量'))], [text(t('mean-square growth ', '均方增长 ')), math('N\\sigma^2')], [text(t('largest entry after ', '乘积最大元素，因子数 ')), math(String(demo.steps)), text(t(' factors', ''))]],
                align: ['left' as const, 'right' as const, 'right' as const, 'right' as const, 'right' as const],
                rows: [standard, scaled].map((c) => [
                  [math(c.id === 'standard' ? '\\sigma^2 = 1' : `\\sigma^2 = 1/${demo.size}`)],
                  [text(formatNumber(c.lyapunovPredicted))],
                  [text(`${formatNumber(c.lyapunovMeasured.estimate)} ± ${formatNumber(c.lyapunovMeasured.ciHigh - c.lyapunovMeasured.estimate, 2)}`)],
                  [text(formatNumber(c.meanSquareGrowthPredicted))],
                  [text(formatNumber(c.productMaxEntry, 3))],
                ]),
              },
            ]
          : []),
        say(
          t('Scaling the entries to $\\sigma^2 = 1/N$ is exactly Xavier\'s and LeCun\'s condition: it keeps the mean square of the product at one. The typical product still shrinks slowly ($\\lambda_1 < 0$ by Jensen\'s inequality), which is why very deep networks also need architecture (residual connections, normalization), not initialization alone.',
          '把元素缩放到 $\\sigma^2 = 1/N$ 正是 Xavier 和 LeCun 的条件：它使乘积的均方保持为一。典型乘积仍然缓慢缩小（由詹森不等式 $\\lambda_1 < 0$），这就是为什么很深的网络除了初始化还需要结构（残差连接、归一化）。'),
        ),
        { kind: 'heading', level: 2, text: t('The same product in a network', '网络中的同一个乘积'), id: 'network' },
        say(
          t('For a network the symbolic engine unrolls the per-layer results into products. Here it is for twelve tanh layers of width 64 with the standard initialization $U[-1/\\sqrt n, 1/\\sqrt n]$, whose per-layer factor $n\\sigma^2 = 1/3$ is far from one:',
          '对一个网络，符号引擎把逐层结果展开成乘积。这里是十二个宽度为 64 的 tanh 层，用标准初始化 $U[-1/\\sqrt n, 1/\\sqrt n]$，其每层因子 $n\\sigma^2 = 1/3$ 远离一：'),
        ),
        ...sectionBlocks(cat, stack, { next: 1 }, 3),
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'jacobians-' }),
        say(
          t(`Here $d_l$ in the derivation abbreviates $\\mathbb{E}[\\phi'(h_l)^2]$, and the gradient itself is written $\\partial h_l = \\partial\\mathcal{L}/\\partial h_l$. With the standard init the backward second moment at the first layer is ${fact(arrivingStandard, 3)} of its value at the top: the first layers barely learn. With Xavier's variance the factor $n\\sigma^2$ is one, but tanh's $\\mathbb{E}[\\phi'(h)^2]$ is below one, so the gradient still ${arrivingXavier < 0.5 ? 'shrinks' : 'changes'} on the way down: it arrives at the first layer with ${fact(arrivingXavier, 3)} of its second moment at the top, about ${fact(Math.round(arrivingXavier / arrivingStandard), 6)} times more than with the standard init.`,
          `推导中 $d_l$ 是 $\\mathbb{E}[\\phi'(h_l)^2]$ 的缩写，梯度本身记作 $\\partial h_l = \\partial\\mathcal{L}/\\partial h_l$。用标准初始化时，第一层的反向二阶矩是顶层的 ${fact(arrivingStandard, 3)}：前几层几乎学不到东西。用 Xavier 的方差时因子 $n\\sigma^2$ 为一，但 tanh 的 $\\mathbb{E}[\\phi'(h)^2]$ 小于一，所以梯度在向下传播时${arrivingXavier < 0.5 ? '仍然缩小' : '仍有变化'}：它到达第一层时是顶层二阶矩的 ${fact(arrivingXavier, 3)}，约为标准初始化的 ${fact(Math.round(arrivingXavier / arrivingStandard), 6)} 倍。`),
        ),
      ],
    };
  },
};
