// The seq module: quotations as sequences. Operators never change their input
// quotation (it may be shared, e.g. a literal in a loop body); they build new
// ones. Higher-order operators are generators that run the user's quotation
// once per item with `yield`, pushing the item and popping the result inline
// rather than through applyTo, because map/filter/reduce run in hot loops.
import { type ModuleDef, alias, op } from '../core/registry.js';
import type { OpContext } from '../core/context.js';
import { predicate, pushItem, type Run } from '../core/control.js';
import { difference, intersection, symmetricDifference, union } from '../lib/nimset.js';
import { invalid, MinError } from '../core/errors.js';
import { equal } from '../core/equality.js';
import { Cmd, type Quot, strOf, Sym, typeName, type Value } from '../core/values.js';
import { show, showShort } from '../core/printer.js';
import { makeDict, rawValue } from '../core/dict.js';
import { checkItems, reserve } from '../core/limits.js';


const outOfBounds = (msg: string): MinError => new MinError(msg, 'MinOutOfBoundsError');

/** How the set operators write a value to hash it: as the program prints it. */
const writer = (i: OpContext) => (v: Value): string => show(v, i.rt.print);

function checkIndex(q: Quot, n: number, max = q.length - 1): void {
  if (n < 0 || n > max) {
    throw outOfBounds(`Index ${n} out of bounds (${q.length === 0 ? 'empty quotation' : `valid: 0..${max}`})`);
  }
}

function checkCount(n: number, what: string): void {
  if (n < 0) throw outOfBounds(`${what}: negative count ${n}`);
}

/** A result that may hold more items than either input (a union): within the quotation limit. */
function bounded(q: Quot, what: string): Quot {
  checkItems(q.length, what);
  return q;
}

const notBool = (r: Value): MinError => invalid(`Predicate did not return a boolean value (got ${showShort(r)})`);

/** filter (keep = true) and reject (keep = false). */
function* select(i: OpContext, list: Quot, q: Quot, keep: boolean): Run<Quot> {
  const out: Quot = [];
  for (let k = 0; k < list.length; k++) {
    const v = list[k]!;
    if (v instanceof Sym || v instanceof Cmd) yield [v]; // a symbol item is evaluated, as min pushes it
    else i.stack.push(v);
    yield q;
    const r = i.pop();
    if (typeof r !== 'boolean') throw notBool(r);
    if (r === keep) out.push(v);
  }
  return out;
}

/**
 * Stable bottom-up merge sort with a min comparison quotation, the algorithm
 * Nim's `sort` uses (so predicates see the same comparisons as in min):
 * `a b q` giving true means a sorts after b.
 */
function* mergeSort(i: OpContext, a: Quot, q: Quot): Run<void> {
  const n = a.length;
  const b: Quot = new Array((n >> 1) + 1);
  const after = function* (x: Value, y: Value): Run<boolean> {
    yield* pushItem(i, x);
    yield* pushItem(i, y);
    yield q;
    const r = i.pop();
    if (typeof r !== 'boolean') throw invalid(`Sort predicate did not return a boolean value (got ${showShort(r)})`);
    return r;
  };
  for (let s = 1; s < n; s *= 2) {
    for (let m = n - 1 - s; m >= 0; m -= s * 2) {
      const lo = Math.max(m - s + 1, 0);
      const hi = m + s;
      // Runs already in order need no merging.
      if (!(yield* after(a[m]!, a[m + 1]!))) continue;
      let j = lo;
      let bb = 0;
      while (j <= m) b[bb++] = a[j++]!;
      let k = lo;
      let x = 0;
      while (k < j && j <= hi) {
        if (!(yield* after(b[x]!, a[j]!))) a[k++] = b[x++]!;
        else a[k++] = a[j++]!;
      }
      while (k < j) a[k++] = b[x++]!;
    }
  }
}

export const seqModule: ModuleDef = {
  name: 'seq',
  ops: [
    // ---- access ------------------------------------------------------------
    op('get', 'quot int ==> a', 'The item of quot at (zero-based) index int.', (_i, q: Quot, n: number) => {
      checkIndex(q, n);
      return q[n]!;
    }),
    op('get-raw', 'quot int ==> dict:rawval', 'The item at index int, unevaluated, as a rawval dict: its source text (str), type name (type) and the item itself (val).', (_i, q: Quot, n: number) => {
      checkIndex(q, n);
      return rawValue(q[n]!);
    }),
    alias('raw-get', 'get-raw'),
    op('first', 'quot ==> a', 'The first item of quot.', (_i, q: Quot) => {
      if (q.length === 0) throw outOfBounds('first: empty quotation');
      return q[0]!;
    }),
    op('last', 'quot ==> a', 'The last item of quot.', (_i, q: Quot) => {
      if (q.length === 0) throw outOfBounds('last: empty quotation');
      return q[q.length - 1]!;
    }),
    op('rest', 'quot ==> quot', 'Every item of quot but the first.', (_i, q: Quot) => {
      if (q.length === 0) throw outOfBounds('rest: empty quotation');
      checkItems(q.length - 1, 'rest');
      return q.slice(1);
    }),
    op('size', 'quot ==> int', 'The number of items in quot.', (_i, q: Quot) => q.length),
    op('in?', 'quot a ==> bool', 'Whether a is an item of quot.', (_i, q: Quot, a: Value) => {
      for (const v of q) if (equal(v, a)) return true;
      return false;
    }),

    // ---- building new quotations -----------------------------------------------
    op('set', 'quot a int ==> quot', 'A copy of quot with the item at index int replaced by a.', (_i, q: Quot, a: Value, n: number) => {
      checkIndex(q, n);
      checkItems(q.length, 'set');
      const r = q.slice();
      r[n] = a;
      return r;
    }),
    op('set-sym', "quot 'sym int ==> quot", 'A copy of quot with the item at index int replaced by the symbol sym.', (i, q: Quot, s: Value, n: number) => {
      checkIndex(q, n);
      checkItems(q.length, 'set-sym');
      const r = q.slice();
      r[n] = new Sym(strOf(s), i.cur?.src ?? null, i.cur?.line ?? 0, i.cur?.column ?? 0);
      return r;
    }),
    op('insert', 'quot a int ==> quot', 'A copy of quot with a inserted at index int (0 to its size).', (_i, q: Quot, a: Value, n: number) => {
      checkIndex(q, n, q.length);
      checkItems(q.length + 1, 'insert');
      const r = q.slice(0, n);
      r.push(a);
      for (let k = n; k < q.length; k++) r.push(q[k]!);
      return r;
    }),
    op('remove', 'quot int ==> quot', 'A copy of quot without the item at index int.', (_i, q: Quot, n: number) => {
      checkIndex(q, n);
      checkItems(q.length - 1, 'remove');
      const r = q.slice(0, n);
      for (let k = n + 1; k < q.length; k++) r.push(q[k]!);
      return r;
    }),
    op('append', 'a quot ==> quot', 'A copy of quot with a added at the end.', (_i, a: Value, q: Quot) => {
      checkItems(q.length + 1, 'append');
      const r = q.slice();
      r.push(a);
      return r;
    }),
    op('prepend', 'a quot ==> quot', 'A copy of quot with a added at the start.', (_i, a: Value, q: Quot) => {
      checkItems(q.length + 1, 'prepend');
      return [a, ...q];
    }),
    op('concat', 'quot quot ==> quot', 'The items of quot1 followed by those of quot2.', (_i, a: Quot, b: Quot) => {
      checkItems(a.length + b.length, 'concat');
      return a.concat(b);
    }),
    op('reverse', 'quot ==> quot', 'The items of quot in reverse order.', (_i, q: Quot) => {
      checkItems(q.length, 'reverse');
      return q.slice().reverse();
    }),
    op('take', 'quot int ==> quot', 'The first int items of quot (all of them if it has fewer).', (_i, q: Quot, n: number) => {
      checkCount(n, 'take');
      checkItems(Math.min(n, q.length), 'take');
      return q.slice(0, n);
    }),
    op('shorten', 'quot int ==> quot', 'The first int items of quot, which must have at least int items.', (_i, q: Quot, n: number) => {
      checkCount(n, 'shorten');
      if (n > q.length) throw outOfBounds(`shorten: ${n} is more than the ${q.length} items of the quotation`);
      checkItems(n, 'shorten');
      return q.slice(0, n);
    }),
    op('drop', 'quot int ==> quot', 'The items of quot after the first int (none if it has fewer).', (_i, q: Quot, n: number) => {
      checkCount(n, 'drop');
      checkItems(Math.max(q.length - n, 0), 'drop');
      return q.slice(n);
    }),
    op('slice', 'quot int int ==> quot', 'The items of quot from index int1 to index int2, both included.', (_i, q: Quot, a: number, b: number) => {
      if (a < 0 || b >= q.length) throw outOfBounds(`slice: indexes ${a}..${b} out of bounds (size ${q.length})`);
      if (b < a) throw invalid(`slice: end index ${b} is before start index ${a}`);
      checkItems(b + 1 - a, 'slice');
      return q.slice(a, b + 1);
    }),
    op('flatten', 'quot ==> quot', 'Replaces each quotation inside quot by its items (one level).', (_i, q: Quot) => {
      let n = 0;
      for (const v of q) n += Array.isArray(v) ? v.length : 1;
      checkItems(n, 'flatten');
      const r: Quot = [];
      for (const v of q) {
        if (Array.isArray(v)) for (const w of v) r.push(w);
        else r.push(v);
      }
      return r;
    }),
    op('harvest', 'quot ==> quot', 'quot without its empty quotations.', (_i, q: Quot) => {
      checkItems(q.length, 'harvest');
      return q.filter((v) => !(Array.isArray(v) && v.length === 0));
    }),
    op('quote-map', 'quot ==> quot', 'Wraps each item of quot in a quotation.', (_i, q: Quot) => {
      checkItems(q.length, 'quote-map');
      // A quotation per item, of a few dozen bytes each.
      reserve(q.length * 40);
      return q.map((v) => [v]);
    }),

    // ---- sets ----------------------------------------------------------------
    // Items come out in the order of min's Nim hash sets (see nimset.ts),
    // which hash a value as the program would print it.
    op('union', 'quot quot ==> quot', 'The distinct items found in quot1 or quot2.', (i, a: Quot, b: Quot) => bounded(union(writer(i), a, b), 'union')),
    op('intersection', 'quot quot ==> quot', 'The distinct items of quot1 also found in quot2.', (i, a: Quot, b: Quot) => intersection(writer(i), a, b)),
    op('difference', 'quot quot ==> quot', 'The distinct items of quot1 not found in quot2.', (i, a: Quot, b: Quot) => difference(writer(i), a, b)),
    op('symmetric-difference', 'quot quot ==> quot', 'The distinct items found in exactly one of quot1 and quot2.', (i, a: Quot, b: Quot) =>
      bounded(symmetricDifference(writer(i), a, b), 'symmetric-difference'),
    ),

    // ---- higher-order ----------------------------------------------------------
    op('map', 'quot quot ==> quot', 'The results of running quot2 on each item of quot1.', function* (i, list: Quot, q: Quot) {
      const n = list.length;
      checkItems(n, 'map');
      const out: Quot = new Array(n);
      for (let k = 0; k < n; k++) {
        yield* pushItem(i, list[k]!);
        yield q;
        out[k] = i.pop();
      }
      return out;
    }),
    op('filter', 'quot quot ==> quot', 'The items of quot1 for which the predicate quot2 is true.', function* (i, list: Quot, q: Quot) {
      return yield* select(i, list, q, true);
    }),
    op('reject', 'quot quot ==> quot', 'The items of quot1 for which the predicate quot2 is false.', function* (i, list: Quot, q: Quot) {
      return yield* select(i, list, q, false);
    }),
    op('partition', 'quot quot ==> quot quot', 'Splits quot1 into the items satisfying the predicate quot2 and the others.', function* (i, list: Quot, q: Quot) {
      const yes: Quot = [];
      const no: Quot = [];
      for (const v of list) ((yield* predicate(i, v, q)) ? yes : no).push(v);
      i.push(yes);
      i.push(no);
    }),
    op('reduce', 'quot a quot ==> a', 'Combines the items of quot1 with quot2, starting from a: each step runs quot2 on (accumulator item).', function* (i, list: Quot, acc: Value, q: Quot) {
      let a = acc;
      for (let k = 0; k < list.length; k++) {
        i.push(a);
        yield* pushItem(i, list[k]!);
        yield q;
        a = i.pop();
      }
      return a;
    }),
    op('map-reduce', 'quot quot quot ==> a', 'Maps quot2 over the (non-empty) quot1 and combines the results with quot3.', function* (i, list: Quot, m: Quot, r: Quot) {
      if (list.length === 0) throw outOfBounds('map-reduce: empty quotation');
      yield* pushItem(i, list[0]!);
      yield m;
      let a = i.pop();
      for (let k = 1; k < list.length; k++) {
        yield* pushItem(i, list[k]!);
        yield m;
        const v = i.pop();
        i.push(a);
        i.push(v);
        yield r;
        a = i.pop();
      }
      return a;
    }),
    op('find', 'quot quot ==> int', 'The index of the first item of quot1 satisfying the predicate quot2, or -1.', function* (i, list: Quot, q: Quot) {
      for (let k = 0; k < list.length; k++) if (yield* predicate(i, list[k]!, q)) return k;
      return -1;
    }),
    op('all?', 'quot quot ==> bool', 'Whether every item of quot1 satisfies the predicate quot2.', function* (i, list: Quot, q: Quot) {
      for (const v of list) if (!(yield* predicate(i, v, q))) return false;
      return true;
    }),
    op('any?', 'quot quot ==> bool', 'Whether some item of quot1 satisfies the predicate quot2.', function* (i, list: Quot, q: Quot) {
      for (const v of list) if (yield* predicate(i, v, q)) return true;
      return false;
    }),
    op('one?', 'quot quot ==> bool', 'Whether exactly one item of quot1 satisfies the predicate quot2.', function* (i, list: Quot, q: Quot) {
      let found = false;
      for (const v of list) {
        if (yield* predicate(i, v, q)) {
          if (found) return false;
          found = true;
        }
      }
      return found;
    }),
    op('sort', 'quot quot ==> quot', 'Sorts quot1 (stably) with the comparison quot2: (a b quot2) true puts a after b, so > sorts ascending.', function* (i, list: Quot, q: Quot) {
      checkItems(list.length, 'sort');
      reserve(list.length * 4); // the merge buffer
      const a = list.slice();
      yield* mergeSort(i, a, q);
      return a;
    }),
  ],
};
