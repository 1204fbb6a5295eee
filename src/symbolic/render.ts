/**
 * Two faces of one expression tree: LaTeX (valid for KaTeX in strict mode) and a plain unicode form
 * for terminals. Both are printed from the same tree, so they never disagree.
 */
import type { Expr } from './expression.js';
import type { RandomModel } from './model.js';

/** Significant digits shown for numbers that are not small rationals. */
const DISPLAY_DIGITS = 6;

interface Printer {
  number(value: number): string;
  symbol(name: string): string;
  member(family: string, indices: readonly string[]): string;
  /** Between factors when the next one is a number (which would otherwise merge with the previous). */
  times: string;
  /** Between other factors. */
  juxtapose: string;
  power(base: string, exponent: number): string;
  sum(index: string, range: string, body: string): string;
  expect(arg: string): string;
  variance(arg: string): string;
  paren(inner: string): string;
}

/** Prints a number: integers and small rationals exactly, others to 6 significant digits. */
export function smallRational(value: number): { p: number; q: number } | undefined {
  for (let q = 1; q <= 12; q++) {
    const p = Math.round(value * q);
    if (Math.abs(p / q - value) <= 1e-15 * Math.max(1, Math.abs(value))) return { p, q };
  }
  return undefined;
}

/** True when {@link formatNumber} would round the value. */
export function isRounded(value: number): boolean {
  return smallRational(value) === undefined && Number(value.toPrecision(DISPLAY_DIGITS)) !== value;
}

function formatDecimal(value: number): string {
  return String(Number(value.toPrecision(DISPLAY_DIGITS)));
}

function latexPrinter(model: RandomModel): Printer {
  return {
    number(value) {
      const r = smallRational(value);
      if (r && r.q === 1) return String(r.p);
      if (r) return `${r.p < 0 ? '-' : ''}\\tfrac{${Math.abs(r.p)}}{${r.q}}`;
      const text = formatDecimal(value);
      return text.includes('e') ? text.replace(/e([+-]?\d+)/, (_, exp: string) => ` \\times 10^{${Number(exp)}}`) : text;
    },
    symbol: (name) => model.symbols[name]?.latex ?? name.replace(/_/g, '\\_'),
    member: (family, indices) => model.families[family].latex(indices),
    times: ' \\cdot ',
    juxtapose: ' ',
    power: (base, exponent) => `${base}^{${exponent}}`,
    sum: (index, range, body) => `\\sum_{${index}=1}^{${model.symbols[range]?.latex ?? range}} ${body}`,
    expect: (arg) => `\\mathbb{E}\\left[${arg}\\right]`,
    variance: (arg) => `\\operatorname{Var}\\left[${arg}\\right]`,
    paren: (inner) => `\\left(${inner}\\right)`,
  };
}

const SUPERSCRIPTS: Record<string, string> = { '2': '²', '3': '³', '4': '⁴', '-': '⁻', '1': '¹' };

function textPrinter(model: RandomModel): Printer {
  return {
    number(value) {
      const r = smallRational(value);
      if (r && r.q === 1) return String(r.p);
      if (r) return `${r.p}/${r.q}`;
      return formatDecimal(value);
    },
    symbol: (name) => model.symbols[name]?.text ?? name,
    member: (family, indices) => model.families[family].text(indices),
    times: '·',
    juxtapose: '·',
    power: (base, exponent) => {
      const digits = String(exponent);
      return [...digits].every((d) => d in SUPERSCRIPTS) ? base + [...digits].map((d) => SUPERSCRIPTS[d]).join('') : `${base}^${digits}`;
    },
    sum: (index, range, body) => `Σ_{${index}=1..${model.symbols[range]?.text ?? range}} ${body}`,
    expect: (arg) => `E[${arg}]`,
    variance: (arg) => `Var[${arg}]`,
    paren: (inner) => `(${inner})`,
  };
}

function print(e: Expr, p: Printer): string {
  switch (e.kind) {
    case 'num':
      return p.number(e.value);
    case 'sym':
      return p.symbol(e.name);
    case 'rv':
      return p.member(e.family, e.indices);
    case 'add':
      return e.terms
        .map((term, index) => {
          const negative = negated(term);
          const body = negative ? printProduct(negative, p) : printProduct(term, p);
          if (index === 0) return negative ? `-${body}` : body;
          return negative ? ` - ${body}` : ` + ${body}`;
        })
        .join('');
    case 'mul': {
      const negative = negated(e);
      return negative ? `-${printProduct(negative, p)}` : printProduct(e, p);
    }
    case 'pow': {
      const base = e.base;
      const needsParen = base.kind === 'add' || base.kind === 'mul' || base.kind === 'sum' || (base.kind === 'num' && (base.value < 0 || !Number.isInteger(base.value)));
      const inner = print(base, p);
      return p.power(needsParen ? p.paren(inner) : inner, e.exponent);
    }
    case 'sum': {
      const body = print(e.body, p);
      return p.sum(e.index, e.range, e.body.kind === 'add' ? p.paren(body) : body);
    }
    case 'E':
      return p.expect(print(e.arg, p));
    case 'Var':
      return p.variance(print(e.arg, p));
  }
}

/** For `-1·x` or `-c·x` returns the positive product, otherwise undefined. */
function negated(e: Expr): Expr | undefined {
  if (e.kind === 'num' && e.value < 0) return { kind: 'num', value: -e.value };
  if (e.kind !== 'mul' || e.factors.length === 0) return undefined;
  const first = e.factors[0];
  if (first.kind !== 'num' || first.value >= 0) return undefined;
  const rest = e.factors.slice(1);
  if (first.value === -1) return rest.length === 1 ? rest[0] : { kind: 'mul', factors: rest };
  return { kind: 'mul', factors: [{ kind: 'num', value: -first.value }, ...rest] };
}

function printProduct(e: Expr, p: Printer): string {
  if (e.kind !== 'mul') return e.kind === 'add' ? p.paren(print(e, p)) : print(e, p);
  let out = '';
  e.factors.forEach((factor, index) => {
    let piece = print(factor, p);
    // A fraction such as 1/2 in a plain-text product reads as a division of everything after it.
    if (factor.kind === 'num' && piece.includes('/')) piece = p.paren(piece);
    // A sum in the middle of a product would swallow what follows it.
    if (factor.kind === 'add' || factor.kind === 'mul' || (factor.kind === 'sum' && index < e.factors.length - 1)) piece = p.paren(piece);
    if (index > 0) {
      const numeric = factor.kind === 'num' || (factor.kind === 'pow' && factor.base.kind === 'num');
      out += numeric ? p.times : p.juxtapose;
    }
    out += piece;
  });
  return out;
}

export function toLatex(e: Expr, model: RandomModel): string {
  return print(e, latexPrinter(model));
}

export function toText(e: Expr, model: RandomModel): string {
  return print(e, textPrinter(model));
}

/** True when printing `e` rounds one of its numbers (the step then uses ≈ instead of =). */
export function printsRounded(e: Expr): boolean {
  if (e.kind === 'num') return isRounded(e.value);
  switch (e.kind) {
    case 'add':
      return e.terms.some(printsRounded);
    case 'mul':
      return e.factors.some(printsRounded);
    case 'pow':
      return printsRounded(e.base);
    case 'sum':
      return printsRounded(e.body);
    case 'E':
    case 'Var':
      return printsRounded(e.arg);
    default:
      return false;
  }
}
