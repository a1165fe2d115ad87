// PCRE patterns (what min scripts are written against) translated to JS
// RegExps. The translation is done by hand rather than by passing the source
// through, because the dialects differ in ways scripts notice: PCRE's `$`
// also matches before a final newline, `.` only excludes `\n`, inline flags
// may appear mid-pattern, and there are atomic groups, possessive
// quantifiers, `\A` `\z` `\Z`, `(?P<name>...)`, `\Q...\E` and POSIX classes.
//
// Atomic groups become `(?:(?=(X))\N)`; the extra capture group shifts the group
// numbers, so a compiled regex carries `map` (user group -> JS group).
//
// The compiled forms are guarded (regex-guard.ts): no pattern can make a match
// run for long. A pattern with PCRE's `$` also gets a form with JavaScript's
// `$` for subjects that do not end with a newline, which needs no lookahead.
import { MinError } from './errors.js';
import { MAX_PATTERN, grew, patternLimit } from './limits.js';
import { guardedRegExp, type RegExpLike } from './regex-guard.js';

export interface MinRegex {
  /** Non-global: for `test` and first matches (no lastIndex state). */
  readonly re: RegExpLike;
  /** The same pattern with the `g` flag, for scanning every match. */
  readonly global: RegExpLike;
  /** Number of capture groups the pattern's author wrote. */
  readonly groups: number;
  /** JS group index of each user group (index 0 unused); null when identical. */
  readonly map: number[] | null;
  /** Named groups the author wrote -> user group number. */
  readonly names: Map<string, number>;
}

const cache = new Map<string, MinRegex>();
const CACHE_LIMIT = 1000;

/** Compile (or fetch from the cache) a PCRE pattern; invalid patterns raise a MinError. */
export function compileRegex(pattern: string): MinRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (pattern.length > MAX_PATTERN) throw patternLimit();
  // A leading (?i) is written out as character classes where that means the
  // same (which keeps the pattern one the linear-time engine can run), and
  // becomes the JS `i` flag where it does not.
  const r = translate(pattern, true) ?? translate(pattern, false)!;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, r);
  return r;
}

/** The user's capture groups of a match ("" for groups that did not take part). */
export function captures(r: MinRegex, m: RegExpExecArray): string[] {
  const out: string[] = new Array(r.groups);
  for (let g = 1; g <= r.groups; g++) out[g - 1] = m[r.map ? r.map[g]! : g] ?? '';
  return out;
}

/** Every match of r in s, empty matches included (each advancing one position). */
export function allMatches(r: MinRegex, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  for (const m of eachMatch(r, s)) grew(out.push(m), 'matching');
  return out;
}

/**
 * The matches one after the other, for callers that need not hold them all
 * (replace, split): a string with millions of matches never becomes millions
 * of match objects at once. The caller must not run min code between two
 * matches, which could use the same compiled pattern.
 */
export function* eachMatch(r: MinRegex, s: string): Generator<RegExpExecArray, void, unknown> {
  const re = r.global;
  re.lastIndex = 0;
  try {
    for (;;) {
      const m = re.exec(s);
      if (m === null) break;
      const next = m[0].length === 0 ? m.index + (re.unicode && isHighSurrogate(s, m.index) ? 2 : 1) : re.lastIndex;
      yield m;
      re.lastIndex = next;
      if (re.lastIndex > s.length) break;
    }
  } finally {
    re.lastIndex = 0;
  }
}

const isHighSurrogate = (s: string, k: number): boolean => {
  const c = s.charCodeAt(k);
  return c >= 0xd800 && c <= 0xdbff;
};

// ---------------------------------------------------------------------------

const fail = (msg: string, pattern: string): MinError =>
  new MinError(`Invalid regular expression /${pattern}/: ${msg}`, 'MinInvalidError');

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
}

/** Output pieces: plain JS source, or group/backreference markers numbered at the end. */
type Part =
  | string
  | { t: 'cap'; user: number; name: string | null }
  | { t: 'atomOpen' }
  | { t: 'atomClose' }
  | { t: 'ref'; user: number }
  | { t: 'nameRef'; name: string }
  | { t: 'end' };

interface Group {
  start: number;
  flags: Flags;
  close: Part;
}

const SYNTAX = new Set('\\^$.*+?()[]{}|/'.split(''));
const CLASS_SPECIAL = new Set('\\]^-['.split(''));
const QUANT = /^\{(\d+)(,(\d*))?\}/;

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\x0B\\f\\r ',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1F\\x7F',
  print: '\\x20-\\x7E',
  graph: '\\x21-\\x7E',
  ascii: '\\x00-\\x7F',
};

const VSPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const HSPACE = '\\t \\xA0';

/** PCRE's `$` outside multiline mode: the end, or before a newline that ends the subject. */
const END: Part = { t: 'end' };

const hex4 = (c: number): string => '\\u' + c.toString(16).padStart(4, '0');

/**
 * With `caseByClasses`, a leading (?i) is translated like an inline one, each
 * letter becoming [xX]; the result is null when that would not mean what the
 * JS `i` flag means: a letter outside ASCII (whose case JS folds its own
 * way), a backreference (compared without case under `i`).
 */
function translate(pattern: string, caseByClasses: boolean): MinRegex | null {
  const p = pattern;
  let pos = 0;
  const flags: Flags = { i: false, m: false, s: false, x: false };

  // Leading verbs such as (*UTF8) and leading option settings apply to the
  // whole pattern; a leading (?i) becomes the JS `i` flag unless caseByClasses.
  for (;;) {
    const verb = /^\(\*[A-Z_0-9=]+\)/.exec(p.slice(pos));
    if (verb) {
      pos += verb[0].length;
      continue;
    }
    const opt = /^\(\?([imsxJX]*)(?:-([imsxJX]*))?\)/.exec(p.slice(pos));
    if (opt && (opt[1] || opt[2])) {
      setFlags(flags, opt[1]!, opt[2] ?? '');
      pos += opt[0].length;
      continue;
    }
    break;
  }
  const leadingI = flags.i;
  const jsI = leadingI && !caseByClasses;
  // Something that letter classes cannot fold as the JS `i` flag does.
  let caseTrouble = false;
  const folding = (): boolean => flags.i && !jsI;

  const parts: Part[] = [];
  const stack: Group[] = [];
  let atom = -1; // index in parts where the last quantifiable atom starts
  let userGroups = 0;
  const names = new Map<string, number>();
  let usesUnicode = false;

  const lit = (c: string): string => {
    if (folding() && c.charCodeAt(0) >= 0x80) caseTrouble = true;
    if (folding() && c.toLowerCase() !== c.toUpperCase()) {
      const lo = c.toLowerCase();
      const up = c.toUpperCase();
      if (lo.length === 1 && up.length === 1) return '[' + lo + up + ']';
    }
    if (SYNTAX.has(c)) return '\\' + c;
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? hex4(code) : c;
  };
  const emitAtom = (s: Part): void => {
    atom = parts.length;
    parts.push(s);
  };
  const emitLiteral = (s: string): void => {
    // An astral character is two code units: group them so a quantifier takes both.
    for (const ch of s) emitAtom(ch.length > 1 ? '(?:' + ch + ')' : lit(ch));
  };

  while (pos < p.length) {
    const c = p[pos]!;
    if (flags.x && /\s/.test(c)) {
      pos++;
      continue;
    }
    if (flags.x && c === '#') {
      while (pos < p.length && p[pos] !== '\n') pos++;
      continue;
    }
    switch (c) {
      case '\\': {
        pos = escape(pos + 1);
        break;
      }
      case '.':
        emitAtom(flags.s ? '[\\s\\S]' : '[^\\n]');
        pos++;
        break;
      case '^':
        // Multiline ^ also matches after a newline, except one ending the subject.
        parts.push(flags.m ? '(?:^|(?<=\\n)(?!$))' : '^');
        atom = -1;
        pos++;
        break;
      case '$':
        parts.push(flags.m ? '(?![^\\n])' : END);
        atom = -1;
        pos++;
        break;
      case '[':
        pos = charClass(pos + 1);
        break;
      case '(':
        pos = openGroup(pos);
        break;
      case ')': {
        const g = stack.pop();
        if (!g) throw fail('unmatched closing parenthesis', p);
        parts.push(g.close);
        Object.assign(flags, g.flags);
        atom = g.start;
        pos++;
        break;
      }
      case '|':
        parts.push('|');
        atom = -1;
        pos++;
        break;
      case '*':
      case '+':
      case '?':
        pos = quantifier(pos, c);
        break;
      case '{': {
        const q = QUANT.exec(p.slice(pos));
        if (q) pos = quantifier(pos, q[0]);
        else {
          emitAtom('\\{');
          pos++;
        }
        break;
      }
      default: {
        const cp = p.codePointAt(pos)!;
        const ch = String.fromCodePoint(cp);
        emitLiteral(ch);
        pos += ch.length;
      }
    }
  }
  if (stack.length) throw fail('missing closing parenthesis', p);
  if (leadingI && caseByClasses && caseTrouble) return null;

  // Number the groups: user groups and atomic helpers share JS numbering.
  const map: number[] = [0];
  let js = 0;
  let shifted = false;
  for (const part of parts) {
    if (typeof part === 'string') continue;
    if (part.t === 'cap') {
      js++;
      map[part.user] = js;
      if (js !== part.user) shifted = true;
    } else if (part.t === 'atomOpen') js++;
  }
  // The source, with PCRE's `$` written as `end`.
  const assemble = (end: string): string => {
    let src = '';
    const atomStack: number[] = [];
    let group = 0;
    for (const part of parts) {
      if (typeof part === 'string') {
        src += part;
        continue;
      }
      switch (part.t) {
        case 'cap':
          group++;
          src += part.name ? `(?<${part.name}>` : '(';
          break;
        case 'atomOpen':
          group++;
          atomStack.push(group);
          src += '(?:(?=(';
          break;
        case 'atomClose':
          src += `))\\${atomStack.pop()!})`;
          break;
        case 'ref':
          if (part.user > userGroups) throw fail(`reference to non-existent group ${part.user}`, p);
          src += `(?:\\${map[part.user]!})`;
          break;
        case 'nameRef': {
          const g = names.get(part.name);
          if (g === undefined) throw fail(`reference to non-existent group ${part.name}`, p);
          src += `(?:\\${map[g]!})`;
          break;
        }
        case 'end':
          src += end;
          break;
      }
    }
    return src;
  };
  const src = assemble('(?=\\n?$)');
  const endless = parts.includes(END) ? assemble('$') : null;
  const jsFlags = (jsI ? 'i' : '') + (usesUnicode ? 'u' : '');
  try {
    return {
      re: guardedRegExp(pattern, src, jsFlags, endless),
      global: guardedRegExp(pattern, src, jsFlags + 'g', endless),
      groups: userGroups,
      map: shifted ? map : null,
      names,
    };
  } catch (e) {
    throw fail((e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''), p);
  }

  // ---- helpers (closures over the translation state) ----------------------

  function setFlags(f: Flags, on: string, off: string): void {
    for (const ch of on) if (ch in f) (f as unknown as Record<string, boolean>)[ch] = true;
    for (const ch of off) {
      if (ch === 'i' && jsI) throw fail('(?-i) after a leading (?i) is not supported', p);
      if (ch in f) (f as unknown as Record<string, boolean>)[ch] = false;
    }
    if (on.includes('U') || off.includes('U')) throw fail('the U (ungreedy) option is not supported', p);
  }

  function quantifier(at: number, q: string): number {
    if (atom < 0) throw fail(`nothing to repeat at offset ${at}`, p);
    let end = at + q.length;
    let text = q;
    const mod = p[end];
    if (mod === '?') {
      text += '?';
      end++;
    } else if (mod === '+') {
      // Possessive: the quantified atom becomes an atomic group.
      parts.splice(atom, 0, { t: 'atomOpen' });
      parts.push(text, { t: 'atomClose' });
      atom = -1;
      return end + 1;
    }
    parts.push(text);
    atom = -1;
    return end;
  }

  function backref(n: number): void {
    if (folding()) caseTrouble = true;
    emitAtom({ t: 'ref', user: n });
  }

  /** Handle the escape whose letter is at `at`; returns the new position. */
  function escape(at: number): number {
    if (at >= p.length) throw fail('\\ at end of pattern', p);
    const e = p[at]!;
    switch (e) {
      case 'A':
        parts.push('^');
        atom = -1;
        return at + 1;
      case 'z':
        parts.push('$');
        atom = -1;
        return at + 1;
      case 'Z':
        parts.push(END);
        atom = -1;
        return at + 1;
      case 'b':
      case 'B':
        parts.push('\\' + e);
        atom = -1;
        return at + 1;
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        emitAtom('\\' + e);
        return at + 1;
      case 'h':
        emitAtom(`[${HSPACE}]`);
        return at + 1;
      case 'H':
        emitAtom(`[^${HSPACE}]`);
        return at + 1;
      case 'v':
        emitAtom(`[${VSPACE}]`);
        return at + 1;
      case 'V':
        emitAtom(`[^${VSPACE}]`);
        return at + 1;
      case 'R':
        emitAtom(`(?:\\r\\n|[${VSPACE}])`);
        return at + 1;
      case 'N':
        emitAtom('[^\\n]');
        return at + 1;
      case 'C':
        emitAtom('[\\s\\S]');
        return at + 1;
      case 'Q': {
        const stop = p.indexOf('\\E', at + 1);
        const text = stop < 0 ? p.slice(at + 1) : p.slice(at + 1, stop);
        if (text) emitLiteral(text);
        return stop < 0 ? p.length : stop + 2;
      }
      case 'E':
        return at + 1;
      case 'g': {
        const m = /^g(?:\{(-?\d+)\}|(-?\d+)|\{([A-Za-z_]\w*)\})/.exec(p.slice(at));
        if (!m) throw fail('malformed \\g reference', p);
        if (m[3]) {
          if (folding()) caseTrouble = true;
          emitAtom({ t: 'nameRef', name: m[3] });
        }
        else {
          const n = parseInt(m[1] ?? m[2]!, 10);
          backref(n < 0 ? userGroups + 1 + n : n);
        }
        return at + m[0].length;
      }
      case 'k': {
        const m = /^k(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(p.slice(at));
        if (!m) throw fail('malformed \\k reference', p);
        if (folding()) caseTrouble = true;
        emitAtom({ t: 'nameRef', name: (m[1] ?? m[2] ?? m[3])! });
        return at + m[0].length;
      }
      case 'p':
      case 'P': {
        const m = /^[pP](?:\{\^?[A-Za-z_&]+\}|[A-Za-z])/.exec(p.slice(at));
        if (!m) throw fail('malformed \\p property', p);
        let body = m[0].slice(1);
        if (body.startsWith('{^')) body = '{' + body.slice(2);
        const neg = (e === 'P') !== m[0].startsWith(e + '{^');
        if (folding()) caseTrouble = true;
        emitAtom('\\' + (neg ? 'P' : 'p') + (body.startsWith('{') ? body : '{' + body + '}'));
        usesUnicode = true;
        return at + m[0].length;
      }
      case 'G':
      case 'K':
      case 'X':
        throw fail(`\\${e} is not supported`, p);
    }
    if (e >= '1' && e <= '9') {
      const m = /^\d+/.exec(p.slice(at))!;
      // PCRE: \1-\9 are always references; longer numbers only when that
      // many groups can exist, otherwise octal.
      const n = parseInt(m[0], 10);
      if (n < 10 || n <= countGroups(p)) {
        backref(n);
        return at + m[0].length;
      }
      const oct = /^[0-7]{1,3}/.exec(m[0]);
      if (!oct) throw fail(`reference to non-existent group ${n}`, p);
      emitLiteral(String.fromCharCode(parseInt(oct[0], 8)));
      return at + oct[0].length;
    }
    const [ch, len] = charEscape(at);
    emitLiteral(ch);
    return at + len;
  }

  /** An escape standing for one character (\n, \x41, \0, \.); returns [char, length]. */
  function charEscape(at: number): [string, number] {
    const e = p[at]!;
    const rest = p.slice(at);
    switch (e) {
      case 'n':
        return ['\n', 1];
      case 'r':
        return ['\r', 1];
      case 't':
        return ['\t', 1];
      case 'f':
        return ['\f', 1];
      case 'a':
        return ['\x07', 1];
      case 'e':
        return ['\x1b', 1];
      case 'x': {
        const m = /^x(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{0,2}))/.exec(rest)!;
        const cp = parseInt(m[1] ?? (m[2] || '0'), 16);
        if (cp > 0x10ffff) throw fail('character code point value in \\x{} is too large', p);
        return [String.fromCodePoint(cp), m[0].length];
      }
      case 'o': {
        const m = /^o\{([0-7]+)\}/.exec(rest);
        if (!m) throw fail('malformed \\o{} escape', p);
        return [String.fromCodePoint(parseInt(m[1]!, 8)), m[0].length];
      }
      case '0': {
        const m = /^0[0-7]{0,2}/.exec(rest)!;
        return [String.fromCharCode(parseInt(m[0], 8)), m[0].length];
      }
      case 'c': {
        const x = p[at + 1];
        if (x === undefined) throw fail('\\c at end of pattern', p);
        return [String.fromCharCode(x.toUpperCase().charCodeAt(0) ^ 0x40), 2];
      }
    }
    const cp = p.codePointAt(at)!;
    const ch = String.fromCodePoint(cp);
    return [ch, ch.length];
  }

  function openGroup(at: number): number {
    const rest = p.slice(at);
    const saved = { ...flags };
    const push = (close: Part = ')'): void => void stack.push({ start: parts.length, flags: saved, close });
    if (rest.startsWith('(?#')) {
      const end = p.indexOf(')', at);
      if (end < 0) throw fail('missing ) after comment', p);
      return end + 1;
    }
    if (rest.startsWith('(*')) throw fail('backtracking control verbs are not supported', p);
    if (!rest.startsWith('(?')) {
      push();
      parts.push({ t: 'cap', user: ++userGroups, name: null });
      return at + 1;
    }
    const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
    if (named) {
      const name = (named[1] ?? named[2])!;
      if (names.has(name)) throw fail(`two named groups have the same name: ${name}`, p);
      push();
      names.set(name, ++userGroups);
      parts.push({ t: 'cap', user: userGroups, name });
      return at + named[0].length;
    }
    const nref = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
    if (nref) {
      if (folding()) caseTrouble = true;
      emitAtom({ t: 'nameRef', name: nref[1]! });
      return at + nref[0].length;
    }
    for (const look of ['(?=', '(?!', '(?<=', '(?<!', '(?:']) {
      if (rest.startsWith(look)) {
        push();
        parts.push(look);
        return at + look.length;
      }
    }
    if (rest.startsWith('(?>')) {
      push({ t: 'atomClose' });
      parts.push({ t: 'atomOpen' });
      return at + 3;
    }
    const opt = /^\(\?([imsxJXU]*)(?:-([imsxJXU]*))?([:)])/.exec(rest);
    if (opt) {
      if (opt[3] === ')') {
        // Applies to the rest of the enclosing group.
        setFlags(flags, opt[1]!, opt[2] ?? '');
        return at + opt[0].length;
      }
      push();
      setFlags(flags, opt[1]!, opt[2] ?? '');
      parts.push('(?:');
      return at + opt[0].length;
    }
    throw fail(`unsupported group syntax ${rest.slice(0, 4)}`, p);
  }

  /** Parse a character class whose body starts at `at`; returns the new position. */
  function charClass(at: number): number {
    let i = at;
    let neg = false;
    if (p[i] === '^') {
      neg = true;
      i++;
    }
    let body = '';
    let first = true;
    const addCase = (lo: number, hi: number): void => {
      if (!folding()) return;
      if (hi >= 0x80) caseTrouble = true;
      // Add the other case of every letter in [lo, hi].
      const a = Math.max(lo, 0x41);
      const b = Math.min(hi, 0x5a);
      if (a <= b) body += cls(a + 32) + (b > a ? '-' + cls(b + 32) : '');
      const c = Math.max(lo, 0x61);
      const d = Math.min(hi, 0x7a);
      if (c <= d) body += cls(c - 32) + (d > c ? '-' + cls(d - 32) : '');
    };
    for (;;) {
      if (i >= p.length) throw fail('missing terminating ] for character class', p);
      let ch = p[i]!;
      if (ch === ']' && !first) {
        i++;
        break;
      }
      first = false;
      // One item: a POSIX class, a class escape, or a single character.
      let single: number | null = null;
      if (ch === '[') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
        if (m) {
          const set = Object.hasOwn(POSIX, m[2]!) ? POSIX[m[2]!] : undefined;
          if (!set) throw fail(`unknown POSIX class name ${m[2]}`, p);
          if (m[1]) throw fail('negated POSIX classes are not supported', p);
          body += set;
          // PCRE: without case, [:upper:] and [:lower:] match every letter.
          if (folding() && (m[2] === 'upper' || m[2] === 'lower')) body += m[2] === 'upper' ? 'a-z' : 'A-Z';
          i += m[0].length;
          continue;
        }
      }
      if (ch === '\\') {
        const e = p[i + 1];
        if (e === undefined) throw fail('\\ at end of pattern', p);
        if ('dDwWsS'.includes(e)) {
          body += '\\' + e;
          i += 2;
          continue;
        }
        if (e === 'h' || e === 'v') {
          body += e === 'h' ? HSPACE : VSPACE;
          i += 2;
          continue;
        }
        if (e === 'H' || e === 'V' || e === 'N' || e === 'R') throw fail(`\\${e} in a character class is not supported`, p);
        if (e === 'Q') {
          const stop = p.indexOf('\\E', i + 2);
          const text = stop < 0 ? p.slice(i + 2) : p.slice(i + 2, stop);
          for (const t of text) {
            body += cls(t.codePointAt(0)!);
            addCase(t.codePointAt(0)!, t.codePointAt(0)!);
          }
          i = stop < 0 ? p.length : stop + 2;
          continue;
        }
        if (e === 'E') {
          i += 2;
          continue;
        }
        if (e === 'b') {
          single = 8;
          i += 2;
        } else if (e >= '1' && e <= '9') {
          const oct = /^[0-7]{1,3}/.exec(p.slice(i + 1));
          if (!oct) throw fail(`invalid escape \\${e} in a character class`, p);
          single = parseInt(oct[0], 8);
          i += 1 + oct[0].length;
        } else {
          const [c2, len] = charEscape(i + 1);
          single = c2.codePointAt(0)!;
          i += 1 + len;
        }
      } else {
        single = p.codePointAt(i)!;
        i += String.fromCodePoint(single).length;
      }
      // A range?
      if (p[i] === '-' && p[i + 1] !== undefined && p[i + 1] !== ']') {
        let hi: number | null = null;
        let j = i + 1;
        ch = p[j]!;
        if (ch === '\\') {
          const e = p[j + 1];
          if (e !== undefined && !'dDwWsShvHVNRQE'.includes(e)) {
            if (e === 'b') {
              hi = 8;
              j += 2;
            } else {
              const [c2, len] = charEscape(j + 1);
              hi = c2.codePointAt(0)!;
              j += 1 + len;
            }
          }
        } else if (!(ch === '[' && /^\[:\^?[a-z]+:\]/.test(p.slice(j)))) {
          hi = p.codePointAt(j)!;
          j += String.fromCodePoint(hi).length;
        }
        if (hi !== null) {
          if (hi < single) throw fail('range out of order in character class', p);
          body += cls(single) + '-' + cls(hi);
          addCase(single, hi);
          i = j;
          continue;
        }
      }
      body += cls(single);
      addCase(single, single);
    }
    emitAtom('[' + (neg ? '^' : '') + body + ']');
    return i;
  }

  function cls(cp: number): string {
    if (cp > 0xffff) {
      usesUnicode = true;
      return '\\u{' + cp.toString(16) + '}';
    }
    const ch = String.fromCharCode(cp);
    if (CLASS_SPECIAL.has(ch)) return '\\' + ch;
    return cp < 0x20 || cp === 0x7f ? hex4(cp) : ch;
  }
}

/** Count the capturing groups of a pattern (to tell \10 references from octal). */
function countGroups(p: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && (p[i + 1] !== '?' || /^\(\?(P?<[A-Za-z_]|')/.test(p.slice(i)))) n++;
  }
  return n;
}
