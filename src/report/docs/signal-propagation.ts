/**
 * Docs: two inputs through a deep network — the correlation map, its fixed point, the depth scales
 * and the order-to-chaos boundary (Poole et al. 2016; Schoenholz et al. 2017), derived from the
 * kinds' c-map rules (src/layers/*.ts via propagate()), computed by src/theory/signal.ts and measured
 * by src/numeric/correlation.ts.
 */
import { curvesSpec } from '../../charts/curves.js';
import { measureCorrelationDecay, type CorrelationDecay } from '../../numeric/correlation.js';
import { propagate } from '../../symbolic/propagate.js';
import { orderToChaosBoundary, signalNetworkSpec, signalPropagation, trainableDepthCurve, type SignalPropagation } from '../../theory/signal.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import { code, math, text, type Inline, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import type { DocTopic } from './topic.js';

/** The settings the page tabulates and measures: an ordered and a chaotic tanh, an ordered relu. */
const SETTINGS = [
  { activation: 'tanh', weightVar: 1.5, biasVar: 0.05 },
  { activation: 'tanh', weightVar: 2.5, biasVar: 0.05 },
  { activation: 'relu', weightVar: 1.8, biasVar: 0.05 },
] as const;

/** The measured networks: small enough that the docs regenerate in seconds, seeded. */
const MEASURE = { width: 200, depth: 16, nets: 8, pairs: 20, seed: 1, inputCorrelation: 0.9 } as const;

const BIAS_VARS = Array.from({ length: 11 }, (_, i) => (i * 0.5) / 10);

/** One measurement per setting serves both languages. */
const measured = new Map<string, CorrelationDecay>();

function measureSetting(setting: (typeof SETTINGS)[number], signal: SignalPropagation): CorrelationDecay {
  const key = JSON.stringify(setting);
  const cached = measured.get(key);
  if (cached) return cached;
  const network = resolveNetwork(signalNetworkSpec(setting.activation, setting.weightVar, setting.biasVar, MEASURE.width, MEASURE.depth, signal.qStar));
  const decay = measureCorrelationDecay(network, { ...MEASURE, cStar: signal.cStar, floor: 0.01 });
  measured.set(key, decay);
  return decay;
}

const cell = (value: number): Inline[] => [text(Number.isFinite(value) ? formatNumber(value) : value > 0 ? '∞' : '−∞')];

export const signalPropagationTopic: DocTopic = {
  slug: 'signal-propagation',
  title: 'Two inputs through a deep network: the correlation map and depth scales',
  summary: 'The c-map of two inputs, its fixed point c*, the depth scales ξ_q, ξ_c, ξ_∇ and the order-to-chaos boundary for any activation, derived from the layer kinds and measured by Monte Carlo (Poole et al. 2016; Schoenholz et al. 2017).',
  zh: {
    title: '两个输入穿过深层网络：相关映射与深度尺度',
    summary: '两个输入的 c 映射、其不动点 c*、深度尺度 ξ_q、ξ_c、ξ_∇ 以及任意激活函数的有序—混沌边界，由层类型推导并用蒙特卡洛测量（Poole 等 2016；Schoenholz 等 2017）。',
  },
  async build({ cat, fact, say, t }): Promise<ReportDocument> {
    const signals = SETTINGS.map((s) => signalPropagation(resolveActivation(s.activation), s.weightVar, s.biasVar));
    const [ordered, chaotic, relu] = signals;
    // The c-map steps as the kinds state them: one tanh layer with a bias, two inputs at c₀ = 0.5.
    const example = resolveNetwork({ widths: [100, 100, 100], activation: 'tanh', init: 'xavier_normal', biasStd: Math.sqrt(0.05) });
    const exampleSites = propagate(example, 'meanField', { inputCorrelation: 0.5 }).sites.filter((site) => site.crossRule);
    const decays = SETTINGS.map((s, i) => measureSetting(s, signals[i]));
    const boundaryActivations = ['tanh', 'erf', 'x/(1+abs(x))', 'relu'];
    const boundary = boundaryActivations.flatMap((name) =>
      orderToChaosBoundary(resolveActivation(name), BIAS_VARS).map((p) => ({ x: p.biasVar, y: p.criticalWeightVar, series: name })),
    );
    const weightVars = Array.from({ length: 25 }, (_, i) => 1 + i * 0.08);
    const depth = trainableDepthCurve(resolveActivation('tanh'), 0.05, weightVars).map((p) => ({ x: p.weightVar, y: Math.min(p.trainableDepth, 1000), series: '6ξ_c' }));
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Xavier keeps one number level: the variance of one input. Deep networks also forget how two inputs differ, and how fast they do decides how deep they can be trained.', 'Xavier 让一个数保持不变：一个输入的方差。深层网络还会逐层忘记两个不同输入之间原有的差别，忘得多快决定了它能被训练得多深。'))],
      blocks: [
        say(
          t(
            'Feed two inputs $x_a$, $x_b$ through the same random network. Besides the second moment $q_l = \\mathbb{E}[h_l^2]$ of each, the network carries their covariance $\\mathbb{E}[h_{a,l} h_{b,l}] = q_l c_l$, and every layer kind maps it as it maps $q$: one more moment of the same propagation (Poole et al. 2016). A dense layer multiplies it by $n_\\text{in}\\mathbb{E}[w^2] = \\sigma_w^2$ (both inputs meet the same weights), a bias adds $\\sigma_b^2$ (both get the same bias), and $\\phi$ maps it to $\\mathbb{E}[\\phi(u_a)\\phi(u_b)]$ for $(u_a, u_b)$ jointly Gaussian: the arc-cosine kernel in closed form for relu and leaky relu (Cho & Saul 2009), two-dimensional quadrature for any other activation, a custom expression included.',
            '把两个输入 $x_a$、$x_b$ 送入同一个随机网络。除了各自的二阶矩 $q_l = \\mathbb{E}[h_l^2]$，网络还携带它们的协方差 $\\mathbb{E}[h_{a,l} h_{b,l}] = q_l c_l$，每种层像映射 $q$ 一样映射它：同一传播中多出的一个矩（Poole 等 2016）。全连接层把它乘以 $n_\\text{in}\\mathbb{E}[w^2] = \\sigma_w^2$（两个输入遇到同样的权重），偏置加上 $\\sigma_b^2$（两者得到同样的偏置），$\\phi$ 把它映射为 $\\mathbb{E}[\\phi(u_a)\\phi(u_b)]$，其中 $(u_a, u_b)$ 联合高斯：relu 与 leaky relu 用闭式的反余弦核（Cho & Saul 2009），其他激活函数（包括自定义表达式）用二维求积。',
          ),
          'lead',
        ),
        { kind: 'math', latex: 'c_{l+1} = \\frac{\\sigma_w^2\\,\\mathbb{E}[\\phi(u_a)\\phi(u_b)] + \\sigma_b^2}{q_{l+1}}, \\qquad \\chi_c = \\sigma_w^2\\,\\mathbb{E}[\\phi\'(u_a)\\phi\'(u_b)], \\qquad \\chi_1 = \\sigma_w^2\\,\\mathbb{E}[\\phi\'(\\sqrt{q^*}z)^2]' },
        say(
          t(
            `The steps below are the rules the layer kinds used for one tanh layer with a bias, two inputs at $c_0 = ${fact(0.5)}$; the derivation checks each formula at these values (\`varprop derive\` renders them for any network).`,
            `下面是层类型对一个带偏置的 tanh 层、$c_0 = ${fact(0.5)}$ 的两个输入所用的规则；推导在这些数值处检查每个公式（\`varprop derive\` 可为任意网络给出它们）。`,
          ),
        ),
        {
          kind: 'table',
          header: [[text(t('site', '位置'))], [text(t('rule', '规则'))], [math('\\mathbb{E}[y_a y_b]')], [math('c')]],
          align: ['left', 'left', 'right', 'right'],
          rows: exampleSites.map((site) => [
            [text(`${site.path} (${site.kind})`)],
            [math(site.crossRule!.latex)],
            cell(site.output.cross as number),
            cell((site.output.cross as number) / site.output.secondMoment),
          ]),
        },
        say(
          t(
            `At the fixed points the distances shrink geometrically: $|c_l - c^*| \\propto e^{-l/\\xi_c}$ with $\\xi_c = -1/\\log\\chi_c$, gradients by $\\chi_1$ per layer, $\\xi_\\nabla = -1/\\log\\chi_1$, and $q_l$ reaches $q^*$ over $\\xi_q$ layers (Schoenholz et al. 2017, eqs. 7–9). With $\\chi_1 < 1$ (ordered) every pair of inputs becomes identical, $c^* = 1$; with $\\chi_1 > 1$ (chaotic) they decorrelate to $c^* < 1$ and gradients grow ($\\xi_\\nabla < 0$). For tanh at $\\sigma_b^2 = ${fact(ordered.biasVar)}$: $\\sigma_w^2 = ${fact(ordered.weightVar)}$ is ordered with $\\xi_c = ${fact(ordered.xiC)}$ layers; $\\sigma_w^2 = ${fact(chaotic.weightVar)}$ is chaotic with $c^* = ${fact(chaotic.cStar)}$ and $\\xi_c = ${fact(chaotic.xiC)}$. Schoenholz et al. found random networks trainable to about $6\\xi_c$ layers, which diverges at the boundary $\\chi_1 = 1$.`,
            `在不动点附近距离按几何级数缩小：$|c_l - c^*| \\propto e^{-l/\\xi_c}$，$\\xi_c = -1/\\log\\chi_c$；梯度每层乘以 $\\chi_1$，$\\xi_\\nabla = -1/\\log\\chi_1$；$q_l$ 在 $\\xi_q$ 层内到达 $q^*$（Schoenholz 等 2017，式 7–9）。$\\chi_1 < 1$（有序）时任意两个输入变得相同，$c^* = 1$；$\\chi_1 > 1$（混沌）时它们去相关到 $c^* < 1$，梯度增长（$\\xi_\\nabla < 0$）。对 $\\sigma_b^2 = ${fact(ordered.biasVar)}$ 的 tanh：$\\sigma_w^2 = ${fact(ordered.weightVar)}$ 是有序的，$\\xi_c = ${fact(ordered.xiC)}$ 层；$\\sigma_w^2 = ${fact(chaotic.weightVar)}$ 是混沌的，$c^* = ${fact(chaotic.cStar)}$，$\\xi_c = ${fact(chaotic.xiC)}$。Schoenholz 等发现随机网络大约可训练到 $6\\xi_c$ 层，它在边界 $\\chi_1 = 1$ 处发散。`,
          ),
        ),
        {
          kind: 'table',
          caption: [text(t('All mean-field (exact as width → ∞). ', '全部为平均场（宽度 → ∞ 时精确）。')), code('varprop signal --act NAME --weight-var W --bias-var V'), text(t(' prints a row.', ' 打印一行。'))],
          header: [[text('φ')], [math('\\sigma_w^2')], [math('\\sigma_b^2')], [math('q^*')], [math('c^*')], [math('\\chi_1')], [math('\\chi_c')], [math('\\xi_q')], [math('\\xi_c')], [math('\\xi_\\nabla')], [text(t('phase', '相'))], [math('6\\xi_c')]],
          align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right'],
          rows: signals.map((s) => [[text(s.activation)], cell(s.weightVar), cell(s.biasVar), cell(s.qStar), cell(s.cStar), cell(s.chi1), cell(s.chiC), cell(s.xiQ), cell(s.xiC), cell(s.xiGrad), [text(s.phase)], cell(s.trainableDepth)]),
        },
        {
          kind: 'figure',
          id: 'signal-boundary',
          spec: curvesSpec(boundary, { x: 'σ_b²', y: 'critical σ_w² (χ₁ = 1)', series: 'φ' }, { width: 400, height: 230 }),
          caption: [text(t('The order-to-chaos boundary χ₁ = 1 over σ_b² for four activations (a custom expression among them); ordered below each curve, chaotic above. relu\'s is flat at σ_w² = 2 (its χ₁ does not depend on q).', '四种激活函数（含一个自定义表达式）的有序—混沌边界 χ₁ = 1 随 σ_b² 的变化；曲线下方有序，上方混沌。relu 的边界平直地位于 σ_w² = 2（其 χ₁ 与 q 无关）。'))],
          alt: 'Order-to-chaos boundaries over the bias variance',
        },
        {
          kind: 'figure',
          id: 'signal-trainable-depth',
          spec: curvesSpec(depth, { x: 'σ_w² (tanh, σ_b² = 0.05)', y: 'trainable depth 6ξ_c', series: 'depth' }, { logY: true, width: 400, height: 200 }),
          caption: [text(t('The trainable depth ≈ 6ξ_c across the boundary (capped at 1000 where it diverges).', '跨越边界的可训练深度 ≈ 6ξ_c（发散处截断在 1000）。'))],
          alt: 'Trainable depth against the weight variance for tanh',
        },
        say(
          t(
            `Monte Carlo: ${fact(MEASURE.nets)} networks of width ${fact(MEASURE.width)} and ${fact(MEASURE.depth)} layers per setting, ${fact(MEASURE.pairs)} input pairs at $c_0 = ${fact(MEASURE.inputCorrelation)}$ through the very same weights and biases; $c_l$ is the cosine of the two pre-activations. The rate of $|c_l - c^*|$ is fitted per network and decided by the one decision procedure against the c-map's own rate over the same layers (mean-field band ±5%, 99% intervals). That rate approaches $1/\\xi_c$ only close to $c^*$: for relu the c-map has a $(1 - c)^{3/2}$ term, so over these layers its rate is ${fact(decays[2].predictedRate)} against $1/\\xi_c = ${fact(1 / relu.xiC)}$.`,
            `蒙特卡洛：每个设置 ${fact(MEASURE.nets)} 个宽度 ${fact(MEASURE.width)}、${fact(MEASURE.depth)} 层的网络，${fact(MEASURE.pairs)} 对 $c_0 = ${fact(MEASURE.inputCorrelation)}$ 的输入穿过完全相同的权重和偏置；$c_l$ 是两个预激活的余弦。每个网络拟合 $|c_l - c^*|$ 的衰减率，并用唯一的判定程序与 c 映射在同样层上的衰减率比较（平均场容差 ±5%，99% 区间）。这个衰减率只在接近 $c^*$ 时才趋于 $1/\\xi_c$：relu 的 c 映射含 $(1 - c)^{3/2}$ 项，所以在这些层上它的衰减率为 ${fact(decays[2].predictedRate)}，而 $1/\\xi_c = ${fact(1 / relu.xiC)}$。`,
          ),
        ),
        {
          kind: 'table',
          caption: [text(t('Reproduce with more networks: ', '用更多网络复现：')), code('varprop signal --act tanh --weight-var 1.5 --bias-var 0.05 --measure'), text(t(' (and --act relu --weight-var 1.8, --act tanh --weight-var 2.5).', '（--act relu --weight-var 1.8 与 --act tanh --weight-var 2.5 同理）。'))],
          header: [[text('φ')], [math('\\sigma_w^2')], [math('c_L')], [text(t('measured ', '测量 ')), math('c_L')], [math('1/\\xi_c')], [text(t('c-map rate', 'c 映射衰减率'))], [text(t('measured rate [99%]', '测量衰减率 [99%]'))], [text(t('verdict', '结论'))]],
          align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
          rows: decays.map((d, i) => [
            [text(SETTINGS[i].activation)],
            cell(SETTINGS[i].weightVar),
            cell(d.predictedCorrelations[d.predictedCorrelations.length - 1]),
            cell(d.measuredCorrelations[d.measuredCorrelations.length - 1]),
            cell(1 / signals[i].xiC),
            cell(d.predictedRate),
            [text(`${formatNumber(d.rate.estimate)} [${formatNumber(d.rate.ciLow)}, ${formatNumber(d.rate.ciHigh)}]`)],
            [text(d.rate.verdict)],
          ]),
        },
        say(
          t(
            'Sources: B. Poole, S. Lahiri, M. Raghu, J. Sohl-Dickstein, S. Ganguli, "Exponential expressivity in deep neural networks through transient chaos", NeurIPS 2016; S. S. Schoenholz, J. Gilmer, S. Ganguli, J. Sohl-Dickstein, "Deep information propagation", ICLR 2017; Y. Cho, L. K. Saul, "Kernel methods for deep learning", NeurIPS 2009. Code: src/theory/signal.ts, src/numeric/correlation.ts, the c-map step of each kind in src/layers/.',
            '出处：B. Poole、S. Lahiri、M. Raghu、J. Sohl-Dickstein、S. Ganguli，"Exponential expressivity in deep neural networks through transient chaos"，NeurIPS 2016；S. S. Schoenholz、J. Gilmer、S. Ganguli、J. Sohl-Dickstein，"Deep information propagation"，ICLR 2017；Y. Cho、L. K. Saul，"Kernel methods for deep learning"，NeurIPS 2009。代码：src/theory/signal.ts、src/numeric/correlation.ts，以及 src/layers/ 中各层类型的 c 映射步骤。',
          ),
          'small',
        ),
      ],
    };
  },
};
