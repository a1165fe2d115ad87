// The dstore module: a tiny JSON-file document store. A datastore is a
// `dict:datastore` holding `data` (collection -> id -> item dict) and `path`.
//
// As in min, put/post/delete change the in-memory datastore only (and push it
// back); nothing touches the file until dswrite. Items are stored and handed
// out by reference, like every min dict, so the `id` added by dsput/dspost is
// visible in the dict that was passed in.
import { writeFileAtomic } from '../lib/atomic-write.js';
import { type ModuleDef, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import type { Run } from '../core/control.js';
import { invalid, MinError, toMinError } from '../core/errors.js';
import { attemptAsync } from '../lib/oserror.js';
import { fromJson, toJson } from '../lib/json.js';
import { jsonValues } from './adapt/json-values.js';
import { dictGet, makeDict } from '../core/dict.js';
import { showShort } from '../core/printer.js';
import { valueEntry } from '../core/scope.js';
import { Dict, type Quot, strOf, type Value } from '../core/values.js';
import { crypto } from '../lib/builtins.js';
import { readText } from '../lib/read-text.js';


function newStore(data: Dict, path: string): Dict {
  return makeDict([['data', data], ['path', path]], 'datastore');
}


// A datastore is an ordinary dict, so a script can break it with dset: check
// the shape on use rather than crash on a JS property access.
function dataOf(ds: Dict): Dict {
  const d = dictGet(ds, 'data');
  if (!(d instanceof Dict)) throw invalid('Invalid datastore: data is not a dictionary');
  return d;
}

function pathOf(ds: Dict): string {
  const p = dictGet(ds, 'path');
  if (typeof p !== 'string') throw invalid('Invalid datastore: path is not a string');
  return p;
}

function collectionOf(data: Dict, name: string): Dict | undefined {
  const c = dictGet(data, name);
  if (c === undefined) return undefined;
  if (!(c instanceof Dict)) throw invalid(`Invalid datastore: collection '${name}' is not a dictionary`);
  return c;
}

function requireCollection(data: Dict, name: string): Dict {
  const c = collectionOf(data, name);
  if (c === undefined) throw invalid(`Collection '${name}' does not exist`);
  return c;
}

/**
 * A new datastore: `ds` with item `id` of `collection` (created if need be)
 * set to `item` (removed when undefined). Like every dict, the datastore
 * given does not change: the operators push the new one.
 */
function withItem(ds: Dict, collection: string, id: string, item: Dict | undefined): Dict {
  const data = dataOf(ds);
  const coll = collectionOf(data, collection) ?? makeDict([]);
  const stored = item === undefined ? undefined : valueEntry(item.with('id', valueEntry(id)));
  return ds.with('data', valueEntry(data.with(collection, valueEntry(coll.with(id, stored)))));
}

// min splits on '/' and silently ignores anything past the second part;
// refusing such keys avoids storing an item under an id nobody asked for.
function splitKey(v: Value): { collection: string; id: string } {
  const key = strOf(v);
  const parts = key.split('/', 3);
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw invalid(`Invalid datastore key '${key}': expected collection/id`);
  }
  return { collection: parts[0]!, id: parts[1]! };
}

function checkCollectionName(v: Value): string {
  const name = strOf(v);
  if (name === '' || name.includes('/')) throw invalid(`Invalid collection name '${name}'`);
  return name;
}

// Ids in the shape of Nim's genOid (which min uses): 24 hex digits made of
// seconds since the epoch, a per-process random part and a counter that
// starts at a random value. Ids from one process never repeat and sort in
// creation order within a second; the random part keeps separate processes
// writing to the same file apart, and dspost still re-draws on a clash with
// an id already in the collection (e.g. one chosen with dsput).
// Drawn on first use: loading node:crypto at start-up costs milliseconds.
let processPart = '';
let counter = 0;

function nextId(): string {
  if (processPart === '') {
    processPart = crypto().randomBytes(4).toString('hex');
    counter = crypto().randomBytes(4).readUInt32BE(0);
  }
  const secs = Math.floor(Date.now() / 1000) >>> 0;
  counter = (counter + 1) >>> 0;
  return secs.toString(16).padStart(8, '0') + processPart + counter.toString(16).padStart(8, '0');
}

/** The JSON of a datastore file; what is not JSON is an error naming the file. */
function parseStore(text: string, file: string): Value {
  try {
    return fromJson(text, jsonValues);
  } catch (e) {
    const err = toMinError(e);
    throw MinError.named(`Invalid datastore file '${file}': ${err.message}`, err.kind);
  }
}

/** Check that parsed JSON has the datastore shape: collections of item dicts. */
function checkData(v: Value, file: string): Dict {
  const bad = (what: string) => invalid(`Invalid datastore file '${file}': ${what}`);
  if (!(v instanceof Dict)) throw bad('not a JSON object');
  for (const name of v.scope.names()) {
    const c = dictGet(v, name);
    if (!(c instanceof Dict)) throw bad(`collection '${name}' is not an object`);
    for (const id of c.scope.names()) {
      if (!(dictGet(c, id) instanceof Dict)) throw bad(`item '${name}/${id}' is not an object`);
    }
  }
  return v;
}

export const dstoreModule: ModuleDef = {
  name: 'dstore',
  ops: [
    op('dsinit', "'sym ==> dict:datastore", 'Creates the JSON file sym holding an empty datastore (atomically replacing any file there) and pushes the datastore.', async (_i, f: Value) => {
      const file = strOf(f);
      await attemptAsync(`Unable to write file '${file}'`, () => writeFileAtomic(file, '{}'));
      return newStore(makeDict([]), file);
    }),
    op('dsread', "'sym ==> dict:datastore", 'Reads the datastore saved in the JSON file sym.', async (_i, f: Value) => {
      const file = strOf(f);
      const text = await attemptAsync(`Unable to read file '${file}'`, () => readText(file));
      return newStore(checkData(parseStore(text, file), file), file);
    }),
    op('dswrite', 'dict:datastore ==> dict:datastore', 'Writes the data of the datastore to its JSON file, atomically (a reader sees the old file or the new, never a part), and pushes the datastore back.', async (_i, ds: Dict) => {
      const file = pathOf(ds);
      const text = toJson(dataOf(ds), jsonValues);
      await attemptAsync(`Unable to write file '${file}'`, () => writeFileAtomic(file, text));
      return ds;
    }),
    op('dsget', "dict:datastore 'sym ==> dict", 'The item sym ("collection/id") of the datastore.', (_i, ds: Dict, k: Value) => {
      const { collection, id } = splitKey(k);
      const item = dictGet(requireCollection(dataOf(ds), collection), id);
      if (item === undefined) throw invalid(`Item '${collection}/${id}' not found in datastore`);
      if (!(item instanceof Dict)) throw invalid(`Invalid datastore: item '${collection}/${id}' is not a dictionary`);
      return item;
    }),
    op('dsput', "dict:datastore 'sym dict ==> dict:datastore", 'Stores dict as item sym ("collection/id", the collection is created if needed), setting its id field; pushes the datastore back.', (_i, ds: Dict, k: Value, item: Dict) => {
      const { collection, id } = splitKey(k);
      return withItem(ds, collection, id, item);
    }),
    op('dspost', "dict:datastore 'sym dict ==> dict:datastore", 'Adds dict to collection sym (created if needed) under a newly generated id, also set as its id field; pushes the datastore back.', (_i, ds: Dict, c: Value, item: Dict) => {
      const name = checkCollectionName(c);
      const coll = collectionOf(dataOf(ds), name);
      let id = nextId();
      while (coll?.scope.get(id) !== undefined) id = nextId();
      return withItem(ds, name, id, item);
    }),
    op('dsdelete', "dict:datastore 'sym ==> dict:datastore", 'Removes item sym ("collection/id") from the datastore (the collection must exist) and pushes the datastore back.', (_i, ds: Dict, k: Value) => {
      const { collection, id } = splitKey(k);
      // Like ddel, a missing item in an existing collection is not an error.
      requireCollection(dataOf(ds), collection);
      return withItem(ds, collection, id, undefined);
    }),
    op('dsquery', "dict:datastore 'sym quot ==> quot", 'The items of collection sym (in id order) for which the predicate quot is true; an unknown collection gives ().', function* (i: OpContext, ds: Dict, c: Value, q: Quot): Run<Quot> {
      const coll = collectionOf(dataOf(ds), strOf(c));
      if (coll === undefined) return [];
      const out: Quot = [];
      // Snapshot first: the predicate may change the collection it queries.
      const items = coll.scope.names().map((id) => dictGet(coll, id)!);
      for (const item of items) {
        i.stack.push(item);
        yield q;
        const r = i.pop();
        if (typeof r !== 'boolean') throw invalid(`Predicate did not return a boolean value (got ${showShort(r)})`);
        if (r) out.push(item);
      }
      return out;
    }),
  ],
};
