/**
 * Every number docs/ states in prose comes from the engine at generation time, and the claims made
 * with them are true. Decimal numbers in paragraphs must have passed through `DocContext.fact`
 * (so none is typed in by hand); the claims of issue 12 are recomputed here from the engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocs, docTopics, type DocFile, type StatedFacts } from '../../src/report/docs/index.js';
import { tanhGainCandidates } from '../../src/report/docs/tanh-gain.js';
import { FRAMEWORK_VERSIONS } from '../../src/report/docs/conv-fans.js';
import type { Block } from '../../src/report/document.js';
import { formatNumber } from '../../src/report/format.js';
import { runMatrixProductDemo } from '../../src/numeric/demos/matrices.js';
import { resolveActivation } from '../../src/vocabulary/activations/registry.js';
import { computeGains } from '../../src/vocabulary/gains.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

let files: DocFile[] = [];
let facts = new Map<string, StatedFacts>();

beforeAll(async () => {
  ({ files, facts } = await buildDocs());
}, 180_000);

const markdown = (slug: string): string => files.find((f) => f.path === `${slug}.md`)?.content ?? '';
const flat = (slug: string): string => markdown(slug).replace(/\s+/g, ' ');

/** Text and math of a paragraph. */
function proseOf(block: Block): string {
  return block.kind === 'paragraph' ? block.content.map((inline) => ('latex' in inline ? inline.latex : inline.text)).join('') : '';
}

/** Decimal numbers and formatNumber's scientific notation. */
const NUMBER = /−?\d+(?:\.\d+)?×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d+\.\d+/g;

describe('numbers in docs/ prose come from the engine', () => {
  it('every decimal number in every topic\'s own paragraphs was computed by the engine (DocContext.fact)', () => {
    for (const path of docTopics.flatMap((topic) => [topic.slug, `zh/${topic.slug}`])) {
      const topicFacts = facts.get(path);
      expect(topicFacts?.paragraphs.length, path).toBeGreaterThan(1);
      const stated = new Set(topicFacts!.numbers.map((n) => n.replace('−', '')));
      // Framework versions are cited from the sources (src/report/docs/conv-fans.ts), not computed.
      const cited = (text: string) => Object.values(FRAMEWORK_VERSIONS).reduce((rest, version) => rest.split(version).join(''), text);
      for (const paragraph of topicFacts!.paragraphs.map(proseOf).map(cited)) {
        for (const match of paragraph.matchAll(NUMBER)) {
          expect(stated.has(match[0].replace('−', '')), `${path}: "${match[0]}" in "${paragraph.slice(0, 80)}…" is not an engine number`).toBe(true);
        }
      }
    }
  });

  it('the index states only numbers computed from the vocabulary', () => {
    const tanh = computeGains(resolveActivation('tanh'));
    const allowed = new Set([formatNumber(tanh.forwardGain), formatNumber(tanh.backwardGain)]);
    for (const index of ['index', 'zh/index']) for (const match of markdown(index).matchAll(NUMBER)) expect(allowed.has(match[0]), match[0]).toBe(true);
  });

  it('docs/zh/ has every derivation document in Chinese, with the same engine numbers as the English one', () => {
    for (const topic of docTopics) {
      const zh = markdown(`zh/${topic.slug}`);
      const heading = (title: string) => `# ${title.replace(/_/g, '\\_')}`;
      expect(zh, topic.slug).toContain(heading(topic.zh.title));
      expect(zh).toMatch(/[\u4e00-\u9fff]{20}/);
      expect(markdown(topic.slug)).toContain(heading(topic.title));
      expect(new Set(facts.get(`zh/${topic.slug}`)!.numbers), topic.slug).toEqual(new Set(facts.get(topic.slug)!.numbers));
    }
    expect(flat('zh/tanh-gain')).toContain('所以它的梯度在反向传播中增长');
  });
});

describe('the claims of the documents (issue 12) hold', () => {
  it('tanh-gain: gain 1 has q* = 0 (not 0.001004); 5/3 settles at q* = 1.1785 with χ₁ = 1.2098 > 1, so gradients grow', () => {
    const [none, gradient, variance, pytorch] = tanhGainCandidates();
    expect(none.qStar).toBe(0);
    // Independently: iterate the length map to convergence (it contracts at q* for g > 1).
    const tanh = resolveActivation('tanh');
    let q = 1;
    for (let i = 0; i < 5000; i++) q = pytorch.gain ** 2 * tanh.moments(q).secondMoment;
    expect(pytorch.qStar).toBeCloseTo(q, 9);
    expect(pytorch.qStar).toBeCloseTo(1.1785, 4);
    expect(pytorch.chi1).toBeCloseTo(1.2098, 4);
    expect(gradient.qStar).toBeCloseTo(0.725, 3);
    expect(gradient.chi1).toBeCloseTo(1.126, 3);
    expect(variance.qStar).toBeCloseTo(1, 9);
    const text = flat('tanh-gain');
    expect(text).toContain(`settles at $q^* = ${formatNumber(pytorch.qStar)}$, where $\\chi_1 = ${formatNumber(pytorch.chi1)}$, so its gradients grow`);
    expect(text).toContain(`The gradient-preserving gain does not preserve gradients at its own fixed point either: it settles at $q^* = ${formatNumber(gradient.qStar)}$, where $\\chi_1 = ${formatNumber(gradient.chi1)}$`);
    expect(text).not.toContain('0.001004');
    // The order-to-chaos line outside the explorer: σ_b² = 0.05 gives σ_w² = 1.760955 (root finder, not 1.758942).
    expect(text).toContain('at $\\sigma_b^2 = 0.05$ the critical weight variance is $\\sigma_w^2 = 1.760955$');
    expect(text).not.toContain('shrink a little less');
  });

  it('jacobians: λ₁ from the same 400 trials as `varprop demo matrices`; the Xavier gradient is not "about the size it left the top"', async () => {
    const io = memoryIO();
    expect(await main(['demo', 'matrices', '--json'], io)).toBe(0);
    const cli = JSON.parse(io.out);
    const demo = runMatrixProductDemo({ seed: 1 });
    expect(demo.trials).toBe(400);
    expect(JSON.stringify(cli)).toContain(String(demo.cases[0].lyapunovMeasured.estimate));
    const text = flat('jacobians');
    expect(text).toContain('from 400 independent products (seed 1), the same run as `varprop demo matrices`');
    expect(text).toContain(formatNumber(demo.cases[0].lyapunovMeasured.estimate));
    expect(text).not.toContain('about the size it left the top');
    expect(text).toMatch(/the gradient still shrinks on the way down: it arrives at the first layer with 0\.0\d+ of its second moment/);
    expect(text).toContain('$d_l$ in the derivation abbreviates $\\mathbb{E}[\\phi\'(h_l)^2]$');
  });

  it('xavier: 1.1⁵⁰ ≈ 117 and 0.9⁵⁰ ≈ 1/194; the standard init shrinks the variance *to* about a third', () => {
    const text = flat('xavier');
    expect(text).toContain(`and 50 layers that is a factor of ${formatNumber(1.1 ** 50, 3)}, for $c = 0.9$ a factor of 1/${formatNumber(1 / 0.9 ** 50, 3)}`);
    expect(formatNumber(1 / 0.9 ** 50, 3)).toBe('194');
    expect(text).not.toContain('shrink by about a third');
    expect(text).toContain('shrinks to about a third per layer');
  });

  it('sigmoid: "more than 16×" only for nσ² ≤ 1; the exact forward gain 1.846 loses about 6.5× per layer', () => {
    const g = computeGains(resolveActivation('sigmoid'));
    expect(g.forwardGain).toBeCloseTo(1.846, 3);
    const loss = 1 / (g.forwardGain ** 2 * g.derivativeSecondMoment);
    expect(loss).toBeCloseTo(6.5, 1);
    const text = flat('sigmoid');
    expect(text).toContain('With $n\\sigma^2 \\le 1$ (Xavier, LeCun) a deep sigmoid network therefore loses more than a factor of 16');
    expect(text).toContain(`still a loss of about ${formatNumber(loss, 2)}× per layer`);
  });

  it('he-relu: the forward second moment stays at 2γ², not at its input value', () => {
    const text = flat('he-relu');
    expect(text).not.toContain('stays at its input value');
    expect(text).toContain('the forward second moment stays at $2\\gamma^2$ layer after layer');
  });

  it('conv-fans: the Keras DepthwiseConv2D row is the kernel (3, 3, 32, 1) with true fans 9/9 and Keras 288/9, and rows name framework versions', () => {
    const text = markdown('conv-fans');
    expect(text).toMatch(/`keras DepthwiseConv2D\(3\) on 32 channels` \| Keras 2\.x and 3\.x \| `\[3, 3, 32, 1\]` \| 9 \| 9 \| 288 ⚠ \| 9 \|/);
    expect(text).toMatch(/`nn\.Conv2d\(32, 64, 3, groups=32\) \(depth multiplier 2\)` \| PyTorch 1\.0–2\.x \| `\[64, 1, 3, 3\]` \| 9 \| 18 \| 9 \| 576 ⚠ \|/);
    expect(text).not.toContain('[3, 3, 1, 32]');
  });

  it('check --help and the README state the weight-gradient quantity', async () => {
    const io = memoryIO();
    await main(['check', '--help'], io);
    expect(io.out.replace(/\s+/g, ' ')).toContain("E[dW²] = Σ_ij (∂L/∂W_l,ij)² / (count·batch), over the layer's weight entries");
    expect(io.out.replace(/\s+/g, ' ')).toContain('the random linear loss L = Σ_b g_b·h_L,b, g_b ~ N(0, I)');
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('E[(∂W_l)²] = Σ_ij (∂L/∂W_l,ij)² / (count · batch)');
  });

  it('reports and docs state the weight-gradient quantity', () => {
    const text = flat('xavier');
    expect(text).toContain('\\mathbb{E}[(\\partial W_l)^2] = \\sum_{ij} (\\partial\\mathcal{L}/\\partial W_{l,ij})^2 / (\\text{count} \\cdot \\text{batch})');
    expect(text).toContain('the random linear loss $\\mathcal{L} = \\sum_b g_b^\\top h_{L,b}$');
  });
});
