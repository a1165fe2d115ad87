// How min writes values: `show` is min's `$` (strings quoted, used inside
// quotations and by the REPL), `display` is `$$` (a top-level string as is,
// used by puts, print, string and interpolation). Ints print in the base a
// program chose with `base` (its Runtime's `print`) where the program prints
// them; everything else (error messages, keys, saved symbols) is decimal.
import { Cmd, Dict, Flt, Sym, type Value } from './values.js';
import { EntryKind, type Entry } from './scope.js';
import { MAX_STRING, reserve, stringLimit } from './limits.js';
import { MinError, quoteString } from './errors.js';
import { decimalDigits, radixDigits } from './radix.js';
import { sixteenDigits } from './float-digits.js';

export type Base = 'dec' | 'hex' | 'oct' | 'bin';

export interface PrintOptions {
  base: Base;
}

export const DECIMAL: Readonly<PrintOptions> = Object.freeze({ base: 'dec' });

const RADIX = { hex: 16, oct: 8, bin: 2 } as const;

/** An int as min prints it: decimal, or under `base` the 8-digit form of `to-hex`/`to-oct`/`to-bin`. */
export function showInt(n: number, o: Readonly<PrintOptions> = DECIMAL): string {
  const base = o.base;
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

export { quoteString };

const PLAIN_KEY = /^[^\s()[\]{}";:'@^~$?#]+$/;

export const showKey = (k: string): string => (PLAIN_KEY.test(k) ? ':' + k : ':' + quoteString(k));

export function showEntry(e: Entry, o: Readonly<PrintOptions> = DECIMAL): string {
  if (e.kind === EntryKind.Native) return '<native>';
  if (e.kind === EntryKind.Quoted) return '(' + show(e.val, o) + ')';
  return show(e.val, o);
}

/** A value that holds no other values, as min shows it. */
function showAtom(v: Value, o: Readonly<PrintOptions>): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return showInt(v, o);
    case 'string':
      return quoteString(v);
  }
  if (v instanceof Flt) return showFloat(v.v);
  if (v instanceof Sym) return v.name;
  if (v instanceof Cmd) return '[' + v.text + ']';
  return String(v);
}

export function show(v: Value, o: Readonly<PrintOptions> = DECIMAL): string {
  if (Array.isArray(v) || v instanceof Dict) return showNested(v, MAX_STRING, o);
  return showAtom(v, o);
}

/** At most about `max` characters of what show(v) gives, for error messages. */
export function showBrief(v: Value, max: number): string {
  const s = typeof v === 'string' ? (v.length > max ? quoteString(v.slice(0, max)) : quoteString(v)) : Array.isArray(v) || v instanceof Dict ? showNested(v, max, DECIMAL) : showAtom(v, DECIMAL);
  return s.length > max ? s.slice(0, max) : s;
}

/** The start of a value for an error message (40 characters at most), without writing the whole of a huge one. */
export function showShort(v: Value): string {
  const s = showBrief(v, 41);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** Text written as it is between the values of a container. */
class Text {
  constructor(readonly s: string) {}
}

/** A container being written: its parts (values and text), the next one, what closes it. */
interface Level {
  parts: readonly (Value | Text)[];
  next: number;
  /** Whether a space goes between two parts (quotations; a dict's parts carry their own). */
  spaced: boolean;
  close: string;
  /** The dict being written, if it is one (a value can hold itself only through a dict). */
  dict: Dict | null;
}

const SPACE_KEY = (k: string): Text => new Text(' ' + showKey(k));

function open(v: Value[] | Dict): { text: string; level: Level } {
  if (Array.isArray(v)) return { text: '(', level: { parts: v, next: 0, spaced: true, close: ')', dict: null } };
  const parts: (Value | Text)[] = [];
  const s = v.scope;
  for (const k of s.names()) {
    const e = s.get(k)!;
    if (parts.length > 0) parts.push(new Text(' '));
    if (e.kind === EntryKind.Native) parts.push(new Text('<native>'));
    else if (e.kind === EntryKind.Quoted) parts.push(new Text('('), e.val, new Text(')'));
    else parts.push(e.val);
    parts.push(SPACE_KEY(k));
  }
  if (v.type) parts.push(new Text((parts.length > 0 ? ' ;' : ';') + v.type));
  return { text: '{', level: { parts, next: 0, spaced: false, close: '}', dict: v } };
}

/**
 * show for quotations and dicts, written with a stack of its own rather than
 * by recursion, so that no depth of nesting overflows the JS stack. Stops once
 * the text passes `max` characters: past the string limit that is an error,
 * below it (showBrief) the text so far is enough.
 */
function showNested(root: Value[] | Dict, max: number, o: Readonly<PrintOptions>): string {
  const first = open(root);
  // Pieces are joined a few thousand at a time: `out += piece` for each of
  // millions would hold one V8 string node per piece.
  let out = '';
  const pieces: string[] = [first.text];
  let size = first.text.length;
  const levels: Level[] = [first.level];
  // The dicts being written: meeting one again inside itself is a cycle
  // (a scope dict stored in its own scope), which has no written form.
  const opened = new Set<Dict>();
  if (root instanceof Dict) opened.add(root);
  while (levels.length > 0) {
    const top = levels[levels.length - 1]!;
    let piece: string;
    if (top.next >= top.parts.length) {
      piece = top.close;
      levels.pop();
      if (top.dict !== null) opened.delete(top.dict);
    } else {
      const p = top.parts[top.next++]!;
      if (p instanceof Text) piece = p.s;
      else if (Array.isArray(p) || p instanceof Dict) {
        if (p instanceof Dict) {
          if (opened.has(p)) {
            if (max < MAX_STRING) return out + pieces.join('') + '...';
            throw new MinError('Cannot print a dictionary that contains itself', 'MinInvalidError');
          }
          opened.add(p);
        }
        const o = open(p);
        piece = o.text;
        levels.push(o.level);
      } else piece = showAtom(p, o);
      if (top.spaced && top.next > 1) piece = ' ' + piece;
    }
    size += piece.length;
    if (size > max) {
      if (max < MAX_STRING) return (out + pieces.join('') + piece).slice(0, max + 1);
      throw stringLimit('printing the value');
    }
    if (pieces.push(piece) >= 4096) {
      out += pieces.join('');
      pieces.length = 0;
    }
  }
  out += pieces.join('');
  reserve(out.length * 2);
  return out;
}

export const display = (v: Value, o: Readonly<PrintOptions> = DECIMAL): string => (typeof v === 'string' ? v : show(v, o));

const PRETTY_DEPTH = 64;

/** Multi-line form of a dict, as the REPL prints it. */
export function showPretty(v: Value, o: Readonly<PrintOptions> = DECIMAL, indent = ''): string {
  // Deeply nested dicts go on one line rather than through deep recursion.
  if (!(v instanceof Dict) || v.scope.size === 0 || indent.length > PRETTY_DEPTH) return show(v, o);
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
