/**
 * Transformer blocks as compositions of existing kinds (attention, layer_norm, dense, activation,
 * residual, serial), and the initialization presets of the papers, each a function that builds a
 * plain tree spec. A stack is an input `{ tokens, width }` (x ~ N(0, γ²), tokens independent), then
 * L blocks, each one top-level `serial` node (its path is the block index), no embedding and no head:
 *
 * - `pre_ln`  x + attn(LN(x)), then x + mlp(LN(x)) (GPT-2; Xiong et al. 2020);
 * - `post_ln` LN(x + attn(x)), then LN(x + mlp(x)) (Vaswani et al. 2017);
 * - `deepnet` LN(α·x + attn(x)), LN(α·x + mlp(x)) with the value, output and FFN weights drawn
 *   Xavier-normal with gain β, queries and keys with gain 1 (Wang et al. 2022, "DeepNet: Scaling
 *   Transformers to 1,000 Layers", Figure 2 / Table 1; torchscale/architecture/encoder.py and
 *   decoder.py: `self.alpha`, and `p.data.div_(init_scale)` for fc1, fc2, out_proj, v_proj);
 * - `tfixup`  no normalization: x + attn(x), x + mlp(x), Xavier everywhere, the value, output and MLP
 *   weights scaled by 0.67·N^(−1/4) (encoder) or (9M)^(−1/4) (decoder) (Huang et al. 2020,
 *   "Improving Transformer Optimization Through Better Initialization", §3.3 steps 1–3);
 * - `gpt2`    pre-LN, causal, every weight N(0, 0.02²) but the residual projections (attention output
 *   and the MLP's second layer, `c_proj`) N(0, (0.02/√(2L))²) (Radford et al. 2019, §2.3; nanoGPT
 *   model.py: `torch.nn.init.normal_(p, mean=0.0, std=0.02/math.sqrt(2 * config.n_layer))` for
 *   parameters ending in `c_proj.weight`).
 *
 * The MLP is dense(4d), GELU, dense(d). Cross-attention is not built: for an encoder–decoder the
 * stack is the encoder (or the decoder's self-attention) with that side's constants.
 */
import type { InitRef } from '../vocabulary/init.js';
import type { LayerNodeSpec, TreeNetworkSpec } from '../vocabulary/network.js';

export const TRANSFORMER_PRESETS = ['pre_ln', 'post_ln', 'deepnet', 'tfixup', 'gpt2'] as const;
export type TransformerPreset = (typeof TRANSFORMER_PRESETS)[number];

export const ARCHITECTURES = ['encoder', 'decoder', 'encoder_decoder'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface TransformerOptions {
  /** Blocks L (for encoder–decoder constants: the encoder's N). */
  layers: number;
  tokens: number;
  width: number;
  heads: number;
  /** Causal self-attention (default: true for gpt2 and decoders, false otherwise). */
  causal?: boolean;
  /** Whose constants DeepNet and T-Fixup use (default encoder; gpt2 is a decoder). */
  architecture?: Architecture;
  /** Decoder layers M of an encoder–decoder (default = layers). */
  decoderLayers?: number;
  /** Branch scale α of every residual (default 1; 1/√L is the scaling against rank collapse). */
  branchScale?: number;
}

/** DeepNorm's skip scale α and init gain β (Wang et al. 2022, Table 1; N encoder, M decoder layers). */
export interface DeepNormConstants {
  alpha: number;
  beta: number;
}

/**
 * Table 1 of DeepNet: encoder-only α = (2N)^(1/4), β = (8N)^(−1/4); decoder-only α = (2M)^(1/4),
 * β = (8M)^(−1/4); encoder–decoder: encoder α = 0.81(N⁴M)^(1/16), β = 0.87(N⁴M)^(−1/16), decoder
 * α = (3M)^(1/4), β = (12M)^(−1/4). `side` picks the encoder or decoder of an encoder–decoder.
 */
export function deepNormConstants(architecture: Architecture, encoderLayers: number, decoderLayers: number, side: 'encoder' | 'decoder' = 'encoder'): DeepNormConstants {
  if (architecture === 'encoder') return { alpha: (2 * encoderLayers) ** 0.25, beta: (8 * encoderLayers) ** -0.25 };
  if (architecture === 'decoder') return { alpha: (2 * decoderLayers) ** 0.25, beta: (8 * decoderLayers) ** -0.25 };
  if (side === 'decoder') return { alpha: (3 * decoderLayers) ** 0.25, beta: (12 * decoderLayers) ** -0.25 };
  const product = encoderLayers ** 4 * decoderLayers;
  return { alpha: DEEPNET_ENCODER_DECODER.alpha * product ** (1 / 16), beta: DEEPNET_ENCODER_DECODER.beta * product ** (-1 / 16) };
}

/**
 * The prefactors of DeepNet's encoder–decoder encoder constants (Table 1). torchscale's encoder.py
 * divides by (N⁴M)^(1/16)/1.15 instead, a gain 1.15·(N⁴M)^(−1/16): the paper's 0.87 is 1/1.15.
 */
export const DEEPNET_ENCODER_DECODER = { alpha: 0.81, beta: 0.87 } as const;

/** T-Fixup's encoder prefactor (Huang et al. 2020, §3.3 step 3: 0.67·N^(−1/4)). */
export const TFIXUP_ENCODER_FACTOR = 0.67;

/** T-Fixup's weight scale: 0.67·N^(−1/4) for an encoder, (9M)^(−1/4) for a decoder (Huang et al. 2020, §3.3). */
export function tFixupScale(architecture: Architecture, encoderLayers: number, decoderLayers: number): number {
  return architecture === 'decoder' ? (9 * decoderLayers) ** -0.25 : TFIXUP_ENCODER_FACTOR * encoderLayers ** -0.25;
}

/** GPT-2's residual-projection std, 0.02/√(2L): two residual branches per block (nanoGPT model.py). */
export function gpt2ProjectionStd(layers: number): number {
  return GPT2_STD / Math.sqrt(2 * layers);
}

/** GPT-2's base std (nanoGPT model.py `_init_weights`: normal_(mean=0.0, std=0.02)). */
export const GPT2_STD = 0.02;

/** N(0, std²) whatever the fans: variance_scaling at fan_in with scale std²·fan_in. */
function normalWithStd(std: number, fanIn: number): InitRef {
  return { name: 'variance_scaling', scale: std * std * fanIn, mode: 'fan_in', distribution: 'untruncated_normal' };
}

function xavierWithGain(gain: number): InitRef {
  return gain === 1 ? 'xavier_normal' : { name: 'xavier_normal', gain };
}

/** What one preset sets: skip scale, normalization placement and each weight's init. */
interface BlockPlan {
  normalization: 'pre' | 'post' | 'none';
  skip: number;
  query: InitRef;
  key: InitRef;
  value: InitRef;
  output: InitRef;
  mlpIn: InitRef;
  mlpOut: InitRef;
  inputVariance: number;
}

function plan(preset: TransformerPreset, options: TransformerOptions): BlockPlan {
  const { layers, width } = options;
  const architecture = options.architecture ?? (preset === 'gpt2' ? 'decoder' : 'encoder');
  const decoderLayers = options.decoderLayers ?? layers;
  const xavier = { query: 'xavier_normal', key: 'xavier_normal', value: 'xavier_normal', output: 'xavier_normal', mlpIn: 'xavier_normal', mlpOut: 'xavier_normal' };
  switch (preset) {
    case 'pre_ln':
      return { normalization: 'pre', skip: 1, ...xavier, inputVariance: 1 };
    case 'post_ln':
      return { normalization: 'post', skip: 1, ...xavier, inputVariance: 1 };
    case 'deepnet': {
      const { alpha, beta } = deepNormConstants(architecture, layers, decoderLayers);
      const scaled = xavierWithGain(beta);
      return { normalization: 'post', skip: alpha, query: 'xavier_normal', key: 'xavier_normal', value: scaled, output: scaled, mlpIn: scaled, mlpOut: scaled, inputVariance: 1 };
    }
    case 'tfixup': {
      const scale = tFixupScale(architecture, layers, decoderLayers);
      const scaled = xavierWithGain(scale);
      // Step 1: input embeddings N(0, d^(−1/2)); step 2 scales a decoder's by (9M)^(−1/4) too.
      const embedding = width ** -0.5 * (architecture === 'decoder' ? scale * scale : 1);
      return { normalization: 'none', skip: 1, query: 'xavier_normal', key: 'xavier_normal', value: scaled, output: scaled, mlpIn: scaled, mlpOut: scaled, inputVariance: embedding };
    }
    case 'gpt2': {
      const base = normalWithStd(GPT2_STD, width);
      return {
        normalization: 'pre',
        skip: 1,
        query: base,
        key: base,
        value: base,
        output: normalWithStd(gpt2ProjectionStd(layers), width),
        mlpIn: base,
        mlpOut: normalWithStd(gpt2ProjectionStd(layers), 4 * width),
        inputVariance: 1,
      };
    }
  }
}

/** dense(4d), GELU, dense(d). */
export function mlpBranch(width: number, inputInit: InitRef, outputInit: InitRef): LayerNodeSpec[] {
  return [
    { kind: 'dense', width: 4 * width, init: inputInit },
    { kind: 'activation', activation: 'gelu' },
    { kind: 'dense', width, init: outputInit },
  ];
}

/** One block: attention then MLP sublayers, each residual, with the preset's normalization placement. */
function block(p: BlockPlan, options: TransformerOptions, causal: boolean): LayerNodeSpec {
  const attention: LayerNodeSpec = { kind: 'attention', heads: options.heads, causal, queryInit: p.query, keyInit: p.key, valueInit: p.value, outputInit: p.output };
  const mlp = mlpBranch(options.width, p.mlpIn, p.mlpOut);
  const alpha = options.branchScale ?? 1;
  const residual = (branch: LayerNodeSpec[]): LayerNodeSpec => ({
    kind: 'residual',
    alpha,
    beta: p.skip,
    branch: p.normalization === 'pre' ? [{ kind: 'layer_norm' }, ...branch] : branch,
  });
  const post: LayerNodeSpec[] = p.normalization === 'post' ? [{ kind: 'layer_norm' }] : [];
  return { kind: 'serial', layers: [residual([attention]), ...post, residual(mlp), ...post] };
}

/**
 * The tree of a stack of L blocks of `preset`.
 *
 * @example
 * ```ts
 * transformerSpec('gpt2', { layers: 12, tokens: 16, width: 64, heads: 4 }); // causal pre-LN, c_proj std 0.02/√24
 * ```
 */
export function transformerSpec(preset: TransformerPreset, options: TransformerOptions): TreeNetworkSpec {
  const p = plan(preset, options);
  const causal = options.causal ?? (preset === 'gpt2' || options.architecture === 'decoder');
  return {
    input: { tokens: options.tokens, width: options.width },
    inputVariance: p.inputVariance,
    layers: Array.from({ length: options.layers }, () => block(p, options, causal)),
  };
}
