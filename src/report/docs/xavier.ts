/** Docs: the Xavier derivation as Dive into Deep Learning gives it, step by step, with its evidence. */
import { deriveNetwork } from '../../symbolic/layer.js';
import { resolveNetwork } from '../../vocabulary/network.js';
import { type ReportDocument } from '../document.js';
import { derivationBlocks } from '../sections/derivation.js';
import { evidenceBlocks } from '../sections/evidence.js';
import { setupBlocks } from '../sections/setup.js';
import type { DocTopic } from './topic.js';

export const xavierTopic: DocTopic = {
  slug: 'xavier',
  title: 'Xavier initialization, derived step by step',
  summary: 'Why Var[w] = 2/(n_in + n_out): the forward and backward conditions and their compromise, checked by Monte Carlo on a tanh MLP.',
  async build({ cat, check, fact, say }): Promise<ReportDocument> {
    const spec = { widths: [784, 256, 256, 10], activation: 'tanh', init: 'xavier_uniform' };
    const network = resolveNetwork(spec);
    const depth = 50;
    const derivation = deriveNetwork(network);
    const runs = [
      { init: 'xavier_uniform', report: await check(spec) },
      { init: 'standard', report: await check({ ...spec, init: 'standard' }) },
    ];
    return {
      lang: 'en',
      title: this.title,
      subtitle: [{ kind: 'text', text: 'The derivation of Dive into Deep Learning, "Numerical Stability and Initialization", written out by the symbolic engine.' }],
      blocks: [
        say(
          `A layer multiplies its input by a random matrix. If each layer scales the variance of the signal by a factor $c$, then after $L$ layers the variance is scaled by $c^L$: for $c = ${fact(1.1)}$ and ${depth} layers that is a factor of ${fact(1.1 ** depth, 3)}, for $c = ${fact(0.9)}$ a factor of 1/${fact(1 / 0.9 ** depth, 3)} in the other direction. Initialization is the choice of the weight variance that makes $c = 1$, and Xavier initialization (Glorot & Bengio, 2010) is the choice that does it, as well as it can, for both the forward and the backward pass.`,
          'lead',
        ),
        say(
          'The argument only needs expectations of sums and products of independent variables. Below, every step is produced by a named rule and checked numerically by the symbolic engine; nothing is typed in by hand. The network is the tanh multilayer perceptron of the chapter, with widths 784, 256, 256 and 10.',
        ),
        ...setupBlocks(cat, network, derivation),
        ...derivationBlocks(cat, derivation),
        say(
          'Read the conditions table from the top. The forward pass keeps the variance when $n_\\text{in}\\sigma^2 = 1$, the backward pass when $n_\\text{out}\\sigma^2 = 1$. Both hold only when $n_\\text{in} = n_\\text{out}$, so Glorot and Bengio take the average of the two fans; a uniform law $U(-a, a)$ has variance $a^2/3$, which gives the familiar bound $a = \\sqrt{6/(n_\\text{in}+n_\\text{out})}$.',
        ),
        ...evidenceBlocks(cat, runs, { histograms: 'first' }),
        say(
          'The standard initialization $U[-1/\\sqrt{n}, 1/\\sqrt{n}]$ that Glorot and Bengio compared against has $n\\operatorname{Var}[w] = 1/3$: in linear theory the variance of the activations shrinks to about a third per layer going forward (and tanh shrinks it further), and the gradients shrink going backward, which is what their figures 6 and 7 show. Xavier keeps both close to level. Note that tanh is not linear: the mean-field prediction, which integrates $\\tanh$ against a Gaussian, is the one the measurements agree with; linear theory overestimates the variance once the pre-activations leave the linear region near zero.',
        ),
      ],
    };
  },
};
