/**
 * Docs: finite width. Mean-field and exact predictions are averages over networks; at finite width
 * one network's M = ‖y‖²/n strays from them, and E[M²]/E[M]² says how far (Hanin 2018; Hanin &
 * Rolnick 2018; Roberts, Yaida & Hanin 2022, ch. 4–5). The derivation's steps are the per-site
 * rules of src/theory/fluctuations.ts, each checked by the symbolic engine; the evidence is the
 * Monte Carlo of src/numeric/fluctuations.ts.
 */
import { fluctuationBand, fluctuationPaths, fluctuationSpreadSpec } from '../../charts/fluctuations.js';
import { formatSignificant } from '../../math/significant.js';
import { checkFluctuations, sampleFluctuations, type FluctuationReport } from '../../numeric/fluctuations.js';
import { createEngine, type Engine } from '../../symbolic/engine.js';
import type { DerivationStep } from '../../symbolic/derivation.js';
import { propagate } from '../../symbolic/propagate.js';
import { activationFourthMoments, predictFluctuations, quadratureFourthMoments, weightKurtosis, type SiteFluctuation } from '../../theory/fluctuations.js';
import { uniformDistribution } from '../../vocabulary/distributions/uniform.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { resolveNetwork, type WidthsNetworkSpec } from '../../vocabulary/network.js';
import { code, prose, text, type Block, type Inline, type ReportDocument, type StepRow } from '../document.js';
import { formatNumber } from '../format.js';
import type { DocContext, DocTopic } from './topic.js';

/** Networks per Monte Carlo run: the studentized interval holds its level from about 4000. */
const NETS = 4000;
const SEED = 1;

/** The settings whose measured-vs-predicted rows the page shows: two activations and a uniform law. */
export const FINITE_WIDTH_RUNS: readonly { name: string; spec: WidthsNetworkSpec }[] = [
  { name: 'relu, He normal', spec: { widths: [10, 10, 10, 10], activation: 'relu', init: 'he_normal' } },
  { name: 'tanh, Xavier normal', spec: { widths: [10, 10, 10, 10], activation: 'tanh', init: 'xavier_normal' } },
  { name: 'identity, Xavier uniform', spec: { widths: [5, 5, 5, 5], activation: 'identity', init: 'xavier_uniform' } },
];

/** The deep, narrow He network of the figure. */
export const SPREAD_NETWORK: WidthsNetworkSpec = { widths: new Array(21).fill(10), activation: 'relu', init: 'he_normal' };
const SPREAD_LINES = 200;

// One Monte Carlo run per setting, shared by both languages (deterministic: fixed seeds).
const runs = new Map<string, FluctuationReport>();
function fluctuationRun(spec: WidthsNetworkSpec): FluctuationReport {
  const key = JSON.stringify(spec);
  let report = runs.get(key);
  if (!report) runs.set(key, (report = checkFluctuations(resolveNetwork(spec), { nets: NETS, seed: SEED })));
  return report;
}

/** A checked step: `lhs` (mathjs) evaluated at `at` must equal `value`. */
function checkedStep(engine: Engine, latex: string, note: string, lhs: string, at: Record<string, number>, value: number, exact: boolean): DerivationStep {
  const step: DerivationStep = {
    rule: 'substitution',
    latex,
    note,
    check: { lhs, rhs: String(value), symbols: Object.keys(at), at },
    ...(exact ? { prediction: 'exact' as const } : {}),
  };
  return engine.accept(step);
}

function rows(steps: readonly { step: DerivationStep; rule: string; label: Inline[] }[], counter: { next: number }): StepRow[] {
  return steps.map(({ step, rule, label }) => ({ number: counter.next++, rule, latex: step.latex, note: prose(step.note), flags: [], prediction: label }));
}

export const finiteWidthTopic: DocTopic = {
  slug: 'finite-width',
  title: 'Finite width: how far one network strays from the average',
  summary: 'At finite width the per-network squared norm fluctuates: E[M²]/E[M]² is exactly (1 + 2/n₀)·∏(1 + (κ − 1)/n_l) for relu-like activations with Gaussian weights (relu κ = 6), to leading order for others; measured on widths 5–10.',
  zh: {
    title: '有限宽度：单个网络偏离平均值有多远',
    summary: '有限宽度下每个网络的平方范数会涨落：对 relu 类激活函数和高斯权重，E[M²]/E[M]² 精确等于 (1 + 2/n₀)·∏(1 + (κ − 1)/n_l)（relu 的 κ = 6），其他激活函数为首阶近似；在宽度 5–10 上测量。',
  },
  async build({ cat, fact, say, t }: DocContext): Promise<ReportDocument> {
    const engine = createEngine();
    const counter = { next: 1 };
    const exactLabel = [text(t('exact: holds at any width', '精确：任意宽度成立'))];
    const leadingLabel = [text(t('leading order in 1/n', '1/n 的首阶近似'))];

    // κ of relu: closed form and quadrature.
    const relu = resolveActivation('relu');
    const reluClosed = activationFourthMoments(relu, 1);
    const reluQuadrature = quadratureFourthMoments(relu, 1);
    const kappaSteps = [
      {
        rule: t('half of a Gaussian', '高斯的一半'),
        label: exactLabel,
        step: checkedStep(
          engine,
          '\\kappa_\\text{relu} = \\frac{\\mathbb{E}[\\mathrm{relu}(z)^4]}{\\mathbb{E}[\\mathrm{relu}(z)^2]^2} = \\frac{\\tfrac12\\,\\mathbb{E}[z^4]}{\\left(\\tfrac12\\,\\mathbb{E}[z^2]\\right)^2} = \\frac{3/2}{1/4} = 6',
          t('relu keeps the positive half of z ~ N(0, 1), and z is symmetric: each even moment is halved. Quadrature of the same integrals gives ', 'relu 保留 z ~ N(0, 1) 的正半部分，而 z 是对称的：每个偶数阶矩减半。同样积分的数值求积给出 ') +
            `$${formatSignificant(reluQuadrature.kappa)}$.`,
          'm4/m2^2',
          { m4: reluClosed.m4, m2: reluClosed.m2 },
          6,
          true,
        ),
      },
    ];

    // A relu chain of width 10: every site's rule, checked.
    const chainSpec = FINITE_WIDTH_RUNS[0].spec;
    const chain = resolveNetwork(chainSpec);
    const chainPrediction = predictFluctuations(chain, propagate(chain));
    const siteStep = (site: SiteFluctuation) => ({
      rule: site.rule.name,
      label: site.state.label === 'exact' ? exactLabel : leadingLabel,
      step: checkedStep(
        engine,
        `R_{\\text{${site.path}}} = ${site.rule.latex} = ${formatSignificant(site.secondMomentRatio)}`,
        `${site.kind} ${t('at', '位于')} ${site.path}: ${site.rule.note}`,
        site.rule.expression,
        site.rule.values,
        site.secondMomentRatio,
        site.state.label === 'exact',
      ),
    });
    const chainSteps = chainPrediction.sites.map(siteStep);

    // tanh: the leading-order rule at one activation.
    const tanhNetwork = resolveNetwork(FINITE_WIDTH_RUNS[1].spec);
    const tanhPrediction = predictFluctuations(tanhNetwork);
    const tanhActivation = tanhPrediction.sites.find((site) => site.kind === 'activation')!;
    const tanhMoments = quadratureFourthMoments(resolveActivation('tanh'), 1);
    // What the exact rule would say if tanh were homogeneous with this κ: R_x·(1 + (κ − 1)/n).
    const homogeneousGuess = tanhPrediction.inputRatio * (1 + (tanhMoments.kappa - 1) / tanhActivation.units);
    const uniformKurtosis = weightKurtosis(uniformDistribution(1));

    // Uniform weights.
    const uniformPrediction = predictFluctuations(resolveNetwork(FINITE_WIDTH_RUNS[2].spec));
    const gaussianTwin = predictFluctuations(resolveNetwork({ ...FINITE_WIDTH_RUNS[2].spec, init: 'xavier_normal' }));
    const uniformStep = siteStep(uniformPrediction.sites[0]);

    // Monte Carlo.
    const reports = FINITE_WIDTH_RUNS.map((run) => ({ ...run, report: fluctuationRun(run.spec) }));
    const table: Block = {
      kind: 'table',
      header: [t('network', '网络'), t('site', '位置'), t('label', '标注'), t('predicted', '预测'), t('measured', '测量'), t('interval', '区间'), t('verdict', '结论')].map((h) => [text(h)]),
      align: ['left', 'left', 'left', 'right', 'right', 'right', 'left'],
      rows: reports.flatMap(({ name, spec, report }) =>
        report.sites.map((site) => [
          [text(`${name} ${spec.widths.join('–')}`)],
          [code(`${site.path} ${site.kind}`)],
          [text(site.label === 'exact' ? t('exact', '精确') : t('leading order', '首阶'))],
          [text(formatNumber(site.secondMomentRatio.predicted))],
          [text(formatNumber(site.secondMomentRatio.estimate))],
          [text(`[${formatNumber(site.secondMomentRatio.ciLow)}, ${formatNumber(site.secondMomentRatio.ciHigh)}]`)],
          [text(site.verdict === 'fails' ? t('fails', '不成立') : t('consistent', '一致'))],
        ]),
      ),
      rowTone: reports.flatMap(({ report }) => report.sites.map((site) => (site.verdict === 'fails' ? 'fail' : 'pass'))),
    };
    const reluLast = reports[0].report.sites.at(-1)!;
    const uniformLast = reports[2].report.sites.at(-1)!;

    // The spread figure: 40 networks of a 20-layer, width-10 He relu net, M at each relu output.
    const spread = resolveNetwork(SPREAD_NETWORK);
    const spreadPrediction = predictFluctuations(spread);
    const spreadSample = sampleFluctuations(spread, { nets: SPREAD_LINES, seed: SEED });
    const propagation = propagate(spread);
    const activationSites = spreadPrediction.sites.map((site, k) => ({ site, k })).filter(({ site }) => site.kind === 'activation');
    const trajectories = Array.from({ length: SPREAD_LINES }, (_, r) => activationSites.map(({ k }) => spreadSample.values[k][r]));
    const means = activationSites.map(({ k }) => propagation.sites[k].output.secondMoment);
    const ratios = activationSites.map(({ site }) => site.secondMomentRatio);
    const finalValues = trajectories.map((values) => values.at(-1)!).filter(Number.isFinite);
    const largest = Math.max(...finalValues);
    const aboveTen = finalValues.filter((value) => value > 10 * means.at(-1)!).length;
    const belowTenth = finalValues.filter((value) => value < 0.1 * means.at(-1)!).length;
    const died = finalValues.filter((value) => value === 0).length;
    const lastRatio = ratios.at(-1)!;
    const figure: Block = {
      kind: 'figure',
      id: 'finite-width-spread',
      spec: fluctuationSpreadSpec(fluctuationPaths(trajectories), fluctuationBand(means, ratios, 1e-4), {
        layer: t('layer l (relu output)', '第 l 层（relu 输出）'),
        value: 'M_l = ‖a_l‖²/n',
        networks: t('one network each', '每条线一个网络'),
        mean: t('E[M_l] (exact)', 'E[M_l]（精确）'),
        band: t('E[M] ± sd (exact)', 'E[M] ± sd（精确）'),
      }),
      caption: prose(
        t(
          `${SPREAD_LINES} He-initialised relu networks of width 10 and 20 layers, one input each: every line is one network's $M_l$. The mean is flat and exact; the band is the exact standard deviation $\\mathbb{E}[M_l]\\sqrt{R_l - 1}$.`,
          `${SPREAD_LINES} 个宽度为 10、20 层、用 He 初始化的 relu 网络，各输入一个样本：每条线是一个网络的 $M_l$。均值是平的且精确；带是精确的标准差 $\\mathbb{E}[M_l]\\sqrt{R_l - 1}$。`,
        ),
      ),
      alt: t('Per-network variance against depth with the exact mean and band', '每个网络的方差随深度变化，以及精确的均值和带'),
    };

    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Hanin (2018); Hanin & Rolnick (2018); Roberts, Yaida & Hanin, The Principles of Deep Learning Theory (2022), ch. 4–5.', 'Hanin (2018)；Hanin 与 Rolnick (2018)；Roberts、Yaida 与 Hanin，《The Principles of Deep Learning Theory》(2022)，第 4–5 章。'))],
      blocks: [
        say(
          t(
            'Every other page predicts $\\mathbb{E}[y^2]$: an average over the random weights. One trained model starts from one draw. At a site with $n$ units let $M = \\lVert y\\rVert^2/n$; across networks $\\mathbb{E}[M]$ is the predicted variance, and $R = \\mathbb{E}[M^2]/\\mathbb{E}[M]^2 = 1 + \\operatorname{Var}[M]/\\mathbb{E}[M]^2$ says how far a single network strays from it. At infinite width $R = 1$; at finite width it grows with $\\sum_l 1/n_l$.',
            '其他页面预测的都是 $\\mathbb{E}[y^2]$：对随机权重的平均。而一个训练好的模型只从一次抽样出发。在有 $n$ 个单元的位置令 $M = \\lVert y\\rVert^2/n$；在网络之间 $\\mathbb{E}[M]$ 就是预测的方差，而 $R = \\mathbb{E}[M^2]/\\mathbb{E}[M]^2 = 1 + \\operatorname{Var}[M]/\\mathbb{E}[M]^2$ 说明单个网络偏离它有多远。无限宽时 $R = 1$；有限宽时它随 $\\sum_l 1/n_l$ 增长。',
          ),
          'lead',
        ),
        { kind: 'heading', level: 2, text: t('The derivation', '推导'), id: 'derivation' },
        say(
          t(
            'Expand $\\lVert y\\rVert^4 = \\sum_i y_i^4 + \\sum_{i \\ne k} y_i^2 y_k^2$. The units are exchangeable, so with $K = \\mathbb{E}[y_i^4]/\\mathbb{E}[y_i^2]^2$ (one unit\'s kurtosis) and $\\rho = \\mathbb{E}[y_i^2 y_k^2]/\\mathbb{E}[y_i^2]^2$ (two units), $R = K/n + (1 - 1/n)\\,\\rho$. Each kind maps $(K, \\rho)$: a dense layer with iid Gaussian weights makes its outputs, given its input $x$, iid $N(0, \\sigma^2\\lVert x\\rVert^2)$, so $\\rho_h = R_x$ and $K_h = 3R_x$, which is $R_h = R_x(1 + 2/n)$; a positively homogeneous activation on a sign-symmetric input keeps $\\rho$ and multiplies $K$ by $\\kappa_\\phi/3$, $\\kappa_\\phi = \\mathbb{E}[\\phi(z)^4]/\\mathbb{E}[\\phi(z)^2]^2$. Together, per layer, $R_{a_l} = R_{a_{l-1}}\\,(1 + (\\kappa_\\phi - 1)/n_l)$: exact at every width. For relu:',
            '展开 $\\lVert y\\rVert^4 = \\sum_i y_i^4 + \\sum_{i \\ne k} y_i^2 y_k^2$。各单元可交换，于是记 $K = \\mathbb{E}[y_i^4]/\\mathbb{E}[y_i^2]^2$（单个单元的峰度）和 $\\rho = \\mathbb{E}[y_i^2 y_k^2]/\\mathbb{E}[y_i^2]^2$（两个单元），有 $R = K/n + (1 - 1/n)\\,\\rho$。每种层把 $(K, \\rho)$ 映射过去：权重为独立高斯的全连接层，在给定输入 $x$ 时输出独立同分布于 $N(0, \\sigma^2\\lVert x\\rVert^2)$，所以 $\\rho_h = R_x$、$K_h = 3R_x$，即 $R_h = R_x(1 + 2/n)$；正齐次激活函数作用在符号对称的输入上时保持 $\\rho$ 不变，把 $K$ 乘以 $\\kappa_\\phi/3$，其中 $\\kappa_\\phi = \\mathbb{E}[\\phi(z)^4]/\\mathbb{E}[\\phi(z)^2]^2$。合起来每层 $R_{a_l} = R_{a_{l-1}}\\,(1 + (\\kappa_\\phi - 1)/n_l)$：在任意宽度下精确成立。对 relu：',
          ),
        ),
        { kind: 'steps', rows: rows(kappaSteps, counter) },
        say(
          t(
            'so a relu layer multiplies $R$ by $1 + 5/n$, and a He network of widths $n_0, \\dots, n_L$ has $R = (1 + 2/n_0)\\prod_l (1 + 5/n_l)$ after its last relu (the first factor because every network gets a fresh Gaussian input). Here is every site of a width-10 relu network, each rule evaluated and checked by the engine:',
            '所以一个 relu 层把 $R$ 乘以 $1 + 5/n$，宽度为 $n_0, \\dots, n_L$ 的 He 网络在最后一个 relu 之后有 $R = (1 + 2/n_0)\\prod_l (1 + 5/n_l)$（第一个因子来自每个网络都得到新的高斯输入）。下面是宽度为 10 的 relu 网络的每个位置，每条规则都由引擎求值并检验：',
          ),
        ),
        { kind: 'steps', rows: rows(chainSteps, counter) },
        { kind: 'heading', level: 3, text: t('Other activations: leading order', '其他激活函数：首阶近似'), id: 'leading-order' },
        say(
          t(
            `When $\\phi$ is not positively homogeneous, $\\mathbb{E}[\\phi(h)^2]$ given the layer below depends on the random scale $s^2$ of $h$ non-linearly, and there is no closed product. Expanding around $q = \\mathbb{E}[h^2]$ to first order in $1/n$: $\\rho \\mapsto 1 + \\gamma(q)^2(\\rho - 1)$ with the elasticity $\\gamma(q) = d\\ln m_2/d\\ln q = \\mathbb{E}[\\phi(\\sqrt q z)^2(z^2 - 1)]/(2m_2(q))$ (Stein's lemma), and $K \\mapsto \\kappa_\\phi(q)\\,\\rho$. For tanh at $q = 1$, $\\gamma = ${fact(tanhMoments.elasticity, 3)}$ and $\\kappa_\\phi = ${fact(tanhMoments.kappa, 3)}$: a saturating activation damps the spread. This is labelled leading order; its error is $O(L/n^2)$. In the width-10 tanh network it gives $R = ${fact(tanhActivation.secondMomentRatio, 4)}$ after the first tanh, where a relu-like rule would give $${fact(homogeneousGuess, 4)}$.`,
            `当 $\\phi$ 不是正齐次时，给定下层后 $\\mathbb{E}[\\phi(h)^2]$ 非线性地依赖于 $h$ 的随机尺度 $s^2$，没有封闭的乘积。在 $q = \\mathbb{E}[h^2]$ 附近展开到 $1/n$ 的一阶：$\\rho \\mapsto 1 + \\gamma(q)^2(\\rho - 1)$，其中弹性 $\\gamma(q) = d\\ln m_2/d\\ln q = \\mathbb{E}[\\phi(\\sqrt q z)^2(z^2 - 1)]/(2m_2(q))$（Stein 引理），且 $K \\mapsto \\kappa_\\phi(q)\\,\\rho$。对 $q = 1$ 处的 tanh，$\\gamma = ${fact(tanhMoments.elasticity, 3)}$，$\\kappa_\\phi = ${fact(tanhMoments.kappa, 3)}$：饱和的激活函数会抑制涨落。这标为首阶近似，误差为 $O(L/n^2)$。在宽度为 10 的 tanh 网络中，它在第一个 tanh 之后给出 $R = ${fact(tanhActivation.secondMomentRatio, 4)}$，而类 relu 的规则会给出 $${fact(homogeneousGuess, 4)}$。`,
          ),
        ),
        { kind: 'heading', level: 3, text: t('Non-Gaussian weights', '非高斯权重'), id: 'weights' },
        say(
          t(
            `Given the input, a dense output has $\\mathbb{E}[h^4 \\mid x] = \\sigma^4\\big(3\\lVert x\\rVert^4 + (\\kappa_w - 3)\\sum_j x_j^4\\big)$ with $\\kappa_w = \\mathbb{E}[w^4]/\\mathbb{E}[w^2]^2$: so $K_h = 3R_x + (\\kappa_w - 3)K_x/n_\\text{in}$, exact, and the weight law enters $R$ only at order $1/(n_\\text{in} n)$. The uniform law has $\\kappa_w = ${fact(uniformKurtosis, 2)}$ (truncated normals lie between it and 3), so it fluctuates less: an identity network of width 5 under Xavier uniform has $R = ${fact(uniformPrediction.sites[0].secondMomentRatio, 4)}$ after one layer, against $${fact(gaussianTwin.sites[0].secondMomentRatio, 4)}$ under Xavier normal.`,
            `给定输入时，全连接层的输出满足 $\\mathbb{E}[h^4 \\mid x] = \\sigma^4\\big(3\\lVert x\\rVert^4 + (\\kappa_w - 3)\\sum_j x_j^4\\big)$，其中 $\\kappa_w = \\mathbb{E}[w^4]/\\mathbb{E}[w^2]^2$：所以 $K_h = 3R_x + (\\kappa_w - 3)K_x/n_\\text{in}$，精确成立，权重分布只在 $1/(n_\\text{in} n)$ 阶进入 $R$。均匀分布的 $\\kappa_w = ${fact(uniformKurtosis, 2)}$（截断正态介于它与 3 之间），所以涨落更小：宽度为 5、用 Xavier 均匀初始化的恒等网络在一层后 $R = ${fact(uniformPrediction.sites[0].secondMomentRatio, 4)}$，而 Xavier 正态为 $${fact(gaussianTwin.sites[0].secondMomentRatio, 4)}$。`,
          ),
        ),
        { kind: 'steps', rows: rows([uniformStep], counter) },
        { kind: 'heading', level: 2, text: t('Monte Carlo', '蒙特卡洛'), id: 'monte-carlo' },
        say(
          t(
            `Each row samples ${NETS} networks with one input each (seed ${SEED}) and measures $M$ at every site. $R$ is a ratio of moments of a heavy-tailed quantity, so its interval is a studentized bootstrap of $\\ln \\hat R$ (it held its level on relu networks of width 10 in the tests; the plain delta method did not), at the family level ${fact(reports[0].report.level, 2)} split over the sites. Exact rows are tested strictly, leading-order ones within ±5%. The last relu-network site measures ${fact(reluLast.secondMomentRatio.estimate, 4)} against ${fact(reluLast.secondMomentRatio.predicted, 4)}; the uniform network's last site ${fact(uniformLast.secondMomentRatio.estimate, 4)} against ${fact(uniformLast.secondMomentRatio.predicted, 4)} (the Gaussian formula says ${fact(gaussianTwin.sites.at(-1)!.secondMomentRatio, 4)}).`,
            `每一行采样 ${NETS} 个网络，每个一个输入（种子 ${SEED}），在每个位置测量 $M$。$R$ 是重尾量的矩之比，所以它的区间用 $\\ln \\hat R$ 的学生化自助法（在测试中它在宽度为 10 的 relu 网络上保持了置信水平；普通的 delta 方法没有），族水平 ${fact(reports[0].report.level, 2)} 在各位置之间分配。精确的行严格检验，首阶近似的行在 ±5% 内检验。relu 网络最后一个位置测得 ${fact(reluLast.secondMomentRatio.estimate, 4)}，预测 ${fact(reluLast.secondMomentRatio.predicted, 4)}；均匀权重网络最后一个位置测得 ${fact(uniformLast.secondMomentRatio.estimate, 4)}，预测 ${fact(uniformLast.secondMomentRatio.predicted, 4)}（高斯公式给出 ${fact(gaussianTwin.sites.at(-1)!.secondMomentRatio, 4)}）。`,
          ),
        ),
        table,
        { kind: 'paragraph', content: [text(t('Print the rows of one network: ', '打印一个网络的各行：')), code('varprop fluctuations --widths 10,10,10,10 --act relu --init he_normal'), text(t(' (add ', '（加 ')), code('--json'), text(t(' for the contract fields).', ' 得到约定字段）。'))] },
        { kind: 'heading', level: 2, text: t('Stable on average, not in every draw', '平均稳定，并非每次抽样都稳定'), id: 'spread' },
        figure,
        say(
          t(
            `He initialization keeps $\\mathbb{E}[M_l]$ at ${fact(means.at(-1)!, 3)} at every layer, exactly. But at width 10 and 20 layers $R = ${fact(lastRatio, 3)}$: the standard deviation of one network's $M$ is ${fact(Math.sqrt(lastRatio - 1), 3)} times its mean. Of these ${SPREAD_LINES} draws, ${aboveTen} end above ten times the mean (the largest at ${fact(largest, 3)}) and ${belowTenth} below a tenth of it (${died} of them at exactly 0: every unit of some layer off): the average is carried by rare draws that explode, while the typical draw fades. Widening the layers, $\\sum_l 1/n_l \\to 0$, is what makes a single draw look like the average.`,
            `He 初始化让 $\\mathbb{E}[M_l]$ 在每一层都精确地保持在 ${fact(means.at(-1)!, 3)}。但在宽度 10、20 层时 $R = ${fact(lastRatio, 3)}$：单个网络的 $M$ 的标准差是其均值的 ${fact(Math.sqrt(lastRatio - 1), 3)} 倍。在这 ${SPREAD_LINES} 次抽样中，${aboveTen} 个最终超过均值的十倍（最大的为 ${fact(largest, 3)}），${belowTenth} 个低于均值的十分之一（其中 ${died} 个恰为 0：某一层的所有单元都关闭）：平均值由少数爆炸的抽样撑起，而典型的抽样则逐渐衰减。加宽各层使 $\\sum_l 1/n_l \\to 0$，单次抽样才会像平均值。`,
          ),
        ),
        say(
          t(
            'Scope: chains of dense, bias and activation nodes with iid zero-mean weights (normal, uniform, truncated normal). Residual blocks, convolutions (a weight shared across positions makes outputs dependent given the input), normalizations and orthogonal weights are refused in words; `src/theory/fluctuations.ts` names the hook the kinds\' moment faces would need to carry them.',
            '适用范围：由全连接、偏置和激活节点组成的链，权重独立同分布、均值为零（正态、均匀、截断正态）。残差块、卷积（权重在各位置共享，使得给定输入时输出不独立）、归一化和正交权重会被明确拒绝；`src/theory/fluctuations.ts` 说明了各层的矩接口需要什么钩子才能支持它们。',
          ),
          'small',
        ),
      ],
    };
  },
};
