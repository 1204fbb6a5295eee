/**
 * Docs: width scaling. SP, NTK and μP as abc tables (src/vocabulary/parametrizations.ts), the width
 * exponents they predict (src/theory/widthExponents.ts), and the coordinate check that measures them
 * (src/numeric/coordinateCheck.ts). Every number comes from those modules or the seeded run.
 */
import { coordinateCheckSpec, type CoordinateCurve } from '../../charts/coordinateCheck.js';
import { coordinateCheck, type CoordinateCheckResult } from '../../numeric/coordinateCheck.js';
import type { NetworkSpec } from '../../vocabulary/network.js';
import {
  effectiveExponents,
  mupFormulations,
  OPTIMIZERS,
  parametrizations,
  PARAMETRIZATION_NAMES,
  WEIGHT_ROLES,
  type OptimizerName,
  type ParametrizationName,
  type WeightRole,
} from '../../vocabulary/parametrizations.js';
import { code, math, text, type Block, type Inline, type ReportDocument } from '../document.js';
import type { DocContext, DocTopic } from './topic.js';

/** The version of the mup package whose source the page describes (microsoft/mup setup.py). */
const MUP_PACKAGE_VERSION = '1.0.0';

/** The network of the page: examples/width-mlp.json's shape, a relu MLP 16 → 64 → 64 → 64 → 16. */
export const WIDTH_SCALING_SPEC: NetworkSpec = { widths: [16, 64, 64, 64, 16], activation: 'relu', init: 'he_normal' };
/** The page's coordinate-check settings: small enough for the docs to regenerate in seconds. */
export const WIDTH_SCALING_RUN = { widths: [64, 128, 256, 512], nets: 6, batch: 16, seed: 1, learningRate: { sgd: 0.01, adam: 0.001 } } as const;
/** The runs the page shows: every parametrization with SGD, and SP and μP with Adam (the mup README's plot). */
export const WIDTH_SCALING_CASES: readonly { param: ParametrizationName; optimizer: OptimizerName }[] = [
  { param: 'sp', optimizer: 'sgd' },
  { param: 'ntk', optimizer: 'sgd' },
  { param: 'mup', optimizer: 'sgd' },
  { param: 'sp', optimizer: 'adam' },
  { param: 'mup', optimizer: 'adam' },
];

/** The page's coordinate check of one case (deterministic: fixed seed). */
export function widthScalingRun(param: ParametrizationName, optimizer: OptimizerName): CoordinateCheckResult {
  const { widths, nets, batch, seed, learningRate } = WIDTH_SCALING_RUN;
  return coordinateCheck(WIDTH_SCALING_SPEC, { parametrization: parametrizations[param], optimizer, widths, nets, batch, seed, learningRate: learningRate[optimizer] });
}

/** n^{p} in LaTeX, with 1 for p = 0 and fractions for halves. */
function power(exponent: number): string {
  if (exponent === 0) return '1';
  const twice = Math.round(2 * exponent);
  const body = twice % 2 === 0 ? String(twice / 2) : `${twice}/2`;
  return body === '1' ? 'n' : `n^{${body}}`;
}

const ROLE_WORDS: Record<WeightRole, [string, string]> = {
  input: ['input weights', '输入权重'],
  hidden: ['hidden weights', '隐藏权重'],
  output: ['output weights', '输出权重'],
};

function tableRow(label: Inline[], exponents: readonly number[]): Inline[][] {
  return [label, ...exponents.map((e) => [math(power(e))])];
}

export const widthScalingTopic: DocTopic = {
  slug: 'width-scaling',
  title: 'Width scaling: SP, NTK and μP',
  summary: 'How init variance and learning rates scale with width in the standard, neural-tangent and maximal-update parametrizations, which exponents the abc table predicts for activations and their one-step updates, and a coordinate check that measures them with intervals.',
  zh: {
    title: '宽度缩放：SP、NTK 与 μP',
    summary: '标准、神经正切与最大更新参数化中初始化方差和学习率如何随宽度缩放，abc 表对激活及其一步更新预测的指数，以及带置信区间测量这些指数的坐标检查。',
  },
  async build(context: DocContext): Promise<ReportDocument> {
    const { t, fact, say } = context;
    const runs = WIDTH_SCALING_CASES.map((c) => ({ ...c, result: widthScalingRun(c.param, c.optimizer) }));
    const run = (param: ParametrizationName, optimizer: OptimizerName) => runs.find((r) => r.param === param && r.optimizer === optimizer)!.result;
    const roleLabel = (role: WeightRole) => t(...ROLE_WORDS[role]);

    const abcRows = PARAMETRIZATION_NAMES.flatMap((name) =>
      WEIGHT_ROLES.map((role) => {
        const p = parametrizations[name];
        const sgd = effectiveExponents(p.roles[role], 'sgd');
        const adam = effectiveExponents(p.roles[role], 'adam');
        return tableRow([text(`${p.label}: ${roleLabel(role)}`)], [sgd.initVariance, sgd.learningRate, adam.learningRate]);
      }),
    );

    const curves = (result: CoordinateCheckResult): CoordinateCurve[] =>
      result.layers.map((layer) => ({
        label: t(`layer ${layer.layer} (${layer.role})`, `第 ${layer.layer} 层（${layer.role}）`),
        sizes: layer.update.sizes,
        intercept: layer.update.intercept,
        exponent: layer.update.exponent,
        predictedExponent: layer.update.predictedExponent,
      }));
    const chartLabels = {
      width: t('width n', '宽度 n'),
      rms: t('RMS of Δh after one step', '一步之后 Δh 的均方根'),
      layer: t('layer', '层'),
      fit: t('least-squares fit', '最小二乘拟合'),
      prediction: t('predicted exponent', '预测指数'),
    };
    const figure = (param: ParametrizationName, optimizer: OptimizerName, id: string): Block => ({
      kind: 'figure',
      id,
      spec: coordinateCheckSpec(curves(run(param, optimizer)), chartLabels),
      caption: [
        text(
          t(
            `${parametrizations[param].label}, one ${optimizer === 'sgd' ? 'SGD' : 'Adam'} step: RMS of each pre-activation's update against width (points: geometric mean over replicates; solid: fit; dashed: the abc table's exponent).`,
            `${parametrizations[param].label}，一步 ${optimizer === 'sgd' ? 'SGD' : 'Adam'}：各预激活更新的均方根随宽度的变化（点：各副本的几何平均；实线：拟合；虚线：abc 表给出的指数）。`,
          ),
        ),
      ],
      alt: t(`Coordinate check of ${param} with ${optimizer}`, `${param} 与 ${optimizer} 的坐标检查`),
    });

    // Exponents to two decimals: the intervals are a few hundredths wide at best.
    const show = (value: number) => (Math.abs(value) < 5e-3 ? '0' : value.toFixed(2).replace('-', '−'));
    const resultRows = runs.flatMap(({ param, optimizer, result }) =>
      result.layers.map((layer) => [
        [text(`${param} + ${optimizer}`)],
        [text(`${layer.layer} (${layer.role})`)],
        [text(`${show(layer.update.exponent)} [${show(layer.update.ciLow)}, ${show(layer.update.ciHigh)}]`)],
        [text(show(layer.update.predictedExponent))],
        [text(layer.update.verdict)],
        [text(`${show(layer.activation.exponent)} [${show(layer.activation.ciLow)}, ${show(layer.activation.ciHigh)}]`)],
        [text(show(layer.activation.predictedExponent))],
      ]),
    );
    const resultTones = runs.flatMap(({ result }) => result.layers.map((layer) => (layer.update.verdict === 'fails' || layer.activation.verdict === 'fails' ? 'fail' : undefined)));

    const spSgd = run('sp', 'sgd');
    const mupAdam = run('mup', 'adam');
    const spAdamOutput = run('sp', 'adam').layers[3];
    const settings = run('mup', 'sgd');

    return {
      lang: context.cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Tensor Programs IV (Yang & Hu 2021) and V (Yang et al. 2022), with a measurement beside every exponent.', 'Tensor Programs IV（Yang 与 Hu，2021）和 V（Yang 等，2022），每个指数旁边都有测量。'))],
      blocks: [
        say(
          t(
            'A parametrization says how the init and the learning rate of each weight matrix change when the width $n$ grows. Tensor Programs IV writes every one of them as an abc table: $W = n^{-a} w$, $w_{ij} \\sim \\mathcal N(0, n^{-2b})$, learning rate $\\eta\\, n^{-c}$. Training only sees the effective matrix $W$: its variance scales as $n^{-2(a+b)}$, an SGD step moves it by $\\eta\\, n^{-(2a+c)}\\,\\partial L/\\partial W$, an Adam step by $\\eta\\, n^{-(a+c)}$ per entry. Input weights have a fixed fan-in, output weights a fixed fan-out, hidden weights both fans proportional to $n$.',
            '参数化规定了宽度 $n$ 增大时每个权重矩阵的初始化和学习率如何变化。Tensor Programs IV 把它们都写成 abc 表：$W = n^{-a} w$，$w_{ij} \\sim \\mathcal N(0, n^{-2b})$，学习率 $\\eta\\, n^{-c}$。训练只看到有效矩阵 $W$：它的方差按 $n^{-2(a+b)}$ 缩放，一步 SGD 使它移动 $\\eta\\, n^{-(2a+c)}\\,\\partial L/\\partial W$，一步 Adam 使每个元素移动 $\\eta\\, n^{-(a+c)}$。输入权重的扇入固定，输出权重的扇出固定，隐藏权重的两个扇都与 $n$ 成正比。',
          ),
          'lead',
        ),
        { kind: 'heading', level: 2, text: t('The three tables', '三张表'), id: 'tables' },
        {
          kind: 'table',
          caption: [text(t('Effective exponents as powers of the width n (from src/vocabulary/parametrizations.ts).', '以宽度 n 的幂表示的有效指数（来自 src/vocabulary/parametrizations.ts）。'))],
          header: [[text(t('weights', '权重'))], [text(t('Var[W]', 'Var[W]'))], [text(t('SGD step', 'SGD 步长'))], [text(t('Adam step', 'Adam 步长'))]],
          align: ['left', 'center', 'center', 'center'],
          rows: abcRows,
        },
        say(
          t(
            'The μP rows are Table 3 of Tensor Programs V: init variance $1/\\text{fan\\_in}$ for input and hidden weights and $1/\\text{fan\\_in}^2$ for output weights; SGD learning rate $\\text{fan\\_out}$, $1$, $1/\\text{fan\\_in}$; Adam learning rate $1$, $1/\\text{fan\\_in}$, $1/\\text{fan\\_in}$. The `mup` package (microsoft/mup; version and files in the sources note below) implements an equivalent formulation instead, read from its source: `MuReadout` (mup/layer.py) multiplies the output layer\'s input by $1/\\text{width\\_mult}$ and rescales its weights to a variance that does not shrink with width, and `MuSGD`/`MuAdam` (mup/optim.py) scale the learning rate of "vector-like" parameters (input and output weights, biases) by $\\text{width\\_mult}$ (SGD) or not at all (Adam), and of "matrix-like" ones by $1/\\text{width\\_mult}$ (Adam). That is the "alternative (equivalent) μP formulation" of the paper\'s appendix (Table 8 as we recall it; the number is not checked here, the content is checked against the package). Tensor Programs IV\'s own μP puts multipliers $\\sqrt n$ and $1/\\sqrt n$ on the input and output layers.',
            'μP 各行是 Tensor Programs V 的表 3：输入和隐藏权重的初始化方差为 $1/\\text{fan\\_in}$，输出权重为 $1/\\text{fan\\_in}^2$；SGD 学习率为 $\\text{fan\\_out}$、$1$、$1/\\text{fan\\_in}$；Adam 学习率为 $1$、$1/\\text{fan\\_in}$、$1/\\text{fan\\_in}$。`mup` 包（microsoft/mup；版本与文件见下方的来源说明）实现的是一个等价的表述，这是从其源代码读出的：`MuReadout`（mup/layer.py）把输出层的输入乘以 $1/\\text{width\\_mult}$，并把它的权重重新缩放到不随宽度缩小的方差；`MuSGD`/`MuAdam`（mup/optim.py）把"向量型"参数（输入和输出权重、偏置）的学习率乘以 $\\text{width\\_mult}$（SGD）或保持不变（Adam），把"矩阵型"参数的学习率乘以 $1/\\text{width\\_mult}$（Adam）。这就是论文附录中的"另一种（等价的）μP 表述"（按我们的记忆是表 8；编号在这里没有核对，内容已对照包的源代码核对）。Tensor Programs IV 自己的 μP 则在输入层和输出层上放置乘子 $\\sqrt n$ 和 $1/\\sqrt n$。',
          ),
        ),
        say(
          t(
            `All ${fact(mupFormulations.length, 1)} formulations give the same effective exponents for SGD and Adam (tested): they train the same network. They differ in what is stored and tuned. The package's output multiplier keeps stored output weights of constant size, so they can be tied to an input embedding; every rule is relative to a base width, so at the base width μP is the model as written; and Adam's $\\varepsilon$ and weight decay see the stored gradient, which scales with $n^{-a}$, so they are equivalent only while $\\varepsilon$ is negligible.`,
            `这 ${fact(mupFormulations.length, 1)} 种表述对 SGD 和 Adam 给出相同的有效指数（已测试）：它们训练的是同一个网络。区别在于存储和调节的是什么。包的输出乘子让存储的输出权重保持常数大小，因而可以与输入嵌入共享；每条规则都相对于一个基准宽度，所以在基准宽度上 μP 就是原样写出的模型；Adam 的 $\\varepsilon$ 和权重衰减看到的是存储参数的梯度，它按 $n^{-a}$ 缩放，所以只有在 $\\varepsilon$ 可以忽略时它们才等价。`,
          ),
        ),
        {
          kind: 'callout',
          tone: 'note',
          content: [
            text(t('Sources: Yang et al. 2022 (Tensor Programs V), Table 3; Yang & Hu 2021 (Tensor Programs IV), §3 and §5; the mup package as of version ', '来源：Yang 等 2022（Tensor Programs V）表 3；Yang 与 Hu 2021（Tensor Programs IV）§3 与 §5；mup 包版本 ')),
            code(MUP_PACKAGE_VERSION),
            text(t(' (setup.py): ', '（setup.py）：')),
            code('mup/layer.py'),
            text(', '),
            code('mup/optim.py'),
            text('.'),
          ],
        },
        { kind: 'heading', level: 2, text: t('What the table predicts', '表格预测了什么'), id: 'predictions' },
        say(
          t(
            'With $k_\\text{in}, k_\\text{out} = 1$ when a fan grows with $n$, $v_l = -2(a_l+b_l)$ and $\\lambda_l$ the effective step exponent, the sizes of a coordinate compose like this (leading order: a sum of $n$ independent terms is $\\Theta(\\sqrt n)$, a sum of $n$ correlated ones $\\Theta(n)$, as in the mup README\'s table):',
            '记扇随 $n$ 增长时 $k_\\text{in}, k_\\text{out} = 1$，$v_l = -2(a_l+b_l)$，$\\lambda_l$ 为有效步长指数，坐标的大小这样组合（主阶：$n$ 个独立项之和为 $\\Theta(\\sqrt n)$，$n$ 个相关项之和为 $\\Theta(n)$，与 mup README 中的表一致）：',
          ),
        ),
        {
          kind: 'math',
          latex:
            '\\begin{aligned} r_l &= \\tfrac12 k_\\text{in} + \\tfrac12 v_l + r_{l-1}, & g_{l-1} &= g_l + \\tfrac12 k_\\text{out} + \\tfrac12 v_l,\\\\ \\Delta W_l x:&\\ \\lambda_l + g_l + k_\\text{in} + 2 r_{l-1}\\ \\text{(SGD)}, & &\\lambda_l + k_\\text{in} + r_{l-1}\\ \\text{(Adam)},\\\\ W_l \\Delta x:&\\ \\tfrac12 k_\\text{in} + \\tfrac12 v_l + u_{l-1}\\ \\text{(hidden)}, & &k_\\text{in} + \\tfrac12 v_l + u_{l-1}\\ \\text{(output)},\\qquad u_l = \\max(\\Delta W_l x,\\ W_l \\Delta x). \\end{aligned}',
        },
        say(
          t(
            'The output row uses the correlated sum: every part of the last hidden layer\'s update was built by backpropagating through the few rows of the output matrix (Tensor Programs IV: $\\Delta f \\propto n^{1-(a_{L+1}+b_{L+1})}\\,\\Delta x_L$). The result: under μP every pre-activation and its one-step update stay $\\Theta(1)$, except the output at init, which shrinks like $n^{-1/2}$; under SP with SGD hidden updates grow like $\\sqrt n$ and the output\'s like $n$; under NTK hidden updates vanish like $n^{-1/2}$, the kernel regime.',
            '输出一行用相关求和：最后一个隐藏层更新的每一部分都是经输出矩阵的少数几行反向传播得到的（Tensor Programs IV：$\\Delta f \\propto n^{1-(a_{L+1}+b_{L+1})}\\,\\Delta x_L$）。结果是：在 μP 下每个预激活及其一步更新都保持 $\\Theta(1)$，只有初始化时的输出按 $n^{-1/2}$ 缩小；在 SP 加 SGD 下隐藏层更新按 $\\sqrt n$ 增长，输出按 $n$ 增长；在 NTK 下隐藏层更新按 $n^{-1/2}$ 消失，即核区间。',
          ),
        ),
        { kind: 'heading', level: 2, text: t('The coordinate check, with the prediction and the fit', '坐标检查：预测与拟合'), id: 'coordinate-check' },
        say(
          t(
            `The network is a relu MLP with input ${fact(WIDTH_SCALING_SPEC.widths![0], 2)}, three hidden layers and output ${fact(WIDTH_SCALING_SPEC.widths!.at(-1)!, 2)} (examples/width-mlp.json); its own width ${fact(settings.baseWidth, 2)} is the base width, where every parametrization is the spec as written. At each width ${fact(settings.nets, 1)} replicate networks take one step on a batch of ${fact(settings.batch, 2)} under the random linear loss $L = \\sum_b g_b^\\top f_b$, and the engine measures each pre-activation before and after. The exponent is the least-squares slope of $\\ln \\text{RMS}$ on $\\ln n$ per replicate, averaged, with a t interval at ${fact(settings.intervalLevel * 100, 4)}% each (family-wise ${fact(settings.level * 100, 2)}%); it fails when the interval misses the band of ±${fact(settings.tolerance, 1)} around the prediction.`,
            `网络是一个 relu MLP，输入 ${fact(WIDTH_SCALING_SPEC.widths![0], 2)}，三个隐藏层，输出 ${fact(WIDTH_SCALING_SPEC.widths!.at(-1)!, 2)}（examples/width-mlp.json）；它自己的宽度 ${fact(settings.baseWidth, 2)} 是基准宽度，在那里每种参数化都就是原样写出的模型。在每个宽度上，${fact(settings.nets, 1)} 个副本网络在随机线性损失 $L = \\sum_b g_b^\\top f_b$ 下对 ${fact(settings.batch, 2)} 个样本的批次走一步，引擎测量每个预激活在这一步前后的值。指数是每个副本上 $\\ln \\text{RMS}$ 对 $\\ln n$ 的最小二乘斜率的平均，每个区间的 t 置信水平为 ${fact(settings.intervalLevel * 100, 4)}%（整体 ${fact(settings.level * 100, 2)}%）；区间与预测值 ±${fact(settings.tolerance, 1)} 的带不相交时判为失败。`,
          ),
        ),
        figure('mup', 'adam', 'width-scaling-mup-adam'),
        figure('sp', 'adam', 'width-scaling-sp-adam'),
        {
          kind: 'table',
          caption: [text(t('Measured exponent [interval] against the abc table, per layer: the update Δh after one step, and h at init.', '逐层的测量指数 [区间] 与 abc 表的对比：一步后的更新 Δh，以及初始化时的 h。'))],
          header: [[text(t('run', '运行'))], [text(t('layer', '层'))], [text(t('Δh exponent', 'Δh 指数'))], [text(t('predicted', '预测'))], [text(t('verdict', '判定'))], [text(t('h exponent', 'h 指数'))], [text(t('predicted', '预测'))]],
          align: ['left', 'left', 'right', 'center', 'left', 'right', 'center'],
          rows: resultRows,
          rowTone: resultTones,
        },
        say(
          t(
            `The measured exponents follow the table: under SP with SGD the hidden updates grow with exponent ${fact(spSgd.layers[1].update.exponent, 2)} and the output's with ${fact(spSgd.layers[3].update.exponent, 2)}; under μP with Adam the hidden updates have ${fact(mupAdam.layers[1].update.exponent, 2)} and ${fact(mupAdam.layers[2].update.exponent, 2)}, flat. One row is pre-asymptotic: SP with Adam moves the output like $n$ through its own weights and like $n^{3/2}$ through the hidden layers' updates, and the second term's prefactor is small (the correlation of a row of the output matrix with the sign of the gradient through all ${fact(WIDTH_SCALING_SPEC.widths!.at(-1)!, 2)} outputs), so between ${fact(settings.widths[0], 2)} and ${fact(settings.widths.at(-1)!, 3)} the fitted exponent is ${fact(spAdamOutput.update.exponent, 2)}, on its way from one to the predicted three halves.`,
            `测量的指数与表一致：SP 加 SGD 下隐藏层更新的增长指数为 ${fact(spSgd.layers[1].update.exponent, 2)}，输出为 ${fact(spSgd.layers[3].update.exponent, 2)}；μP 加 Adam 下隐藏层更新的指数为 ${fact(mupAdam.layers[1].update.exponent, 2)} 和 ${fact(mupAdam.layers[2].update.exponent, 2)}，是平的。有一行处于前渐近阶段：SP 加 Adam 通过输出层自身的权重使输出按 $n$ 移动，通过隐藏层的更新按 $n^{3/2}$ 移动，而第二项的前因子很小（输出矩阵的一行与穿过全部 ${fact(WIDTH_SCALING_SPEC.widths!.at(-1)!, 2)} 个输出的梯度符号之间的相关），所以在 ${fact(settings.widths[0], 2)} 到 ${fact(settings.widths.at(-1)!, 3)} 之间拟合的指数是 ${fact(spAdamOutput.update.exponent, 2)}，正从一走向预测的二分之三。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Reproduce', '复现'), id: 'reproduce' },
        {
          kind: 'code',
          text: OPTIMIZERS.map(
            (optimizer) => `varprop widthscale --spec examples/width-mlp.json --param mup --optimizer ${optimizer} --widths ${settings.widths.join(',')} --nets ${settings.nets} --json`,
          ).join('\n'),
        },
        {
          kind: 'paragraph',
          content: [
            text(t('Per layer the JSON has ', 'JSON 中每层有 ')),
            code('exponent'),
            text(', '),
            code('ciLow'),
            text(', '),
            code('ciHigh'),
            text(', '),
            code('predictedExponent'),
            text(t(' of the update and the same fields under ', '（更新的）以及 ')),
            code('activation'),
            text(t(' for h at init. Scope: chains of dense layers and activations without biases.', '下初始化时 h 的相同字段。适用范围：不带偏置的全连接层与激活的链。')),
          ],
          tone: 'small',
        },
      ],
    };
  },
};
