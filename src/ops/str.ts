// The str module: string manipulation, PCRE regular expressions (see
// lib/regex.ts), interpolation, number bases, SemVer and URLs.
import { alias, type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { makeDict, storedValue } from '../core/dict.js';
import { applyQuot, type Run } from '../core/control.js';
import { invalid, MinError } from '../core/errors.js';
import { Dict, type Quot, strOf, type Value } from '../core/values.js';
import { display, type PrintOptions, showShort } from '../core/printer.js';
import { allMatches, captures, compileRegex, eachMatch, type MinRegex } from '../lib/regex.js';
import { bytesOf, stringOf } from './crypto.js';
import { decimalDigits, parseDecimal, parseRadix, radixDigits } from '../core/radix.js';
import { checkString, grew, reserve } from '../core/limits.js';
import { TextBuilder } from '../lib/text-builder.js';


// ---- interpolation ---------------------------------------------------------

/** Nim's cmpIgnoreStyle: names compare ignoring ASCII case and underscores. */
const normalize = (s: string): string => s.replace(/_/g, '').replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** A placeholder name starts with a letter, `_` or a non-ASCII character and goes on with digits too. */
const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME = /^[A-Za-z0-9_\u0080-\uffff]+/;

/**
 * Nim's `%` (strutils.addf), which min's interpolate calls: `$1`..`$n`,
 * `$-1` (counting from the end), `${1}`, `$#` (the next value not referenced
 * yet), `$$`, and `$name`/`${name}` (looked up among the even items of vals,
 * compared ignoring case and underscores, giving the item after it). Any
 * other `$` use, or a missing value, is "invalid format string".
 */
export function interpolate(s: string, vals: Quot, o: Readonly<PrintOptions>): string {
  if (s.indexOf('$') < 0) return s;
  const strs = vals.map((v) => display(v, o));
  const used = new Uint8Array(strs.length);
  let next = 0;
  const bad = (): MinError => new MinError(`invalid format string: ${s}`, 'ValueError');
  const byIndex = (n: number, negative: boolean): string => {
    const k = negative ? strs.length - n : n - 1;
    if (k < 0 || k >= strs.length) throw bad();
    used[k] = 1;
    return strs[k]!;
  };
  const byName = (name: string): string => {
    const want = normalize(name);
    for (let k = 0; k + 1 < strs.length; k += 2) if (normalize(strs[k]!) === want) return strs[k + 1]!;
    throw bad();
  };
  const out = new TextBuilder('interpolate');
  let k = 0;
  while (k < s.length) {
    const d = s.indexOf('$', k);
    // A `$` ending the string is kept as it is.
    if (d < 0 || d === s.length - 1) {
      out.add(s.slice(k));
      break;
    }
    out.add(s.slice(k, d));
    const c = s[d + 1]!;
    if (c === '$') {
      out.add('$');
      k = d + 2;
    } else if (c === '#') {
      while (next < strs.length && used[next]) next++;
      if (next >= strs.length) throw bad();
      used[next] = 1;
      out.add(strs[next++]!);
      k = d + 2;
    } else if ((c >= '1' && c <= '9') || c === '-') {
      const m = /^(-?)(\d*)/.exec(s.slice(d + 1))!;
      out.add(byIndex(m[2] ? parseInt(m[2], 10) : 0, m[1] === '-'));
      k = d + 1 + m[0].length;
    } else if (c === '{') {
      // Up to the closing brace, or the end of the string when there is none.
      let end = s.indexOf('}', d + 2);
      if (end < 0) end = s.length;
      const inner = s.slice(d + 2, end);
      const m = /^(-?)(\d+)$/.exec(inner);
      out.add(m ? byIndex(parseInt(m[2]!, 10), m[1] === '-') : byName(inner));
      k = end + 1;
    } else if (NAME_START.test(c)) {
      const m = NAME.exec(s.slice(d + 1))!;
      out.add(byName(m[0]));
      k = d + 1 + m[0].length;
    } else {
      throw bad();
    }
  }
  return out.toString();
}

// ---- regular expressions ---------------------------------------------------

/** (match captures...) for a match, or empty strings for none. */
function matchQuot(r: MinRegex, m: RegExpExecArray | null): Quot {
  if (m === null) return new Array<string>(r.groups + 1).fill('');
  return [m[0], ...captures(r, m)];
}

/** Expand `$0`, `$1`.., `${n}`, `${name}`, `$#` and `$$` in a replacement string. */
function expandReplacement(by: string, r: MinRegex, m: RegExpExecArray): string {
  if (by.indexOf('$') < 0) return by;
  const group = (n: number): string => (n === 0 ? m[0] : (m[r.map ? r.map[n]! : n] ?? ''));
  let out = '';
  let next = 1;
  for (let k = 0; k < by.length; k++) {
    const c = by[k]!;
    const n = by[k + 1];
    if (c !== '$' || n === undefined) {
      out += c;
      continue;
    }
    if (n === '$') {
      out += '$';
      k++;
    } else if (n === '#') {
      if (next > r.groups) throw invalid(`Replacement "${by}": no group left for $#`);
      out += group(next++);
      k++;
    } else if (n >= '0' && n <= '9') {
      // The longest number that names a group.
      let j = k + 1;
      while (j < by.length && by[j]! >= '0' && by[j]! <= '9') j++;
      let digits = by.slice(k + 1, j);
      while (digits.length > 1 && parseInt(digits, 10) > r.groups) digits = digits.slice(0, -1);
      const g = parseInt(digits, 10);
      if (g > r.groups) throw invalid(`Replacement "${by}": no group ${g}`);
      out += group(g);
      k += digits.length;
    } else if (n === '{') {
      const end = by.indexOf('}', k + 2);
      const inner = end < 0 ? '' : by.slice(k + 2, end);
      let g: number | undefined;
      if (/^\d+$/.test(inner)) g = parseInt(inner, 10);
      else g = r.names.get(inner);
      if (g === undefined || g > r.groups) throw invalid(`Replacement "${by}": no group ${inner}`);
      out += group(g);
      k = end;
    } else out += '$';
  }
  return out;
}

function replaceAll(s: string, r: MinRegex, by: string): string {
  const out = new TextBuilder('replace');
  let last = 0;
  let found = false;
  for (const m of eachMatch(r, s)) {
    found = true;
    out.add(s.slice(last, m.index));
    out.add(expandReplacement(by, r, m));
    last = m.index + m[0].length;
  }
  if (!found) return s;
  out.add(s.slice(last));
  return out.toString();
}

const insidePair = (s: string, k: number): boolean =>
  k > 0 && k < s.length && /[\ud800-\udbff]/.test(s[k - 1]!) && /[\udc00-\udfff]/.test(s[k]!);

/**
 * Split the way Nim's nre `split` (which min calls) does: like Perl and JS,
 * but the text of each capture group that took part in a match is added
 * after the piece before it, and an empty match at the very start or end
 * produces no empty piece.
 */
function splitRegex(s: string, sep: string): Quot {
  const r = compileRegex(sep, 'split');
  const out: string[] = [];
  let last = 0;
  let a = 0;
  let b = -1;
  let ran = false;
  for (const m of eachMatch(r, s)) {
    // Never cut a character outside the BMP in two.
    if (m[0].length === 0 && insidePair(s, m.index)) continue;
    ran = true;
    a = m.index;
    b = m.index + m[0].length - 1;
    if (a <= b || a > 0) grew(out.push(s.slice(last, a)), 'split');
    last = b + 1;
    for (let g = 1; g <= r.groups; g++) {
      const c = m[r.map ? r.map[g]! : g];
      if (c !== undefined) grew(out.push(c), 'split');
    }
  }
  if (a <= b || b < s.length - 1 || !ran) out.push(s.slice(b + 1));
  return out;
}

// ---- SemVer ----------------------------------------------------------------

const BASIC_SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

function semverParts(s: string): [number, number, number] {
  const m = BASIC_SEMVER.exec(s);
  if (!m) throw invalid(`Not a basic SemVer version (MAJOR.MINOR.PATCH): ${s}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function semverField(d: Dict, key: string): number {
  const v = storedValue(d, key);
  if (typeof v !== 'number' || v < 0) throw invalid(`to-semver: the dictionary needs a non-negative integer ${key}`);
  return v;
}

// ---- URLs ------------------------------------------------------------------

interface Url {
  scheme: string;
  username: string;
  password: string;
  hostname: string;
  port: string;
  path: string;
  query: string;
  anchor: string;
}

/** `user:pass@host:port`, brackets of an IPv6 host dropped. */
function parseAuthority(a: string, u: Url): void {
  let inPort = false;
  let inV6 = false;
  for (const ch of a) {
    if (ch === '@') {
      u.password = u.port;
      u.port = '';
      u.username = u.hostname;
      u.hostname = '';
      inPort = false;
    } else if (ch === ':' && !inV6) inPort = true;
    else if (ch === '[') inV6 = true;
    else if (ch === ']') inV6 = false;
    else if (inPort) u.port += ch;
    else u.hostname += ch;
  }
}

/** A lenient URL parser in the manner of Nim's parseUri (which min uses): it never fails. */
function parseUrl(s: string): Url {
  const u: Url = { scheme: '', username: '', password: '', hostname: '', port: '', path: '', query: '', anchor: '' };
  let i = 0;
  const rest = (): void => {
    const q = s.slice(i).search(/[?#]/);
    const stop = q < 0 ? s.length : i + q;
    u.path = s.slice(i, stop);
    i = stop;
    if (u.scheme.toLowerCase() === 'mailto') {
      parseAuthority(u.path, u);
      u.path = '';
    }
    if (s[i] === '?') {
      const h = s.indexOf('#', i);
      u.query = s.slice(i + 1, h < 0 ? s.length : h);
      i = h < 0 ? s.length : h;
    }
    if (s[i] === '#') u.anchor = s.slice(i + 1);
  };
  const doubleSlash = s.startsWith('//');
  if (s[0] === '/' && !doubleSlash) {
    rest();
    return u;
  }
  const sch = /^[A-Za-z0-9+.-]*/.exec(s)![0];
  i = sch.length;
  if (s[i] !== ':' && !doubleSlash) {
    i = 0;
    rest();
    return u;
  }
  u.scheme = sch;
  if (!doubleSlash) i++;
  if (s.startsWith('//', i)) {
    i += 2;
    const q = s.slice(i).search(/[/?#]/);
    const stop = q < 0 ? s.length : i + q;
    parseAuthority(s.slice(i, stop), u);
    i = stop;
  }
  rest();
  return u;
}

/** Nim's encodeUrl: letters, digits and `-._~` stay, a space is `+`, every other byte `%XX`. */
function encodeUrl(s: string): string {
  // Written into one buffer: `out +=` per byte holds a V8 string node per byte.
  const bytes = bytesOf(s);
  const out = Buffer.allocUnsafe(bytes.length * 3);
  let n = 0;
  for (const b of bytes) {
    if ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e) {
      out[n++] = b;
    } else if (b === 0x20) out[n++] = 0x2b;
    else {
      out[n++] = 0x25;
      out[n++] = HEX_DIGITS.charCodeAt(b >> 4);
      out[n++] = HEX_DIGITS.charCodeAt(b & 15);
    }
  }
  return out.toString('latin1', 0, n);
}

const HEX_DIGITS = '0123456789ABCDEF';

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;

/** Nim's decodeUrl: `+` is a space, `%XX` that byte; a `%` without two hex digits stays. */
function decodeUrl(s: string): string {
  const b = bytesOf(s);
  const out = Buffer.allocUnsafe(b.length);
  let n = 0;
  for (let k = 0; k < b.length; k++) {
    const c = b[k]!;
    if (c === 0x2b) out[n++] = 0x20;
    else if (c === 0x25 && k + 2 < b.length && hexValue(b[k + 1]!) >= 0 && hexValue(b[k + 2]!) >= 0) {
      out[n++] = hexValue(b[k + 1]!) * 16 + hexValue(b[k + 2]!);
      k += 2;
    } else out[n++] = c;
  }
  return stringOf(out.subarray(0, n));
}

// ---- the module --------------------------------------------------------------

// Word by word and line by line rather than with split, which for a string
// of millions of words would make an array of millions of strings.

function titleize(s: string): string {
  const out = new TextBuilder('titleize');
  for (let k = 0; ; ) {
    const space = s.indexOf(' ', k);
    out.add(capitalize(s.slice(k, space < 0 ? s.length : space)));
    if (space < 0) return out.toString();
    out.add(' ');
    k = space + 1;
  }
}

const LINE_BREAK = /\r\n|\n|\r/g;

/** Every line of s after pad, the lines joined by \n. */
function indent(s: string, pad: string): string {
  const out = new TextBuilder('indent');
  LINE_BREAK.lastIndex = 0;
  let k = 0;
  for (let m = LINE_BREAK.exec(s); m !== null; m = LINE_BREAK.exec(s)) {
    out.add(pad);
    out.add(s.slice(k, m.index));
    out.add('\n');
    k = m.index + m[0].length;
  }
  out.add(pad);
  out.add(s.slice(k));
  return out.toString();
}

/** s, about to be copied into a new string up to `times` as long: room for it in the heap. */
function copied(s: string, times = 1): string {
  reserve(s.length * 2 * times);
  return s;
}

/** a followed by b, within the string limit. */
function joined(a: string, b: string, what: string): string {
  checkString(a.length + b.length, what);
  return a + b;
}

const spaces = /^[ \t\v\r\n\f]+|[ \t\v\r\n\f]+$/g;
// Case changes touch ASCII letters only, as Nim's toLowerAscii/toUpperAscii
// do for native min (whose strings are bytes): "ÉCOLE" lowercase is "École".
const lowerAscii = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
const upperAscii = (s: string): string => s.replace(/[a-z]+/g, (c) => c.toUpperCase());
const capitalize = (s: string): string => (s ? upperAscii(s[0]!) + s.slice(1) : s);

const JSON_ESCAPES: Record<string, string> = { '\n': '\\n', '\b': '\\b', '\f': '\\f', '\t': '\\t', '\r': '\\r', '\v': '\\u000b', '"': '\\"', '\\': '\\\\' };

/** Nim's escapeJsonUnquoted, which native escape uses: other control characters become \u00XX. */
const escapeText = (s: string): string =>
  s.replace(/[\x00-\x1f"\\]/g, (c) => JSON_ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));

function* replaceApply(i: OpContext, s: string, pattern: string, q: Quot): Run<string> {
  const r = compileRegex(pattern, 'replace-apply');
  const ms = allMatches(r, s);
  const out = new TextBuilder('replace-apply');
  let last = 0;
  for (const m of ms) {
    i.push(matchQuot(r, m));
    yield q;
    out.add(s.slice(last, m.index));
    out.add(display(i.pop(), i.rt.print));
    last = m.index + m[0].length;
  }
  out.add(s.slice(last));
  return out.toString();
}

export const strModule: ModuleDef = {
  name: 'str',
  ops: [
    op('interpolate', 'str quot ==> str', 'Replaces the $1, $2... ($# for the next unused, $name for named pairs) placeholders of str with the values of quot.', (i, s: string, q: Quot) =>
      interpolate(copied(s), q, i.rt.print),
    ),
    alias('%', 'interpolate'),
    op('apply-interpolate', 'str quot ==> str', 'Runs apply on quot, then interpolates str with the results.', function* (i, s: string, q: Quot) {
      const vals = yield* applyQuot(i, q);
      return interpolate(s, vals, i.rt.print);
    }),
    alias('=%', 'apply-interpolate'),
    op('capitalize', "'sym ==> str", 'Makes the first character of the string uppercase.', (_i, s: Value) => capitalize(copied(strOf(s)))),
    op('titleize', "'sym ==> str", 'Capitalizes the first character of every space-separated word.', (_i, s: Value) => titleize(copied(strOf(s)))),
    op('lowercase', "'sym ==> str", 'Converts the ASCII letters of the string to lowercase (others stay, as in native min).', (_i, s: Value) => lowerAscii(copied(strOf(s)))),
    op('uppercase', "'sym ==> str", 'Converts the ASCII letters of the string to uppercase (others stay, as in native min).', (_i, s: Value) => upperAscii(copied(strOf(s)))),
    op('chr', 'int ==> str', 'The one-character string with character code int.', (_i, n: number) => {
      if (n < 0 || n > 0x10ffff) throw invalid(`Invalid character code: ${n}`);
      return String.fromCodePoint(n);
    }),
    op('ord', 'str ==> int', 'The character code of the one-character string str.', (_i, s: string) => {
      const cp = s.codePointAt(0);
      if (cp === undefined || String.fromCodePoint(cp).length !== s.length) {
        throw invalid(`ord expects a single character, got ${showShort(s)}`);
      }
      return cp;
    }),
    op('escape', "'sym ==> str", 'Escapes the string as JSON does, without the quotes: \\" \\\\ \\n \\r \\t \\b \\f, and \\u00XX for the other control characters.', (_i, s: Value) =>
      escapeText(copied(strOf(s), 2)),
    ),
    op('strip', "'sym ==> str", 'Removes leading and trailing whitespace.', (_i, s: Value) => copied(strOf(s)).replace(spaces, '')),
    op('length', "'sym ==> int", 'The number of characters of the string.', (_i, s: Value) => strOf(s).length),
    op('repeat', "'sym int ==> str", 'The string repeated int times.', (_i, s: Value, n: number) => {
      if (n < 0) throw invalid(`repeat: negative count ${n}`);
      const str = strOf(s);
      checkString(str.length * n, 'repeat');
      return str.repeat(n);
    }),
    op('indent', "'sym int ==> str", 'Indents every line of the string with int spaces.', (_i, s: Value, n: number) => {
      if (n < 0) throw invalid(`indent: negative count ${n}`);
      if (n > 1e6) throw invalid(`indent: count ${n} is too large`);
      return indent(strOf(s), ' '.repeat(n));
    }),
    op('indexof', 'str str ==> int', 'The index of the first occurrence of str2 in str1, or -1.', (_i, s: string, t: string) => s.indexOf(t)),
    op('substr', 'str int int ==> str', 'The int2 characters of str starting at index int1 (clamped to the string).', (_i, s: string, start: number, len: number) => {
      const a = Math.max(start, 0);
      const b = Math.min(start + len, s.length);
      return b > a ? s.slice(a, b) : '';
    }),
    op('prefix', "'sym 'sym ==> str", 'Prepends the second string to the first.', (_i, a: Value, b: Value) => joined(strOf(b), strOf(a), 'prefix')),
    op('suffix', "'sym 'sym ==> str", 'Appends the second string to the first.', (_i, a: Value, b: Value) => joined(strOf(a), strOf(b), 'suffix')),
    op('join', "quot 'sym ==> str", 'Joins the items of quot (as printed) with the separator.', (i, q: Quot, sep: Value) => {
      const sp = strOf(sep);
      const out = new TextBuilder('join');
      for (let k = 0; k < q.length; k++) {
        if (k) out.add(sp);
        out.add(display(q[k]!, i.rt.print));
      }
      return out.toString();
    }),
    op('split', "'sym 'sym ==> quot", 'Splits the first string on the regular expression sym2 ("" splits into characters); captured separator text is kept as items.', (_i, s: Value, sep: Value) =>
      splitRegex(strOf(s), strOf(sep)),
    ),

    op('match?', 'str str ==> bool', 'Whether the regular expression str2 matches anywhere in str1.', (_i, s: string, p: string) => compileRegex(p, 'match?').re.test(s)),
    alias('match', 'match?'),
    op('search', 'str str ==> quot', 'The first match of regex str2 in str1 and its captures (empty strings when none).', (_i, s: string, p: string) => {
      const r = compileRegex(p, 'search');
      return matchQuot(r, r.re.exec(s));
    }),
    op('search-all', 'str str ==> quot', 'Every match of regex str2 in str1, each as (match captures...).', (_i, s: string, p: string) => {
      const r = compileRegex(p, 'search-all');
      const out: Quot = [];
      for (const m of eachMatch(r, s)) grew(out.push(matchQuot(r, m)), 'search-all');
      return out;
    }),
    op('replace', 'str str str ==> str', 'Replaces every match of regex str2 in str1 by str3, where $1.. stand for captures and $0 for the match.', (_i, s: string, p: string, by: string) =>
      replaceAll(s, compileRegex(p, 'replace'), by),
    ),
    op('replace-apply', 'str str quot ==> str', 'Replaces every match of regex str2 in str1 by what quot leaves when run on (match captures...).', function* (i, s: string, p: string, q: Quot) {
      return yield* replaceApply(i, s, p, q);
    }),

    op('from-bin', "'sym ==> int", 'Parses binary digits (optional 0b/0B prefix, underscores ignored, no sign; wraps past 64 bits).', (_i, s: Value) =>
      parseRadix(strOf(s), 2),
    ),
    op('from-oct', "'sym ==> int", 'Parses octal digits (optional 0o/0O prefix, underscores ignored, no sign; wraps past 64 bits).', (_i, s: Value) =>
      parseRadix(strOf(s), 8),
    ),
    op('from-dec', "'sym ==> int", 'Parses a decimal int (optional sign, underscores after digits ignored, no blanks).', (_i, s: Value) =>
      parseDecimal(strOf(s)),
    ),
    op('from-hex', "'sym ==> int", 'Parses hex digits (optional 0x/0X/# prefix, underscores ignored, no sign; wraps past 64 bits).', (_i, s: Value) =>
      parseRadix(strOf(s), 16),
    ),
    op('to-bin', 'int ==> str', 'The low 8 bits of int as 0b and 8 binary digits (two\'s complement: -1 is "0b11111111").', (_i, n: number) =>
      radixDigits(n, 2),
    ),
    op('to-oct', 'int ==> str', 'The low 24 bits of int as 0o and 8 octal digits (two\'s complement: -8 is "0o77777770").', (_i, n: number) =>
      radixDigits(n, 8),
    ),
    op('to-dec', 'int ==> str', 'The decimal digits of int, with a - when negative.', (_i, n: number) => decimalDigits(n)),
    op('to-hex', 'int ==> str', 'The low 32 bits of int as 0x and 8 upper-case hex digits (two\'s complement: -1 is "0xFFFFFFFF").', (_i, n: number) =>
      radixDigits(n, 16),
    ),

    // Native min's test is this plain pattern: "01.2.3" passes, "1.2.3-beta" does not.
    op('semver?', 'str ==> bool', 'Whether str is a MAJOR.MINOR.PATCH version (three dot-separated numbers).', (_i, s: string) => BASIC_SEMVER.test(s)),
    op('from-semver', 'str ==> dict', 'Parses a MAJOR.MINOR.PATCH version into a dict with major, minor and patch.', (_i, s: string) => {
      const [a, b, c] = semverParts(s);
      return makeDict([
        ['major', a],
        ['minor', b],
        ['patch', c],
      ]);
    }),
    op('to-semver', 'dict ==> str', 'Makes a MAJOR.MINOR.PATCH version from a dict with major, minor and patch.', (_i, d: Dict) =>
      `${semverField(d, 'major')}.${semverField(d, 'minor')}.${semverField(d, 'patch')}`,
    ),
    op('semver-inc-major', 'str ==> str', 'Increments the major version (minor and patch become 0).', (_i, s: string) => {
      const [a] = semverParts(s);
      return `${a + 1}.0.0`;
    }),
    op('semver-inc-minor', 'str ==> str', 'Increments the minor version (patch becomes 0).', (_i, s: string) => {
      const [a, b] = semverParts(s);
      return `${a}.${b + 1}.0`;
    }),
    op('semver-inc-patch', 'str ==> str', 'Increments the patch version.', (_i, s: string) => {
      const [a, b, c] = semverParts(s);
      return `${a}.${b}.${c + 1}`;
    }),
    op('encode-url', "'sym ==> str", 'Encodes the string for a URL: letters, digits and - . _ ~ stay, a space becomes +, every other byte (of its UTF-8) %XX.', (_i, s: Value) =>
      encodeUrl(strOf(s)),
    ),
    op('decode-url', "'sym ==> str", 'Decodes a URL-encoded string: + becomes a space and %XX that byte; a % without two hex digits stays.', (_i, s: Value) =>
      decodeUrl(strOf(s)),
    ),
    op('parse-url', 'str ==> dict:url', 'Splits a URL into scheme, username, password, hostname, port, path, query and anchor.', (_i, s: string) => {
      const u = parseUrl(s);
      return makeDict(
        [
          ['scheme', u.scheme],
          ['username', u.username],
          ['password', u.password],
          ['hostname', u.hostname],
          ['port', u.port],
          ['path', u.path],
          ['query', u.query],
          ['anchor', u.anchor],
        ],
        'url',
      );
    }),
  ],
};
