/**
 * Docs: residual recipes compared (src/recipes/). Fixup, SkipInit, ReZero and NF-ResNet as presets
 * over the residual kind, what each keeps through 10, 100 and 1000 blocks as `propagate()` predicts
 * it and as its paper states it, and the seeded Monte Carlo at 10 and 100 blocks. Every number in
 * the prose comes from the recipes' towers or the engine run.
 */
import { fixupRecipe } from '../../recipes/fixup.js';
import { recipeDepths, type RecipeDepth, type RecipeQuantity } from '../../recipes/measure.js';
import { NF_DEFAULT_ALPHA } from '../../recipes/nfResnet.js';
import type { ResidualRecipe } from '../../recipes/recipe.js';
import { residualRecipes } from '../../recipes/registry.js';
import { math, text, type Block, type ReportDocument } from '../document.js';
import { formatNumber } from '../format.js';
import { DOC_MONTE_CARLO, type DocTopic } from './topic.js';

/** Depths the tables show, and the ones measured. */
export const RECIPE_DEPTHS = [10, 100, 1000] as const;
export const RECIPE_MEASURED = [10, 100] as const;
/** Width of the measured towers: small, so 100 blocks run in seconds. */
export const RECIPE_WIDTH = 32;
/**
 * Replicates per measured tower: more than the docs' default, because a tower of 100 blocks puts
 * some 800 sites in one Bonferroni family and 4 replicates leave intervals decades wide.
 */
export const RECIPE_NETS = 16;

/** Every recipe at every depth (one engine run per measured depth). */
export async function recipeComparison(): Promise<{ recipe: ResidualRecipe; depths: RecipeDepth[] }[]> {
  const settings = { nets: RECIPE_NETS, batch: DOC_MONTE_CARLO.batch, seed: DOC_MONTE_CARLO.seed, dtype: DOC_MONTE_CARLO.dtype, level: DOC_MONTE_CARLO.level };
  const result = [];
  for (const recipe of residualRecipes) result.push({ recipe, depths: await recipeDepths(recipe, {}, RECIPE_DEPTHS, RECIPE_WIDTH, RECIPE_MEASURED, settings) });
  return result;
}

const cell = (value: string) => [text(value)];
const predictedCell = (q: RecipeQuantity) => cell(formatNumber(q.predicted));
const measuredCell = (q: RecipeQuantity) => cell(q.estimate === undefined ? '—' : `${formatNumber(q.estimate)} [${formatNumber(q.ciLow!)}, ${formatNumber(q.ciHigh!)}]`);

export const residualRecipesTopic: DocTopic = {
  slug: 'residual-recipes',
  title: 'Residual recipes: what Fixup, SkipInit, ReZero and NF-ResNet keep through a thousand blocks',
  summary: 'Four published ways to initialize a deep residual network without normalization, each a preset over the residual block: the second moment and the gradient they keep at 10, 100 and 1000 blocks, derived and measured.',
  zh: {
    title: '残差配方：Fixup、SkipInit、ReZero 与 NF-ResNet 在一千个块中保持了什么',
    summary: '四种不用归一化初始化深度残差网络的已发表方法，每种都是残差块上的一个预设：它们在 10、100 和 1000 个块处保持的二阶矩与梯度，经推导并测量。',
  },
  async build({ cat, fact, say, t }): Promise<ReportDocument> {
    const comparison = await recipeComparison();
    const at = (name: string, blocks: number) => comparison.find((c) => c.recipe.name === name)!.depths.find((d) => d.blocks === blocks)!;
    const alpha = NF_DEFAULT_ALPHA;
    const nf1000 = at('nf_resnet', 1000);
    const nf100 = at('nf_resnet', 100);
    const fixup100 = at('fixup', 100);
    const fixup1000 = at('fixup', 1000);
    const unscaled100 = at('unscaled', 100);
    const rezero100 = at('rezero', 100);
    const measuredDepths = comparison.flatMap(({ recipe, depths }) => depths.filter((d) => d.monteCarlo).map((d) => ({ recipe, depth: d })));
    const failing = measuredDepths.filter(({ depth }) => !depth.monteCarlo!.pass).map(({ recipe, depth }) => `${recipe.title} (L = ${depth.blocks})`);
    const checkOutcome = failing.length === 0
      ? t('passes for every tower', '对每个塔都通过')
      : t(`fails for ${failing.join(', ')}`, `对 ${failing.join('、')} 不通过`);
    const fixupM3 = fixupRecipe.claim(100, { branchLayers: 3 });
    const blocks: Block[] = [
      say(
        t(
          `A residual block adds second moments, $\\mathbb{E}[x_{l+1}^2] = \\beta^2\\,\\mathbb{E}[x_l^2] + \\alpha^2\\,\\mathbb{E}[f(x_l)^2]$ when the branch ends in zero-mean weights ([residual scaling](residual.md) derives it). With $\\alpha = \\beta = 1$ and a branch that keeps its input's scale, every block doubles it: after 100 blocks the signal is ${fact(unscaled100.forward.predicted)} times the input's. Each recipe below is a choice of $\\alpha$, $\\beta$ and the branch's inits, built as a tree of the residual kind (\`varprop recipe <name>\` prints it), so \`propagate()\`, the checks and the explorer read it like any network.`,
          `残差块把二阶矩相加：分支以零均值权重结尾时，$\\mathbb{E}[x_{l+1}^2] = \\beta^2\\,\\mathbb{E}[x_l^2] + \\alpha^2\\,\\mathbb{E}[f(x_l)^2]$（推导见[残差缩放](residual.md)）。当 $\\alpha = \\beta = 1$ 且分支保持输入的尺度时，每个块都使它加倍：100 个块之后信号是输入的 ${fact(unscaled100.forward.predicted)} 倍。下面每个配方都是对 $\\alpha$、$\\beta$ 和分支初始化的一种选择，构建为残差类型的树（\`varprop recipe <name>\` 打印它），因此 \`propagate()\`、检验和浏览器都像读任何网络一样读它。`,
        ),
        'lead',
      ),
      say(
        t(
          'Every recipe is measured on the same tower: an input $x_0 \\sim \\mathcal{N}(0, I)$ and $L$ blocks, no stem and no head. Unless a recipe says otherwise the branch is dense (He), relu, dense (LeCun), which keeps $\\mathbb{E}[f(x)^2] = \\mathbb{E}[x^2]$ exactly. The quantities: $\\mathbb{E}[x_L^2]$ after the last block, the gradient $\\mathbb{E}[(\\partial x_0)^2]$ at the input when the top receives $\\mathbb{E}[(\\partial x_L)^2] = 1$, and $\\mathbb{E}[(\\partial w)^2]$ of the last layer of the first branch.',
          '每个配方都在同一个塔上测量：输入 $x_0 \\sim \\mathcal{N}(0, I)$ 和 $L$ 个块，没有主干也没有输出头。除非配方另有规定，分支是 dense（He）、relu、dense（LeCun），它精确地保持 $\\mathbb{E}[f(x)^2] = \\mathbb{E}[x^2]$。所测量的量：最后一个块之后的 $\\mathbb{E}[x_L^2]$，顶部收到 $\\mathbb{E}[(\\partial x_L)^2] = 1$ 时输入处的梯度 $\\mathbb{E}[(\\partial x_0)^2]$，以及第一个分支最后一层的 $\\mathbb{E}[(\\partial w)^2]$。',
        ),
      ),
      { kind: 'heading', level: 2, text: 'Fixup', id: 'fixup' },
      say(
        t(
          `Fixup (Zhang, Dauphin & Ma, 2019) starts the last layer of every branch at zero and scales the other $m - 1$ branch layers (He) by $L^{-1/(2m-2)}$. At initialization every branch outputs exactly zero, so the tower is the identity at any depth: $\\mathbb{E}[x_L^2] = 1$ and the gradient arrives unchanged. What the scale sets is the signal the zero layer sees: $m - 1$ scaled He layers with relu each multiply the second moment by $L^{-1/(m-1)}$, so $\\mathbb{E}[a^2] = 1/L$, and so is the zero layer's weight gradient: ${fact(fixup100.lastBranchWeightGradient.predicted)} at 100 blocks, ${fact(fixup1000.lastBranchWeightGradient.predicted)} at 1000, and ${fact(fixupM3.lastBranchWeightGradient)} at 100 blocks with bottleneck branches ($m = 3$, scale $L^{-1/4}$). One SGD step then changes each branch by $\\Theta(\\eta/L)$ and the network by $\\Theta(\\eta)$, the paper's argument.`,
          `Fixup（Zhang、Dauphin 与 Ma，2019）把每个分支的最后一层初始化为零，并把分支的其余 $m - 1$ 层（He）乘以 $L^{-1/(2m-2)}$。初始化时每个分支的输出精确为零，所以塔在任意深度都是恒等映射：$\\mathbb{E}[x_L^2] = 1$，梯度原样到达。缩放决定的是零层看到的信号：$m - 1$ 个带 relu 的缩放 He 层各把二阶矩乘以 $L^{-1/(m-1)}$，所以 $\\mathbb{E}[a^2] = 1/L$，零层的权重梯度也是如此：100 个块时为 ${fact(fixup100.lastBranchWeightGradient.predicted)}，1000 个块时为 ${fact(fixup1000.lastBranchWeightGradient.predicted)}，瓶颈分支（$m = 3$，缩放 $L^{-1/4}$）在 100 个块时为 ${fact(fixupM3.lastBranchWeightGradient)}。于是一步 SGD 使每个分支改变 $\\Theta(\\eta/L)$，使整个网络改变 $\\Theta(\\eta)$，这正是论文的论证。`,
        ),
      ),
      { kind: 'heading', level: 2, text: 'SkipInit, ReZero', id: 'skipinit-rezero' },
      say(
        t(
          'SkipInit (De & Smith, 2020) and ReZero (Bachlechner et al., 2021) multiply each branch by a learnable scalar $\\alpha$ initialized to zero ($x + \\alpha f(x)$); SkipInit also allows a small value, $\\alpha \\le 1/\\sqrt{L}$, and ReZero drops the normalization inside the branch. With $\\alpha = 0$ every block is the identity at initialization, forward and backward, at any depth, and the branch weights receive no gradient (only $\\alpha$ does). With $\\alpha > 0$ each block multiplies by $1 + \\alpha^2$; at $\\alpha = 1/\\sqrt{L}$ that is the scaling of the residual-scaling page, at most $e$ over the tower.',
          'SkipInit（De 与 Smith，2020）和 ReZero（Bachlechner 等，2021）把每个分支乘以一个初始化为零的可学习标量 $\\alpha$（$x + \\alpha f(x)$）；SkipInit 也允许一个小值 $\\alpha \\le 1/\\sqrt{L}$，ReZero 还去掉了分支内的归一化。$\\alpha = 0$ 时每个块在初始化时都是恒等映射，前向和反向皆然，与深度无关，分支权重收不到梯度（只有 $\\alpha$ 收到）。$\\alpha > 0$ 时每个块乘以 $1 + \\alpha^2$；$\\alpha = 1/\\sqrt{L}$ 时即残差缩放一页中的缩放，整个塔至多为 $e$。',
        ),
      ),
      { kind: 'heading', level: 2, text: 'NF-ResNet', id: 'nf-resnet' },
      say(
        t(
          `NF-ResNets (Brock, De & Smith, 2021) write each block $h_{l+1} = h_l + \\alpha f_l(h_l/\\beta_l)$ with a variance-preserving branch, a small $\\alpha$ (${fact(alpha, 2)} in the papers) and $\\beta_l = \\sqrt{\\mathrm{Var}(h_l)}$, the expected standard deviation of the block's input, computed analytically: $\\mathrm{Var}(h_{l+1}) = \\mathrm{Var}(h_l) + \\alpha^2$, so $\\beta_l = \\sqrt{1 + l\\alpha^2}$. Every branch sees a unit-variance input, and the signal grows linearly instead of exponentially: $1 + L\\alpha^2$, ${fact(nf100.forward.predicted)} after 100 blocks and ${fact(nf1000.forward.predicted)} after 1000. The gradient grows the same way downward, $\\mathbb{E}[(\\partial h_j)^2] = \\beta_L^2/\\beta_j^2$, to ${fact(nf1000.inputGradient.predicted)} at the input of 1000 blocks. The division by $\\beta_l$ is a \`scale\` node at the start of the branch. (DeepMind's reference code also multiplies each branch by a learnable gain initialized to zero, which makes the network the identity at initialization as SkipInit does; the recipe here is the papers' analysis, with that gain at one.)`,
          `NF-ResNet（Brock、De 与 Smith，2021）把每个块写成 $h_{l+1} = h_l + \\alpha f_l(h_l/\\beta_l)$，其中分支保持方差，$\\alpha$ 很小（论文中为 ${fact(alpha, 2)}），$\\beta_l = \\sqrt{\\mathrm{Var}(h_l)}$ 是块输入的期望标准差，用解析方式计算：$\\mathrm{Var}(h_{l+1}) = \\mathrm{Var}(h_l) + \\alpha^2$，所以 $\\beta_l = \\sqrt{1 + l\\alpha^2}$。每个分支都看到单位方差的输入，信号线性增长而非指数增长：$1 + L\\alpha^2$，100 个块之后为 ${fact(nf100.forward.predicted)}，1000 个块之后为 ${fact(nf1000.forward.predicted)}。梯度向下以同样方式增长，$\\mathbb{E}[(\\partial h_j)^2] = \\beta_L^2/\\beta_j^2$，在 1000 个块的输入处达到 ${fact(nf1000.inputGradient.predicted)}。除以 $\\beta_l$ 是分支开头的一个 \`scale\` 节点。（DeepMind 的参考代码还把每个分支乘以一个初始化为零的可学习增益，使网络在初始化时像 SkipInit 一样是恒等映射；这里的配方是论文的分析，该增益取一。）`,
        ),
      ),
      { kind: 'heading', level: 2, text: t('Side by side', '并列比较'), id: 'comparison' },
      say(
        t(
          'Predicted by `propagate()` (every value here is exact: it holds in expectation at any width) and equal to each paper\'s closed form, which the tests check to twelve digits:',
          '由 `propagate()` 预测（这里每个值都是精确的：在任意宽度下期望成立），并与各论文的闭式相等，测试检验到十二位：',
        ),
      ),
      {
        kind: 'table',
        header: [
          cell(t('recipe', '配方')),
          ...RECIPE_DEPTHS.map((L) => [math(`\\mathbb{E}[x_L^2]`), text(`, L = ${L}`)]),
          ...RECIPE_DEPTHS.map((L) => [math(`\\mathbb{E}[(\\partial x_0)^2]`), text(`, L = ${L}`)]),
        ],
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
        rows: comparison.map(({ recipe, depths }) => [cell(recipe.title), ...depths.map((d) => predictedCell(d.forward)), ...depths.map((d) => predictedCell(d.inputGradient))]),
      },
      { kind: 'heading', level: 2, text: t('Monte Carlo evidence', '蒙特卡洛证据'), id: 'evidence' },
      say(
        t(
          `Towers of width ${RECIPE_WIDTH}, 10 and 100 blocks, run forward and backward by the seeded engine with ${RECIPE_NETS} replicate networks (batch and seed as in the footer); 1000 blocks are predicted only. Each measurement is the mean over replicate networks with the interval \`varprop check\` uses (every site of the tower in one family); the check of every site against \`propagate()\` ${checkOutcome}. The gradient is measured at the output of block 1, the lowest the engine records.`,
          `宽度 ${RECIPE_WIDTH}、10 和 100 个块的塔，由带种子的引擎用 ${RECIPE_NETS} 个重复网络做前向和反向传播（批量与种子见页脚）；1000 个块只做预测。每个测量值是各重复网络的均值，区间与 \`varprop check\` 使用的相同（塔的所有位置为一个族）；所有位置相对 \`propagate()\` 的检验${checkOutcome}。梯度在第 1 块的输出处测量，这是引擎记录的最低处。`,
        ),
      ),
      {
        kind: 'table',
        header: [cell(t('recipe', '配方')), [math('L')], [math('\\mathbb{E}[x_L^2]'), text(t(' predicted', ' 预测'))], [text(t('measured', '测量'))], [math('\\mathbb{E}[(\\partial x_1)^2]'), text(t(' predicted', ' 预测'))], [text(t('measured', '测量'))], [math('\\mathbb{E}[(\\partial w)^2]'), text(t(' predicted', ' 预测'))], [text(t('measured', '测量'))]],
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        rows: comparison.flatMap(({ recipe, depths }) =>
          depths
            .filter((d) => d.monteCarlo)
            .map((d) => [
              cell(recipe.title),
              cell(String(d.blocks)),
              predictedCell(d.forward),
              measuredCell(d.forward),
              predictedCell(d.backward),
              measuredCell(d.backward),
              predictedCell(d.lastBranchWeightGradient),
              measuredCell(d.lastBranchWeightGradient),
            ]),
        ),
      },
      say(
        t(
          `Every tower runs whole, its exact zeros included. A branch multiplied by $\\alpha = 0$ receives no gradient at all, and Fixup's zero layer outputs exactly zero; \`propagate()\` predicts those second moments as exactly 0, and the engine measures an all-zero tensor there as 0 instead of reporting a vanished signal (an all-zero tensor where the theory predicts none is still an underflow, and the run says where). So at $\\alpha = 0$ SkipInit's and ReZero's branch weights show a measured gradient of ${fact(rezero100.lastBranchWeightGradient.estimate ?? Number.NaN)} in every replicate, while the signal passes 100 identity blocks at ${fact(rezero100.forward.estimate ?? Number.NaN)}; Fixup's zero layer gets the weight gradient $\\mathbb{E}[a^2]\\,\\mathbb{E}[(\\partial y)^2] = 1/L$ the paper's argument rests on, measured in the tower: ${fact(fixup100.lastBranchWeightGradient.estimate ?? Number.NaN)} at 100 blocks, interval [${fact(fixup100.lastBranchWeightGradient.ciLow ?? Number.NaN)}, ${fact(fixup100.lastBranchWeightGradient.ciHigh ?? Number.NaN)}], against the predicted ${fact(fixup100.lastBranchWeightGradient.predicted)}.`,
          `每个塔都完整运行，包括其中的精确零。乘以 $\\alpha = 0$ 的分支完全收不到梯度，Fixup 的零层输出精确为零；\`propagate()\` 把这些二阶矩预测为精确的 0，引擎在那里把全零张量测量为 0，而不是报告信号消失（在理论不预测为零的地方出现全零张量仍是下溢，运行会指出位置）。于是在 $\\alpha = 0$ 时，SkipInit 和 ReZero 的分支权重在每个重复网络中测得的梯度都是 ${fact(rezero100.lastBranchWeightGradient.estimate ?? Number.NaN)}，而信号穿过 100 个恒等块后为 ${fact(rezero100.forward.estimate ?? Number.NaN)}；Fixup 的零层得到论文论证所依赖的权重梯度 $\\mathbb{E}[a^2]\\,\\mathbb{E}[(\\partial y)^2] = 1/L$，在塔中直接测量：100 个块时为 ${fact(fixup100.lastBranchWeightGradient.estimate ?? Number.NaN)}，区间 [${fact(fixup100.lastBranchWeightGradient.ciLow ?? Number.NaN)}, ${fact(fixup100.lastBranchWeightGradient.ciHigh ?? Number.NaN)}]，预测为 ${fact(fixup100.lastBranchWeightGradient.predicted)}。`,
        ),
      ),
      say(
        t(
          'Print any recipe\'s tree and its numbers: `varprop recipe nf_resnet --blocks 100 --width 64` (add `--json` for the tree and every quantity as data), `varprop recipe fixup --branch-layers 3`, `varprop recipe skipinit --alpha 0`.',
          '打印任一配方的树及其数值：`varprop recipe nf_resnet --blocks 100 --width 64`（加 `--json` 得到树和每个量的数据），`varprop recipe fixup --branch-layers 3`，`varprop recipe skipinit --alpha 0`。',
        ),
      ),
    ];
    return {
      lang: cat.meta.htmlLang,
      title: t(this.title, this.zh.title),
      subtitle: [text(t('Fixup (Zhang, Dauphin & Ma 2019), SkipInit (De & Smith 2020), ReZero (Bachlechner et al. 2021) and NF-ResNet (Brock, De & Smith 2021) as presets over the residual block x ↦ β·x + α·f(x).', 'Fixup（Zhang、Dauphin 与 Ma 2019）、SkipInit（De 与 Smith 2020）、ReZero（Bachlechner 等 2021）和 NF-ResNet（Brock、De 与 Smith 2021），作为残差块 x ↦ β·x + α·f(x) 上的预设。'))],
      blocks,
    };
  },
};

