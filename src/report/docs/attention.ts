/**
 * Docs: attention and transformer blocks at initialization. Softmax attention averages value
 * vectors: E[o²] = π·E[v²] + (1 − π)·E[v_t v_s] with π = E[Σ_s P_s²] (src/layers/attention.ts,
 * src/layers/softmaxCollision.ts); through depth the tokens align (rank collapse) unless the branches
 * are scaled; the presets of DeepNet, T-Fixup and GPT-2 (src/recipes/transformer.ts). Every number
 * comes from `propagate()`, the collision integral or the seeded Monte Carlo run.
 */
import { softmaxCollisions } from '../../layers/softmaxCollision.js';
import {
  DEEPNET_ENCODER_DECODER,
  deepNormConstants,
  GPT2_STD,
  gpt2ProjectionStd,
  TFIXUP_ENCODER_FACTOR,
  tFixupScale,
  transformerSpec,
  TRANSFORMER_PRESETS,
  type TransformerOptions,
} from '../../recipes/transformer.js';
import { measureBlocks } from '../../recipes/transformerDepth.js';
import { createEngine } from '../../symbolic/engine.js';
import { deriveNetworkSection } from '../../symbolic/networkSection.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import { math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { sectionBlocks } from '../sections/derivation.js';
import type { DocTopic } from './topic.js';

/** The stacks of the page: 6 blocks of 16 tokens, width 64, 4 heads. */
export const ATTENTION_STACK: TransformerOptions = { layers: 6, tokens: 16, width: 64, heads: 4 };
/** Monte Carlo of the stacks: replicate networks × sequences, seed. */
export const ATTENTION_MONTE_CARLO = { nets: 8, batch: 8, seed: 1, level: 0.99 } as const;
/** Logit variances of the π table. */
const LOGIT_VARIANCES = [0, 0.25, 1, 4, 16] as const;

/** The numbers the page states (the test recomputes them from here). */
export function attentionFacts() {
  const T = ATTENTION_STACK.tokens;
  const collisions = LOGIT_VARIANCES.map((nu) => ({ nu, pi: softmaxCollisions(T, nu)[T - 1], causal: softmaxCollisions(T, nu).reduce((a, b) => a + b, 0) / T }));
  const L = ATTENTION_STACK.layers;
  return {
    T,
    L,
    collisions,
    deepnet: deepNormConstants('encoder', L, L),
    tfixup: tFixupScale('encoder', L, L),
    gpt2: gpt2ProjectionStd(L),
  };
}

export const attentionTopic: DocTopic = {
  slug: 'attention',
  title: 'Attention at initialization: averaging tokens, rank collapse, and the transformer presets',
  summary: 'Softmax attention at initialization averages value vectors: E[o²] = π·E[v²] + (1 − π)·E[v_t v_s] with π = E[Σ P²] (1/T for uniform attention); stacked, the tokens align unless the branches are scaled; DeepNet, T-Fixup and GPT-2 constants derived and measured.',
  zh: {
    title: '初始化时的注意力：平均 token、秩坍缩与 Transformer 预设',
    summary: '初始化时的 softmax 注意力对值向量取平均：E[o²] = π·E[v²] + (1 − π)·E[v_t v_s]，π = E[Σ P²]（均匀注意力时为 1/T）；堆叠后 token 会趋于一致，除非缩放分支；推导并测量 DeepNet、T-Fixup 与 GPT-2 的常数。',
  },
  async build({ cat, fact, say, t }): Promise<ReportDocument> {
    const f = attentionFacts();
    const uniform = f.collisions[0];
    const atOne = f.collisions[2];
    // The derivation: one attention layer between two LeCun layers, as propagate() composes it.
    const small = resolveNetwork({ input: { tokens: 8, width: 32 }, layers: [{ kind: 'dense', width: 32, init: 'lecun_normal' }, { kind: 'attention', heads: 2, init: 'xavier_normal' }, { kind: 'dense', width: 32, init: 'lecun_normal' }] });
    const section = deriveNetworkSection(small, createEngine());
    // Monte Carlo: every preset, and post-LN with 1/√L branches.
    const runs = [
      ...TRANSFORMER_PRESETS.map((preset) => ({ label: preset, depth: measureBlocks(resolveNetwork(transformerSpec(preset, ATTENTION_STACK)), ATTENTION_MONTE_CARLO) })),
      { label: 'post_ln, α = 1/√L', depth: measureBlocks(resolveNetwork(transformerSpec('post_ln', { ...ATTENTION_STACK, branchScale: 1 / Math.sqrt(f.L) })), ATTENTION_MONTE_CARLO) },
    ];
    const last = (label: string) => runs.find((run) => run.label === label)!.depth.blocks[f.L - 1];
    const postLn = last('post_ln');
    const scaled = last('post_ln, α = 1/√L');
    const allPass = runs.every((run) => run.depth.monteCarlo?.pass);
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Vaswani et al. (2017); rank collapse: Dong, Cordonnier & Loukas (2021), Noci et al. (2022); DeepNet: Wang et al. (2022); T-Fixup: Huang et al. (2020); GPT-2: Radford et al. (2019).', '初始化时注意力层把各个位置的值向量加权平均起来，这一页推导并测量它对信号大小与词元之间相似度的影响。Vaswani 等（2017）；秩坍缩：Dong、Cordonnier 与 Loukas（2021），Noci 等（2022）；DeepNet：Wang 等（2022）；T-Fixup：Huang 等（2020）；GPT-2：Radford 等（2019）。'))],
      blocks: [
        say(
          t(
            'A sequence is written `"input": {"tokens": T, "width": d}`. Dense layers, activations and normalizations act on each token with weights shared across tokens (a dense layer\'s fan-in is $d$, not $T d$); only `attention` mixes tokens: per head $P_{ts} = \\operatorname{softmax}_s(q_t \\cdot k_s/\\sqrt{d_k})$, $o_t = \\sum_s P_{ts} v_s$, then the output projection. The value weights are independent of the attention weights $P$, so for value vectors of second moment $V$ and inter-token covariance $C_V$',
            '序列写作 `"input": {"tokens": T, "width": d}`。全连接层、激活和归一化逐 token 作用，权重在 token 之间共享（全连接层的扇入是 $d$ 而不是 $T d$）；只有 `attention` 混合 token：每个头 $P_{ts} = \\operatorname{softmax}_s(q_t \\cdot k_s/\\sqrt{d_k})$，$o_t = \\sum_s P_{ts} v_s$，然后是输出投影。值权重与注意力权重 $P$ 独立，所以对二阶矩为 $V$、token 间协方差为 $C_V$ 的值向量',
          ),
          'lead',
        ),
        { kind: 'math', latex: '\\mathbb{E}[o_t^2] = \\pi\\,V + (1 - \\pi)\\,C_V, \\qquad \\pi = \\mathbb{E}\\Big[\\sum_s P_{ts}^2\\Big], \\qquad \\mathbb{E}[y^2] = h\\,d_k\\,\\mathbb{E}[w_O^2]\\;\\mathbb{E}[o^2].' },
        say(
          t(
            `Uniform attention (small logits) has $\\pi = 1/T$: each output is the mean of $T$ value vectors, and for independent tokens the second moment is divided by $T$ (${fact(uniform.pi)} for $T = ${f.T}$; a causal mask averages $1/t$ over positions, ${fact(uniform.causal)}). The logits of one query are, to leading order in $1/d_k$, independent $N(0, \\nu)$ with $\\nu = Q\\,(K - C_K)$ (what the tokens share cancels in the softmax); for iid Gaussian logits $\\pi$ is exact as a one-dimensional integral, $\\pi = T \\int_0^\\infty u\\,\\psi(u)\\,\\phi(u)^{T-1}\\,du$ with $\\phi(u) = \\mathbb{E}[e^{-u e^z}]$ and $\\psi(u) = \\mathbb{E}[e^{2z - u e^z}]$. Xavier on every projection after a normalized input gives $\\nu = 1$ and $\\pi = ${fact(atOne.pi)}$, not the uniform ${fact(uniform.pi)}.`,
            `均匀注意力（logit 很小）有 $\\pi = 1/T$：每个输出是 $T$ 个值向量的平均，对独立 token 二阶矩除以 $T$（$T = ${f.T}$ 时为 ${fact(uniform.pi)}；因果掩码对各位置的 $1/t$ 取平均，为 ${fact(uniform.causal)}）。一个查询的 logit 在 $1/d_k$ 的主阶下是独立的 $N(0, \\nu)$，$\\nu = Q\\,(K - C_K)$（token 共有的部分在 softmax 中抵消）；对独立同分布的高斯 logit，$\\pi$ 可精确写成一维积分 $\\pi = T \\int_0^\\infty u\\,\\psi(u)\\,\\phi(u)^{T-1}\\,du$，其中 $\\phi(u) = \\mathbb{E}[e^{-u e^z}]$，$\\psi(u) = \\mathbb{E}[e^{2z - u e^z}]$。归一化输入后所有投影都用 Xavier 时 $\\nu = 1$，$\\pi = ${fact(atOne.pi)}$，而不是均匀的 ${fact(uniform.pi)}。`,
          ),
        ),
        {
          kind: 'table',
          header: [[math('\\nu')], [math(`\\pi\\ (T = ${f.T})`)], [text(t('causal, mean over positions', '因果，对位置取平均'))]],
          align: ['right', 'right', 'right'],
          rows: f.collisions.map((c) => [[text(formatNumber(c.nu))], [text(formatNumber(c.pi))], [text(formatNumber(c.causal))]]),
        },
        say(
          t(
            'Backward, for upstream gradients uncorrelated across tokens, the gradient reaches $x$ through the values with the same factor $\\pi$ ($\\partial v_s = \\sum_t P_{ts}\\,\\partial o_t$) and through queries and keys via the softmax Jacobian $\\partial s_{ts} = P_{ts}(\\partial P_{ts} - \\sum_u P_{tu}\\,\\partial P_{tu})$, which at uniform attention adds $2\\nu(1 - 1/T)$ times the value path for independent tokens: leading order in $\\nu$. Here is one attention layer between two LeCun layers as varprop derives it, every factor the one `propagate()` composed, checked numerically and labelled mean-field.',
            '反向时，若上游梯度在 token 之间不相关，梯度经值向量以同样的因子 $\\pi$ 到达 $x$（$\\partial v_s = \\sum_t P_{ts}\\,\\partial o_t$），并经 softmax 雅可比 $\\partial s_{ts} = P_{ts}(\\partial P_{ts} - \\sum_u P_{tu}\\,\\partial P_{tu})$ 经查询和键到达；在均匀注意力处，对独立 token 它增加值路径的 $2\\nu(1 - 1/T)$ 倍：这是 $\\nu$ 的主阶。下面是 varprop 对夹在两个 LeCun 层之间的一个注意力层的推导，每个因子都是 `propagate()` 组合的那个，经过数值检验并标为平均场。',
          ),
        ),
        ...sectionBlocks(cat, section, { next: 1 }, 2),
        { kind: 'heading', level: 2, text: t('Rank collapse through depth', '随深度的秩坍缩'), id: 'rank-collapse' },
        say(
          t(
            `Averaging makes tokens alike: at uniform attention every output token is the same mean. The inter-token covariance is one more moment, $\\mathbb{E}[x_t x_s]$, the c-map's "two inputs through the same weights" with the tokens as the inputs, and \`propagate()\` composes it through every kind; the predicted mean cosine between tokens is $\\mathbb{E}[x_t x_s]/\\mathbb{E}[x^2]$. After ${f.L} post-LN blocks it is ${fact(postLn.tokenCosine.predicted)} (measured ${fact(postLn.tokenCosine.estimate ?? Number.NaN)}); scaling every branch by $1/\\sqrt{L}$ keeps it at ${fact(scaled.tokenCosine.predicted)} (measured ${fact(scaled.tokenCosine.estimate ?? Number.NaN)}).`,
            `取平均使 token 变得相似：均匀注意力下每个输出 token 都是同一个平均。token 间协方差 $\\mathbb{E}[x_t x_s]$ 是又一个矩，即 c-map 的“经过同一组权重的两个输入”，这里两个输入就是 token，\`propagate()\` 让它穿过每种层；预测的 token 间平均余弦为 $\\mathbb{E}[x_t x_s]/\\mathbb{E}[x^2]$。${f.L} 个 post-LN 块之后它是 ${fact(postLn.tokenCosine.predicted)}（测得 ${fact(postLn.tokenCosine.estimate ?? Number.NaN)}）；把每个分支缩放 $1/\\sqrt{L}$ 后保持在 ${fact(scaled.tokenCosine.predicted)}（测得 ${fact(scaled.tokenCosine.estimate ?? Number.NaN)}）。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('The presets', '预设'), id: 'presets' },
        say(
          t(
            `DeepNet (Wang et al. 2022, Table 1) puts a skip scale $\\alpha$ before each post-LN and draws the value, output and FFN weights Xavier-normal with gain $\\beta$: for an encoder of $N$ layers $\\alpha = (2N)^{1/4}$, $\\beta = (8N)^{-1/4}$ (${fact(f.deepnet.alpha)} and ${fact(f.deepnet.beta)} at $N = ${f.L}$), so that $2N \\cdot 2\\beta^2/\\alpha^2 = 1$ and the model update stays bounded; a decoder uses $M$ the same way, an encoder–decoder $${fact(DEEPNET_ENCODER_DECODER.alpha, 2)}(N^4M)^{1/16}$, $${fact(DEEPNET_ENCODER_DECODER.beta, 2)}(N^4M)^{-1/16}$ for the encoder and $(3M)^{1/4}$, $(12M)^{-1/4}$ for the decoder. T-Fixup (Huang et al. 2020) removes normalization and scales the value, output and MLP weights by $${fact(TFIXUP_ENCODER_FACTOR, 2)}\\,N^{-1/4}$ (${fact(f.tfixup)}), a decoder's by $(9M)^{-1/4}$. GPT-2 draws every weight $N(0, ${fact(GPT2_STD, 1)}^2)$ and the residual projections with standard deviation $${fact(GPT2_STD, 1)}/\\sqrt{2L}$ (${fact(f.gpt2)}), two residual branches per block.`,
            `DeepNet（Wang 等 2022，表 1）在每个 post-LN 之前加跳跃缩放 $\\alpha$，并用增益 $\\beta$ 的 Xavier 正态分布初始化值、输出和 FFN 权重：对 $N$ 层编码器 $\\alpha = (2N)^{1/4}$，$\\beta = (8N)^{-1/4}$（$N = ${f.L}$ 时为 ${fact(f.deepnet.alpha)} 和 ${fact(f.deepnet.beta)}），使 $2N \\cdot 2\\beta^2/\\alpha^2 = 1$，模型更新保持有界；解码器同样用 $M$，编码器–解码器的编码器用 $${fact(DEEPNET_ENCODER_DECODER.alpha, 2)}(N^4M)^{1/16}$、$${fact(DEEPNET_ENCODER_DECODER.beta, 2)}(N^4M)^{-1/16}$，解码器用 $(3M)^{1/4}$、$(12M)^{-1/4}$。T-Fixup（Huang 等 2020）去掉归一化，把值、输出和 MLP 权重缩放 $${fact(TFIXUP_ENCODER_FACTOR, 2)}\\,N^{-1/4}$（${fact(f.tfixup)}），解码器的缩放 $(9M)^{-1/4}$。GPT-2 用 $N(0, ${fact(GPT2_STD, 1)}^2)$ 初始化所有权重，残差投影的标准差为 $${fact(GPT2_STD, 1)}/\\sqrt{2L}$（${fact(f.gpt2)}），每块两个残差分支。`,
          ),
        ),
        {
          kind: 'table',
          header: [[text(t('stack', '堆叠'))], [math('\\mathbb{E}[x_L^2]'), text(t(' predicted', ' 预测'))], [text(t('measured', '测量'))], [text(t('token cosine predicted', 'token 余弦 预测'))], [text(t('measured', '测量'))]],
          align: ['left', 'right', 'right', 'right', 'right'],
          rows: runs.map((run) => {
            const row = run.depth.blocks[f.L - 1];
            return [[text(run.label)], [text(formatNumber(row.variance.predicted))], [text(formatNumber(row.variance.estimate ?? Number.NaN))], [text(formatNumber(row.tokenCosine.predicted))], [text(formatNumber(row.tokenCosine.estimate ?? Number.NaN))]];
          }),
        },
        say(
          t(
            `Each stack: ${f.L} blocks of ${f.T} tokens, width ${ATTENTION_STACK.width}, ${ATTENTION_STACK.heads} heads, MLP of width four times $d$ with GELU; ${ATTENTION_MONTE_CARLO.nets} replicate networks of ${ATTENTION_MONTE_CARLO.batch} sequences. Every block's second moment and token cosine ${allPass ? 'agree with their predictions' : 'were decided, and some disagree with their predictions'} under the check's decision procedure (\`varprop transformer --preset post_ln --layers ${f.L}\` prints the table per block).`,
            `每个堆叠：${f.L} 个块，${f.T} 个 token，宽度 ${ATTENTION_STACK.width}，${ATTENTION_STACK.heads} 个头，MLP 宽度为 $d$ 的四倍并用 GELU；${ATTENTION_MONTE_CARLO.nets} 个重复网络，每个 ${ATTENTION_MONTE_CARLO.batch} 条序列。在 check 的判定程序下，每个块的二阶矩和 token 余弦${allPass ? '都与预测一致' : '都经过判定，其中有些与预测不一致'}（\`varprop transformer --preset post_ln --layers ${f.L}\` 逐块打印该表）。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('What is exact and what is not', '哪些是精确的，哪些不是'), id: 'limits' },
        say(
          t(
            'Exact: $\\pi = 1/T_t$ when the logits vanish (a zero query or key projection), and the value-average formula given $P$. Mean-field ($d \\to \\infty$ at fixed $T$): the logits as iid Gaussians, the rows of different queries as independent (the inter-token term $\\kappa = 1/T$), per-position moments averaged over positions under a causal mask. The softmax prefers tokens aligned with the query\'s key direction, a relative correction of order $\\nu T/d$ that the mean-field value leaves out. Leading order in $\\nu$: the query and key paths of the backward pass. Not carried: the correlation of gradients across tokens, which an attention layer\'s backward pass creates and the next one below it would need.',
            '精确的：logit 为零时（查询或键投影为零）$\\pi = 1/T_t$，以及给定 $P$ 时的值平均公式。平均场（固定 $T$、$d \\to \\infty$）：logit 视为独立同分布的高斯变量，不同查询的行视为独立（token 间项 $\\kappa = 1/T$），因果掩码下各位置的矩对位置取平均。softmax 偏好与查询的键方向对齐的 token，这是平均场值忽略的 $\\nu T/d$ 阶相对修正。$\\nu$ 的主阶：反向传播中的查询和键路径。未携带的：梯度在 token 之间的相关性——注意力层的反向传播会产生它，而其下方的下一个注意力层需要它。',
          ),
        ),
      ],
    };
  },
};
