// The dict module. Dicts are values, as in native min: dset and ddel push a
// new dict and leave the one they were given as it was, so a change is never
// seen through another copy (`d v "k" dset @d` updates a name).
//
// Entries are read the way min reads them: a value stored by dset comes back
// as is, a value stored by define (a `Quoted` entry) comes back as the
// one-item quotation min keeps it in, and native operators cannot be read.
import { type ModuleDef, op } from '../core/registry.js';
import { dictWithPath, entryDict, entryValue, makeDict, rawValue } from '../core/dict.js';
import { invalid, MinError } from '../core/errors.js';
import { type Entry, EntryKind, Scope, valueEntry } from '../core/scope.js';
import { Dict, type Quot, strOf, Sym, typeName, type Value } from '../core/values.js';
import { showShort } from '../core/printer.js';
import { splitAtMost } from '../core/limits.js';
import { sealedSymbol } from '../core/sealed.js';


/**
 * The entry for `key`: the key itself, or else, for `a.b.c`, the path
 * through nested dicts (as dot notation reads symbols).
 */
function findEntry(d: Dict, key: string): Entry | undefined {
  const e = d.scope.get(key);
  if (e !== undefined || key.indexOf('.') <= 0) return e;
  const t = pathTarget(d, key);
  return t ? t.scope.get(t.key) : undefined;
}

/** For `a.b.c` whose `a.b` is a nested dict: that dict's scope and `c`. */
function pathTarget(d: Dict, key: string): { scope: Scope; key: string } | null {
  const parts = splitAtMost(key, '.', 'a dict path');
  if (parts.some((p) => p === '')) return null;
  let cur = d;
  for (let k = 0; k < parts.length - 1; k++) {
    const e = cur.scope.get(parts[k]!);
    const next = e ? entryDict(e) : null;
    if (!next) return null;
    cur = next;
  }
  return { scope: cur.scope, key: parts[parts.length - 1]! };
}

/** The path dset/ddel act at: the key itself unless only a dot path names an existing nested dict. */
function writePath(d: Dict, key: string): string[] {
  if (d.scope.get(key) === undefined && key.indexOf('.') > 0 && pathTarget(d, key)) return splitAtMost(key, '.', 'a dict path');
  return [key];
}

/** An entry's value as dget gives it; a native operator cannot be retrieved. */
function read(e: Entry, key: string): Value {
  const v = entryValue(e);
  if (v === undefined) throw invalid(`Key '${key}' holds a native operator, which cannot be retrieved`);
  return v;
}

function get(d: Dict, key: string): Value {
  const e = findEntry(d, key);
  // Native min passes on the KeyError of Nim's table lookup.
  if (e === undefined) throw new MinError(`key not found: ${key}`, 'KeyError');
  return read(e, key);
}

/** A new dict: d with `key` set to `e` (removed when undefined); d itself does not change. */
function changed(d: Dict, key: string, e: Entry | undefined): Dict {
  return dictWithPath(d, writePath(d, key), (old) => {
    if (old?.sealed) throw sealedSymbol(key, old);
    return e;
  });
}

function rawval(e: Entry | undefined, key: string): Dict {
  if (e === undefined) throw new MinError(`key not found: ${key}`, 'KeyError');
  if (e.kind === EntryKind.Native) return makeDict([['str', key], ['type', 'native'], ['val', null]], 'rawval');
  return rawValue(read(e, key));
}

function keysOf(q: Quot): string[] {
  return q.map((k) => {
    if (typeof k === 'string') return k;
    // A bare or quoted symbol in a quotation literal (`(a 'b)`) names a key too.
    if (k instanceof Sym) return k.name.startsWith("'") && k.name.length > 1 ? k.name.slice(1) : k.name;
    if (Array.isArray(k) && k.length === 1 && k[0] instanceof Sym) return k[0].name;
    throw invalid(`dpick: keys must be strings or symbols, got ${showShort(k)}`);
  });
}

export const dictModule: ModuleDef = {
  name: 'dict',
  ops: [
    op('ddup', 'dict1 ==> dict2', 'A copy of dict1, of the same type (every dict pushed is a copy already).', (_i, d: Dict) => d.copy()),
    op('ddel', "dict 'sym ==> dict", 'A copy of dict without key sym (dict itself does not change).', (_i, d: Dict, k: Value) => changed(d, strOf(k), undefined)),
    op('dget', "dict 'sym ==> a", 'The value of key sym in dict (sigil /).', (_i, d: Dict, k: Value) => get(d, strOf(k))),
    op('dget-raw', "dict 'sym ==> dict:rawval", 'The value of key sym in dict, unevaluated, as a rawval dict: its source text (str), type name (type) and the value itself (val).', (_i, d: Dict, k: Value) =>
      rawval(findEntry(d, strOf(k)), strOf(k)),
    ),
    op('dhas?', "dict 'sym ==> bool", 'Whether dict has key sym.', (_i, d: Dict, k: Value) => findEntry(d, strOf(k)) !== undefined),
    op('dkeys', 'dict ==> quot', 'The keys of dict, as strings in byte order.', (_i, d: Dict) => d.scope.names()),
    op('dvalues', 'dict ==> quot', 'The values of dict, in the order of its keys.', (_i, d: Dict) =>
      d.scope.names().map((k) => read(d.scope.get(k)!, k)),
    ),
    op('dpairs', 'dict ==> quot', 'A (value key) quotation for each entry of dict, in key order.', (_i, d: Dict) =>
      d.scope.names().map((k) => [read(d.scope.get(k)!, k), k]),
    ),
    op('dpick', 'dict1 quot ==> dict2', 'A new dict with the entries of dict1 whose keys are listed in quot.', (_i, d: Dict, q: Quot) => {
      const s = new Scope(null);
      for (const k of keysOf(q)) {
        const e = d.scope.get(k);
        if (e !== undefined) s.set(k, { ...e });
      }
      return new Dict(s);
    }),
    op('dset', "dict a 'sym ==> dict", 'A copy of dict with key sym set to a (dict itself does not change; sigil %).', (_i, d: Dict, v: Value, k: Value) =>
      changed(d, strOf(k), valueEntry(v)),
    ),
    op('dset-sym', "dict 'sym1 'sym2 ==> dict", 'A copy of dict with key sym2 set to the symbol sym1 (dict itself does not change).', (_i, d: Dict, v: Value, k: Value) =>
      changed(d, strOf(k), valueEntry(new Sym(strOf(v)))),
    ),
    op('dtype', 'dict ==> str', 'The type of dict ("" when it has none).', (_i, d: Dict) => d.type ?? ''),
  ],
};
