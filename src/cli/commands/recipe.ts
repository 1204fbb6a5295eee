/**
 * `varprop recipe <name> [--blocks 100] [--width 64] [--depths 10,100,1000] [--measure 10,100]
 * [--alpha a] [--branch-layers m] [--nets 8] [--batch 128] [--seed 1] [--json]`: a residual recipe
 * (src/recipes/) as the tree it builds, and what it keeps through depth: predicted by `propagate()`,
 * stated by its paper, and measured by the Monte Carlo engine at the `--measure` depths.
 *
 * JSON (a contract): `{ recipe, title, source, summary, options, width, tree: { blocks, spec },
 * depths: [{ blocks, forward, backward, inputGradient, lastBranchWeightGradient, monteCarlo? }] }`,
 * each quantity `{ predicted, prediction: 'exact' | 'meanField', claim, estimate?, ciLow?, ciHigh?,
 * verdict? }` (src/recipes/measure.ts), `monteCarlo: { width, nets, batch, seed, pass, breakdown? }`.
 */
import { InputError } from '../../errors.js';
import type { RECIPE_QUANTITIES, RecipeDepth, RecipeQuantity } from '../../recipes/measure.js';
import type { RecipeOptions, ResidualRecipe } from '../../recipes/recipe.js';
import { findRecipe, residualRecipes } from '../../recipes/registry.js';
import type { TreeNetworkSpec } from '../../vocabulary/network.js';
import { parseNumberFlag } from '../flags.js';
import type { RegisterCommand } from './index.js';

interface RecipeFlags {
  blocks: string;
  width: string;
  depths: string;
  measure: string;
  alpha?: string;
  branchLayers?: string;
  nets: string;
  batch: string;
  seed: string;
  json?: boolean;
}

/** Deepest tower a run may build: 4 nodes a block stays under the tree's node limit. */
const MAX_BLOCKS = 4000;

const positiveInteger = (v: number) => Number.isInteger(v) && v > 0;

function parseBlockList(flag: string, text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part, i) => parseNumberFlag(`${flag}[${i}]`, part, `an integer from 1 to ${MAX_BLOCKS} (blocks)`, (v) => positiveInteger(v) && v <= MAX_BLOCKS));
}

const QUANTITY_TEXT: Record<(typeof RECIPE_QUANTITIES)[number], string> = {
  forward: 'E[x_L²] after the last block',
  backward: 'E[(∂x₁)²] at block 1\'s output',
  inputGradient: 'E[(∂x₀)²] at the input',
  lastBranchWeightGradient: 'E[(∂w)²], last layer of block 1\'s branch',
};

export const register: RegisterCommand = (program, io) => {
  program
    .command('recipe')
    .description('A residual recipe (Fixup, SkipInit, ReZero, NF-ResNet, or the unscaled baseline) as the tree it builds, and the variance it keeps through depth: predicted, stated by its paper, measured')
    .argument('<name>', `one of ${residualRecipes.map((r) => r.name).join(', ')}`)
    .option('--blocks <L>', 'blocks of the tree printed (and given in --json as tree.spec)', '100')
    .option('--width <n>', 'units of every layer', '64')
    .option('--depths <list>', 'depths (blocks) at which to predict', '10,100,1000')
    .option('--measure <list>', 'depths to measure by Monte Carlo (each one of --depths; "" for none)', '10,100')
    .option('--alpha <a>', 'branch scale α (skipinit: at init, default 0, at most 1/√L in the paper; nf_resnet: per-block growth, default 0.2)')
    .option('--branch-layers <m>', 'weight layers per branch (fixup, default 2: L^(-1/2); 3: L^(-1/4))')
    .option('--nets <R>', 'replicate networks per measured depth', '8')
    .option('--batch <B>', 'examples per replicate', '128')
    .option('--seed <s>', 'seed of the Monte Carlo', '1')
    .option(
      '--json',
      'print JSON: recipe, title, source, summary, options, width, tree { blocks, spec }, depths [{ blocks, forward, backward, inputGradient, lastBranchWeightGradient, monteCarlo? }]; a quantity is { predicted, prediction, claim, estimate?, ciLow?, ciHigh?, verdict? }, monteCarlo { width, nets, batch, seed, pass, breakdown? }',
    )
    .addHelpText(
      'after',
      '\nThe tower: an input of n units, x ~ N(0, 1), then L blocks x ↦ β·x + α·f(x) as the recipe builds them; no stem, no head.\n' +
        'forward = E[x_L²]; backward = E[(∂x₁)²] at block 1\'s output (the lowest gradient the engine records); inputGradient = E[(∂x₀)²]\n' +
        '(predicted only); lastBranchWeightGradient = E[(∂w)²] of the last weight layer of block 1\'s branch. predicted: propagate();\n' +
        'claim: the paper\'s closed form; measured: mean over replicates with the interval of varprop check (every site of the tower\n' +
        'in one family at 99%), verdict against the prediction.\n' +
        'Example: varprop recipe nf_resnet --blocks 10 --measure 10   # 1 + L·α² = 1.4 after 10 blocks\n',
    )
    .action(async (name: string, flags: RecipeFlags) => {
      const recipe = findRecipe(name, '<name>');
      const options = recipeOptions(recipe, flags);
      const blocks = parseNumberFlag('--blocks', flags.blocks, `an integer from 1 to ${MAX_BLOCKS}`, (v) => positiveInteger(v) && v <= MAX_BLOCKS);
      const width = parseNumberFlag('--width', flags.width, 'an integer from 1 to 4096', (v) => positiveInteger(v) && v <= 4096);
      const depths = parseBlockList('--depths', flags.depths);
      if (depths.length === 0) throw new InputError('--depths', flags.depths, 'at least one depth, e.g. 10,100,1000');
      const measure = parseBlockList('--measure', flags.measure);
      for (const [i, depth] of measure.entries()) {
        if (!depths.includes(depth)) throw new InputError(`--measure[${i}]`, depth, `one of the --depths (${depths.join(', ')})`);
      }
      const settings = {
        nets: parseNumberFlag('--nets', flags.nets, 'an integer from 2 to 10000', (v) => positiveInteger(v) && v >= 2 && v <= 10_000),
        batch: parseNumberFlag('--batch', flags.batch, 'a positive integer', positiveInteger),
        seed: parseNumberFlag('--seed', flags.seed, 'an integer from 0 to 4294967295', (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 32 - 1),
        dtype: 'float32' as const,
        level: 0.99,
      };
      const spec = recipe.tower(blocks, width, options);
      const [{ resolveNetwork }, { recipeDepths }] = await Promise.all([import('../../vocabulary/network.js'), import('../../recipes/measure.js')]);
      resolveNetwork(spec);
      const results = await recipeDepths(recipe, options, depths, width, measure, settings);
      if (flags.json) {
        const json = { recipe: recipe.name, title: recipe.title, source: recipe.source, summary: recipe.summary, options, width, tree: { blocks, spec }, depths: results };
        io.stdout(`${JSON.stringify(json, null, 1)}\n`);
      } else {
        io.stdout(await formatRecipe(recipe, options, spec, blocks, results));
      }
    });
};

function recipeOptions(recipe: ResidualRecipe, flags: RecipeFlags): RecipeOptions {
  const options: RecipeOptions = { ...recipe.defaults };
  if (flags.alpha !== undefined) {
    if (!('alpha' in recipe.defaults)) throw new InputError('--alpha', flags.alpha, `no --alpha for ${recipe.name} (only for ${residualRecipes.filter((r) => 'alpha' in r.defaults).map((r) => r.name).join(', ')})`);
    options.alpha = parseNumberFlag('--alpha', flags.alpha, 'a finite number >= 0', (v) => v >= 0);
  }
  if (flags.branchLayers !== undefined) {
    if (!('branchLayers' in recipe.defaults)) throw new InputError('--branch-layers', flags.branchLayers, `no --branch-layers for ${recipe.name} (only for fixup)`);
    options.branchLayers = parseNumberFlag('--branch-layers', flags.branchLayers, 'an integer from 2 to 16', (v) => Number.isInteger(v) && v >= 2 && v <= 16);
  }
  // Each recipe validates its own options (an InputError naming the option).
  recipe.claim(1, options);
  return options;
}

function fmt(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e5 ? String(Number(value.toPrecision(4))) : value.toExponential(3);
}

function quantityCell(q: RecipeQuantity): string {
  const predicted = `${fmt(q.predicted)} ${q.prediction === 'exact' ? '(exact)' : '(mean-field)'}`;
  const measured = q.estimate === undefined ? '' : `  measured ${fmt(q.estimate)} [${fmt(q.ciLow!)}, ${fmt(q.ciHigh!)}] ${q.verdict === 'fails' ? 'FAIL' : 'pass'}`;
  return `${predicted}  claim ${fmt(q.claim)}${measured}`;
}

async function formatRecipe(recipe: ResidualRecipe, options: RecipeOptions, spec: TreeNetworkSpec, blocks: number, results: RecipeDepth[]): Promise<string> {
  const { MEASURED_QUANTITIES, RECIPE_QUANTITIES } = await import('../../recipes/measure.js');
  const lines: string[] = [];
  const shown = Object.entries(options).map(([key, value]) => `${key} ${fmt(value as number)}`);
  lines.push(`recipe    ${recipe.title}${shown.length > 0 ? ` (${shown.join(', ')})` : ''}: ${recipe.summary}`);
  lines.push(`source    ${recipe.source}`);
  lines.push(`tree      input ${spec.input} (x ~ N(0, 1)), ${blocks} blocks; block 0${blocks > 1 ? ` and block ${blocks - 1}` : ''} (--json gives every block):`);
  lines.push(`  0: ${JSON.stringify(spec.layers[0])}`);
  if (blocks > 1) lines.push(`  ${blocks - 1}: ${JSON.stringify(spec.layers[blocks - 1])}`);
  for (const depth of results) {
    lines.push('');
    const mc = depth.monteCarlo;
    const where = mc
      ? `measured on width ${mc.width}, ${mc.nets} nets × ${mc.batch}, seed ${mc.seed}: the check of every site ${mc.pass ? 'passes' : 'FAILS'}${mc.breakdown ? ` (${mc.breakdown})` : ''}`
      : 'predicted only';
    lines.push(`L = ${depth.blocks} blocks (${where})`);
    for (const name of RECIPE_QUANTITIES) {
      const measurable = (MEASURED_QUANTITIES as readonly string[]).includes(name);
      lines.push(`  ${QUANTITY_TEXT[name].padEnd(44)} ${quantityCell(depth[name])}${measurable || !mc ? '' : '  (not measured: the engine records gradients at node outputs)'}`.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}
