// The fast reader: turns min source into values in one pass over the text.
// The Ohm grammar in min.ohm is the definition of the syntax; this reader is
// the fast path for well-formed input, and property tests (test/grammar)
// check that both give the same values. When this reader meets malformed
// input it asks the grammar for the error message (see grammar.ts).
import { Cmd, Dict, Sym, type Value } from './values.js';
import { EntryKind, Scope, valueEntry } from './scope.js';
import { SyntaxFailure, excerpt, newSource, unescape, type ReadSource } from './literals.js';
import { BadNumber, numberValue, scanNumber, startsNumber } from './number-literal.js';
// The grammar loads ohm-js only on a syntax error.
import { ohmSyntaxError } from './grammar.js';
import { grew } from './limits.js';
import { hostLimit } from './errors.js';

export { newSource, type ReadSource } from './literals.js';

/** The system sigils: characters that may prefix a word or a string. */
export const SIGIL_CHARS = "':@^~$?#>/%!&<*";

/** Which characters, glued to a string, make one symbol with it (`!"ls -al"`, `:"a b"`): the system sigils. */
const SIGIL_PREFIX = new Uint8Array(128);
for (const ch of SIGIL_CHARS) SIGIL_PREFIX[ch.charCodeAt(0)] = 1;
export const isSigilPrefix = (c: number): boolean => c < 128 && SIGIL_PREFIX[c] === 1;

/**
 * A name that, glued to a string, makes one symbol `NAME"text"`: the use of a
 * user-defined sigil of any length (`ab"x y"`, `q""`), named as operators are.
 */
export const SIGIL_WORD = /^[a-zA-Z_][a-zA-Z0-9/!?+*_-]*$/;

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  QUOTE = 34,
  LPAREN = 40,
  RPAREN = 41,
  LBRACK = 91,
  RBRACK = 93,
  LBRACE = 123,
  RBRACE = 125,
  SEMI = 59,
  HASH = 35,
  PIPE = 124,
  BSLASH = 92,
}

const isSpace = (c: number): boolean => c === C.SPACE || c === C.LF || c === C.CR || c === C.TAB || c === 12 || c === 11;
const isDelim = (c: number): boolean =>
  isSpace(c) ||
  c === C.LPAREN ||
  c === C.RPAREN ||
  c === C.LBRACE ||
  c === C.RBRACE ||
  c === C.LBRACK ||
  c === C.RBRACK ||
  c === C.QUOTE ||
  Number.isNaN(c);


/** The `close` of the top level: no character, the input just ends. */
const TOP = -1;

class Reader {
  pos = 0;
  line = 1;
  lineStart = 0;
  /** Where the top-level value being read starts: the grammar re-reads from there on an error. */
  itemStart = 0;
  constructor(
    readonly text: string,
    readonly src: ReadSource,
  ) {}

  /** Report malformed input: the grammar's message, or ours if the grammar disagrees. */
  fail(message: string, at = this.pos, note?: string): never {
    const fromGrammar = ohmSyntaxError(this.text, this.src.file, this.itemStart, note);
    if (fromGrammar) throw fromGrammar;
    const { line, column } = this.where(at);
    throw new SyntaxFailure(`${message}${note ? `; ${note}` : ''}\n${excerpt(this.text, at)}`, this.src.file, line, column);
  }

  /**
   * The input ended inside a construct opened at `openedAt`. The message is
   * worded like the grammar's (min.ohm) in case the grammar is skipped.
   */
  unclosed(what: string, expected: string, openedAt: number): never {
    const { line, column } = this.where(openedAt);
    const note = `the ${what} opened at line ${line}, column ${column} is not closed`;
    return this.fail(`Expected ${expected}, found the end of the input`, this.text.length, note);
  }

  where(at: number): { line: number; column: number } {
    let line = 1;
    let start = 0;
    for (let i = 0; i < at; i++) if (this.text.charCodeAt(i) === C.LF) (line++, (start = i + 1));
    return { line, column: at - start + 1 };
  }

  code(off = 0): number {
    return this.text.charCodeAt(this.pos + off);
  }

  newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  /** Skip blanks and comments; stop at `;` inside a dict when it starts its type. */
  skip(inDict = false): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === C.LF) {
        this.newline(this.pos);
        this.pos++;
      } else if (isSpace(c)) this.pos++;
      else if (c === C.SEMI) {
        if (inDict) return;
        const doc = t.charCodeAt(this.pos + 1) === C.SEMI;
        let end = t.indexOf('\n', this.pos);
        if (end < 0) end = t.length;
        if (doc) this.addDoc(this.line, t.slice(this.pos + 2, end).replace(/\r$/, '').trim());
        this.pos = end;
      } else if (c === C.HASH && t.charCodeAt(this.pos + 1) === C.PIPE) {
        const doc = t.charCodeAt(this.pos + 2) === C.PIPE;
        const close = doc ? '||#' : '|#';
        const from = this.pos + (doc ? 3 : 2);
        const end = t.indexOf(close, from);
        if (end < 0) this.unclosed(doc ? 'doc comment' : 'block comment', `the end of the ${doc ? 'doc' : 'block'} comment`, this.pos);
        if (doc) this.addDoc(this.line, t.slice(from, end).trim());
        for (let i = this.pos; i < end; i++) if (t.charCodeAt(i) === C.LF) this.newline(i);
        this.pos = end + close.length;
      } else return;
    }
  }

  addDoc(line: number, text: string): void {
    const prev = this.src.docs.get(line);
    this.src.docs.set(line, prev ? prev + '\n' + text : text);
  }

  /** Read values until `close` (a char code), or to the end of input when `close` is TOP. */
  readSeq(close: number, openedAt = 0): Value[] {
    const out: Value[] = [];
    for (;;) {
      this.skip();
      const c = this.code();
      if (Number.isNaN(c)) {
        if (close !== TOP) this.unclosed('quotation', 'a closing parenthesis', openedAt);
        return out;
      }
      if (c === close) {
        this.pos++;
        return out;
      }
      if (close === TOP) this.itemStart = this.pos;
      grew(out.push(this.readValue()), 'reading the program');
    }
  }

  readValue(): Value {
    const c = this.code();
    const start = this.pos;
    switch (c) {
      case C.LPAREN:
        this.pos++;
        return this.readSeq(C.RPAREN, start);
      case C.LBRACE:
        this.pos++;
        return this.readDict(start);
      case C.LBRACK:
        return this.readCmd();
      case C.QUOTE:
        return this.readString();
      case C.RPAREN:
      case C.RBRACE:
      case C.RBRACK:
        this.fail(`Unexpected '${String.fromCharCode(c)}'`);
    }
    return this.readWord();
  }

  readString(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = t.charCodeAt(i);
      if (Number.isNaN(c)) this.unclosed('string', 'a closing double quote', start);
      if (c === C.BSLASH) {
        if (t.charCodeAt(i + 1) === C.LF) this.newline(i + 1);
        i += 2;
      } else if (c === C.QUOTE) break;
      else {
        if (c === C.LF) this.newline(i);
        i++;
      }
    }
    this.pos = i + 1;
    return unescape(t.slice(start + 1, i));
  }

  readCmd(): Cmd {
    const start = this.pos;
    let depth = 0;
    const t = this.text;
    for (let i = start; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === C.LBRACK) depth++;
      else if (c === C.RBRACK && --depth === 0) {
        this.pos = i + 1;
        return new Cmd(t.slice(start + 1, i).trim());
      } else if (c === C.LF) this.newline(i);
    }
    return this.unclosed('command', 'a closing bracket', start);
  }

  readWord(): Value {
    const t = this.text;
    const start = this.pos;
    const line = this.line;
    const column = start - this.lineStart + 1;
    // A sigil glued to a string: `:"first release year"`, `!"ls -al"`.
    if (t.charCodeAt(start + 1) === C.QUOTE && isSigilPrefix(t.charCodeAt(start))) {
      this.pos = start + 1;
      const s = this.readString();
      return new Sym(t[start]! + s, this.src, line, column);
    }
    // A number ends where it cannot go on, blank or not: `12abc` is 12 then abc.
    if (startsNumber(t, start)) {
      this.pos = scanNumber(t, start);
      return this.number(t.slice(start, this.pos), start);
    }
    let i = start;
    while (!isDelim(t.charCodeAt(i))) i++;
    this.pos = i;
    const w = t.slice(start, i);
    // A user sigil glued to a string: the symbol keeps both, `ab"x y"`.
    if (t.charCodeAt(i) === C.QUOTE && SIGIL_WORD.test(w)) return new Sym(`${w}"${this.readString()}"`, this.src, line, column);
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    return new Sym(w, this.src, line, column);
  }

  number(token: string, start: number): Value {
    try {
      return numberValue(token);
    } catch (e) {
      if (e instanceof BadNumber) this.fail(e.message, start);
      throw e;
    }
  }

  /** `{ value :key ... ;type }`: values are stored as read, not evaluated. */
  readDict(start: number): Dict {
    const scope = new Scope(null);
    let type: string | null = null;
    let pending: Value | undefined;
    let has = false;
    for (;;) {
      this.skipInDict();
      const c = this.code();
      if (Number.isNaN(c)) this.unclosed('dictionary', 'a closing brace', start);
      if (c === C.RBRACE) {
        this.pos++;
        break;
      }
      if (c === C.SEMI) {
        type = this.readDictType();
        continue;
      }
      const v = this.readValue();
      if (!has) {
        pending = v;
        has = true;
      } else if (v instanceof Sym && v.name.length > 1 && v.name[0] === ':') {
        scope.set(v.name.slice(1), valueEntry(pending!, EntryKind.Value));
        has = false;
      } else this.fail('Invalid dictionary key: expected :key after a value', this.pos);
    }
    if (has) this.fail('Invalid dictionary: a value has no :key', start);
    return new Dict(scope, type, undefined, true);
  }

  /** Inside braces `;word }` is the dict's type; any other `;` starts a comment. */
  skipInDict(): void {
    for (;;) {
      this.skip(true);
      if (this.code() !== C.SEMI) return;
      if (this.typeAhead() !== null) return;
      // a comment: let skip() consume it by stepping past the check
      const end = this.text.indexOf('\n', this.pos);
      const doc = this.code(1) === C.SEMI;
      if (doc) this.addDoc(this.line, this.text.slice(this.pos + 2, end < 0 ? undefined : end).trim());
      this.pos = end < 0 ? this.text.length : end;
    }
  }

  /** If a `;word` here is followed only by blanks and `}`, return the word. */
  typeAhead(): string | null {
    const t = this.text;
    let i = this.pos + 1;
    while (!isDelim(t.charCodeAt(i)) && t.charCodeAt(i) !== C.SEMI) i++;
    if (i === this.pos + 1) return null;
    let j = i;
    while (isSpace(t.charCodeAt(j))) j++;
    return t.charCodeAt(j) === C.RBRACE ? t.slice(this.pos + 1, i) : null;
  }

  readDictType(): string {
    const w = this.typeAhead()!;
    this.pos += 1 + w.length;
    return w;
  }
}

/** Read a whole program. A leading `#!` line is skipped. */
export function read(text: string, src: ReadSource | string = '<eval>'): Value[] {
  const source = typeof src === 'string' ? newSource(src) : src;
  const r = new Reader(text, source);
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n');
    r.pos = nl < 0 ? text.length : nl;
  }
  try {
    return r.readSeq(TOP);
  } catch (e) {
    throw locatedHere(e, r);
  }
}

/**
 * Quotations nested deeper than the host stack reaches: the error says where
 * the reader was. It is left open to relocation (not `located`), so read by
 * `parse` or `eval` it is reported at that call, like their other errors at
 * run time; only a program's own text keeps the reader's place.
 */
function locatedHere(e: unknown, r: Reader): unknown {
  const limit = hostLimit(e);
  if (limit === null) return e;
  limit.filename = r.src.file;
  limit.line = r.line;
  limit.column = r.pos - r.lineStart + 1;
  return limit;
}
