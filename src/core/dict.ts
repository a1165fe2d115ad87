// Dict helpers: making a dict of plain values, and reading its keys. A key
// can be read with two meanings, and each has one reader here:
//  - dictGet: the value as `dget` gives it, where a value stored by `define`
//    comes back wrapped in a quotation `(v)`, as min does;
//  - storedValue: the value as it was stored (what a socket's `port` or an
//    error's `message` is, however the script put it there).
// Native entries (a module's operators) have no value in either meaning.
import { Dict, typeName, type Value } from './values.js';
import { show } from './printer.js';
import { EntryKind, Scope, valueEntry, type Entry } from './scope.js';
import { invalid } from './errors.js';

/** A dict of plain values (stored as dset stores them), with an optional type and native handle. */
export function makeDict(pairs: Iterable<readonly [string, Value]> | Readonly<Record<string, Value>>, type: string | null = null, handle?: unknown): Dict {
  const s = new Scope(null);
  const list = Symbol.iterator in pairs ? (pairs as Iterable<readonly [string, Value]>) : Object.entries(pairs);
  for (const [k, v] of list) s.set(k, valueEntry(v));
  return new Dict(s, type, handle);
}

/**
 * Store a plain value under `key` in this very dict, as the runtime fills
 * dicts in (a socket's address, a server's port); `dset` makes a new dict
 * instead (Dict.with).
 */
export function dictSet(d: Dict, key: string, v: Value): void {
  d.fill(key, valueEntry(v));
}

/** The dict an entry holds, if it holds one (for dot paths). */
export function entryDict(e: Entry): Dict | null {
  if (e.kind === EntryKind.Native) return null;
  const v = e.val;
  return v instanceof Dict ? v : null;
}

/**
 * `d` with the entry at `path` set to what `make` gives for the entry it
 * replaces (removed when undefined; `make` throws to refuse), where
 * `path` is a key or, for `a.b.c` whose `a.b` names nested dicts, the key
 * `c` of the innermost: the dicts on the way are new as well, and `d`
 * itself does not change. A dict on the way that is a live scope (a module)
 * changes in place, as defining into a module does; then nothing outside it
 * is new.
 */
export function dictWithPath(d: Dict, path: readonly string[], make: (old: Entry | undefined) => Entry | undefined): Dict {
  const chain: Dict[] = [d];
  for (let k = 0; k < path.length - 1; k++) {
    const e = chain[k]!.scope.get(path[k]!);
    const next = e ? entryDict(e) : null;
    if (next === null) throw invalid(`Symbol '${path.slice(0, k + 1).join('.')}' is not a dictionary`);
    chain.push(next);
  }
  const last = path.length - 1;
  const inner = chain[last]!;
  const entry = make(inner.scope.get(path[last]!));
  let live = -1;
  for (let k = last; k >= 0 && live < 0; k--) if (chain[k]!.live) live = k;
  if (live === last) {
    const table = inner.scope;
    if (entry === undefined) table.delete(path[last]!);
    else table.set(path[last]!, entry);
    return d;
  }
  let changed = inner.with(path[last]!, entry);
  for (let k = last - 1; k >= 0; k--) {
    const holder = chain[k]!;
    const e = holder.scope.get(path[k]!)!;
    const replaced = { ...e, val: changed };
    if (k === live) {
      holder.scope.set(path[k]!, replaced);
      return d;
    }
    changed = holder.with(path[k]!, replaced);
  }
  return changed;
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

/**
 * What `get-raw` and `dget-raw` give for a value: a `rawval` dict of its
 * source-like text (`str`), its type name (`type`) and the value itself,
 * unevaluated (`val`), as native min does.
 */
export function rawValue(v: Value): Dict {
  return makeDict([['str', show(v)], ['type', typeName(v)], ['val', v]], 'rawval');
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
