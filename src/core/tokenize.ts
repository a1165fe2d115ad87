// `tokenize`: min source split into the tokens of native min's lexer, named
// as its Nim enum names them (tkInt, tkSpace, tkSymbol...), each with the
// source text it covers, and a final tkEof. Nothing is evaluated.
import { Flt, Sym } from './values.js';
import { SIGIL_WORD, isSigilPrefix, read } from './reader.js';
import { grew } from './limits.js';

export interface Token {
  type: string;
  value: string;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\v';
const DELIMS = new Set(['(', ')', '[', ']', '{', '}', '"']);
const isDelim = (c: string | undefined): boolean => c === undefined || isSpace(c) || DELIMS.has(c);

/** What kind of literal a word is, read the way the reader reads it. */
function wordKind(w: string): string {
  let vals;
  try {
    vals = read(w, '<tokenize>');
  } catch {
    return 'tkSymbol';
  }
  if (vals.length !== 1) return 'tkSymbol';
  const v = vals[0];
  if (typeof v === 'number') return 'tkInt';
  if (v instanceof Flt) return 'tkFloat';
  if (v === true) return 'tkTrue';
  if (v === false) return 'tkFalse';
  if (v === null) return 'tkNull';
  return v instanceof Sym ? 'tkSymbol' : 'tkError';
}

/** The end of the string whose opening quote is at `k` (past the closing quote), or the text's end. */
function stringEnd(s: string, k: number): number {
  let j = k + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, s.length);
}

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const push = (type: string, from: number, to: number) => grew(out.push({ type, value: s.slice(from, to) }), 'tokenize');
  let k = 0;
  while (k < s.length) {
    const c = s[k]!;
    const start = k;
    if (isSpace(c)) {
      while (k < s.length && isSpace(s[k]!)) k++;
      push('tkSpace', start, k);
    } else if (c === ';') {
      const doc = s[k + 1] === ';';
      k = s.indexOf('\n', k);
      if (k < 0) k = s.length;
      push(doc ? 'tkLineDocComment' : 'tkLineComment', start, k);
    } else if (c === '#' && s[k + 1] === '|') {
      const doc = s[k + 2] === '|';
      const close = doc ? '||#' : '|#';
      const end = s.indexOf(close, k + (doc ? 3 : 2));
      k = end < 0 ? s.length : end + close.length;
      push(doc ? 'tkBlockDocComment' : 'tkBlockComment', start, k);
    } else if (c === '(' || c === ')' || c === '{' || c === '}') {
      k++;
      push(c === '(' ? 'tkBracketLe' : c === ')' ? 'tkBracketRi' : c === '{' ? 'tkBraceLe' : 'tkBraceRi', start, k);
    } else if (c === '"') {
      k = stringEnd(s, k);
      push('tkString', start, k);
    } else if (c === '[') {
      let depth = 0;
      for (; k < s.length; k++) {
        if (s[k] === '[') depth++;
        else if (s[k] === ']' && --depth === 0) break;
      }
      k = Math.min(k + 1, s.length);
      push('tkCommand', start, k);
    } else if (c === ']') {
      k++;
      push('tkError', start, k);
    } else if (s[k + 1] === '"' && isSigilPrefix(c.charCodeAt(0))) {
      // A sigil glued to a string is one symbol: `:"a b"`.
      k = stringEnd(s, k + 1);
      push('tkSymbol', start, k);
    } else {
      while (!isDelim(s[k])) k++;
      // A user sigil glued to a string is one symbol too: `ab"x y"`.
      if (s[k] === '"' && SIGIL_WORD.test(s.slice(start, k))) {
        k = stringEnd(s, k);
        push('tkSymbol', start, k);
      } else push(wordKind(s.slice(start, k)), start, k);
    }
  }
  out.push({ type: 'tkEof', value: '' });
  return out;
}
