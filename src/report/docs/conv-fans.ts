/** Docs: fan_in and fan_out of convolutions in PyTorch and Keras layouts, grouped and transposed. */
import { computeFans, type FanOptions } from '../../vocabulary/fans.js';
import { code, math, text, type Inline, type ReportDocument } from '../document.js';
import type { DocTopic } from './topic.js';

interface FanCase {
  layer: string;
  shape: number[];
  options: FanOptions;
}

/**
 * Which framework versions a row's "framework fans" describe, and the source file they come from:
 * - PyTorch 1.0–2.x: torch/nn/init.py `_calculate_fan_in_and_fan_out` (fan_in = size(1)·rf,
 *   fan_out = size(0)·rf).
 * - Keras 2.x (tf.keras; keras/initializers/initializers.py `_compute_fans`) and Keras 3.x
 *   (keras/src/initializers/random_initializers.py `compute_fans`): fan_in = shape[-2]·rf,
 *   fan_out = shape[-1]·rf for rank ≥ 3, (shape[0], shape[1]) for rank 2. The depthwise kernel shape
 *   (kh, kw, C_in, depth_multiplier) is Keras 2's keras/layers/convolutional/depthwise_conv2d.py and
 *   Keras 3's keras/src/layers/convolutional/base_depthwise_conv.py (`depthwise_shape`).
 */
export const FRAMEWORK_VERSIONS = { torch: 'PyTorch 1.0–2.x', keras: 'Keras 2.x and 3.x' } as const;

const CASES: FanCase[] = [
  { layer: 'nn.Linear(784, 256)', shape: [256, 784], options: { layout: 'torch' } },
  { layer: 'keras Dense(256) on 784 inputs', shape: [784, 256], options: { layout: 'keras' } },
  { layer: 'nn.Conv2d(3, 64, 3)', shape: [64, 3, 3, 3], options: { layout: 'torch' } },
  { layer: 'keras Conv2D(64, 3) on 3 channels', shape: [3, 3, 3, 64], options: { layout: 'keras' } },
  { layer: 'nn.Conv2d(32, 64, 3, groups=4)', shape: [64, 8, 3, 3], options: { layout: 'torch', groups: 4 } },
  { layer: 'nn.Conv2d(32, 32, 3, groups=32) (depthwise)', shape: [32, 1, 3, 3], options: { layout: 'torch', groups: 32, depthwise: true } },
  { layer: 'keras DepthwiseConv2D(3) on 32 channels', shape: [3, 3, 32, 1], options: { layout: 'keras', depthwise: true } },
  { layer: 'nn.Conv2d(32, 64, 3, groups=32) (depth multiplier 2)', shape: [64, 1, 3, 3], options: { layout: 'torch', groups: 32, depthwise: true } },
  { layer: 'keras DepthwiseConv2D(3, depth_multiplier=2) on 32 channels', shape: [3, 3, 32, 2], options: { layout: 'keras', depthwise: true } },
  { layer: 'nn.ConvTranspose2d(64, 32, 4)', shape: [64, 32, 4, 4], options: { layout: 'torch', transposed: true } },
  { layer: 'keras Conv2DTranspose(32, 4) on 64 channels', shape: [4, 4, 32, 64], options: { layout: 'keras', transposed: true } },
];

export const convFansTopic: DocTopic = {
  slug: 'conv-fans',
  title: 'fan_in and fan_out of convolutions: PyTorch, Keras, groups, transposed',
  summary: 'What n_in and n_out mean for a convolution, and where PyTorch\'s and Keras\'s fan computations differ from the true fans for grouped, transposed and depthwise layers.',
  zh: {
    title: '卷积的 fan_in 与 fan_out：PyTorch、Keras、分组、转置与深度卷积',
    summary: '卷积的 n_in 和 n_out 是什么，以及 PyTorch 和 Keras 的扇数计算在分组、转置和深度卷积上与真实扇数有何不同。',
  },
  async build({ cat, say, t }): Promise<ReportDocument> {
    const rows: Inline[][][] = [];
    const notes: Inline[][] = [];
    for (const c of CASES) {
      const f = computeFans(c.shape, c.options);
      const mark = (framework: number, truth: number): string => (framework === truth ? String(framework) : `${framework} ⚠`);
      rows.push([
        [code(c.layer)],
        [text(FRAMEWORK_VERSIONS[f.layout])],
        [code(`[${c.shape.join(', ')}]`)],
        [text(String(f.fanIn))],
        [text(String(f.fanOut))],
        [text(mark(f.frameworkFanIn, f.fanIn))],
        [text(mark(f.frameworkFanOut, f.fanOut))],
      ]);
      for (const note of f.notes) notes.push([code(c.layer), text(': '), text(note)]);
    }
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [{ kind: 'text', text: t('The variance formulas need n_in and n_out; for a convolution they count inputs per output unit and outputs per input unit.', '方差公式需要 n_in 和 n_out；对卷积，它们分别数每个输出单元的输入和每个输入单元的输出。') }],
      blocks: [
        say(
          t('The derivations for dense layers use $n_\\text{in}$, the number of terms in the sum that makes one output unit, and $n_\\text{out}$, the number of output units one input unit feeds. A convolution with kernel $k_h \\times k_w$ computes each output as a sum over a patch of every input channel in its group, so with $C_\\text{in}$ input channels, $C_\\text{out}$ output channels and $g$ groups (stride 1):',
          '全连接层的推导用到 $n_\\text{in}$（构成一个输出单元的求和中的项数）和 $n_\\text{out}$（一个输入单元馈入的输出单元数）。核为 $k_h \\times k_w$ 的卷积把每个输出算成其所在组内每个输入通道上一个局部块的和，所以有 $C_\\text{in}$ 个输入通道、$C_\\text{out}$ 个输出通道和 $g$ 个组时（步长 1）：'),
          'lead',
        ),
        { kind: 'math', latex: 'n_\\text{in} = \\frac{C_\\text{in}}{g}\\,k_h k_w, \\qquad n_\\text{out} = \\frac{C_\\text{out}}{g}\\,k_h k_w' },
        say(
          t(`A transposed convolution runs the same connections backwards, so its fans swap roles with those of the convolution it transposes. The frameworks compute fans from the weight's shape alone, and the shape is stored differently: PyTorch puts the output channels first, \`(C_out, C_in/g, k_h, k_w)\`, and a transposed weight as \`(C_in, C_out/g, k_h, k_w)\`; Keras (and JAX/Flax) put the kernel first and the channels last, \`(k_h, k_w, C_in/g, C_out)\`. A depthwise convolution has one group per input channel; Keras stores its kernel as \`(k_h, k_w, C_in, depth_multiplier)\`, which its \`compute_fans\` reads like an ordinary \`C_in → depth_multiplier\` kernel, so its fan_in counts all input channels where each output sees one. The framework fans below are those of ${FRAMEWORK_VERSIONS.torch} (\`torch/nn/init.py\`, \`_calculate_fan_in_and_fan_out\`) and of ${FRAMEWORK_VERSIONS.keras} (\`compute_fans\` in \`keras/initializers/initializers.py\` and \`keras/src/initializers/random_initializers.py\`); \`varprop fans --depthwise\` computes the depthwise rows.`,
          `转置卷积把相同的连接反向运行，所以它的扇数与被转置的卷积互换角色。框架只根据权重的形状计算扇数，而形状的存储方式不同：PyTorch 把输出通道放在最前，\`(C_out, C_in/g, k_h, k_w)\`，转置权重为 \`(C_in, C_out/g, k_h, k_w)\`；Keras（以及 JAX/Flax）把核放在最前、通道放在最后，\`(k_h, k_w, C_in/g, C_out)\`。深度卷积每个输入通道一组；Keras 把它的核存为 \`(k_h, k_w, C_in, depth_multiplier)\`，其 \`compute_fans\` 把它当作普通的 \`C_in → depth_multiplier\` 核来读，于是 fan_in 计入了所有输入通道，而每个输出只看到一个。下表的框架扇数是 ${FRAMEWORK_VERSIONS.torch}（\`torch/nn/init.py\`，\`_calculate_fan_in_and_fan_out\`）和 ${FRAMEWORK_VERSIONS.keras}（\`keras/initializers/initializers.py\` 与 \`keras/src/initializers/random_initializers.py\` 中的 \`compute_fans\`）的；深度卷积各行由 \`varprop fans --depthwise\` 计算。`),
        ),
        {
          kind: 'table',
          caption: [text(t('True fans against the fans the framework\'s initializers use (⚠ where they differ), computed by ', '真实扇数与框架初始化器所用扇数的对比（⚠ 表示不同），由 ')), code('computeFans'), text(t('.', ' 计算。'))],
          header: [[text(t('layer', '层'))], [text(t('framework fans of', '框架扇数的版本'))], [text(t('weight shape', '权重形状'))], [math('n_\\text{in}')], [math('n_\\text{out}')], [text(t('framework fan_in', '框架 fan_in'))], [text(t('framework fan_out', '框架 fan_out'))]],
          align: ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
          rows,
        },
        ...(notes.length > 0 ? [{ kind: 'heading' as const, level: 2 as const, text: t('Where the frameworks differ', '框架在哪里不同'), id: 'differences' }, { kind: 'list' as const, ordered: false, items: notes }] : []),
        say(
          t('Fan-in based inits (He with `mode=\'fan_in\'`, LeCun) are unaffected by the grouped fan_out discrepancy, because the frameworks get fan_in right for ordinary and grouped convolutions written as grouped weights. Xavier, which averages the two fans, and He with `mode=\'fan_out\'` inherit it: for a depthwise convolution PyTorch\'s fan_out is $C_\\text{in}$ times too large, and the weights come out smaller than the derivation asks for. Keras gets a depthwise convolution wrong the other way round: its fan_in is $C_\\text{in}$ times too large, so even its fan-in based inits (He, LeCun, the default Glorot) draw depthwise weights too small. For transposed convolutions, which fan is "in" depends on whether you follow the forward computation or the stored shape; the frameworks follow the stored shape.',
          '基于 fan_in 的初始化（`mode=\'fan_in\'` 的 He、LeCun）不受分组卷积 fan_out 偏差的影响，因为对普通卷积和写成分组权重的分组卷积，框架算对了 fan_in。取两个扇数平均的 Xavier 和 `mode=\'fan_out\'` 的 He 会继承这一偏差：对深度卷积，PyTorch 的 fan_out 大了 $C_\\text{in}$ 倍，权重比推导要求的小。Keras 对深度卷积的错误方向相反：它的 fan_in 大了 $C_\\text{in}$ 倍，所以连它基于 fan_in 的初始化（He、LeCun、默认的 Glorot）抽出的深度卷积权重也偏小。对转置卷积，哪个扇数算“入”取决于按前向计算还是按存储形状；框架按存储形状。'),
        ),
        say(t('In formulas, every derivation in these documents holds for convolutions once $n_\\text{in}$ and $n_\\text{out}$ are the true fans above; the variance of a sum does not care whether its terms come from a patch or a row.',
          '用公式说：只要 $n_\\text{in}$ 和 $n_\\text{out}$ 取上面的真实扇数，这些文档中的每个推导对卷积都成立；和的方差不关心它的项来自一个局部块还是一行。')),
      ],
    };
  },
};
