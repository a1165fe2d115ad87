// Reading and writing the keys of a socket dict. Scripts can change them
// with dset at any time (a new `timeout` applies to the next operation).
import { MinError } from '../lang/errors.js';
import { EntryKind, valueEntry } from '../lang/scope.js';
import { Flt, Sym, isStringLike, strOf, type Dict, type Value } from '../lang/values.js';
import { show } from '../lang/printer.js';
import { NET_ERROR } from './errors.js';
import type { Ms } from './bounded.js';

/** The value stored under `key`, or undefined. */
export function keyOf(d: Dict, key: string): Value | undefined {
  const e = d.scope.get(key);
  if (e === undefined || e.kind === EntryKind.Native) return undefined;
  // `define` keeps the value itself; a quoted string is still that string.
  return e.val;
}

export function setKey(d: Dict, key: string, v: Value): void {
  d.scope.set(key, valueEntry(v));
}

/** A string-valued key (a string or a quoted symbol), or `fallback` when absent. */
export function stringKey(d: Dict, key: string, fallback: string): string {
  const v = keyOf(d, key);
  if (v === undefined || v === null) return fallback;
  // A dict literal keeps `'ipv6` as the unevaluated symbol; it stands for the quoted name.
  if (v instanceof Sym && v.name.startsWith("'") && v.name.length > 1) return v.name.slice(1);
  if (!isStringLike(v)) throw new MinError(`The socket's ${key} must be a string, got ${show(v)}`, NET_ERROR);
  return strOf(v);
}

export function portKey(d: Dict, fallback: number): number {
  const v = keyOf(d, 'port');
  return v === undefined || v === null ? fallback : checkPort(v);
}

export function checkPort(v: Value): number {
  if (typeof v !== 'number' || v < 0 || v > 65535) {
    throw new MinError(`Invalid port ${show(v)}: ports go from 0 to 65535`, NET_ERROR);
  }
  return v;
}

/** The `timeout` key in milliseconds; absent, null, 0 or less means no limit. */
export function timeoutOf(d: Dict): Ms {
  const v = keyOf(d, 'timeout');
  if (v === undefined || v === null) return null;
  const ms = typeof v === 'number' ? v : v instanceof Flt ? v.v : NaN;
  if (Number.isNaN(ms)) throw new MinError(`The socket's timeout must be a number of milliseconds, got ${show(v)}`, NET_ERROR);
  if (ms <= 0) return null;
  return Math.min(ms, 0x7fffffff);
}
