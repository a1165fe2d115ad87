// How min writes values: `show` is min's `$` (strings quoted, used inside
// quotations and by the REPL), `display` is `$$` (a top-level string as is,
// used by puts, print, string and interpolation).
import { Cmd, Dict, Flt, Sym, type Value } from './values.js';
import { EntryKind, type Entry } from './scope.js';
import { decimalDigits, radixDigits } from './radix.js';
import { sixteenDigits } from './float-digits.js';

export type Base = 'dec' | 'hex' | 'oct' | 'bin';

/** Process-wide print settings, changed by num's `base`. */
export const printOptions: { base: Base } = { base: 'dec' };

const RADIX = { hex: 16, oct: 8, bin: 2 } as const;

/** An int as min prints it: decimal, or under `base` the 8-digit form of `to-hex`/`to-oct`/`to-bin`. */
export function showInt(n: number): string {
  const base = printOptions.base;
  if (base !== 'dec') return radixDigits(n, RADIX[base]);
  return decimalDigits(n);
}

/**
 * Floats print like native min (Nim's `$`): C's `%.16g`, with `.0` added when
 * the digits look like an int: `0.3`, `1e-07`, `20000000000.0`, `1e+16`,
 * `-0.0`, `nan`, `inf`, `-inf`.
 */
export function showFloat(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (f === Infinity) return 'inf';
  if (f === -Infinity) return '-inf';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const [digits, exp] = sixteenDigits(f);
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const rest = digits.slice(1).replace(/0+$/, '');
    const e = Math.abs(exp);
    return `${sign}${digits[0]}${rest ? '.' + rest : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits.replace(/0+$/, '');
  const fraction = digits.slice(exp + 1).replace(/0+$/, '');
  return sign + digits.slice(0, exp + 1) + '.' + (fraction || '0');
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function quoteString(s: string): string {
  return '"' + s.replace(/["\\\n\r\t]/g, (c) => ESCAPES[c]!) + '"';
}

const PLAIN_KEY = /^[^\s()[\]{}";:'@^~$?#]+$/;

export const showKey = (k: string): string => (PLAIN_KEY.test(k) ? ':' + k : ':' + quoteString(k));

export function showEntry(e: Entry): string {
  if (e.kind === EntryKind.Native) return '<native>';
  if (e.kind === EntryKind.Quoted) return '(' + show(e.val) + ')';
  return show(e.val);
}

export function show(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return showInt(v);
    case 'string':
      return quoteString(v);
  }
  if (Array.isArray(v)) {
    let out = '(';
    for (let i = 0; i < v.length; i++) out += (i ? ' ' : '') + show(v[i]!);
    return out + ')';
  }
  if (v instanceof Flt) return showFloat(v.v);
  if (v instanceof Sym) return v.name;
  if (v instanceof Dict) {
    const parts: string[] = [];
    const s = v.scope;
    for (const k of s.names()) parts.push(showEntry(s.get(k)!) + ' ' + showKey(k));
    if (v.type) parts.push(';' + v.type);
    return '{' + parts.join(' ') + '}';
  }
  if (v instanceof Cmd) return '[' + v.text + ']';
  return String(v);
}

export const display = (v: Value): string => (typeof v === 'string' ? v : show(v));

/** Multi-line form of a dict, as the REPL prints it. */
export function showPretty(v: Value, indent = ''): string {
  if (!(v instanceof Dict) || v.scope.size === 0) return show(v);
  const inner = indent + ' ';
  const lines = ['{'];
  for (const k of v.scope.names()) {
    const e = v.scope.get(k)!;
    const val = e.kind === EntryKind.Value && e.val instanceof Dict ? showPretty(e.val, inner) : showEntry(e);
    lines.push(inner + val + ' ' + showKey(k));
  }
  if (v.type) lines.push(inner + ';' + v.type);
  lines.push(indent + '}');
  return lines.join('\n');
}
