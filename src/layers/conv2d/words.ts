/**
 * 2-D convolution layer (stride 1, valid padding), words face: what a derivation says about it.
 *
 * Forward, output channel c at position (u, v):
 *   o_{c,u,v} = Σ_{c′} Σ_{i=0}^{k_h−1} Σ_{j=0}^{k_w−1} w_{c,c′,i,j} x_{c′,u+i,v+j} (+ b_c),
 * c′ running over the C_in/G input channels of c's group. Numbering the receptive field
 * r = (c′, i, j) turns it into o_{c,p} = Σ_{r=1}^{n_in} w_{c,r} x_{p+r}: a sum of
 * n_in = (C_in/G)·k_h·k_w independent terms, the dense sum with other indices. Backward, an input
 * x_{c′,q} lies in the patch of C_out/G channels at k_h·k_w positions, so away from the border its
 * gradient collects n_out = (C_out/G)·k_h·k_w terms (fewer within k − 1 of the edge: valid padding).
 * The same chains, hence the same conditions on σ², hold with these fans (He et al. 2015, §2.2
 * states n_l = k²c for convolutions).
 *
 * Every step is checked: the index bookkeeping against the resolved fans, the chain rule on a
 * convolution written out at a small size and differentiated by mathjs, the rest by the engine's
 * rules.
 */
import { writtenOutChainRuleStep, type WrittenOutCase } from '../../symbolic/chainRule.js';
import type { DerivationStep } from '../../symbolic/derivation.js';
import type { Engine } from '../../symbolic/engine.js';
import { mul, rv, sum } from '../../symbolic/expression.js';
import { standardSymbols, type FamilySpec, type RandomModel, type SymbolSpec } from '../../symbolic/model.js';
import type { InputMoments } from '../../symbolic/models.js';
import type { ResolvedLayer } from '../../vocabulary/network.js';
import type { LayerWords } from '../kind.js';

// ---------------------------------------------------------------------------------------------
// Notation
// ---------------------------------------------------------------------------------------------

/** Index names of the models, as printed: k is the input channel c′ (a prime is not a mathjs-safe name). */
const LATEX_INDEX: Readonly<Record<string, string>> = { k: "c'" };
const TEXT_INDEX: Readonly<Record<string, string>> = { k: 'c′' };

/** `base_{a,b}`: a member with its indices separated by commas (they name positions and channels). */
function listed(base: string, textBase: string): Pick<FamilySpec, 'latex' | 'text'> {
  return {
    latex: (ix) => (ix.length ? `${base}_{${ix.map((i) => LATEX_INDEX[i] ?? i).join(',')}}` : base),
    text: (ix) => (ix.length ? `${textBase}_(${ix.map((i) => TEXT_INDEX[i] ?? i).join(',')})` : textBase),
  };
}

/** `base_{a+b}` (forward: position plus offset) or `base_{a-b}` (backward: position minus offset). */
function shifted(base: string, textBase: string, sign: '+' | '-'): Pick<FamilySpec, 'latex' | 'text'> {
  const fallback = listed(base, textBase);
  return {
    latex: (ix) => (ix.length === 2 ? `${base}_{${ix[0]}${sign}${ix[1]}}` : fallback.latex(ix)),
    text: (ix) => (ix.length === 2 ? `${textBase}_(${ix[0]}${sign === '+' ? '+' : '−'}${ix[1]})` : fallback.text(ix)),
  };
}

/** P, the number of output positions H_out·W_out (a mathjs-safe name). */
const POSITIONS = 'n_pos';
const convSymbols: Readonly<Record<string, SymbolSpec>> = { ...standardSymbols, [POSITIONS]: { latex: 'P', text: 'P' } };

const weights: FamilySpec = { ...listed('w', 'w'), moments: { 1: '0', 2: 'sigma^2' }, zeroMean: true };
const gradientMoments = { moments: { 1: '0', 2: 'var_do' }, zeroMean: true } as const;

function input(moments: InputMoments): FamilySpec {
  return { ...shifted('x', 'x', '+'), moments: { 1: moments.mean, 2: moments.secondMoment }, zeroMean: moments.zeroMean };
}

/** o_{c,p} = Σ_{r=1}^{n_in} w_{c,r} x_{p+r}. */
function forwardModel(moments: InputMoments): RandomModel {
  return {
    symbols: convSymbols,
    ranges: { c: 'C_out', p: POSITIONS, r: 'n_in' },
    families: {
      w: weights,
      x: input(moments),
      o: { ...listed('o', 'o'), definition: ([c, p]) => sum('r', 'n_in', mul(rv('w', c, 'r'), rv('x', p, 'r'))) },
    },
  };
}

/** ∂x_{c′,q} = Σ_{s=1}^{n_out} w_{s,c′} ∂o_{q−s}, s = (c, i, j) (away from the border). */
function backwardModel(moments: InputMoments): RandomModel {
  return {
    symbols: convSymbols,
    ranges: { k: 'C_in', q: 'n_pos_in', s: 'n_out' },
    families: {
      w: weights,
      x: input(moments),
      do: { ...shifted('\\partial o', '∂o', '-'), ...gradientMoments },
      dx: { ...listed('\\partial x', '∂x'), definition: ([k, q]) => sum('s', 'n_out', mul(rv('w', 's', k), rv('do', q, 's'))) },
    },
  };
}

/** ∂w_{c,r} = Σ_{p=1}^{P} ∂o_{c,p} x_{p+r}: a kernel entry is shared by every output position. */
function weightGradientModel(moments: InputMoments): RandomModel {
  return {
    symbols: convSymbols,
    ranges: { c: 'C_out', r: 'n_in', p: POSITIONS },
    families: {
      x: input(moments),
      do: { ...listed('\\partial o', '∂o'), ...gradientMoments },
      dw: { ...listed('\\partial w', '∂w'), definition: ([c, r]) => sum('p', POSITIONS, mul(rv('do', c, 'p'), rv('x', 'p', r))) },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A convolution written out at a small size, for the chain-rule checks
// ---------------------------------------------------------------------------------------------

/** Sizes of the written-out convolution: grouped, non-square kernel, so indices cannot be confused. */
export interface WrittenOutGeometry {
  inChannels: number;
  outChannels: number;
  groups: number;
  kh: number;
  kw: number;
  height: number;
  width: number;
}

export const CHECK_GEOMETRY: WrittenOutGeometry = { inChannels: 2, outChannels: 4, groups: 2, kh: 2, kw: 3, height: 4, width: 5 };

// mathjs names: w_c_k_i_j (k: channel within the group), x_channel_y_x, g_c_u_v (g = ∂o).
const wName = (c: number, k: number, i: number, j: number) => `w_${c}_${k}_${i}_${j}`;
const xName = (channel: number, y: number, x: number) => `x_${channel}_${y}_${x}`;
/** Negative positions (outside the image) get an `m`, so a claim that reaches them stays parseable. */
const gName = (c: number, u: number, v: number) => `g_${c}_${u < 0 ? `m${-u}` : u}_${v < 0 ? `m${-v}` : v}`;

function sizes(g: WrittenOutGeometry) {
  return { groupIn: g.inChannels / g.groups, groupOut: g.outChannels / g.groups, outHeight: g.height - g.kh + 1, outWidth: g.width - g.kw + 1 };
}

/** The terms of Σ_{c,u,v} o_{c,u,v} g_{c,u,v}, o_{c,u,v} = Σ_{k,i,j} w_{c,k,i,j} x_{group(c)·C_in/G + k, u+i, v+j}. */
export function writtenOutForward(g: WrittenOutGeometry): string[] {
  const { groupIn, groupOut, outHeight, outWidth } = sizes(g);
  const terms: string[] = [];
  for (let c = 0; c < g.outChannels; c++) {
    const first = Math.floor(c / groupOut) * groupIn;
    for (let u = 0; u < outHeight; u++) {
      for (let v = 0; v < outWidth; v++) {
        for (let k = 0; k < groupIn; k++) {
          for (let i = 0; i < g.kh; i++) {
            for (let j = 0; j < g.kw; j++) terms.push(`${wName(c, k, i, j)}*${xName(first + k, u + i, v + j)}*${gName(c, u, v)}`);
          }
        }
      }
    }
  }
  return terms;
}

/** The words' claim ∂x_{c′,y,x} = Σ_{c in the group, i, j} w_{c,c′,i,j} g_{c,y−i,x−j}, true away from the border. */
export function claimedInputGradient(g: WrittenOutGeometry, channel: number, y: number, x: number): string {
  const { groupIn, groupOut } = sizes(g);
  const group = Math.floor(channel / groupIn);
  const terms: string[] = [];
  for (let c = group * groupOut; c < (group + 1) * groupOut; c++) {
    for (let i = 0; i < g.kh; i++) {
      for (let j = 0; j < g.kw; j++) terms.push(`${wName(c, channel % groupIn, i, j)}*${gName(c, y - i, x - j)}`);
    }
  }
  return terms.join(' + ');
}

/** The words' claim ∂w_{c,k,i,j} = Σ_{u,v} g_{c,u,v} x_{c′,u+i,v+j}: one term per output position. */
export function claimedWeightGradient(g: WrittenOutGeometry, c: number, k: number, i: number, j: number): string {
  const { groupIn, groupOut, outHeight, outWidth } = sizes(g);
  const channel = Math.floor(c / groupOut) * groupIn + k;
  const terms: string[] = [];
  for (let u = 0; u < outHeight; u++) {
    for (let v = 0; v < outWidth; v++) terms.push(`${gName(c, u, v)}*${xName(channel, u + i, v + j)}`);
  }
  return terms.join(' + ');
}

function inputGradientCases(g: WrittenOutGeometry): WrittenOutCase[] {
  const forward = writtenOutForward(g);
  const key = `conv2d:${JSON.stringify(g)}`;
  // Interior inputs (covered by every kernel offset), one per group.
  const y = g.kh - 1;
  const x = g.kw - 1;
  return [0, g.inChannels - 1].map((channel) => ({ key, forward, variable: xName(channel, y, x), claimed: claimedInputGradient(g, channel, y, x) }));
}

function weightGradientCases(g: WrittenOutGeometry): WrittenOutCase[] {
  const forward = writtenOutForward(g);
  const key = `conv2d:${JSON.stringify(g)}`;
  const groupIn = g.inChannels / g.groups;
  return [
    [0, 0, 0, 0],
    [g.outChannels - 1, groupIn - 1, g.kh - 1, g.kw - 1],
  ].map(([c, k, i, j]) => ({ key, forward, variable: wName(c, k, i, j), claimed: claimedWeightGradient(g, c, k, i, j) }));
}

// ---------------------------------------------------------------------------------------------
// The words for one resolved layer
// ---------------------------------------------------------------------------------------------

/** The conv2d words for a resolved conv2d layer; its channels, kernel and fans appear in the notes and checks. */
export function conv2dWords(layer: ResolvedLayer): LayerWords {
  const conv = layer.conv;
  if (!conv) throw new Error(`layer ${layer.index} is not a conv2d layer`);
  const { inChannels, outChannels, groups } = conv;
  const [kh, kw] = conv.kernel;
  const [outHeight, outWidth] = conv.outputSize;
  const geometry = `C_in = ${inChannels}, C_out = ${outChannels}, G = ${groups}, k_h × k_w = ${kh} × ${kw}`;
  const pinned = { C_in: inChannels, C_out: outChannels, G: groups, k_h: kh, k_w: kw };
  const positions = layer.outputUnits / outChannels;

  const forwardDefinition = (engine: Engine): DerivationStep[] => [
    {
      rule: 'definition',
      latex: "o_{c,u,v} = \\sum_{c'=1}^{C_\\text{in}/G} \\sum_{i=0}^{k_h-1} \\sum_{j=0}^{k_w-1} w_{c,c',i,j} \\, x_{c',u+i,v+j} + b_{c}",
      text: 'o_(c,u,v) = Σ_{c′=1..C_in/G} Σ_{i=0..k_h−1} Σ_{j=0..k_w−1} w_(c,c′,i,j)·x_(c′,u+i,v+j) + b_c',
      note: `A conv2d layer (stride 1, valid padding; ${geometry}): output channel c at position (u, v) sums the k_h × k_w patch at (u, v) of the C_in/G input channels c′ of its group. The bias b_c adds Var[b] to every output and is left out below, as for a dense layer.`,
    },
    engine.accept({
      rule: 'definition',
      latex: `p = (u,v),\\ r = (c',i,j):\\quad o_{c,p} = \\sum_{r=1}^{n_\\text{in}} w_{c,r} \\, x_{p+r}, \\quad n_\\text{in} = \\tfrac{C_\\text{in}}{G} k_h k_w = ${layer.fanIn}`,
      text: `p = (u,v), r = (c′,i,j): o_(c,p) = Σ_{r=1..n_in} w_(c,r)·x_(p+r),  n_in = (C_in/G)·k_h·k_w = ${layer.fanIn}`,
      note: `Numbering the receptive field r = (c′, i, j) makes o a sum of n_in = (C_in/G)·k_h·k_w independent terms w·x, like a dense layer's o_i = Σ_j w_ij x_j; the results below, and the conditions on σ², hold with these fans.`,
      check: { lhs: 'n_in', rhs: 'C_in/G*k_h*k_w', symbols: ['C_in', 'G', 'k_h', 'k_w', 'n_in'], at: { ...pinned, n_in: layer.fanIn } },
    }),
  ];

  const inputGradientRule = (engine: Engine): DerivationStep[] => [
    writtenOutChainRuleStep(
      engine,
      {
        latex:
          "\\partial x_{c',u',v'} = \\sum_{c,u,v} \\frac{\\partial o_{c,u,v}}{\\partial x_{c',u',v'}} \\partial o_{c,u,v} = \\sum_{c=1}^{C_\\text{out}/G} \\sum_{i=0}^{k_h-1} \\sum_{j=0}^{k_w-1} w_{c,c',i,j} \\, \\partial o_{c,u'-i,v'-j}",
        text: '∂x_(c′,u′,v′) = Σ_{c,u,v} (∂o_(c,u,v)/∂x_(c′,u′,v′))·∂o_(c,u,v) = Σ_{c=1..C_out/G} Σ_{i=0..k_h−1} Σ_{j=0..k_w−1} w_(c,c′,i,j)·∂o_(c,u′−i,v′−j)',
        note: "Chain rule: x_{c′,u′,v′} lies in the patch of output (c, u′−i, v′−j) for each of the C_out/G channels c of its group and each kernel offset (i, j), with ∂o/∂x = w_{c,c′,i,j}. This holds away from the border: with valid padding an input less than k − 1 from the edge lies in fewer patches, so its gradient has fewer terms and a smaller variance (the Monte Carlo predictions average over positions).",
      },
      inputGradientCases(CHECK_GEOMETRY),
    ),
    engine.accept({
      rule: 'definition',
      latex: `q = (u',v'),\\ s = (c,i,j):\\quad \\partial x_{c',q} = \\sum_{s=1}^{n_\\text{out}} w_{s,c'} \\, \\partial o_{q-s}, \\quad n_\\text{out} = \\tfrac{C_\\text{out}}{G} k_h k_w = ${layer.fanOut}`,
      text: `q = (u′,v′), s = (c,i,j): ∂x_(c′,q) = Σ_{s=1..n_out} w_(s,c′)·∂o_(q−s),  n_out = (C_out/G)·k_h·k_w = ${layer.fanOut}`,
      note: 'Away from the border the gradient of an input position collects n_out = (C_out/G)·k_h·k_w terms, one per output it feeds, each from a different output, like a dense layer\'s ∂x_j = Σ_i w_ij ∂o_i.',
      check: { lhs: 'n_out', rhs: 'C_out/G*k_h*k_w', symbols: ['C_out', 'G', 'k_h', 'k_w', 'n_out'], at: { ...pinned, n_out: layer.fanOut } },
    }),
  ];

  const weightGradientRule = (engine: Engine): DerivationStep[] => [
    writtenOutChainRuleStep(
      engine,
      {
        latex:
          "\\partial w_{c,c',i,j} = \\sum_{u,v} \\frac{\\partial o_{c,u,v}}{\\partial w_{c,c',i,j}} \\partial o_{c,u,v} = \\sum_{u=0}^{H_\\text{out}-1} \\sum_{v=0}^{W_\\text{out}-1} \\partial o_{c,u,v} \\, x_{c',u+i,v+j}",
        text: '∂w_(c,c′,i,j) = Σ_{u,v} (∂o_(c,u,v)/∂w_(c,c′,i,j))·∂o_(c,u,v) = Σ_{u=0..H_out−1} Σ_{v=0..W_out−1} ∂o_(c,u,v)·x_(c′,u+i,v+j)',
        note: 'Chain rule: a kernel entry is shared by every output position of channel c, with ∂o_{c,u,v}/∂w_{c,c′,i,j} = x_{c′,u+i,v+j}.',
      },
      weightGradientCases(CHECK_GEOMETRY),
    ),
    engine.accept({
      rule: 'definition',
      latex: `p = (u,v),\\ r = (c',i,j):\\quad \\partial w_{c,r} = \\sum_{p=1}^{P} \\partial o_{c,p} \\, x_{p+r}, \\quad P = H_\\text{out} W_\\text{out} = ${positions}`,
      text: `p = (u,v), r = (c′,i,j): ∂w_(c,r) = Σ_{p=1..P} ∂o_(c,p)·x_(p+r),  P = H_out·W_out = ${positions}`,
      note: 'Per example the gradient of one kernel entry sums P terms, one per output position; they are treated as independent (gradients at different positions are uncorrelated for zero-mean weights).',
      check: { lhs: POSITIONS, rhs: 'H_out*W_out', symbols: ['H_out', 'W_out', POSITIONS], at: { H_out: outHeight, W_out: outWidth, [POSITIONS]: positions } },
    }),
  ];

  return {
    forwardModel,
    output: { family: 'o', indices: ['c', 'p'] },
    forwardDefinition,
    backwardModel,
    inputGradient: { family: 'dx', indices: ['k', 'q'] },
    inputGradientRule,
    weightGradientModel,
    weightGradient: { family: 'dw', indices: ['c', 'r'] },
    weightGradientRule,
    sharedOver: { range: POSITIONS, latex: 'P' },
  };
}
