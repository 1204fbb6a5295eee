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
  async build({ cat, check, fact, say }): Promise<ReportDocument> {
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
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'Dive into Deep Learning, "Numerical Stability and Initialization", section on vanishing and exploding gradients.' }],
      blocks: [
        say(
          'Write a network with column vectors as $h_l = W_l\\,\\phi(h_{l-1})$, $W_l$ of shape $n_l \\times n_{l-1}$ (PyTorch\'s (out, in)). By the chain rule the gradient of the loss with respect to $h_l$ is the gradient at the top multiplied by one Jacobian per layer above: $\\partial_{h_l}\\mathcal{L} = J_{l+1}^\\top \\cdots J_L^\\top\\,\\partial_{h_L}\\mathcal{L}$ with $J_k = W_k\\,\\operatorname{diag}(\\phi\'(h_{k-1}))$. A product of many matrices is the whole story: its size changes geometrically with the number of factors.',
          'lead',
        ),
        { kind: 'heading', level: 2, text: 'A product of random matrices', id: 'matrices' },
        say(
          `The chapter's experiment multiplies ${demo.steps} random ${demo.size}×${demo.size} matrices with standard normal entries. Each factor multiplies the squared length of a vector by ${demo.size} on average, so the product explodes; the typical growth rate per factor is the top Lyapunov exponent $\\lambda_1 = \\tfrac12[\\ln(2\\sigma^2) + \\psi(N/2)]$. The measured values below come from ${demo.trials} independent products (seed ${demo.seed}), the same run as \`varprop demo matrices\`.`,
        ),
        {
          kind: 'figure',
          id: 'jacobians-matrices',
          spec: matrixProductSpec(
            demo.cases.map((c) => ({ label: c.id === 'standard' ? 'σ² = 1' : `σ² = 1/${demo.size}`, sampleLogNorms: c.sampleLogNorms, predictedLogNorm: c.predictedLogNorm })),
            { factors: 'factors multiplied k', logNorm: 'ln ‖M_k ⋯ M_1 v‖', case: 'entries', prediction: 'prediction λ₁k', sample: 'single product' },
          ),
          caption: [text('The log-length of '), math('M_k \\cdots M_1 v'), text(' for five single products per variance, and the prediction '), math('\\lambda_1 k'), text(' (dashed).')],
          alt: 'Product of random matrices',
        },
        ...(standard && scaled
          ? [
              {
                kind: 'table' as const,
                header: [[text('entries')], [math('\\lambda_1'), text(' predicted')], [math('\\lambda_1'), text(' measured')], [text('mean-square growth '), math('N\\sigma^2')], [text('largest entry after '), math(String(demo.steps)), text(' factors')]],
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
          'Scaling the entries to $\\sigma^2 = 1/N$ is exactly Xavier\'s and LeCun\'s condition: it keeps the mean square of the product at one. The typical product still shrinks slowly ($\\lambda_1 < 0$ by Jensen\'s inequality), which is why very deep networks also need architecture (residual connections, normalization), not initialization alone.',
        ),
        { kind: 'heading', level: 2, text: 'The same product in a network', id: 'network' },
        say(
          'For a network the symbolic engine unrolls the per-layer results into products. Here it is for twelve tanh layers of width 64 with the standard initialization $U[-1/\\sqrt n, 1/\\sqrt n]$, whose per-layer factor $n\\sigma^2 = 1/3$ is far from one:',
        ),
        ...sectionBlocks(cat, stack, { next: 1 }, 3),
        ...evidenceBlocks(cat, runs, { histograms: 'none', figurePrefix: 'jacobians-' }),
        say(
          `Here $d_l$ in the derivation abbreviates $\\mathbb{E}[\\phi'(h_l)^2]$, and the gradient itself is written $\\partial h_l = \\partial\\mathcal{L}/\\partial h_l$. With the standard init the backward second moment at the first layer is ${fact(arrivingStandard, 3)} of its value at the top: the first layers barely learn. With Xavier's variance the factor $n\\sigma^2$ is one, but tanh's $\\mathbb{E}[\\phi'(h)^2]$ is below one, so the gradient still ${arrivingXavier < 0.5 ? 'shrinks' : 'changes'} on the way down: it arrives at the first layer with ${fact(arrivingXavier, 3)} of its second moment at the top, about ${fact(Math.round(arrivingXavier / arrivingStandard), 6)} times more than with the standard init.`,
        ),
      ],
    };
  },
};
