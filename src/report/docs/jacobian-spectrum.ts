/**
 * Docs: the spectrum of the input–output Jacobian and dynamical isometry (Pennington, Schoenholz &
 * Ganguli 2017, 2018). The mean squared singular value is read from `propagate()`, the variance from
 * src/theory/jacobian.ts, the measurements from src/numeric/jacobian.ts with the settings of
 * `varprop jacobian` (so each table row's command prints the same numbers); every number in the
 * prose comes through `fact`.
 */
import { spectrumHistogramSpec, type SpectrumPanel } from '../../charts/spectrum.js';
import { decideJacobianSpectrum, JACOBIAN_DEFAULTS, measureJacobianSpectrum, type JacobianMeasurement } from '../../numeric/jacobian.js';
import { criticalPoint } from '../../theory/criticality.js';
import { exactLinearGaussianVariance, isometryProfile, predictJacobianSpectrum } from '../../theory/jacobian.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { resolveNetwork, type WidthsNetworkSpec } from '../../vocabulary/network.js';
import { code, math, text, type Inline, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import type { DocTopic } from './topic.js';

export const SPECTRUM_WIDTH = 128;
export const SPECTRUM_DEPTH = 4;
/** σ_b² of the tanh networks: near the end of the critical line, where tanh is nearly linear on q*. */
export const SPECTRUM_TANH_BIAS_VAR = 1e-3;
/** The σ_b² of the isometry table, from the usual 0.05 (Schoenholz et al. 2017, fig. 1) towards 0. */
export const ISOMETRY_BIAS_VARS = [0.05, 1e-2, 1e-3, 1e-4] as const;

/** Six significant digits: the network the page measures is the one its command line writes. */
const rounded = (value: number) => Number(value.toPrecision(6));

export interface SpectrumSetting {
  id: string;
  activation: 'identity' | 'tanh' | 'relu';
  weights: 'gaussian' | 'orthogonal';
  spec: WidthsNetworkSpec;
  /** The command that prints this row. */
  command: string;
}

/** The six networks of the page: linear, tanh on its critical line, relu; Gaussian and orthogonal. */
export function spectrumSettings(): SpectrumSetting[] {
  const widths = new Array(SPECTRUM_DEPTH + 1).fill(SPECTRUM_WIDTH);
  const tanh = criticalPoint(resolveActivation('tanh'), SPECTRUM_TANH_BIAS_VAR);
  const tanhGain = rounded(Math.sqrt(tanh.criticalWeightVar));
  const tanhBiasStd = rounded(Math.sqrt(SPECTRUM_TANH_BIAS_VAR));
  // The input at the fixed point: σ_w²·γ² + σ_b² = q*.
  const tanhInputVariance = rounded((tanh.qStar - SPECTRUM_TANH_BIAS_VAR) / tanh.criticalWeightVar);
  const reluGain = rounded(Math.SQRT2);
  const base = `varprop jacobian --widths ${widths.join(',')}`;
  return [
    { id: 'linear-gaussian', activation: 'identity', weights: 'gaussian', spec: { widths, activation: 'identity', init: 'xavier_normal' }, command: `${base} --init xavier_normal` },
    { id: 'linear-orthogonal', activation: 'identity', weights: 'orthogonal', spec: { widths, activation: 'identity', init: 'orthogonal' }, command: `${base} --init orthogonal` },
    ...(['gaussian', 'orthogonal'] as const).map((weights) => {
      const init = weights === 'gaussian' ? 'xavier_normal' : 'orthogonal';
      return {
        id: `tanh-${weights}`,
        activation: 'tanh' as const,
        weights,
        spec: { widths, activation: 'tanh', init: { name: init, gain: tanhGain }, biasStd: tanhBiasStd, inputVariance: tanhInputVariance },
        command: `${base} --act tanh --init ${init} --gain ${tanhGain} --bias-std ${tanhBiasStd} --input-variance ${tanhInputVariance}`,
      };
    }),
    { id: 'relu-gaussian', activation: 'relu', weights: 'gaussian', spec: { widths, activation: 'relu', init: 'he_normal' }, command: `${base} --act relu --init he_normal` },
    {
      id: 'relu-orthogonal',
      activation: 'relu',
      weights: 'orthogonal',
      spec: { widths, activation: 'relu', init: { name: 'orthogonal', gain: reluGain } },
      command: `${base} --act relu --init orthogonal --gain ${reluGain}`,
    },
  ];
}

/** Prediction, measurement and decision of one setting, with the defaults of `varprop jacobian`. */
export function spectrumEvidence(setting: SpectrumSetting) {
  const network = resolveNetwork(setting.spec);
  const prediction = predictJacobianSpectrum(network);
  const measurement: JacobianMeasurement = measureJacobianSpectrum(network, { nets: JACOBIAN_DEFAULTS.nets, inputsPerNet: JACOBIAN_DEFAULTS.inputs, seed: JACOBIAN_DEFAULTS.seed });
  const variance = prediction.varianceSquaredSingularValue!;
  const decided = decideJacobianSpectrum(measurement, { mean: prediction.meanSquaredSingularValue, variance: { value: variance.value, label: variance.label } }, { level: JACOBIAN_DEFAULTS.level });
  return { setting, prediction, measurement, decided, exactVariance: exactLinearGaussianVariance(network) };
}

type Evidence = ReturnType<typeof spectrumEvidence>;

/** The Monte Carlo is deterministic: both languages read one run per setting. */
const evidenceCache = new Map<string, Evidence>();
function evidenceOf(setting: SpectrumSetting): Evidence {
  const key = JSON.stringify(setting.spec);
  let evidence = evidenceCache.get(key);
  if (!evidence) evidenceCache.set(key, (evidence = spectrumEvidence(setting)));
  return evidence;
}

const interval = (low: number, high: number) => `[${formatNumber(low)}, ${formatNumber(high)}]`;
/** Quadrature's rounding (identity's μ₂ = 1 + 2e-16) shown as the 0 it is. */
const roundingToZero = (value: number) => (Math.abs(value) < 1e-12 ? 0 : value);

export const jacobianSpectrumTopic: DocTopic = {
  slug: 'jacobian-spectrum',
  title: 'The Jacobian\'s spectrum and dynamical isometry',
  summary: 'Xavier keeps the mean squared singular value of the input–output Jacobian at one; its spread grows with depth by μ₂/μ₁² − 1 − s₁ per layer, so only orthogonal weights with a nearly linear activation keep every direction at scale.',
  zh: {
    title: '雅可比矩阵的谱与动力等距',
    summary: 'Xavier 让输入–输出雅可比矩阵的平均奇异值平方保持为一；它的离散程度随深度每层增加 μ₂/μ₁² − 1 − s₁，所以只有正交权重配合近乎线性的激活函数才能让每个方向都保持尺度。',
  },
  async build({ cat, fact, say, t }): Promise<ReportDocument> {
    const settings = spectrumSettings();
    const evidence = settings.map(evidenceOf);
    const byId = new Map(evidence.map((e) => [e.setting.id, e]));
    const get = (id: string) => byId.get(id)!;
    const tanh = resolveActivation('tanh');
    const profiles = [
      isometryProfile(resolveActivation('identity'), 0),
      isometryProfile(resolveActivation('relu'), 0),
      ...ISOMETRY_BIAS_VARS.map((b) => isometryProfile(tanh, b)),
    ];
    const relu = profiles[1];
    const tanhUsual = profiles[2];
    const tanhSmallest = profiles[profiles.length - 1];
    const tanhGaussian = get('tanh-gaussian');
    const tanhOrthogonal = get('tanh-orthogonal');
    const linearGaussian = get('linear-gaussian');
    const leading = linearGaussian.prediction.varianceSquaredSingularValue!.value;
    const exact = linearGaussian.exactVariance!;
    const normalized = (e: Evidence) => e.prediction.normalizedVariance!;
    const factorRows = tanhOrthogonal.prediction.factors;
    const activationFactor = factorRows.find((f) => f.kind === 'activation')!;
    const weightFactor = factorRows.find((f) => f.kind === 'dense')!;
    const words = {
      gaussian: t('Gaussian', '高斯'),
      orthogonal: t('orthogonal', '正交'),
      identity: t('linear', '线性'),
      tanh: t(`tanh (critical, σ_b² = ${formatNumber(SPECTRUM_TANH_BIAS_VAR)})`, `tanh（临界，σ_b² = ${formatNumber(SPECTRUM_TANH_BIAS_VAR)}）`),
      relu: 'relu',
    };
    const label = (l: string) => (l === 'exact' ? t('exact', '精确') : l === 'meanField' ? t('mean-field', '平均场') : t('leading order', '首阶'));
    const verdictWord = (v: string | null) => (v === 'holds' ? t('holds', '成立') : v === 'fails' ? t('fails', '不成立') : t('undecided', '未定'));
    const relativeBias = (e: Evidence) => e.decided.varianceSquaredSingularValue.estimate / e.decided.varianceSquaredSingularValue.predicted! - 1;
    const panels: SpectrumPanel[] = evidence.map((e) => ({
      row: words[e.setting.activation],
      column: words[e.setting.weights],
      eigenvalues: e.measurement.eigenvalues,
      predictedMean: e.prediction.meanSquaredSingularValue.value,
      predictedStd: Math.sqrt(Math.max(0, e.prediction.varianceSquaredSingularValue!.value)),
    }));
    const tanhSpreads = profiles.slice(2).map((p) => p.perLayerVariance.orthogonal);
    const tanhApproaches = tanhSpreads.every((v, i) => i === 0 || v < tanhSpreads[i - 1]) && tanhSmallest.perLayerVariance.orthogonal < 0.05;
    const others = ['tanh-orthogonal', 'tanh-gaussian', 'relu-gaussian'].map(get);
    const predictionsInside = others.every((e) => {
      const v = e.decided.varianceSquaredSingularValue;
      return v.predicted! >= v.ciLow && v.predicted! <= v.ciHigh;
    });
    const reluCannot = relu.perLayerVariance.orthogonal >= 1 - 1e-9;
    const cmd = (c: string): Inline[] => [code(c)];
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Pennington, Schoenholz & Ganguli 2017, "Resurrecting the sigmoid in deep learning through dynamical isometry: theory and practice" (NeurIPS); 2018, "The emergence of spectral universality in deep networks" (AISTATS).', 'Pennington、Schoenholz 与 Ganguli 2017，《Resurrecting the sigmoid in deep learning through dynamical isometry: theory and practice》（NeurIPS）；2018，《The emergence of spectral universality in deep networks》（AISTATS）。'))],
      blocks: [
        say(
          t(
            'The input–output Jacobian $J = \\partial h_L / \\partial x$ maps a small change of the input to the change of the output, and $J^\\top$ maps the gradient at the output back to the input. Its squared singular values, the eigenvalues $\\lambda$ of $J^\\top J$, say how much each direction is stretched. Xavier, He and LeCun keep their *mean* at one; this page derives their *spread*, measures both, and says which networks keep every direction at scale: **dynamical isometry**, all $\\lambda$ near one.',
            '输入–输出雅可比矩阵 $J = \\partial h_L / \\partial x$ 把输入的微小变化映射为输出的变化，$J^\\top$ 把输出处的梯度映射回输入。它的奇异值平方，即 $J^\\top J$ 的特征值 $\\lambda$，说明每个方向被拉伸了多少。Xavier、He 和 LeCun 让它们的*平均值*保持为一；本页推导它们的*离散程度*，测量两者，并说明哪些网络能让每个方向都保持尺度：**动力等距**，即所有 $\\lambda$ 都接近一。',
          ),
          'lead',
        ),
        { kind: 'heading', level: 2, text: t('The mean: the backward pass already knows it', '平均值：反向传播已经知道它'), id: 'mean' },
        say(
          t(
            'For a random linear loss with coefficients $g \\sim \\mathcal{N}(0, I)$ the gradient at the input is $J^\\top g$, and $\\mathbb{E}\\|J^\\top g\\|^2 = \\operatorname{tr}(J^\\top J)$. So the mean squared singular value $m_1 = \\operatorname{tr}(J^\\top J)/n_0$ is the backward second moment at the input, the very product of per-node factors that the variance derivation composes: $\\sigma_w^2$ per weight layer and $\\mu_1 = \\mathbb{E}[\\phi\'(h)^2]$ per activation, $(\\sigma_w^2\\mu_1)^L$ on a chain at its fixed point. It is exact at any width for identity and relu-like activations and mean-field otherwise.',
            '对系数 $g \\sim \\mathcal{N}(0, I)$ 的随机线性损失，输入处的梯度是 $J^\\top g$，且 $\\mathbb{E}\\|J^\\top g\\|^2 = \\operatorname{tr}(J^\\top J)$。所以平均奇异值平方 $m_1 = \\operatorname{tr}(J^\\top J)/n_0$ 就是输入处的反向二阶矩，正是方差推导所组合的逐节点因子之积：每个权重层 $\\sigma_w^2$，每个激活 $\\mu_1 = \\mathbb{E}[\\phi\'(h)^2]$，在不动点上的链为 $(\\sigma_w^2\\mu_1)^L$。对恒等和类 relu 激活它在任意宽度下精确，其他情况为平均场。',
          ),
        ),
        { kind: 'math', latex: 'm_1 = \\frac{1}{n_0}\\operatorname{tr}(J^\\top J) = \\prod_{\\ell} \\sigma_{w,\\ell}^2 \\prod_{\\ell} \\mu_{1,\\ell}, \\qquad \\mu_k = \\mathbb{E}\\big[\\phi\'(\\sqrt{q^*} z)^{2k}\\big]' },
        { kind: 'heading', level: 2, text: t('The variance: free probability', '方差：自由概率'), id: 'variance' },
        say(
          t(
            'At large width the factors $W_\\ell^\\top W_\\ell$ and $D_\\ell^2 = \\operatorname{diag}(\\phi\'(h_\\ell)^2)$ of $J^\\top J$ are asymptotically free, and the S-transform of a product of free factors is the product of their S-transforms. Since $S(z) = m_1^{-1}(1 - (m_2/m_1^2 - 1)z + \\dots)$, the normalized variances $m_2/m_1^2 - 1$ of the factors add: $\\mu_2/\\mu_1^2 - 1$ per activation, and $-s_1$ per weight layer, with $s_1 = -1$ for iid entries (the Marchenko–Pastur law) and $s_1 = 0$ for orthogonal weights, whose $W^\\top W$ is $\\sigma_w^2 I$. $\\mu_2 = \\mathbb{E}[\\phi\'(h)^4]$ is computed by the same Gaussian quadrature as every other moment. This is leading order in $1/\\text{width}$.',
            '宽度很大时，$J^\\top J$ 的因子 $W_\\ell^\\top W_\\ell$ 与 $D_\\ell^2 = \\operatorname{diag}(\\phi\'(h_\\ell)^2)$ 渐近自由，而自由因子乘积的 S 变换等于各自 S 变换之积。由于 $S(z) = m_1^{-1}(1 - (m_2/m_1^2 - 1)z + \\dots)$，各因子的归一化方差 $m_2/m_1^2 - 1$ 相加：每个激活贡献 $\\mu_2/\\mu_1^2 - 1$，每个权重层贡献 $-s_1$；独立同分布元素（Marchenko–Pastur 律）的 $s_1 = -1$，正交权重的 $W^\\top W = \\sigma_w^2 I$，$s_1 = 0$。$\\mu_2 = \\mathbb{E}[\\phi\'(h)^4]$ 由与其他矩相同的高斯求积计算。这是关于 $1/\\text{宽度}$ 的首阶结果。',
          ),
        ),
        { kind: 'math', latex: '\\operatorname{Var}[\\lambda] = m_1^2 \\sum_{\\ell}\\Big(\\frac{\\mu_{2,\\ell}}{\\mu_{1,\\ell}^2} - 1 - s_{1,\\ell}\\Big) \\;\\xrightarrow{\\text{critical, } m_1 = 1}\\; L\\Big(\\frac{\\mu_2}{\\mu_1^2} - 1 - s_1\\Big)' },
        say(
          t(
            `For the critical tanh network measured below (orthogonal weights), each activation contributes the factor $\\mu_1 = ${fact(activationFactor.factor)}$ and the spread $${fact(activationFactor.spread!)}$, each weight layer the factor $\\sigma_w^2 = ${fact(weightFactor.factor)}$ and no spread; over the whole network $m_1 = ${fact(tanhOrthogonal.prediction.meanSquaredSingularValue.value)}$ and $\\operatorname{Var}[\\lambda]/m_1^2 = ${fact(normalized(tanhOrthogonal))}$, against $${fact(normalized(tanhGaussian))}$ with Gaussian weights of the same variance.`,
            `对下面测量的临界 tanh 网络（正交权重），每个激活贡献因子 $\\mu_1 = ${fact(activationFactor.factor)}$ 和离散项 $${fact(activationFactor.spread!)}$，每个权重层贡献因子 $\\sigma_w^2 = ${fact(weightFactor.factor)}$ 且无离散项；整个网络 $m_1 = ${fact(tanhOrthogonal.prediction.meanSquaredSingularValue.value)}$，$\\operatorname{Var}[\\lambda]/m_1^2 = ${fact(normalized(tanhOrthogonal))}$，而同方差的高斯权重为 $${fact(normalized(tanhGaussian))}$。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Which activations can reach dynamical isometry', '哪些激活函数能达到动力等距'), id: 'isometry' },
        say(
          t(
            `On the critical line ($\\sigma_w^2\\mu_1 = 1$, so $m_1 = 1$ at every depth) the spread grows by $\\mu_2/\\mu_1^2 - 1 - s_1$ per layer. Gaussian weights always add one per layer, so no activation is isometric with them. With orthogonal weights a linear network is exactly isometric (growth ${fact(roundingToZero(profiles[0].perLayerVariance.orthogonal))}). tanh ${tanhApproaches ? 'can, in the limit' : 'cannot'}: at the usual $\\sigma_b^2 = ${fact(tanhUsual.biasVar)}$ its growth is ${fact(tanhUsual.perLayerVariance.orthogonal)} per layer, at $\\sigma_b^2 = ${fact(tanhSmallest.biasVar)}$ only ${fact(tanhSmallest.perLayerVariance.orthogonal)}, because $q^*$ shrinks towards 0, where tanh is linear. relu ${reluCannot ? 'cannot' : 'can'}: $\\phi'^2$ is 0 or 1 with probability one half each, so $\\mu_1 = \\mu_2 = ${fact(relu.mu1)}$ and the growth is ${fact(relu.perLayerVariance.orthogonal)} per layer whatever $\\sigma_w^2$ and whatever the weights.`,
            `在临界线上（$\\sigma_w^2\\mu_1 = 1$，所以任何深度 $m_1 = 1$），离散程度每层增加 $\\mu_2/\\mu_1^2 - 1 - s_1$。高斯权重每层总是加一，所以没有激活函数能用它们达到等距。用正交权重时线性网络恰好等距（增量 ${fact(roundingToZero(profiles[0].perLayerVariance.orthogonal))}）。tanh ${tanhApproaches ? '在极限下能' : '不能'}：在常用的 $\\sigma_b^2 = ${fact(tanhUsual.biasVar)}$ 时每层增量为 ${fact(tanhUsual.perLayerVariance.orthogonal)}，在 $\\sigma_b^2 = ${fact(tanhSmallest.biasVar)}$ 时只有 ${fact(tanhSmallest.perLayerVariance.orthogonal)}，因为 $q^*$ 缩向 0，而 tanh 在 0 附近是线性的。relu ${reluCannot ? '不能' : '能'}：$\\phi'^2$ 以各一半的概率取 0 或 1，所以 $\\mu_1 = \\mu_2 = ${fact(relu.mu1)}$，无论 $\\sigma_w^2$ 和权重如何，每层增量都是 ${fact(relu.perLayerVariance.orthogonal)}。`,
          ),
        ),
        {
          kind: 'table',
          header: [[text(t('activation', '激活函数'))], [math('\\sigma_b^2')], [math('\\sigma_w^2')], [math('q^*')], [math('\\mu_1')], [math('\\mu_2')], [text(t('growth per layer, Gaussian', '每层增量，高斯'))], [text(t('growth per layer, orthogonal', '每层增量，正交'))]],
          align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
          rows: profiles.map((p) => [
            [text(p.activation)],
            [text(formatNumber(p.biasVar))],
            [text(formatNumber(p.criticalWeightVar))],
            [text(p.activation === 'tanh' ? formatNumber(p.qStar) : t('any', '任意'))],
            [text(formatNumber(p.mu1))],
            [text(formatNumber(p.mu2))],
            [text(formatNumber(p.perLayerVariance.gaussian))],
            [text(formatNumber(roundingToZero(p.perLayerVariance.orthogonal)))],
          ]),
          caption: [text(t('Per-layer growth of Var[λ] at the critical point, from src/theory/jacobian.ts (isometryProfile).', '临界点处 Var[λ] 的每层增量，来自 src/theory/jacobian.ts（isometryProfile）。'))],
        },
        { kind: 'heading', level: 2, text: t('Monte Carlo', '蒙特卡洛'), id: 'monte-carlo' },
        say(
          t(
            `Each row samples ${fact(JACOBIAN_DEFAULTS.nets, 6)} networks of ${fact(SPECTRUM_DEPTH, 6)} square layers of width ${fact(SPECTRUM_WIDTH, 6)}, forms $J$ at one input each by running every layer's backward pass on the basis vectors, and takes the eigenvalues of $J^\\top J$ with ml-matrix. Intervals are at the Bonferroni level of the check over the two moments; the band is ±5% for a mean-field mean, ±10% for a leading-order variance and rounding for an exact one. Each row's command prints the same numbers.`,
            `每行采样 ${fact(JACOBIAN_DEFAULTS.nets, 6)} 个网络，每个有 ${fact(SPECTRUM_DEPTH, 6)} 个宽度为 ${fact(SPECTRUM_WIDTH, 6)} 的方形层；对每个网络在一个输入处，让每层的反向传播作用于基向量来构成 $J$，并用 ml-matrix 求 $J^\\top J$ 的特征值。区间取两个矩上的 Bonferroni 水平；平均场均值的容差带为 ±5%，首阶方差为 ±10%，精确值只容许舍入误差。每行的命令打印相同的数字。`,
          ),
        ),
        {
          kind: 'table',
          header: [
            [text(t('network', '网络'))],
            [text(t('weights', '权重'))],
            [math('m_1'), text(t(' predicted', ' 预测'))],
            [math('m_1'), text(t(' measured', ' 测量'))],
            [math('\\operatorname{Var}[\\lambda]'), text(t(' predicted', ' 预测'))],
            [math('\\operatorname{Var}[\\lambda]'), text(t(' measured', ' 测量'))],
            [text(t('command', '命令'))],
          ],
          align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
          rows: evidence.map((e) => {
            const mean = e.decided.meanSquaredSingularValue;
            const variance = e.decided.varianceSquaredSingularValue;
            return [
              [text(words[e.setting.activation])],
              [text(words[e.setting.weights])],
              [text(`${formatNumber(mean.predicted!)} (${label(mean.label!)})`)],
              [text(`${formatNumber(mean.estimate)} ${interval(mean.ciLow, mean.ciHigh)} ${verdictWord(mean.verdict)}`)],
              [text(`${formatNumber(roundingToZero(variance.predicted!))} (${label(variance.label!)})`)],
              [text(`${formatNumber(variance.estimate)} ${interval(variance.ciLow, variance.ciHigh)} ${verdictWord(variance.verdict)}`)],
              cmd(e.setting.command),
            ];
          }),
        },
        {
          kind: 'figure',
          id: 'jacobian-spectrum-histograms',
          spec: spectrumHistogramSpec(panels, { value: t('squared singular value λ', '奇异值平方 λ'), density: t('density', '密度'), predictedMean: t('predicted mean', '预测均值'), predictedSpread: t('predicted mean ± sd', '预测均值 ± 标准差') }),
          caption: [text(t('Squared singular values of all sampled Jacobians, Gaussian (left) against orthogonal (right) weights, with the predicted mean and mean ± one predicted standard deviation.', '所有采样雅可比矩阵的奇异值平方，高斯权重（左）对比正交权重（右），以及预测均值和均值 ± 一个预测标准差。'))],
          alt: t('Histograms of the Jacobian spectrum', '雅可比矩阵谱的直方图'),
        },
        { kind: 'heading', level: 2, text: t('Finite width', '有限宽度'), id: 'finite-width' },
        say(
          t(
            `The variance formula is the infinite-width limit. For a linear chain with Gaussian weights the finite-width value is known exactly (each layer's Gram matrix is Wishart, so the moments of $J^\\top J$ follow a three-term linear recursion): at width ${fact(SPECTRUM_WIDTH, 6)} and depth ${fact(SPECTRUM_DEPTH, 6)} it is ${fact(exact)}, ${fact((exact / leading - 1) * 100, 3)}% above the leading order ${fact(leading)}; the bias grows like depth/width. For the other networks the measured variance differs from the leading order by ${fact(relativeBias(get('tanh-orthogonal')) * 100, 2)}% (tanh, orthogonal), ${fact(relativeBias(tanhGaussian) * 100, 2)}% (tanh, Gaussian) and ${fact(relativeBias(get('relu-gaussian')) * 100, 2)}% (relu, Gaussian); ${predictionsInside ? 'each prediction lies inside its interval above' : 'not every prediction lies inside its interval above'}.`,
            `方差公式是无限宽度的极限。对高斯权重的线性链，有限宽度的值可以精确求出（每层的 Gram 矩阵服从 Wishart 分布，所以 $J^\\top J$ 的矩满足一个三项线性递推）：宽度 ${fact(SPECTRUM_WIDTH, 6)}、深度 ${fact(SPECTRUM_DEPTH, 6)} 时为 ${fact(exact)}，比首阶值 ${fact(leading)} 高 ${fact((exact / leading - 1) * 100, 3)}%；偏差随深度/宽度增长。对其他网络，测量方差与首阶值相差 ${fact(relativeBias(get('tanh-orthogonal')) * 100, 2)}%（tanh，正交）、${fact(relativeBias(tanhGaussian) * 100, 2)}%（tanh，高斯）和 ${fact(relativeBias(get('relu-gaussian')) * 100, 2)}%（relu，高斯）；${predictionsInside ? '每个预测都在上面对应的区间之内' : '并非每个预测都在上面对应的区间之内'}。`,
          ),
        ),
        say(
          t(
            'Why it matters: gradient descent on a network whose Jacobian is well conditioned learns all directions at one rate; Pennington et al. train 200-layer tanh networks with orthogonal weights at the critical point far faster than with Gaussian weights, and relu networks cannot be brought there. See also the page “Exploding and vanishing gradients as products of Jacobians”.',
            '为什么重要：在雅可比矩阵条件良好的网络上梯度下降以同一速率学习所有方向；Pennington 等人在临界点用正交权重训练 200 层 tanh 网络，远快于高斯权重，而 relu 网络无法达到这一点。另见“梯度爆炸与消失：雅可比矩阵的乘积”一页。',
          ),
          'small',
        ),
      ],
    };
  },
};
