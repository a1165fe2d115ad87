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
import { MinError, quoteString } from '../core/errors.js';
import { MAX_PATTERN, grew, patternLimit } from '../core/limits.js';
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

/**
 * Compile (or fetch from the cache) a PCRE pattern for operator `user`; an
 * invalid pattern raises a MinError naming the operator, the pattern and
 * what is wrong with it: `split: invalid regular expression "?": nothing to
 * repeat at offset 0`.
 */
export function compileRegex(pattern: string, user: string): MinRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (pattern.length > MAX_PATTERN) throw patternLimit();
  let r: MinRegex;
  try {
    // A leading (?i) is written out as character classes where that means the
    // same (which keeps the pattern one the linear-time engine can run), and
    // becomes the JS `i` flag where it does not.
    r = translate(pattern, true) ?? translate(pattern, false)!;
  } catch (e) {
    if (e instanceof PatternError) throw new MinError(`${user}: invalid regular expression ${quoteString(pattern)}: ${e.reason}`, 'MinInvalidError');
    throw e;
  }
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

/** What is wrong with a pattern; compileRegex says which operator met it. */
class PatternError extends MinError {
  constructor(readonly reason: string) {
    super(reason, 'MinInvalidError');
  }
}

const fail = (msg: string): PatternError => new PatternError(msg);

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

/** Escapes that match a position: \A, \z, \Z, \b, \B. */
const ANCHOR_ESCAPES: Record<string, Part> = { A: '^', z: '$', Z: END, b: '\\b', B: '\\B' };

/** Escapes that match one character of a set. */
const SET_ESCAPES: Record<string, string> = {
  d: '\\d',
  D: '\\D',
  w: '\\w',
  W: '\\W',
  s: '\\s',
  S: '\\S',
  h: `[${HSPACE}]`,
  H: `[^${HSPACE}]`,
  v: `[${VSPACE}]`,
  V: `[^${VSPACE}]`,
  R: `(?:\\r\\n|[${VSPACE}])`,
  N: '[^\\n]',
  C: '[\\s\\S]',
};

/** Escapes that stand for one control character. */
const CHAR_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', a: '\x07', e: '\x1b' };


/**
 * With `caseByClasses`, a leading (?i) is translated like an inline one, each
 * letter becoming [xX]; the result is null when that would not mean what the
 * JS `i` flag means: a letter outside ASCII (whose case JS folds its own
 * way), a backreference (compared without case under `i`).
 */
function translate(pattern: string, caseByClasses: boolean): MinRegex | null {
  return new PcreTranslation(pattern, caseByClasses).result();
}

/**
 * One pattern's translation. Reading the pattern emits Parts (JS source, and
 * markers for groups and references, numbered once the whole pattern is
 * read, since atomic groups add JS groups of their own).
 */
class PcreTranslation {
  private pos = 0;
  private readonly flags: Flags = { i: false, m: false, s: false, x: false };
  /** A leading (?i), for the whole pattern. */
  private readonly leadingI: boolean;
  /** The leading (?i) as the JS `i` flag (unless written out as classes). */
  private readonly jsI: boolean;
  /** Something that letter classes cannot fold as the JS `i` flag does. */
  private caseTrouble = false;
  private readonly parts: Part[] = [];
  private readonly stack: Group[] = [];
  /** Index in parts where the last quantifiable atom starts, -1 when there is none. */
  private atom = -1;
  private userGroups = 0;
  private readonly names = new Map<string, number>();
  private usesUnicode = false;

  constructor(
    private readonly p: string,
    private readonly caseByClasses: boolean,
  ) {
    this.leadingOptions();
    this.leadingI = this.flags.i;
    this.jsI = this.leadingI && !caseByClasses;
  }

  /** Letters are being matched without case by classes of both cases. */
  private folding(): boolean {
    return this.flags.i && !this.jsI;
  }

  /** Leading verbs such as (*UTF8) and leading option settings apply to the whole pattern. */
  private leadingOptions(): void {
    const p = this.p;
    for (;;) {
      const verb = /^\(\*[A-Z_0-9=]+\)/.exec(p.slice(this.pos));
      if (verb) {
        this.pos += verb[0].length;
        continue;
      }
      const opt = /^\(\?([imsxJX]*)(?:-([imsxJX]*))?\)/.exec(p.slice(this.pos));
      if (opt && (opt[1] || opt[2])) {
        this.setFlags(opt[1]!, opt[2] ?? '');
        this.pos += opt[0].length;
        continue;
      }
      break;
    }
  }

  private fail(msg: string): MinError {
    return fail(msg);
  }

  result(): MinRegex | null {
    const p = this.p;
    while (this.pos < p.length) this.item();
    if (this.stack.length) throw this.fail('missing closing parenthesis');
    if (this.leadingI && this.caseByClasses && this.caseTrouble) return null;
    const { map, shifted } = this.groupNumbers();
    const src = this.source(map, '(?=\\n?$)');
    const endless = this.parts.includes(END) ? this.source(map, '$') : null;
    const jsFlags = (this.jsI ? 'i' : '') + (this.usesUnicode ? 'u' : '');
    try {
      return {
        re: guardedRegExp(p, src, jsFlags, endless),
        global: guardedRegExp(p, src, jsFlags + 'g', endless),
        groups: this.userGroups,
        map: shifted ? map : null,
        names: this.names,
      };
    } catch (e) {
      throw this.fail((e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''));
    }
  }

  /** Read the item at pos: a literal, an escape, a class, a group, an anchor or a quantifier. */
  private item(): void {
    const p = this.p;
    const c = p[this.pos]!;
    if (this.flags.x && /\s/.test(c)) {
      this.pos++;
      return;
    }
    if (this.flags.x && c === '#') {
      while (this.pos < p.length && p[this.pos] !== '\n') this.pos++;
      return;
    }
    switch (c) {
      case '\\':
        this.pos = this.escape(this.pos + 1);
        return;
      case '.':
        this.emitAtom(this.flags.s ? '[\\s\\S]' : '[^\\n]');
        this.pos++;
        return;
      case '^':
        // Multiline ^ also matches after a newline, except one ending the subject.
        this.emitAnchor(this.flags.m ? '(?:^|(?<=\\n)(?!$))' : '^');
        this.pos++;
        return;
      case '$':
        this.emitAnchor(this.flags.m ? '(?![^\\n])' : END);
        this.pos++;
        return;
      case '[':
        this.pos = this.charClass(this.pos + 1);
        return;
      case '(':
        this.pos = this.openGroup(this.pos);
        return;
      case ')':
        this.closeGroup();
        this.pos++;
        return;
      case '|':
        this.emitAnchor('|');
        this.pos++;
        return;
      case '*':
      case '+':
      case '?':
        this.pos = this.quantifier(this.pos, c);
        return;
      case '{': {
        const q = QUANT.exec(p.slice(this.pos));
        if (q) this.pos = this.quantifier(this.pos, q[0]);
        else {
          this.emitAtom('\\{');
          this.pos++;
        }
        return;
      }
      default: {
        const ch = String.fromCodePoint(p.codePointAt(this.pos)!);
        this.emitLiteral(ch);
        this.pos += ch.length;
      }
    }
  }

  // ---- output -----------------------------------------------------------------

  /** A character as JS source, matching both cases where only part of the pattern ignores case. */
  private lit(c: string): string {
    if (this.folding() && c.charCodeAt(0) >= 0x80) this.caseTrouble = true;
    if (this.folding() && c.toLowerCase() !== c.toUpperCase()) {
      const lo = c.toLowerCase();
      const up = c.toUpperCase();
      if (lo.length === 1 && up.length === 1) return '[' + lo + up + ']';
    }
    if (SYNTAX.has(c)) return '\\' + c;
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? hex4(code) : c;
  }

  /** Something a quantifier may follow. */
  private emitAtom(s: Part): void {
    this.atom = this.parts.length;
    this.parts.push(s);
  }

  /** Something no quantifier may follow (an anchor, an alternation). */
  private emitAnchor(s: Part): void {
    this.parts.push(s);
    this.atom = -1;
  }

  /** A backreference, which letter classes cannot compare without case as the JS `i` flag does. */
  private emitRef(r: Part): void {
    if (this.folding()) this.caseTrouble = true;
    this.emitAtom(r);
  }

  private emitLiteral(s: string): void {
    // An astral character is two code units: group them so a quantifier takes both.
    for (const ch of s) this.emitAtom(ch.length > 1 ? '(?:' + ch + ')' : this.lit(ch));
  }

  /** The JS group number of each user group (user groups and atomic helpers share the numbering). */
  private groupNumbers(): { map: number[]; shifted: boolean } {
    const map: number[] = [0];
    let js = 0;
    let shifted = false;
    for (const part of this.parts) {
      if (typeof part === 'string') continue;
      if (part.t === 'cap') {
        js++;
        map[part.user] = js;
        if (js !== part.user) shifted = true;
      } else if (part.t === 'atomOpen') js++;
    }
    return { map, shifted };
  }

  /** The JS source of the parts, groups and references numbered, PCRE's `$` written as `end`. */
  private source(map: number[], end: string): string {
    let src = '';
    const atomStack: number[] = [];
    let js = 0;
    for (const part of this.parts) {
      if (typeof part === 'string') {
        src += part;
        continue;
      }
      switch (part.t) {
        case 'cap':
          js++;
          src += part.name ? `(?<${part.name}>` : '(';
          break;
        case 'atomOpen':
          js++;
          atomStack.push(js);
          src += '(?:(?=(';
          break;
        case 'atomClose':
          src += `))\\${atomStack.pop()!})`;
          break;
        case 'ref':
          if (part.user > this.userGroups) throw this.fail(`reference to non-existent group ${part.user}`);
          src += `(?:\\${map[part.user]!})`;
          break;
        case 'nameRef': {
          const g = this.names.get(part.name);
          if (g === undefined) throw this.fail(`reference to non-existent group ${part.name}`);
          src += `(?:\\${map[g]!})`;
          break;
        }
        case 'end':
          src += end;
          break;
      }
    }
    return src;
  }

  // ---- options and quantifiers ---------------------------------------------------

  private setFlags(on: string, off: string): void {
    const f = this.flags as unknown as Record<string, boolean>;
    for (const ch of on) if (ch in f) f[ch] = true;
    for (const ch of off) {
      if (ch === 'i' && this.jsI) throw this.fail('(?-i) after a leading (?i) is not supported');
      if (ch in f) f[ch] = false;
    }
    if (on.includes('U') || off.includes('U')) throw this.fail('the U (ungreedy) option is not supported');
  }

  private quantifier(at: number, q: string): number {
    if (this.atom < 0) throw this.fail(`nothing to repeat at offset ${at}`);
    let end = at + q.length;
    let text = q;
    const mod = this.p[end];
    if (mod === '?') {
      text += '?';
      end++;
    } else if (mod === '+') {
      // Possessive: the quantified atom becomes an atomic group.
      this.parts.splice(this.atom, 0, { t: 'atomOpen' });
      this.parts.push(text, { t: 'atomClose' });
      this.atom = -1;
      return end + 1;
    }
    this.parts.push(text);
    this.atom = -1;
    return end;
  }

  // ---- escapes ------------------------------------------------------------------

  /** Handle the escape whose letter is at `at`; returns the new position. */
  private escape(at: number): number {
    const p = this.p;
    if (at >= p.length) throw this.fail('\\ at end of pattern');
    const e = p[at]!;
    const anchor = ANCHOR_ESCAPES[e];
    if (anchor !== undefined && Object.hasOwn(ANCHOR_ESCAPES, e)) {
      this.emitAnchor(anchor);
      return at + 1;
    }
    const set = SET_ESCAPES[e];
    if (set !== undefined && Object.hasOwn(SET_ESCAPES, e)) {
      this.emitAtom(set);
      return at + 1;
    }
    switch (e) {
      case 'Q':
        return this.quoted(at + 1, (text) => this.emitLiteral(text));
      case 'E':
        return at + 1;
      case 'g':
        return this.numberedOrNamedRef(at);
      case 'k': {
        const m = /^k(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(p.slice(at));
        if (!m) throw this.fail('malformed \\k reference');
        this.emitRef({ t: 'nameRef', name: (m[1] ?? m[2] ?? m[3])! });
        return at + m[0].length;
      }
      case 'p':
      case 'P':
        return this.property(at);
      case 'G':
      case 'K':
      case 'X':
        throw this.fail(`\\${e} is not supported`);
    }
    if (e >= '1' && e <= '9') return this.digitEscape(at);
    const [ch, len] = this.charEscape(at);
    this.emitLiteral(ch);
    return at + len;
  }

  /** `\Q...\E`: the text up to \E (or the end) taken literally; returns the position after it. */
  private quoted(from: number, take: (text: string) => void): number {
    const p = this.p;
    const stop = p.indexOf('\\E', from);
    const text = stop < 0 ? p.slice(from) : p.slice(from, stop);
    if (text) take(text);
    return stop < 0 ? p.length : stop + 2;
  }

  /** `\g1`, `\g{-1}`, `\g{name}`. */
  private numberedOrNamedRef(at: number): number {
    const m = /^g(?:\{(-?\d+)\}|(-?\d+)|\{([A-Za-z_]\w*)\})/.exec(this.p.slice(at));
    if (!m) throw this.fail('malformed \\g reference');
    if (m[3]) this.emitRef({ t: 'nameRef', name: m[3] });
    else {
      const n = parseInt(m[1] ?? m[2]!, 10);
      this.emitRef({ t: 'ref', user: n < 0 ? this.userGroups + 1 + n : n });
    }
    return at + m[0].length;
  }

  /** `\p{L}`, `\P{^L}`, `\pL`: a Unicode property. */
  private property(at: number): number {
    const e = this.p[at]!;
    const m = /^[pP](?:\{\^?[A-Za-z_&]+\}|[A-Za-z])/.exec(this.p.slice(at));
    if (!m) throw this.fail('malformed \\p property');
    let body = m[0].slice(1);
    if (body.startsWith('{^')) body = '{' + body.slice(2);
    const neg = (e === 'P') !== m[0].startsWith(e + '{^');
    if (this.folding()) this.caseTrouble = true;
    this.emitAtom('\\' + (neg ? 'P' : 'p') + (body.startsWith('{') ? body : '{' + body + '}'));
    this.usesUnicode = true;
    return at + m[0].length;
  }

  /** PCRE: \1-\9 are always references; longer numbers only when that many groups can exist, otherwise octal. */
  private digitEscape(at: number): number {
    const m = /^\d+/.exec(this.p.slice(at))!;
    const n = parseInt(m[0], 10);
    if (n < 10 || n <= countGroups(this.p)) {
      this.emitRef({ t: 'ref', user: n });
      return at + m[0].length;
    }
    const oct = /^[0-7]{1,3}/.exec(m[0]);
    if (!oct) throw this.fail(`reference to non-existent group ${n}`);
    this.emitLiteral(String.fromCharCode(parseInt(oct[0], 8)));
    return at + oct[0].length;
  }

  /** An escape standing for one character (\n, \x41, \0, \.); returns [char, length]. */
  private charEscape(at: number): [string, number] {
    const p = this.p;
    const e = p[at]!;
    const rest = p.slice(at);
    const simple = CHAR_ESCAPES[e];
    if (simple !== undefined && Object.hasOwn(CHAR_ESCAPES, e)) return [simple, 1];
    switch (e) {
      case 'x': {
        const m = /^x(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{0,2}))/.exec(rest)!;
        const cp = parseInt(m[1] ?? (m[2] || '0'), 16);
        if (cp > 0x10ffff) throw this.fail('character code point value in \\x{} is too large');
        return [String.fromCodePoint(cp), m[0].length];
      }
      case 'o': {
        const m = /^o\{([0-7]+)\}/.exec(rest);
        if (!m) throw this.fail('malformed \\o{} escape');
        return [String.fromCodePoint(parseInt(m[1]!, 8)), m[0].length];
      }
      case '0': {
        const m = /^0[0-7]{0,2}/.exec(rest)!;
        return [String.fromCharCode(parseInt(m[0], 8)), m[0].length];
      }
      case 'c': {
        const x = p[at + 1];
        if (x === undefined) throw this.fail('\\c at end of pattern');
        return [String.fromCharCode(x.toUpperCase().charCodeAt(0) ^ 0x40), 2];
      }
    }
    const ch = String.fromCodePoint(p.codePointAt(at)!);
    return [ch, ch.length];
  }

  // ---- groups ---------------------------------------------------------------------

  private pushGroup(close: Part = ')'): void {
    this.stack.push({ start: this.parts.length, flags: { ...this.flags }, close });
  }

  private closeGroup(): void {
    const g = this.stack.pop();
    if (!g) throw this.fail('unmatched closing parenthesis');
    this.parts.push(g.close);
    Object.assign(this.flags, g.flags);
    this.atom = g.start;
  }

  private openGroup(at: number): number {
    const p = this.p;
    const rest = p.slice(at);
    if (rest.startsWith('(?#')) {
      const end = p.indexOf(')', at);
      if (end < 0) throw this.fail('missing ) after comment');
      return end + 1;
    }
    if (rest.startsWith('(*')) throw this.fail('backtracking control verbs are not supported');
    if (!rest.startsWith('(?')) {
      this.pushGroup();
      this.parts.push({ t: 'cap', user: ++this.userGroups, name: null });
      return at + 1;
    }
    const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
    if (named) {
      const name = (named[1] ?? named[2])!;
      if (this.names.has(name)) throw this.fail(`two named groups have the same name: ${name}`);
      this.pushGroup();
      this.names.set(name, ++this.userGroups);
      this.parts.push({ t: 'cap', user: this.userGroups, name });
      return at + named[0].length;
    }
    const nref = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
    if (nref) {
      this.emitRef({ t: 'nameRef', name: nref[1]! });
      return at + nref[0].length;
    }
    for (const look of ['(?=', '(?!', '(?<=', '(?<!', '(?:']) {
      if (rest.startsWith(look)) {
        this.pushGroup();
        this.parts.push(look);
        return at + look.length;
      }
    }
    if (rest.startsWith('(?>')) {
      this.pushGroup({ t: 'atomClose' });
      this.parts.push({ t: 'atomOpen' });
      return at + 3;
    }
    const opt = /^\(\?([imsxJXU]*)(?:-([imsxJXU]*))?([:)])/.exec(rest);
    if (opt) {
      if (opt[3] === ')') {
        // Applies to the rest of the enclosing group.
        this.setFlags(opt[1]!, opt[2] ?? '');
        return at + opt[0].length;
      }
      this.pushGroup();
      this.setFlags(opt[1]!, opt[2] ?? '');
      this.parts.push('(?:');
      return at + opt[0].length;
    }
    throw this.fail(`unsupported group syntax ${rest.slice(0, 4)}`);
  }

  // ---- character classes ------------------------------------------------------------

  /** Parse a character class whose body starts at `at`; returns the new position. */
  private charClass(at: number): number {
    const p = this.p;
    const cls: ClassBody = { text: '' };
    let i = at;
    let neg = false;
    if (p[i] === '^') {
      neg = true;
      i++;
    }
    let first = true;
    for (;;) {
      if (i >= p.length) throw this.fail('missing terminating ] for character class');
      if (p[i] === ']' && !first) {
        i++;
        break;
      }
      first = false;
      i = this.classItem(i, cls);
    }
    this.emitAtom('[' + (neg ? '^' : '') + cls.text + ']');
    return i;
  }

  /** One item of a class (a POSIX class, a class escape, a character or a range) added to `cls`; returns the new position. */
  private classItem(at: number, cls: ClassBody): number {
    const p = this.p;
    let i = at;
    const ch = p[i]!;
    let single: number;
    if (ch === '[') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (m) {
        const set = Object.hasOwn(POSIX, m[2]!) ? POSIX[m[2]!] : undefined;
        if (!set) throw this.fail(`unknown POSIX class name ${m[2]}`);
        if (m[1]) throw this.fail('negated POSIX classes are not supported');
        cls.text += set;
        // PCRE: without case, [:upper:] and [:lower:] match every letter.
        if (this.folding() && (m[2] === 'upper' || m[2] === 'lower')) cls.text += m[2] === 'upper' ? 'a-z' : 'A-Z';
        return i + m[0].length;
      }
    }
    if (ch === '\\') {
      const e = p[i + 1];
      if (e === undefined) throw this.fail('\\ at end of pattern');
      if ('dDwWsS'.includes(e)) {
        cls.text += '\\' + e;
        return i + 2;
      }
      if (e === 'h' || e === 'v') {
        cls.text += e === 'h' ? HSPACE : VSPACE;
        return i + 2;
      }
      if (e === 'H' || e === 'V' || e === 'N' || e === 'R') throw this.fail(`\\${e} in a character class is not supported`);
      if (e === 'Q') {
        return this.quoted(i + 2, (text) => {
          for (const t of text) this.classRange(cls, t.codePointAt(0)!, t.codePointAt(0)!);
        });
      }
      if (e === 'E') return i + 2;
      if (e === 'b') {
        single = 8;
        i += 2;
      } else if (e >= '1' && e <= '9') {
        const oct = /^[0-7]{1,3}/.exec(p.slice(i + 1));
        if (!oct) throw this.fail(`invalid escape \\${e} in a character class`);
        single = parseInt(oct[0], 8);
        i += 1 + oct[0].length;
      } else {
        const [c2, len] = this.charEscape(i + 1);
        single = c2.codePointAt(0)!;
        i += 1 + len;
      }
    } else {
      single = p.codePointAt(i)!;
      i += String.fromCodePoint(single).length;
    }
    if (p[i] === '-' && p[i + 1] !== undefined && p[i + 1] !== ']') {
      const range = this.rangeEnd(i + 1);
      if (range !== null) {
        if (range.hi < single) throw this.fail('range out of order in character class');
        this.classRange(cls, single, range.hi);
        return range.next;
      }
    }
    this.classRange(cls, single, single);
    return i;
  }

  /** The upper end of a range starting at `at` (after the -), or null when what follows is not a character. */
  private rangeEnd(at: number): { hi: number; next: number } | null {
    const p = this.p;
    const ch = p[at]!;
    if (ch === '\\') {
      const e = p[at + 1];
      if (e === undefined || 'dDwWsShvHVNRQE'.includes(e)) return null;
      if (e === 'b') return { hi: 8, next: at + 2 };
      const [c2, len] = this.charEscape(at + 1);
      return { hi: c2.codePointAt(0)!, next: at + 1 + len };
    }
    if (ch === '[' && /^\[:\^?[a-z]+:\]/.test(p.slice(at))) return null;
    const hi = p.codePointAt(at)!;
    return { hi, next: at + String.fromCodePoint(hi).length };
  }

  /** Add [lo, hi] to a class, with the other case of its letters where only part of the pattern ignores case. */
  private classRange(cls: ClassBody, lo: number, hi: number): void {
    cls.text += lo === hi ? this.classChar(lo) : this.classChar(lo) + '-' + this.classChar(hi);
    if (!this.folding()) return;
    if (hi >= 0x80) this.caseTrouble = true;
    const a = Math.max(lo, 0x41);
    const b = Math.min(hi, 0x5a);
    if (a <= b) cls.text += this.classChar(a + 32) + (b > a ? '-' + this.classChar(b + 32) : '');
    const c = Math.max(lo, 0x61);
    const d = Math.min(hi, 0x7a);
    if (c <= d) cls.text += this.classChar(c - 32) + (d > c ? '-' + this.classChar(d - 32) : '');
  }

  /** A code point as written inside a JS class. */
  private classChar(cp: number): string {
    if (cp > 0xffff) {
      this.usesUnicode = true;
      return '\\u{' + cp.toString(16) + '}';
    }
    const ch = String.fromCharCode(cp);
    if (CLASS_SPECIAL.has(ch)) return '\\' + ch;
    return cp < 0x20 || cp === 0x7f ? hex4(cp) : ch;
  }
}

/** The text of a character class being read. */
interface ClassBody {
  text: string;
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
