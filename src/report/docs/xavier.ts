/** Docs: the Xavier derivation as Dive into Deep Learning gives it, step by step, with its evidence. */
import { deriveNetwork } from '../../symbolic/layer.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import type { ReportDocument } from '../document.js';
import { derivationBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import { setupBlocks } from '../sections/setup.js';
import type { DocTopic } from './topic.js';

export const xavierTopic: DocTopic = {
  slug: 'xavier',
  title: 'Xavier initialization, derived step by step',
  summary: 'Why Var[w] = 2/(n_in + n_out): the forward and backward conditions and their compromise, checked by Monte Carlo on a tanh MLP.',
  zh: {
    title: 'Xavier 初始化的逐步推导',
    summary: '为什么 Var[w] = 2/(n_in + n_out)：前向与反向条件及其折中，并在 tanh 多层感知机上用蒙特卡洛检验。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
    const spec = { widths: [784, 256, 256, 10], activation: 'tanh', init: 'xavier_uniform' };
    const network = resolveNetwork(spec);
    const depth = 50;
    const derivation = deriveNetwork(network);
    const runs = [
      { init: 'xavier_uniform', report: await check(spec) },
      { init: 'standard', report: await check({ ...spec, init: 'standard' }) },
    ];
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('The derivation of Dive into Deep Learning, "Numerical Stability and Initialization", written out by the symbolic engine.', '《动手学深度学习》“数值稳定性和模型初始化”一节的推导，由符号引擎逐步写出。') }],
      blocks: [
        say(
          t(`A layer multiplies its input by a random matrix. If each layer scales the variance of the signal by a factor $c$, then after $L$ layers the variance is scaled by $c^L$: for $c = ${fact(1.1)}$ and ${depth} layers that is a factor of ${fact(1.1 ** depth, 3)}, for $c = ${fact(0.9)}$ a factor of 1/${fact(1 / 0.9 ** depth, 3)} in the other direction. Initialization is the choice of the weight variance that makes $c = 1$, and Xavier initialization (Glorot & Bengio, 2010) is the choice that does it, as well as it can, for both the forward and the backward pass.`,
          `一层把它的输入乘以一个随机矩阵。如果每层把信号的方差乘以因子 $c$，那么经过 $L$ 层后方差乘以 $c^L$：$c = ${fact(1.1)}$、${depth} 层时是 ${fact(1.1 ** depth, 3)} 倍，$c = ${fact(0.9)}$ 时则反方向缩小为 1/${fact(1 / 0.9 ** depth, 3)}。初始化就是选择让 $c = 1$ 的权重方差；Xavier 初始化（Glorot & Bengio, 2010）就是在前向和反向两个方向上尽可能做到这一点的选择。`),
          'lead',
        ),
        say(
          t('The argument only needs expectations of sums and products of independent variables. Below, every step is produced by a named rule and checked numerically by the symbolic engine; nothing is typed in by hand. The network is the tanh multilayer perceptron of the chapter, with widths 784, 256, 256 and 10.',
          '这个论证只需要独立变量之和与积的期望。下面每一步都由一条有名字的规则产生，并由符号引擎做数值检验；没有任何一步是手写的。网络是该章的 tanh 多层感知机，宽度为 784、256、256 和 10。'),
        ),
        ...setupBlocks(cat, network, derivation),
        ...derivationBlocks(cat, derivation),
        say(
          t('Read the conditions table from the top. The forward pass keeps the variance when $n_\\text{in}\\sigma^2 = 1$, the backward pass when $n_\\text{out}\\sigma^2 = 1$. Both hold only when $n_\\text{in} = n_\\text{out}$, so Glorot and Bengio take the average of the two fans; a uniform law $U(-a, a)$ has variance $a^2/3$, which gives the familiar bound $a = \\sqrt{6/(n_\\text{in}+n_\\text{out})}$.',
          '从上往下读条件表。前向传播在 $n_\\text{in}\\sigma^2 = 1$ 时保持方差，反向传播在 $n_\\text{out}\\sigma^2 = 1$ 时保持。两者只在 $n_\\text{in} = n_\\text{out}$ 时同时成立，所以 Glorot 和 Bengio 取两个扇数的平均；均匀分布 $U(-a, a)$ 的方差是 $a^2/3$，由此得到熟悉的边界 $a = \\sqrt{6/(n_\\text{in}+n_\\text{out})}$。'),
        ),
        ...evidenceBlocks(cat, runs, { histograms: 'first' }),
        say(
          t('The standard initialization $U[-1/\\sqrt{n}, 1/\\sqrt{n}]$ that Glorot and Bengio compared against has $n\\operatorname{Var}[w] = 1/3$: in linear theory the variance of the activations shrinks to about a third per layer going forward (and tanh shrinks it further), and the gradients shrink going backward, which is what their figures 6 and 7 show. Xavier keeps both close to level. Note that tanh is not linear: the mean-field prediction, which integrates $\\tanh$ against a Gaussian, is the one the measurements agree with; linear theory overestimates the variance once the pre-activations leave the linear region near zero.',
          'Glorot 和 Bengio 用来对比的标准初始化 $U[-1/\\sqrt{n}, 1/\\sqrt{n}]$ 有 $n\\operatorname{Var}[w] = 1/3$：按线性理论，激活的方差在前向传播中每层缩小到约三分之一（tanh 使它缩得更多），梯度在反向传播中也逐层缩小，这正是他们的图 6 和图 7 所示。Xavier 让两者都接近保持不变。注意 tanh 不是线性的：与测量一致的是平均场预测，它把 $\\tanh$ 对高斯分布积分；一旦预激活离开零附近的线性区，线性理论就会高估方差。'),
        ),
      ],
    };
  },
};
