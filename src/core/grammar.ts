// The Ohm grammar (min.ohm) as code: a second reader built from the grammar,
// used by the property tests to check the fast reader, and the source of
// syntax-error messages. ohm-js costs ~30 ms to load and the grammar ~40 ms
// to compile, so nothing here runs until the first syntax error or test.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Grammar, Node, Semantics } from 'ohm-js';
import { Cmd, Dict, Sym, type Value } from './values.js';
import { EntryKind, Scope, valueEntry } from './scope.js';
import type { MinError } from './errors.js';
import { SyntaxFailure, excerpt, newSource, unescape, type ReadSource } from './literals.js';
import { BadNumber, numberValue } from './number-literal.js';

let loaded: { grammar: Grammar; semantics: Semantics } | null = null;

/** Where min.ohm lives: next to this file, or in src/ when running from dist/. */
function grammarPath(): string {
  for (const rel of ['./min.ohm', '../src/core/min.ohm']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('min.ohm not found');
}

function load(): { grammar: Grammar; semantics: Semantics } {
  if (loaded) return loaded;
  const ohm = createRequire(import.meta.url)('ohm-js') as typeof import('ohm-js');
  const grammar = ohm.grammar(readFileSync(grammarPath(), 'utf8'));
  loaded = { grammar, semantics: buildSemantics(grammar) };
  return loaded;
}

/** The parse in progress: symbols need its source, and positions its line starts. */
let cur: { src: ReadSource; text: string; lineStarts: number[] } = {
  src: { file: '', docs: new Map() },
  text: '',
  lineStarts: [0],
};

function indexLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** A symbol starting at offset `at`, positioned the way the reader counts (lines split at LF). */
function symAt(name: string, at: number): Sym {
  const { lineStarts } = cur;
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return new Sym(name, cur.src, lo + 1, at - lineStarts[lo]! + 1);
}

function buildSemantics(g: Grammar): Semantics {
  const s = g.createSemantics();
  s.addOperation<Value[]>('values', {
    program(_shebang, items, _end) {
      return items.values();
    },
    items(_gaps, values, _gap) {
      return values.children.map((v: Node) => v.value());
    },
  });
  s.addOperation<Value>('value', {
    quotation(_open, items, _close) {
      return items.values();
    },
    dict(_open, items, type, _close) {
      const scope = new Scope(null);
      const [, values, , keys] = items.children as [Node, Node, Node, Node, Node];
      values.children.forEach((v: Node, k: number) => {
        scope.set(keys.children[k]!.value(), valueEntry(v.value(), EntryKind.Value));
      });
      const t = type.children[0];
      return new Dict(scope, t ? t.value() : null, undefined, true);
    },
    key_quoted(_colon, _open, chars, _close) {
      return unescape(chars.sourceString);
    },
    key_word(_colon, chars) {
      return chars.sourceString;
    },
    dictType(_semi, chars, _blanks) {
      return chars.sourceString;
    },
    command(_open, parts, _close) {
      return new Cmd(parts.sourceString.trim());
    },
    string(_open, chars, _close) {
      return unescape(chars.sourceString);
    },
    sigilString_char(sigil, str) {
      return symAt(sigil.sourceString + str.value(), this.source.startIdx);
    },
    sigilString_word(word, str) {
      return symAt(`${word.sourceString}"${str.value()}"`, this.source.startIdx);
    },
    atom_number(_n) {
      try {
        return numberValue(this.sourceString);
      } catch (e) {
        if (e instanceof BadNumber) throw failureAt(e.message, this.source.startIdx);
        throw e;
      }
    },
    atom_literal(lit) {
      const w = lit.sourceString;
      return w === 'true' ? true : w === 'false' ? false : null;
    },
    symbol(chars) {
      return symAt(chars.sourceString, this.source.startIdx);
    },
  });
  return s;
}

function failureAt(message: string, at: number): SyntaxFailure {
  const { line, column } = symAt('', at);
  return new SyntaxFailure(`${message}\n${excerpt(cur.text, at)}`, cur.src.file, line, column);
}

/** Read a program with the grammar: the same values `read` gives, or a MinError. */
export function parseWithOhm(text: string, file = '<eval>'): Value[] {
  const { grammar, semantics } = load();
  const m = grammar.match(text, 'program');
  if (m.failed()) throw syntaxErrorFrom(text, file, m.getRightmostFailurePosition(), m.getExpectedText());
  const outer = cur;
  cur = { src: newSource(file), text, lineStarts: indexLines(text) };
  try {
    return semantics(m).values();
  } finally {
    cur = outer;
  }
}

/**
 * Ohm matches only ~0.1 MB/s (and twice on a failure), so past this many
 * characters the reader's own message, worded the same way, is used instead.
 */
const OHM_LIMIT = 32 * 1024;

/**
 * The grammar's verdict on malformed input: a located MinSyntaxError, or null
 * when the grammar accepts the text (or cannot be loaded). `from`, if given,
 * is where a top-level value starts: the text before it is known to be well
 * formed, so only the rest is matched. `note` (from the reader, e.g. where an
 * unclosed string began) is added to the message.
 */
export function ohmSyntaxError(text: string, file: string, from = 0, note?: string): MinError | null {
  try {
    const part = from > 0 ? text.slice(from) : text;
    if (part.length > OHM_LIMIT) return null;
    const m = load().grammar.match(part, from > 0 ? 'items' : 'program');
    return m.failed() ? syntaxErrorFrom(text, file, from + m.getRightmostFailurePosition(), m.getExpectedText(), note) : null;
  } catch {
    return null;
  }
}

function syntaxErrorFrom(text: string, file: string, at: number, expected: string, note?: string): MinError {
  const lines = indexLines(text.slice(0, at));
  const line = lines.length;
  const column = at - lines[lines.length - 1]! + 1;
  const found = at >= text.length ? 'the end of the input' : foundText(text, at);
  const head = `Expected ${expected}, found ${found}${note ? `; ${note}` : ''}`;
  return new SyntaxFailure(`${head}\n${excerpt(text, at)}`, file, line, column);
}

/** How the offending input is named in a message: `')'`, or a short quote of the word there. */
function foundText(text: string, at: number): string {
  const ch = text[at]!;
  if (ch === '\n' || ch === '\r') return 'the end of the line';
  const word = /^[^\s()[\]{}"]+/.exec(text.slice(at, at + 40));
  return `'${word ? word[0] : ch}'`;
}
