// Conversions between MinError and min's `dict:error`.
import { MinError } from './errors.js';
import type { Dict, Value } from './values.js';
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
  if (e.symbol) pairs.push(['symbol', e.symbol]);
  if (e.filename) pairs.push(['filename', e.filename]);
  if (e.line) pairs.push(['line', e.line]);
  if (e.column) pairs.push(['column', e.column]);
  return makeDict(pairs, 'error');
}

/** `raise`: the dict travels with the error so `try` hands it back unchanged. */
export function errorFromDict(d: Dict): MinError {
  const kind = storedValue(d, 'error');
  const msg = storedValue(d, 'message');
  const e = MinError.named(msg === undefined ? display(d) : display(msg), kind === undefined ? 'MinRuntimeError' : display(kind));
  e.dict = d;
  const sym = storedValue(d, 'symbol');
  const file = storedValue(d, 'filename');
  if (typeof sym === 'string' || typeof file === 'string') {
    e.located = true;
    e.symbol = typeof sym === 'string' ? sym : '';
    e.filename = typeof file === 'string' ? file : '';
    const line = storedValue(d, 'line');
    const col = storedValue(d, 'column');
    e.line = typeof line === 'number' ? line : 0;
    e.column = typeof col === 'number' ? col : 0;
  }
  return e;
}

/**
 * The error's message, as min's `format-error` gives it (its reference shows
 * only the message); the location stays available in the dict's fields.
 */
export function formatError(d: Dict): string {
  const msg = storedValue(d, 'message');
  return msg === undefined ? '' : display(msg);
}
