// Conversions between MinError and min's `dict:error`.
import { MinError } from './errors.js';
import { Sym, type Dict, type Value } from './values.js';
import { display } from './printer.js';
import { makeDict, storedValue } from './dict.js';

/** The dict `try` pushes for an error. */
export function errorDict(e: MinError): Dict {
  if (e.dict) return e.dict;
  const pairs: [string, Value][] = [
    ['error', e.kind],
    ['message', e.message],
  ];
  if (e.code) pairs.push(['code', e.code]);
  // A symbol, as native min stores it (so `'symbol dget` evaluates it again).
  if (e.symbol) pairs.push(['symbol', new Sym(e.symbol)]);
  if (e.filename) pairs.push(['filename', e.filename]);
  if (e.line) pairs.push(['line', e.line]);
  if (e.column) pairs.push(['column', e.column]);
  return makeDict(pairs, 'error');
}

/**
 * `raise`: the dict travels with the error so `try` hands it back unchanged
 * (typed `error`, as native min types it). A dict that names neither a kind
 * nor a message is no error dict, as in native min.
 */
export function errorFromDict(d: Dict): MinError {
  const kind = storedValue(d, 'error');
  const msg = storedValue(d, 'message');
  if (kind === undefined && msg === undefined) return new MinError('Invalid error dictionary', 'MinInvalidError');
  const e = MinError.named(msg === undefined ? '' : display(msg), kind === undefined ? 'MinRuntimeError' : display(kind));
  d.type = 'error';
  e.dict = d;
  const sym = symbolName(storedValue(d, 'symbol'));
  const file = storedValue(d, 'filename');
  if (sym !== null || typeof file === 'string') {
    e.located = true;
    e.symbol = sym ?? '';
    e.filename = typeof file === 'string' ? file : '';
    const line = storedValue(d, 'line');
    const col = storedValue(d, 'column');
    e.line = typeof line === 'number' ? line : 0;
    e.column = typeof col === 'number' ? col : 0;
  }
  return e;
}

/** An error dict's `symbol`: a symbol (as `try` stores it) or a string (as a script may). */
function symbolName(v: Value | undefined): string | null {
  if (v instanceof Sym) return v.name;
  if (Array.isArray(v) && v.length === 1 && v[0] instanceof Sym) return v[0].name;
  return typeof v === 'string' ? v : null;
}

/**
 * `format-error`, as native min writes it: `FILE(LINE,COLUMN) \`SYMBOL\`: MESSAGE`
 * when the dict says where the error happened, else only the message.
 */
export function formatError(d: Dict): string {
  const msg = storedValue(d, 'message');
  const text = msg === undefined ? '' : display(msg);
  const sym = symbolName(storedValue(d, 'symbol'));
  if (sym === null) return text;
  const show = (key: string): string => {
    const v = storedValue(d, key);
    return v === undefined ? '' : display(v);
  };
  return `${show('filename')}(${show('line')},${show('column')}) \`${sym}\`: ${text}`;
}
