// Conversions between MinError and min's `dict:error`.
import { MinError } from './errors.js';
import { EntryKind, Scope, valueEntry } from './scope.js';
import { Dict, type Value } from './values.js';
import { display } from './printer.js';

const field = (d: Dict, k: string): Value | undefined => {
  const e = d.scope.get(k);
  if (!e || e.kind === EntryKind.Native) return undefined;
  return e.val;
};

/** The dict `try` pushes for an error. */
export function errorDict(e: MinError): Dict {
  if (e.dict) return e.dict;
  const s = new Scope(null);
  s.set('error', valueEntry(e.kind));
  s.set('message', valueEntry(e.message));
  if (e.symbol) s.set('symbol', valueEntry(e.symbol));
  if (e.filename) s.set('filename', valueEntry(e.filename));
  if (e.line) s.set('line', valueEntry(e.line));
  if (e.column) s.set('column', valueEntry(e.column));
  return new Dict(s, 'error');
}

/** `raise`: the dict travels with the error so `try` hands it back unchanged. */
export function errorFromDict(d: Dict): MinError {
  const kind = field(d, 'error');
  const msg = field(d, 'message');
  const e = new MinError(msg === undefined ? display(d) : display(msg), kind === undefined ? 'MinRuntimeError' : display(kind));
  e.dict = d;
  const sym = field(d, 'symbol');
  const file = field(d, 'filename');
  if (typeof sym === 'string' || typeof file === 'string') {
    e.located = true;
    e.symbol = typeof sym === 'string' ? sym : '';
    e.filename = typeof file === 'string' ? file : '';
    const line = field(d, 'line');
    const col = field(d, 'column');
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
  const msg = field(d, 'message');
  return msg === undefined ? '' : display(msg);
}

/** How the CLI reports an uncaught error: location, message, then the call trace. */
export function describeUncaught(e: MinError): string {
  const where = e.filename ? `${e.filename}(${e.line},${e.column})` : '<min>';
  const lines = [`${where}${e.symbol ? ` [${e.symbol}]` : ''}: ${e.message}`];
  for (const s of e.trace.slice(0, 20)) {
    lines.push(`  at ${s.src?.file ?? '<eval>'}(${s.line},${s.column}) [${s.name}]`);
  }
  if (e.trace.length > 20) lines.push(`  ... ${e.trace.length - 20} more`);
  return lines.join('\n');
}
