// How min writes values: `show` is min's `$` (strings quoted, used inside
// quotations and by the REPL), `display` is `$$` (a top-level string as is,
// used by puts, print, string and interpolation). Ints print in the base a
// program chose with `base` (its Runtime's `print`) where the program prints
// them; everything else (error messages, keys, saved symbols) is decimal.
import { Cmd, Dict, Flt, Sym, type Value } from './values.js';
import { EntryKind, type Entry } from './scope.js';
import { quoteString } from './errors.js';

export { quoteString };

export type Base = 'dec' | 'hex' | 'oct' | 'bin';

export interface PrintOptions {
  base: Base;
}

export const DECIMAL: Readonly<PrintOptions> = Object.freeze({ base: 'dec' });

export function showInt(n: number, o: Readonly<PrintOptions> = DECIMAL): string {
  // Beyond 2^53 a JS number's own digits are rounded; BigInt shows the exact value held.
  if (!Number.isSafeInteger(n) && Number.isFinite(n)) return showBig(BigInt(n), o.base);
  switch (o.base) {
    case 'hex':
      return n < 0 ? '-' + (-n).toString(16) : n.toString(16);
    case 'oct':
      return n < 0 ? '-' + (-n).toString(8) : n.toString(8);
    case 'bin':
      return n < 0 ? '-' + (-n).toString(2) : n.toString(2);
    default:
      return String(n);
  }
}

function showBig(b: bigint, base: Base): string {
  const radix = { dec: 10, hex: 16, oct: 8, bin: 2 }[base];
  return b < 0n ? '-' + (-b).toString(radix) : b.toString(radix);
}

/** Floats print like Nim's `$`: always with a fractional part or exponent. */
export function showFloat(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (f === Infinity) return 'inf';
  if (f === -Infinity) return '-inf';
  // Nim keeps the sign of a negative zero; JS's String drops it.
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const a = Math.abs(f);
  // Nim switches to an exponent from 1e16 on; JS only from 1e21.
  if (a >= 1e16) return f.toExponential();
  const s = String(f);
  return /[.e]/.test(s) ? s : s + '.0';
}


const PLAIN_KEY = /^[^\s()[\]{}";:'@^~$?#]+$/;

export const showKey = (k: string): string => (PLAIN_KEY.test(k) ? ':' + k : ':' + quoteString(k));

export function showEntry(e: Entry, o: Readonly<PrintOptions> = DECIMAL): string {
  if (e.kind === EntryKind.Native) return '<native>';
  if (e.kind === EntryKind.Quoted) return '(' + show(e.val, o) + ')';
  return show(e.val, o);
}

export function show(v: Value, o: Readonly<PrintOptions> = DECIMAL): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return showInt(v, o);
    case 'string':
      return quoteString(v);
  }
  if (Array.isArray(v)) {
    let out = '(';
    for (let i = 0; i < v.length; i++) out += (i ? ' ' : '') + show(v[i]!, o);
    return out + ')';
  }
  if (v instanceof Flt) return showFloat(v.v);
  if (v instanceof Sym) return v.name;
  if (v instanceof Dict) {
    const parts: string[] = [];
    const s = v.scope;
    for (const k of s.names()) parts.push(showEntry(s.get(k)!, o) + ' ' + showKey(k));
    if (v.type) parts.push(';' + v.type);
    return '{' + parts.join(' ') + '}';
  }
  if (v instanceof Cmd) return '[' + v.text + ']';
  return String(v);
}

export const display = (v: Value, o: Readonly<PrintOptions> = DECIMAL): string => (typeof v === 'string' ? v : show(v, o));

/** Multi-line form of a dict, as the REPL prints it. */
export function showPretty(v: Value, o: Readonly<PrintOptions> = DECIMAL, indent = ''): string {
  if (!(v instanceof Dict) || v.scope.size === 0) return show(v, o);
  const inner = indent + ' ';
  const lines = ['{'];
  for (const k of v.scope.names()) {
    const e = v.scope.get(k)!;
    const val = e.kind === EntryKind.Value && e.val instanceof Dict ? showPretty(e.val, o, inner) : showEntry(e, o);
    lines.push(inner + val + ' ' + showKey(k));
  }
  if (v.type) lines.push(inner + ';' + v.type);
  lines.push(indent + '}');
  return lines.join('\n');
}
