// Reading and writing the keys of a socket dict. Scripts can change them
// with dset at any time (a new `timeout` applies to the next operation).
import { MinError } from '../lang/errors.js';
import { EntryKind, valueEntry } from '../lang/scope.js';
import type { Machine } from '../lang/machine.js';
import { Dict, Flt, Sym, isStringLike, strOf, type Value } from '../lang/values.js';
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

/**
 * A dict literal keeps symbols unevaluated (`{port :port}`, `{'ipv6 :domain}`);
 * the socket needs their values, looked up where the operator runs.
 */
export function resolved(i: Machine, d: Dict): Dict {
  const s = d.scope.copy();
  for (const [k, e] of s.symbols ?? []) {
    if (e.kind !== EntryKind.Native && e.val instanceof Sym) s.set(k, valueEntry(symbolValue(i, e.val)));
  }
  return new Dict(s, d.type, d.handle);
}

function symbolValue(i: Machine, sym: Sym): Value {
  // A symbol read from JSON is data: it never reads the script's variables.
  if (sym.inert) return sym;
  const name = sym.name;
  if (name.length > 1 && name.startsWith("'")) return [new Sym(name.slice(1))];
  const e = i.lookup(name) ?? (name.includes('.') ? i.resolvePath(name) : undefined);
  if (e === undefined || e.kind === EntryKind.Native || Array.isArray(e.val) || e.val instanceof Sym) return sym;
  return e.val;
}

export function setKey(d: Dict, key: string, v: Value): void {
  d.scope.set(key, valueEntry(v));
}

/** A string-valued key (a string or a quoted symbol), or `fallback` when absent. */
export function stringKey(d: Dict, key: string, fallback: string): string {
  const v = keyOf(d, key);
  if (v === undefined || v === null) return fallback;
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

/**
 * A time limit given in milliseconds: null (no limit) for 0 or less, capped
 * at what a timer can wait; undefined when `v` is not a number.
 */
export function millis(v: Value): Ms | undefined {
  const ms = typeof v === 'number' ? v : v instanceof Flt ? v.v : NaN;
  if (Number.isNaN(ms)) return undefined;
  return ms <= 0 ? null : Math.min(ms, 0x7fffffff);
}

/** The `timeout` key in milliseconds; absent, null, 0 or less means no limit. */
export function timeoutOf(d: Dict): Ms {
  const v = keyOf(d, 'timeout');
  if (v === undefined || v === null) return null;
  const ms = millis(v);
  if (ms === undefined) throw new MinError(`The socket's timeout must be a number of milliseconds, got ${show(v)}`, NET_ERROR);
  return ms;
}
