// Dict helpers: making a dict of plain values, and reading its keys. A key
// can be read with two meanings, and each has one reader here:
//  - dictGet: the value as `dget` gives it, where a value stored by `define`
//    comes back wrapped in a quotation `(v)`, as min does;
//  - storedValue: the value as it was stored (what a socket's `port` or an
//    error's `message` is, however the script put it there).
// Native entries (a module's operators) have no value in either meaning.
import { Dict, type Value } from './values.js';
import { EntryKind, Scope, valueEntry, type Entry } from './scope.js';

/** A dict of plain values (stored as dset stores them), with an optional type and native handle. */
export function makeDict(pairs: Iterable<readonly [string, Value]> | Readonly<Record<string, Value>>, type: string | null = null, handle?: unknown): Dict {
  const s = new Scope(null);
  const list = Symbol.iterator in pairs ? (pairs as Iterable<readonly [string, Value]>) : Object.entries(pairs);
  for (const [k, v] of list) s.set(k, valueEntry(v));
  return new Dict(s, type, handle);
}

/** Store a plain value under `key`, as dset does. */
export function dictSet(d: Dict, key: string, v: Value): void {
  d.scope.set(key, valueEntry(v));
}

/** An entry's value as `dget` gives it; undefined for a native entry. */
export function entryValue(e: Entry): Value | undefined {
  if (e.kind === EntryKind.Native) return undefined;
  return e.kind === EntryKind.Quoted ? [e.val] : e.val;
}

/** The value under `key` as `dget` gives it (undefined when absent or native). */
export function dictGet(d: Dict, key: string): Value | undefined {
  const e = d.scope.get(key);
  return e === undefined ? undefined : entryValue(e);
}

/** The value under `key` as it was stored (undefined when absent or native). */
export function storedValue(d: Dict, key: string): Value | undefined {
  const e = d.scope.get(key);
  if (e === undefined || e.kind === EntryKind.Native) return undefined;
  return e.val;
}

/** The keys in byte order with their values as `dget` gives them (native entries left out). */
export function dictPairs(d: Dict): [string, Value][] {
  const out: [string, Value][] = [];
  for (const k of d.scope.names()) {
    const v = entryValue(d.scope.get(k)!);
    if (v !== undefined) out.push([k, v]);
  }
  return out;
}
