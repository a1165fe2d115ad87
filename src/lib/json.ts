// JSON conversion of min values, in the manner of Nim's json module. Dicts
// are core's (symbol tables), so the caller says how to make and read them,
// and how min writes a float (see JsonValues).
import { Cmd, Flt, Sym, type Value } from '../core/values.js';
import { MinError } from '../core/errors.js';
import { MAX_JSON_DEPTH, grew, jsonDepthLimit } from '../core/limits.js';

/** What the JSON code needs from core, which it does not import. */
export interface JsonValues {
  /** A dict of the pairs, in order. */
  makeDict(pairs: [string, Value][]): Value;
  /** A dict's keys (in byte order) and values as `dget` gives them; null when v is not a dict. */
  dictPairs(v: Value): [string, Value][] | null;
  /** A float as min writes it. */
  showFloat(n: number): string;
}

// min stores symbols and commands in JSON as strings with these prefixes
// (how quotations of code survive a to-json/from-json round trip).
const SYM = ';sym:';
const CMD = ';cmd:';

const INT64 = 2n ** 63n;

const bad = (msg: string): MinError => new MinError(`Invalid JSON: ${msg}`, 'JsonParsingError');

/**
 * A JSON parser in the manner of Nim's json module (which min uses): numbers
 * written with a fraction or exponent are floats even when whole ("1.0"),
 * and comments are skipped.
 */
class JsonReader {
  private k = 0;
  /** Arrays and objects open around the current position. */
  private depth = 0;
  constructor(
    private readonly t: string,
    private readonly values: JsonValues,
    /** Symbols and commands are inert (see Sym.inert), except in the saved-symbols file. */
    private readonly inert: boolean,
  ) {}

  read(): Value {
    const v = this.value();
    this.end();
    return v;
  }

  /** A whole text that is one object, as its pairs; null (once checked) for any other value. */
  readPairs(): [string, Value][] | null {
    this.space();
    if (this.t[this.k] !== '{') {
      this.read();
      return null;
    }
    const pairs = this.pairs();
    this.end();
    return pairs;
  }

  private end(): void {
    this.space();
    if (this.k < this.t.length) throw this.unexpected();
  }

  private unexpected(): MinError {
    if (this.k >= this.t.length) return bad('unexpected end of input');
    return bad(`unexpected ${JSON.stringify(this.t[this.k])} at position ${this.k}`);
  }

  private space(): void {
    const t = this.t;
    for (;;) {
      const c = t[this.k];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.k++;
      else if (c === '/' && t[this.k + 1] === '/') {
        while (this.k < t.length && t[this.k] !== '\n' && t[this.k] !== '\r') this.k++;
      } else if (c === '/' && t[this.k + 1] === '*') {
        const end = t.indexOf('*/', this.k + 2);
        if (end < 0) throw bad('unterminated comment');
        this.k = end + 2;
      } else return;
    }
  }

  private value(): Value {
    this.space();
    const t = this.t;
    const c = t[this.k];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') {
      const s = this.string();
      if (s.startsWith(SYM)) return new Sym(s.slice(SYM.length), null, 0, 0, this.inert);
      if (s.startsWith(CMD)) return new Cmd(s.slice(CMD.length), this.inert);
      return s;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (t.startsWith(word, this.k)) {
        this.k += word.length;
        return v;
      }
    }
    throw this.unexpected();
  }

  /** Entering an array or object: within the nesting limit. */
  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) throw jsonDepthLimit();
  }

  private object(): Value {
    return this.values.makeDict(this.pairs());
  }

  private pairs(): [string, Value][] {
    this.enter();
    const pairs: [string, Value][] = [];
    this.k++;
    this.space();
    if (this.t[this.k] === '}') {
      this.k++;
      this.depth--;
      return pairs;
    }
    for (;;) {
      this.space();
      if (this.t[this.k] !== '"') throw this.unexpected();
      const key = this.string();
      this.space();
      if (this.t[this.k] !== ':') throw this.unexpected();
      this.k++;
      pairs.push([key, this.value()]);
      this.space();
      const c = this.t[this.k++];
      if (c === '}') {
        this.depth--;
        return pairs;
      }
      if (c !== ',') {
        this.k--;
        throw this.unexpected();
      }
    }
  }

  private array(): Value[] {
    this.enter();
    const out: Value[] = [];
    this.k++;
    this.space();
    if (this.t[this.k] === ']') {
      this.k++;
      this.depth--;
      return out;
    }
    for (;;) {
      grew(out.push(this.value()), 'from-json');
      this.space();
      const c = this.t[this.k++];
      if (c === ']') {
        this.depth--;
        return out;
      }
      if (c !== ',') {
        this.k--;
        throw this.unexpected();
      }
    }
  }

  private number(): Value {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.t.slice(this.k, this.k + 400));
    if (!m) throw this.unexpected();
    this.k += m[0].length;
    const n = Number(m[0]);
    if (m[2] === undefined && m[3] === undefined) {
      if (Number.isSafeInteger(n)) return n;
      // As Nim's parser does, an integer beyond int64 stays its digits, a string.
      const b = BigInt(m[0]);
      return b >= -INT64 && b < INT64 ? n : m[0];
    }
    return new Flt(n);
  }

  private string(): string {
    const t = this.t;
    let out = '';
    let k = this.k + 1;
    for (;;) {
      const end = t.slice(k).search(/["\\\x00-\x1f]/);
      if (end < 0) throw bad('unterminated string');
      out += t.slice(k, k + end);
      k += end;
      const c = t[k]!;
      if (c === '"') break;
      if (c !== '\\') {
        this.k = k;
        throw this.unexpected();
      }
      const e = t[k + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        k += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(k + 2, k + 6))) {
        out += String.fromCharCode(parseInt(t.slice(k + 2, k + 6), 16));
        k += 6;
      } else {
        this.k = k;
        throw bad(`invalid escape at position ${k}`);
      }
    }
    this.k = k + 1;
    return out;
  }
}

/**
 * Parse JSON into min data. Symbols and commands in it are inert (they do
 * not run); only the saved-symbols file, min's one store of code, is read
 * with `code` set (see saved.ts).
 */
export function fromJson(text: string, values: JsonValues, code = false): Value {
  return new JsonReader(text, values, !code).read();
}

/** The pairs of a JSON object, in the order written (null when the JSON is another value). */
export function fromJsonObject(text: string, values: JsonValues, code = false): [string, Value][] | null {
  return new JsonReader(text, values, !code).readPairs();
}

/** Nim's escapeJson: short escapes where JSON has them, \u00XX in uppercase otherwise. */
function jsonString(s: string): string {
  return (
    '"' +
    s.replace(/["\\\x00-\x1f]/g, (c) => {
      switch (c) {
        case '"':
          return '\\"';
        case '\\':
          return '\\\\';
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\t':
          return '\\t';
        case '\b':
          return '\\b';
        case '\f':
          return '\\f';
        default:
          return '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      }
    }) +
    '"'
  );
}

export function toJson(v: Value, values: JsonValues, indent = 2): string {
  return write(v, values, indent, '', 0);
}

/** Recursive, so bounded: nothing deeper than from-json would read back. */
function write(v: Value, values: JsonValues, indent: number, pad: string, depth: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return jsonString(v);
  if (v instanceof Flt) return Number.isFinite(v.v) ? values.showFloat(v.v) : 'null';
  if (v instanceof Sym) return jsonString(SYM + v.name);
  if (v instanceof Cmd) return jsonString(CMD + v.text);
  if (depth >= MAX_JSON_DEPTH) throw jsonDepthLimit();
  const inner = pad + ' '.repeat(indent);
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((x) => inner + write(x, values, indent, inner, depth + 1)).join(',' + nl) + nl + pad + ']';
  }
  const parts: string[] = [];
  // A defined value is written the way dget gives it: inside a quotation.
  for (const [k, val] of values.dictPairs(v) ?? []) parts.push(inner + jsonString(k) + sep + write(val, values, indent, inner, depth + 1));
  if (parts.length === 0) return '{}';
  return '{' + nl + parts.join(',' + nl) + nl + pad + '}';
}
