/**
 * Docs: an audit of framework defaults (src/audit/frameworkAudit.ts, src/vocabulary/frameworks.ts).
 * What PyTorch, Keras, JAX (Flax) and TensorFlow.js draw by default, what that does to a deep relu
 * network's forward and backward variance against the variance-preserving choice, and why: the
 * a = √5 default, calculate_gain against the exact gains, depthwise and transposed fans, and truncated
 * normals with and without the 0.8796 correction. Numbers come from the audit, the vocabulary and a
 * seeded Monte Carlo run; versions are in a table, from the data module.
 */
import { auditFramework, findings, type FrameworkAudit } from '../../audit/frameworkAudit.js';
import { resolveActivation } from '../../vocabulary/activations/registry.js';
import { TRUNCATED_STD_FACTOR, TRUNCATED_VARIANCE_FACTOR } from '../../vocabulary/distributions/truncatedNormal.js';
import { frameworkDefaults, frameworkLayerInit, frameworkNames, type FrameworkDefaults } from '../../vocabulary/frameworks.js';
import { computeGains } from '../../vocabulary/gains.js';
import { resolveNetwork, type TreeNetworkSpec } from '../../vocabulary/network.js';
import { code, math, text, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import type { DocTopic } from './topic.js';

/** The audited network: a relu MLP of 10 square layers. */
export const AUDIT_WIDTH = 256;
export const AUDIT_DEPTH = 10;
/** The measured one: 4 layers of 128, under each framework's default. */
export const AUDIT_MC_WIDTH = 128;
export const AUDIT_MC_DEPTH = 4;

const relu = (width: number, depth: number) => ({ widths: new Array(depth + 1).fill(width), activation: 'relu' });

/** The relu MLP with every weight layer under `framework`'s default, as a tree with explicit inits. */
export function underDefaults(framework: FrameworkDefaults, width: number, depth: number): TreeNetworkSpec {
  const layers = resolveNetwork(relu(width, depth)).layers;
  return {
    input: width,
    layers: layers.flatMap((layer, l) => [
      { kind: 'dense', width, init: frameworkLayerInit(framework, layer).init },
      ...(l < layers.length - 1 ? [{ kind: 'activation', activation: 'relu' }] : []),
    ]),
  };
}

/** The audits the page shows. */
export function frameworkAudits(): FrameworkAudit[] {
  return frameworkNames.map((name) => auditFramework(relu(AUDIT_WIDTH, AUDIT_DEPTH), frameworkDefaults[name]));
}

export const frameworkAuditTopic: DocTopic = {
  slug: 'framework-audit',
  title: 'What framework defaults do to a deep network: PyTorch, Keras, JAX and TensorFlow.js audited',
  summary: 'Each framework\'s default init against the variance-preserving choice on a 10-layer relu network, and why: the a = √5 default, calculate_gain against the exact gains, depthwise and transposed fans, and truncated normals with and without Keras\' variance correction.',
  zh: {
    title: '框架默认值对深度网络做了什么：审计 PyTorch、Keras、JAX 与 TensorFlow.js',
    summary: '在一个 10 层 relu 网络上，把各框架的默认初始化与保持方差的选择对比，并说明原因：a = √5 的默认值、calculate_gain 与精确增益、深度卷积与转置卷积的扇数、以及带与不带 Keras 方差校正的截断正态。',
  },
  async build({ cat, check, fact, say, t }): Promise<ReportDocument> {
    const audits = frameworkAudits();
    const audit = (name: string) => audits.find((a) => a.framework === name)!;
    const torch = audit('pytorch');
    const tfjs = audit('tfjs');
    const keras = audit('keras');
    const gains = (name: string) => {
      const activation = resolveActivation(name);
      return { torch: activation.pytorchGain!, exact: computeGains(activation).forwardGain };
    };
    const sigmoid = gains('sigmoid');
    const selu = gains('selu');
    const tanh = gains('tanh');
    const torchTruncated = findings(frameworkDefaults.pytorch).find((f) => f.id.startsWith('truncated-normal'))!;
    const fans = (name: 'pytorch' | 'keras', id: string) => findings(frameworkDefaults[name]).find((f) => f.id === id)!.values;
    const kerasDepthwise = fans('keras', 'depthwise-fans');
    const torchTransposed = fans('pytorch', 'transposed-fans');
    const runs = await Promise.all(frameworkNames.map(async (name) => ({ name, report: await check(underDefaults(frameworkDefaults[name], AUDIT_MC_WIDTH, AUDIT_MC_DEPTH)) })));
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('`varprop audit --framework pytorch|keras|jax|tfjs --spec net.json` runs this audit on your own network.', '`varprop audit --framework pytorch|keras|jax|tfjs --spec net.json` 对你自己的网络运行这一审计。'))],
      blocks: [
        say(
          t(
            `A framework initializes every layer you do not initialize yourself, and each framework chose differently. The audit replaces every weight layer's init by the framework's default (its fans counted as the framework counts them from the weight's shape) and, separately, by the variance-preserving choice $\\mathrm{Var}[w] = g^2/n_\\text{in}$, $g$ the exact forward gain of the activation on the layer's input, and propagates both. On a relu network of ${AUDIT_DEPTH} layers of width ${AUDIT_WIDTH}, the pre-activation of the last layer has second moment ${fact(torch.summary.forwardAtOutput.framework)} under PyTorch's default, ${fact(keras.summary.forwardAtOutput.framework)} under Keras', ${fact(tfjs.summary.forwardAtOutput.framework)} under TensorFlow.js', and ${fact(torch.summary.forwardAtOutput.preserving)} under the preserving choice.`,
            `框架会初始化你没有自己初始化的每一层，而各框架的选择各不相同。审计把每个权重层的初始化替换为框架的默认值（扇数按框架从权重形状计算的方式计），并另外替换为保持方差的选择 $\\mathrm{Var}[w] = g^2/n_\\text{in}$（$g$ 是该层输入上激活函数的精确前向增益），然后分别传播。在一个 ${AUDIT_DEPTH} 层、宽度 ${AUDIT_WIDTH} 的 relu 网络上，最后一层预激活的二阶矩在 PyTorch 默认下为 ${fact(torch.summary.forwardAtOutput.framework)}，Keras 下为 ${fact(keras.summary.forwardAtOutput.framework)}，TensorFlow.js 下为 ${fact(tfjs.summary.forwardAtOutput.framework)}，保持方差的选择下为 ${fact(torch.summary.forwardAtOutput.preserving)}。`,
          ),
          'lead',
        ),
        {
          kind: 'table',
          header: [[text(t('framework', '框架'))], [text(t('version described', '所描述的版本'))], [text(t('default', '默认值'))], [text(t('Var ÷ preserving (layer 2)', 'Var ÷ 保持（第 2 层）'))], [math('\\mathbb{E}[h_L^2]')], [math('\\mathbb{E}[d_1^2]')], [math('\\mathbb{E}[d_1^2]'), text(t(' preserving', ' 保持'))]],
          align: ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
          rows: audits.map((a) => [
            [text(a.label)],
            [text(a.version)],
            [code(a.layers[0].init)],
            [text(formatNumber(a.layers[1].ratio))],
            [text(formatNumber(a.summary.forwardAtOutput.framework))],
            [text(formatNumber(a.summary.backwardAtInput.framework))],
            [text(formatNumber(a.summary.backwardAtInput.preserving))],
          ]),
        },
        { kind: 'heading', level: 2, text: t('PyTorch: a = √5 and calculate_gain', 'PyTorch：a = √5 与 calculate_gain'), id: 'pytorch' },
        say(
          t(
            `\`nn.Linear\` and \`nn.Conv2d\` call \`kaiming_uniform_(weight, a=math.sqrt(5))\`: the leaky-relu gain $\\sqrt{2/(1 + a^2)} = \\sqrt{1/3}$ and the bound $\\sqrt{3}\\,g/\\sqrt{n_\\text{in}} = 1/\\sqrt{n_\\text{in}}$, so $\\mathrm{Var}[w] = 1/(3 n_\\text{in})$, a third of LeCun's. After a relu each layer multiplies the second moment by ${fact(torch.layers[1].ratio)}, so the ${AUDIT_DEPTH}-layer network ends at ${fact(torch.summary.forwardAtOutput.framework)}; the gradient at the first layer is ${fact(torch.summary.backwardAtInput.framework)} against ${fact(torch.summary.backwardAtInput.preserving)}.`,
            `\`nn.Linear\` 和 \`nn.Conv2d\` 调用 \`kaiming_uniform_(weight, a=math.sqrt(5))\`：leaky-relu 增益 $\\sqrt{2/(1 + a^2)} = \\sqrt{1/3}$，边界 $\\sqrt{3}\\,g/\\sqrt{n_\\text{in}} = 1/\\sqrt{n_\\text{in}}$，所以 $\\mathrm{Var}[w] = 1/(3 n_\\text{in})$，是 LeCun 的三分之一。在 relu 之后每层把二阶矩乘以 ${fact(torch.layers[1].ratio)}，所以这个 ${AUDIT_DEPTH} 层网络最终为 ${fact(torch.summary.forwardAtOutput.framework)}；第一层处的梯度为 ${fact(torch.summary.backwardAtInput.framework)}，保持方差时为 ${fact(torch.summary.backwardAtInput.preserving)}。`,
          ),
        ),
        say(
          t(
            `PyTorch's docs recommend \`calculate_gain(nonlinearity)\` for \`xavier_*\` and \`kaiming_*\`. Its values are not the gains that keep the second moment: for sigmoid it returns ${fact(sigmoid.torch)} where the exact forward gain is ${fact(sigmoid.exact)}, for selu ${fact(selu.torch)} where it is ${fact(selu.exact)}, for tanh ${fact(tanh.torch, 4)} where it is ${fact(tanh.exact)}. Per layer the second moment is multiplied by $(g_\\text{torch}/g)^2$: ${fact((sigmoid.torch / sigmoid.exact) ** 2)} for sigmoid, ${fact((selu.torch / selu.exact) ** 2)} for selu, ${fact((tanh.torch / tanh.exact) ** 2)} for tanh. The exact gains come from \`computeGains\` (\`varprop gain sigmoid\`).`,
            `PyTorch 的文档推荐对 \`xavier_*\` 和 \`kaiming_*\` 使用 \`calculate_gain(nonlinearity)\`。它的值并不是保持二阶矩的增益：对 sigmoid 返回 ${fact(sigmoid.torch)}，而精确前向增益是 ${fact(sigmoid.exact)}；对 selu 返回 ${fact(selu.torch)}，精确值是 ${fact(selu.exact)}；对 tanh 返回 ${fact(tanh.torch, 4)}，精确值是 ${fact(tanh.exact)}。每层二阶矩乘以 $(g_\\text{torch}/g)^2$：sigmoid 为 ${fact((sigmoid.torch / sigmoid.exact) ** 2)}，selu 为 ${fact((selu.torch / selu.exact) ** 2)}，tanh 为 ${fact((tanh.torch / tanh.exact) ** 2)}。精确增益来自 \`computeGains\`（\`varprop gain sigmoid\`）。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Truncated normals', '截断正态'), id: 'truncated' },
        say(
          t(
            `A normal truncated at $\\pm 2\\sigma$ keeps ${fact(TRUNCATED_VARIANCE_FACTOR)} of $\\sigma^2$. Keras' \`VarianceScaling\` and JAX's \`variance_scaling\` (hence Flax's default \`lecun_normal\`) divide the standard deviation by ${fact(TRUNCATED_STD_FACTOR)} so that the variance after truncation is the one asked for; their plain \`TruncatedNormal\`/\`truncated_normal(stddev)\` do not. TensorFlow.js' \`VarianceScaling\` does not correct either, and its layers' default is \`glorotNormal\`, so every TF.js layer draws ${fact(TRUNCATED_VARIANCE_FACTOR)} of Glorot's variance: a relu layer multiplies the second moment by ${fact(tfjs.layers[1].ratio)} where Keras' \`glorot_uniform\` gives ${fact(keras.layers[1].ratio)}. PyTorch's \`trunc_normal_(w, std, a=-2, b=2)\` cuts at the absolute values $\\pm 2$, not at $\\pm 2\\sigma$: at \`std=${fact(torchTruncated.values.smallStd)}\` (as vision transformers call it) nothing is cut and the variance is $\\sigma^2$ times ${fact(torchTruncated.values.varianceOverStd2AtSmallStd)}, at \`std=1\` it is ${fact(torchTruncated.values.varianceOverStd2AtStd1)} of $\\sigma^2$, uncorrected either way.`,
            `在 $\\pm 2\\sigma$ 处截断的正态分布保留 $\\sigma^2$ 的 ${fact(TRUNCATED_VARIANCE_FACTOR)}。Keras 的 \`VarianceScaling\` 和 JAX 的 \`variance_scaling\`（因而 Flax 的默认 \`lecun_normal\`）把标准差除以 ${fact(TRUNCATED_STD_FACTOR)}，使截断后的方差等于所要求的方差；它们普通的 \`TruncatedNormal\`/\`truncated_normal(stddev)\` 则不校正。TensorFlow.js 的 \`VarianceScaling\` 也不校正，而其层的默认值是 \`glorotNormal\`，所以每个 TF.js 层抽取的方差是 Glorot 的 ${fact(TRUNCATED_VARIANCE_FACTOR)}：一个 relu 层把二阶矩乘以 ${fact(tfjs.layers[1].ratio)}，而 Keras 的 \`glorot_uniform\` 给出 ${fact(keras.layers[1].ratio)}。PyTorch 的 \`trunc_normal_(w, std, a=-2, b=2)\` 在绝对值 $\\pm 2$ 处截断，而不是 $\\pm 2\\sigma$：在 \`std=${fact(torchTruncated.values.smallStd)}\`（视觉 Transformer 这样调用）时什么也不截断，方差为 $\\sigma^2$ 乘以 ${fact(torchTruncated.values.varianceOverStd2AtSmallStd)}；在 \`std=1\` 时为 $\\sigma^2$ 的 ${fact(torchTruncated.values.varianceOverStd2AtStd1)}，两种情况都不校正。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Depthwise and transposed convolutions', '深度卷积与转置卷积'), id: 'fans' },
        say(
          t(
            `The frameworks count fans from the weight's shape ([convolution fans](conv-fans.md) has the layouts). A Keras or TF.js \`DepthwiseConv2D\` 3×3 kernel on 32 channels is read with fan_in ${kerasDepthwise.frameworkFanIn} where each output sums ${kerasDepthwise.fanIn} inputs, so \`glorot_uniform\` draws ${fact(kerasDepthwise.varianceRatio)} of the variance it means. PyTorch and Flax write the same layer as a grouped convolution and count its fan_in right (and its fan_out ${fans('pytorch', 'depthwise-fans').frameworkFanOut} times too large, which only fan_out and fan_avg modes read). A PyTorch \`ConvTranspose2d(64, 32, 4)\` weight is read like a forward one: fan_in ${torchTransposed.frameworkFanIn} where each output sums ${torchTransposed.fanIn} inputs, so its default draws ${fact(torchTransposed.varianceRatio)} of the variance of a fan_in rule; Keras and TF.js store transposed kernels the same way round, Flax stores them input-first and gets the fan right.`,
            `框架从权重的形状计算扇数（布局见[卷积扇数](conv-fans.md)）。Keras 或 TF.js 的 \`DepthwiseConv2D\` 在 32 个通道上的 3×3 核被读成 fan_in ${kerasDepthwise.frameworkFanIn}，而每个输出只对 ${kerasDepthwise.fanIn} 个输入求和，所以 \`glorot_uniform\` 抽取的方差是它本意的 ${fact(kerasDepthwise.varianceRatio)}。PyTorch 和 Flax 把同一层写成分组卷积，fan_in 计算正确（fan_out 大了 ${fans('pytorch', 'depthwise-fans').frameworkFanOut} 倍，只有 fan_out 和 fan_avg 模式会读它）。PyTorch 的 \`ConvTranspose2d(64, 32, 4)\` 权重被当作前向权重读取：fan_in ${torchTransposed.frameworkFanIn}，而每个输出对 ${torchTransposed.fanIn} 个输入求和，所以它的默认值抽取的方差是 fan_in 规则的 ${fact(torchTransposed.varianceRatio)}；Keras 和 TF.js 以同样方向存储转置核，Flax 以输入在前的方式存储，扇数正确。`,
          ),
        ),
        { kind: 'heading', level: 2, text: t('Monte Carlo evidence', '蒙特卡洛证据'), id: 'evidence' },
        say(
          t(
            `A relu network of ${AUDIT_MC_DEPTH} layers of width ${AUDIT_MC_WIDTH} under each default, sampled with each framework's law (uniform for PyTorch and Keras, the corrected ±2σ truncated normal for Flax, the uncorrected one for TF.js) and run by the seeded engine: the last layer's second moment, predicted exactly and measured.`,
            `一个 ${AUDIT_MC_DEPTH} 层、宽度 ${AUDIT_MC_WIDTH} 的 relu 网络，在各默认值下按各框架的分布抽样（PyTorch 和 Keras 为均匀分布，Flax 为校正过的 ±2σ 截断正态，TF.js 为未校正的截断正态），由带种子的引擎运行：最后一层的二阶矩，精确预测值与测量值。`,
          ),
        ),
        {
          kind: 'table',
          header: [[text(t('framework', '框架'))], [math('\\mathbb{E}[h_L^2]'), text(t(' predicted', ' 预测'))], [text(t('measured [interval]', '测量 [区间]'))], [text(t('check', '检验'))]],
          align: ['left', 'right', 'right', 'left'],
          rows: runs.map(({ name, report }) => {
            const last = report.layers[report.layers.length - 1].forward;
            return [
              [text(frameworkDefaults[name].label)],
              [text(formatNumber(last.exact ?? last.meanField))],
              [text(`${formatNumber(last.estimate)} [${formatNumber(last.ciLow)}, ${formatNumber(last.ciHigh)}]`)],
              [text(report.pass ? t('passes', '通过') : t('fails', '失败'))],
            ];
          }),
        },
        say(
          t(
            'Each claim above cites its framework source file in `src/vocabulary/frameworks.ts`, which the audit reads; `varprop audit --framework tfjs --spec net.json --json` gives the same for your own network, layer by layer, with the findings and their sources.',
            '上面的每个论断都在 `src/vocabulary/frameworks.ts` 中注明了框架源文件，审计读取的正是它；`varprop audit --framework tfjs --spec net.json --json` 对你自己的网络逐层给出同样的结果，连同各项发现及其来源。',
          ),
        ),
      ],
    };
  },
};
