/**
 * `varprop fans --shape 64,3,3,3 [--layout torch|keras] [--groups G] [--transposed] [--depthwise] [--json]`:
 * the true fans of a weight and the ones PyTorch/Keras compute for it.
 */
import { InputError } from '../../errors.js';
import type { Fans, WeightLayout } from '../../vocabulary/fans.js';
import type { RegisterCommand } from './index.js';

interface FansOptions {
  shape: string;
  layout: string;
  groups: string;
  transposed?: boolean;
  depthwise?: boolean;
  json?: boolean;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('fans')
    .description('Compute fan_in and fan_out of a dense or convolution weight, true and as PyTorch/Keras compute them')
    .requiredOption('--shape <dims>', 'weight shape, comma-separated, in PyTorch order by default: 256,784 (Linear out, in), 64,3,3,3 (Conv2d out, in/groups, kh, kw)')
    .option('--layout <layout>', 'torch: (out, in) and (out, in/groups, *kernel); keras: (in, out) and (*kernel, in/groups, out)', 'torch')
    .option('--groups <G>', 'convolution groups', '1')
    .option('--transposed', 'a ConvTranspose weight: torch (in, out/groups, *kernel), keras (*kernel, out/groups, in)')
    .option('--depthwise', 'a depthwise convolution: keras DepthwiseConv2D (*kernel, C_in, depth_multiplier); torch (C_in·m, 1, *kernel) with --groups C_in (default: groups = out, m = 1)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nShapes: one convention across commands (fans, sample): PyTorch\'s order by default, --layout keras for Keras\'.\n' +
        'Framework fans as torch/nn/init.py _calculate_fan_in_and_fan_out (PyTorch 1.x–2.x) and Keras\' compute_fans\n' +
        '(Keras 2.x keras/initializers/initializers.py, Keras 3.x keras/src/initializers/random_initializers.py) compute them.\n' +
        'Example: varprop fans --shape 3,3,32,1 --layout keras --depthwise   # true 9/9, Keras 288/9\n',
    )
    .action(async (options: FansOptions) => {
      const { computeFans } = await import('../../vocabulary/fans.js');
      const shape = parseShape(options.shape);
      const fanOptions = {
        layout: parseLayout(options.layout),
        groups: parsePositiveInteger(options.groups, '--groups'),
        transposed: Boolean(options.transposed),
        depthwise: Boolean(options.depthwise),
      };
      let fans: Fans;
      try {
        fans = computeFans(shape, fanOptions);
      } catch (error) {
        // Name the flag the user typed rather than the library's parameter.
        if (error instanceof InputError) throw new InputError(`--${error.field}`, error.value, error.allowed, error.hint);
        throw error;
      }
      io.stdout(options.json ? `${JSON.stringify(fans, null, 2)}\n` : formatFans(fans));
    });
};

function parseShape(text: string): number[] {
  const parts = text.split(/[,x×\s]+/).filter((part) => part !== '');
  if (parts.length < 2) {
    throw new InputError('--shape', text, 'at least 2 comma-separated positive integers, e.g. 64,3,3,3', 'Fans of a bias or scalar are not defined');
  }
  return parts.map((part, i) => {
    const value = /^\d+$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1) throw new InputError(`--shape[${i}]`, part, 'a positive integer');
    return value;
  });
}

function parseLayout(text: string): WeightLayout {
  if (text !== 'torch' && text !== 'keras') throw new InputError('--layout', text, 'one of torch, keras');
  return text;
}

function parsePositiveInteger(text: string, field: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new InputError(field, text, 'a positive integer');
  return value;
}

function formatFans(fans: Fans): string {
  const framework = fans.layout === 'torch' ? 'PyTorch' : 'Keras';
  const kind = fans.kernel.length === 0 ? 'dense' : `${fans.depthwise ? 'depthwise ' : ''}conv${fans.kernel.length}d${fans.transposed ? ' transposed' : ''}`;
  const grouping = fans.depthwise ? `, depth multiplier ${fans.depthMultiplier}` : fans.groups > 1 ? `, groups ${fans.groups}` : '';
  const rows: Array<[string, string]> = [
    ['weight', `${kind}, ${fans.inChannels} → ${fans.outChannels}${fans.kernel.length ? `, kernel ${fans.kernel.join('×')}` : ''}${grouping} (${fans.layout} layout)`],
    ['receptive field', String(fans.receptiveField)],
    ['fan_in', String(fans.fanIn)],
    ['fan_out', String(fans.fanOut)],
    [`${framework} fan_in`, `${fans.frameworkFanIn}${fans.frameworkFanIn === fans.fanIn ? '' : '  (differs)'}`],
    [`${framework} fan_out`, `${fans.frameworkFanOut}${fans.frameworkFanOut === fans.fanOut ? '' : '  (differs)'}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  for (const note of fans.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}
