// The pieces of min's syntax that both readers share: the fast reader
// (reader.ts) and the grammar (grammar.ts), which gives the error messages.
import type { Source } from './values.js';
import { MinError } from './errors.js';

/** A source file (or `eval` string) and the doc comments found in it, by line. */
export interface ReadSource extends Source {
  docs: Map<number, string>;
}

export function newSource(file: string): ReadSource {
  return { file, docs: new Map() };
}

export class SyntaxFailure extends MinError {
  constructor(message: string, file: string, line: number, column: number) {
    super(message, 'MinSyntaxError');
    this.filename = file;
    this.line = line;
    this.column = column;
    this.located = true;
  }
}

/** Decode the escapes of a string body (as written between the quotes). */
export function unescape(body: string): string {
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const n = body[i + 1]!;
    switch (n) {
      case '"':
      case '\\':
      case "'":
      case '/':
        out += n;
        i++;
        break;
      case 'n':
        out += '\n';
        i++;
        break;
      case 'r':
        out += '\r';
        i++;
        break;
      case 't':
        out += '\t';
        i++;
        break;
      case 'b':
        out += '\b';
        i++;
        break;
      case 'f':
        out += '\f';
        i++;
        break;
      case 'v':
        out += '\v';
        i++;
        break;
      case 'u': {
        const hex = body.slice(i + 2, i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 5;
        } else out += ch; // not an escape: keep the backslash
        break;
      }
      default:
        // An unknown escape stays as written (`"\}"` is a regex for `}`).
        out += ch;
    }
  }
  return out;
}

/** The line of source around `at`, with a caret under the offending spot. */
export function excerpt(text: string, at: number): string {
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  let le = text.indexOf('\n', at);
  if (le < 0) le = text.length;
  const line = text.slice(ls, le);
  return `  ${line}\n  ${' '.repeat(Math.max(0, at - ls))}^`;
}
