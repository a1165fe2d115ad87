// The dict module. Dicts are mutable, as in min: dset and ddel change the
// dict in place and push it back; ddup makes an independent copy.
//
// Entries are read the way min reads them: a value stored by dset comes back
// as is, a value stored by define (a `Quoted` entry) comes back as the
// one-item quotation min keeps it in, and native operators cannot be read.
import { type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { entryValue, makeDict } from '../core/dict.js';
import { entryDict } from '../core/machine.js';
import { invalid, MinError } from '../core/errors.js';
import { type Entry, EntryKind, Scope, valueEntry } from '../core/scope.js';
import { Dict, type Quot, strOf, Sym, typeName, type Value } from '../core/values.js';
import { show } from '../core/printer.js';
import { splitAtMost } from '../core/limits.js';


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

/** Where dset/ddel act: the key itself unless only a dot path names an existing nested dict. */
function writeTarget(d: Dict, key: string): { scope: Scope; key: string } {
  if (d.scope.get(key) === undefined && key.indexOf('.') > 0) {
    const t = pathTarget(d, key);
    if (t) return t;
  }
  return { scope: d.scope, key };
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

function set(i: OpContext, d: Dict, key: string, e: Entry): Dict {
  const t = writeTarget(d, key);
  if (t.scope.get(t.key)?.sealed) throw invalid(`Symbol ${key} is sealed`);
  t.scope.set(t.key, e);
  // A live scope (from `scope`, `global` or a module): lookups must find the new name there.
  return d;
}

function rawval(e: Entry | undefined, key: string): Dict {
  if (e === undefined) throw new MinError(`key not found: ${key}`, 'KeyError');
  if (e.kind === EntryKind.Native) return makeDict([['type', 'native'], ['val', null]], 'rawval');
  const v = read(e, key);
  return makeDict([['type', typeName(v)], ['val', v]], 'rawval');
}

function keysOf(q: Quot): string[] {
  return q.map((k) => {
    if (typeof k === 'string') return k;
    // A bare or quoted symbol in a quotation literal (`(a 'b)`) names a key too.
    if (k instanceof Sym) return k.name.startsWith("'") && k.name.length > 1 ? k.name.slice(1) : k.name;
    if (Array.isArray(k) && k.length === 1 && k[0] instanceof Sym) return k[0].name;
    throw invalid(`dpick: keys must be strings or symbols, got ${show(k)}`);
  });
}

export const dictModule: ModuleDef = {
  name: 'dict',
  ops: [
    op('ddup', 'dict1 ==> dict2', 'An independent copy of dict1 (same type).', (_i, d: Dict) => new Dict(d.scope.copy(), d.type, d.handle)),
    op('ddel', "dict 'sym ==> dict", 'Removes key sym from dict (in place) and pushes dict back.', (_i, d: Dict, k: Value) => {
      const t = writeTarget(d, strOf(k));
      if (t.scope.get(t.key)?.sealed) throw invalid(`Symbol ${strOf(k)} is sealed`);
      t.scope.delete(t.key);
      return d;
    }),
    op('dget', "dict 'sym ==> a", 'The value of key sym in dict (sigil /).', (_i, d: Dict, k: Value) => get(d, strOf(k))),
    op('dget-raw', "dict 'sym ==> dict:rawval", 'The value of key sym in dict, wrapped in a rawval dict with its type and val.', (_i, d: Dict, k: Value) =>
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
    op('dset', "dict a 'sym ==> dict", 'Sets key sym of dict to a (in place) and pushes dict back (sigil %).', (i, d: Dict, v: Value, k: Value) =>
      set(i, d, strOf(k), valueEntry(v)),
    ),
    op('dset-sym', "dict 'sym1 'sym2 ==> dict", 'Sets key sym2 of dict to the symbol sym1 (in place) and pushes dict back.', (i, d: Dict, v: Value, k: Value) =>
      set(i, d, strOf(k), valueEntry(new Sym(strOf(v)))),
    ),
    op('dtype', 'dict ==> str', 'The type of dict ("" when it has none).', (_i, d: Dict) => d.type ?? ''),
  ],
};
