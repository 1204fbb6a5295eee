/**
 * Pools of argument values for the fuzzers: well-formed values kept small (so a valid run finishes
 * in milliseconds) and malformed ones of every kind the house rules name.
 */
import fc from 'fast-check';

export const BAD_NUMBERS = ['0', '-1', '-0', '1.5', '0.5', 'NaN', 'Infinity', '-Infinity', '1e309', '1e-320', '', ' ', 'abc', '0x10', '1,2', '--1', '4294967296', '1e12', '9007199254740993'];
export const GOOD_COUNTS = ['1', '2', '3', '8', '16'];
export const BAD_LISTS = ['', '0', '8', '8,0', '8,-1', '8,1.5', '8,NaN', '8,Infinity', '8,,8', 'a,b', '8;8', ',8,8', '8,8,', '1e3,8', '100000,100000,100000', '2147483648,2', '8,1e309'];
export const GOOD_LISTS = ['8,8', '16,8,4', '4,4,4,4,4', '64,3,3,3', '3,3,16,32', '1,1', '12,6,3', '8,4', '5,7'];
/** depth 200, width 1 and width 2 (numerical edge cases). */
export const EDGE_LISTS = [Array(201).fill('2').join(','), Array(201).fill('1').join(','), '1,1,1'];
export const ACTIVATIONS = ['identity', 'relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'erf'];
export const BAD_NAMES = ['unknown', '', 'RELU', 'relu ', '__proto__', 'constructor', 'toString', 'x^', 'y*2', 'sqrt(-1-x^2)', 'exp(exp(exp(x)))', '1/x', "import('fs')", 'evaluate("1")', 'x/(1+abs(x))', 'abs(x)', 'max(0,x)', 'x*tanh(log(1+exp(x)))', 'sin(x)', 'x == 1', 'x ? 1 : 0', '[x]', '{a: x}', 'f(x) = x', 'x; x'];
export const INITS = ['xavier_uniform', 'xavier_normal', 'glorot_uniform', 'he_normal', 'he_uniform', 'kaiming_normal', 'lecun_normal', 'lecun_uniform', 'pytorch_default', 'standard', 'orthogonal', 'constant', 'variance_scaling'];
export const LEVELS = ['0.99', '0.95', '0.5', '0', '1', '1.5', '-0.5', 'NaN'];
export const LAYOUTS = ['torch', 'keras', 'jax', 'TORCH', ''];
export const MODES = ['fan_in', 'fan_out', 'fan_avg', 'both', ''];
export const DTYPES = ['float32', 'float64', 'float16', 'int8', ''];
export const DEMOS = ['matrices', 'sigmoid', 'symmetry', 'nope', ''];
export const FORMATS = ['text', 'latex', 'json', 'html', 'md', 'markdown', 'pdf', ''];

const oneOf = (values: readonly string[]) => fc.constantFrom(...values);

/** Values for an option or argument, chosen by its name. */
export function valueFor(name: string): fc.Arbitrary<string> {
  const key = name.replace(/^-+/, '');
  if (/widths|shape/.test(key)) return fc.oneof({ weight: 4, arbitrary: oneOf(GOOD_LISTS) }, { weight: 3, arbitrary: oneOf(BAD_LISTS) }, { weight: 1, arbitrary: oneOf(EDGE_LISTS) });
  if (/^(act|activation)$/.test(key)) return fc.oneof({ weight: 3, arbitrary: oneOf(ACTIVATIONS) }, { weight: 2, arbitrary: oneOf(BAD_NAMES) });
  if (/init|preset/.test(key)) return fc.oneof({ weight: 3, arbitrary: oneOf(INITS) }, { weight: 1, arbitrary: oneOf(BAD_NAMES) });
  if (/level/.test(key)) return oneOf(LEVELS);
  if (/layout/.test(key)) return oneOf(LAYOUTS);
  if (/mode/.test(key)) return oneOf(MODES);
  if (/dtype/.test(key)) return oneOf(DTYPES);
  if (/format/.test(key)) return oneOf(FORMATS);
  if (/^name$/.test(key)) return oneOf([...DEMOS, ...BAD_NAMES]);
  if (/out|dir|file|path/.test(key)) return oneOf(['out', 'out.html', 'sub/dir/out.json', '', '/nonexistent-dir/x/y', '.']);
  if (/port/.test(key)) return oneOf(['-1', '65536', 'abc', '1.5', '', '99999', 'NaN']);
  if (/rel-width|tolerance/.test(key)) return oneOf(['0.5', '0.2', '0', '-0.1', 'NaN', 'Infinity', '1e-300']);
  if (/nets/.test(key)) return fc.oneof({ weight: 3, arbitrary: oneOf(GOOD_COUNTS) }, { weight: 2, arbitrary: oneOf(BAD_NUMBERS) });
  if (/batch/.test(key)) return fc.oneof({ weight: 3, arbitrary: oneOf(GOOD_COUNTS) }, { weight: 2, arbitrary: oneOf(BAD_NUMBERS) });
  if (/fan|groups/.test(key)) return fc.oneof(oneOf(['1', '3', '16', '784', '256']), oneOf(BAD_NUMBERS));
  if (/seed/.test(key)) return fc.oneof(oneOf(['1', '2', '42']), oneOf(BAD_NUMBERS));
  if (/gain|slope|alpha|^a$|^q$|std|variance|scale/.test(key)) return fc.oneof(oneOf(['1', '2', '0.01', '1.4142', '100', '1e-6', '0.2']), oneOf(BAD_NUMBERS));
  return fc.oneof(oneOf(GOOD_COUNTS), oneOf(BAD_NUMBERS), oneOf(BAD_NAMES));
}

/** Stray tokens: unknown options, flags in the wrong place, separators. */
export const STRAY = oneOf(['--unknown', '-x', '--', '--json', '--debug', '--help', '-h', 'extra', '--widths', '--seed=3', '--no-json', '-V']);
