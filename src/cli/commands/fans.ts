/**
 * `varprop fans --shape 64,3,3,3 [--layout torch|keras] [--groups G] [--transposed] [--json]`: the
 * true fans of a weight and the ones PyTorch/Keras compute for it.
 */
import { InputError } from '../../errors.js';
import { computeFans, type Fans, type WeightLayout } from '../../vocabulary/fans.js';
import type { RegisterCommand } from './index.js';

interface FansOptions {
  shape: string;
  layout: string;
  groups: string;
  transposed?: boolean;
  json?: boolean;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('fans')
    .description('Compute fan_in and fan_out of a dense or convolution weight, true and as PyTorch/Keras compute them')
    .requiredOption('--shape <dims>', 'weight shape, comma-separated, e.g. 64,3,3,3 (torch Conv2d out, in/groups, kh, kw)')
    .option('--layout <layout>', 'torch: (out, in/groups, *kernel); keras: (*kernel, in/groups, out)', 'torch')
    .option('--groups <G>', 'convolution groups', '1')
    .option('--transposed', 'a ConvTranspose weight: torch (in, out/groups, *kernel), keras (*kernel, out/groups, in)')
    .option('--json', 'print JSON')
    .action((options: FansOptions) => {
      const shape = parseShape(options.shape);
      const fanOptions = {
        layout: parseLayout(options.layout),
        groups: parsePositiveInteger(options.groups, '--groups'),
        transposed: Boolean(options.transposed),
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
  const kind = fans.kernel.length === 0 ? 'dense' : `conv${fans.kernel.length}d${fans.transposed ? ' transposed' : ''}`;
  const rows: Array<[string, string]> = [
    ['weight', `${kind}, ${fans.inChannels} → ${fans.outChannels}${fans.kernel.length ? `, kernel ${fans.kernel.join('×')}` : ''}${fans.groups > 1 ? `, groups ${fans.groups}` : ''} (${fans.layout} layout)`],
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
