// Whether the text typed so far is a whole entry, and what the cursor is in.
// A small scanner rather than the reader: it has to answer for unfinished
// text (an open quotation, string, command or block comment) without errors,
// and tell completion whether the cursor sits in a string or in a word.

export interface EntryScan {
  /** Nothing is left open: the entry can be read (it may still be malformed). */
  complete: boolean;
  /** Unclosed openers, outermost first: `(`, `{`, `[`, `"` or `#|`. */
  open: string[];
  /** Offset of the quote of the string still open at the end, or -1. */
  stringStart: number;
  /** Offset where the word touching the end starts (the text length after a blank). */
  wordStart: number;
  /** The end of the text is inside a `;` line comment or a block comment. */
  inComment: boolean;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\v';
/** Characters that end a word, as the reader sees them. */
const isDelim = (c: string): boolean => isBlank(c) || '(){}[]"'.includes(c);

/** Inside braces, `;word` followed only by blanks and `}` is the dict's type, not a comment. */
function dictTypeAt(t: string, at: number): boolean {
  let i = at + 1;
  while (i < t.length && !isDelim(t[i]!) && t[i] !== ';') i++;
  if (i === at + 1) return false;
  while (i < t.length && isBlank(t[i]!)) i++;
  return t[i] === '}';
}

export function scanEntry(t: string): EntryScan {
  const open: string[] = [];
  const n = t.length;
  let malformed = false;
  let wordStart = n;
  let i = 0;
  const result = (extra: Partial<EntryScan> = {}): EntryScan => {
    const all = { open, stringStart: -1, wordStart, inComment: false, ...extra };
    const left = all.open.length > 0 || all.stringStart >= 0 || (all.inComment && all.open.at(-1) === '#|');
    return { complete: malformed || !left, ...all };
  };
  while (i < n) {
    const c = t[i]!;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === ';' && !(open.at(-1) === '{' && dictTypeAt(t, i))) {
      const end = t.indexOf('\n', i);
      if (end < 0) return result({ inComment: true });
      i = end;
      continue;
    }
    if (c === '#' && t[i + 1] === '|') {
      const doc = t[i + 2] === '|';
      const close = doc ? '||#' : '|#';
      const end = t.indexOf(close, i + (doc ? 3 : 2));
      if (end < 0) return result({ open: [...open, '#|'], inComment: true });
      i = end + close.length;
      continue;
    }
    if (c === '(' || c === '{') {
      open.push(c);
      i++;
      continue;
    }
    if (c === ')' || c === '}' || c === ']') {
      // A closer with nothing to close: complete, so the reader reports it.
      if (open.at(-1) === (c === ')' ? '(' : '{')) open.pop();
      else malformed = true;
      i++;
      continue;
    }
    if (c === '[') {
      // Commands nest brackets and nothing else, like the reader.
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        if (t[j] === '[') depth++;
        else if (t[j] === ']' && --depth === 0) break;
      }
      if (j >= n) return result({ open: [...open, '['] });
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      if (j >= n) return result({ open: [...open, '"'], stringStart: i });
      i = j + 1;
      continue;
    }
    const start = i;
    while (i < n && !isDelim(t[i]!)) i++;
    if (i === n) wordStart = start;
  }
  return result();
}

/** Whether `text` can be run as it is, or needs more lines. */
export const isComplete = (text: string): boolean => scanEntry(text).complete;
