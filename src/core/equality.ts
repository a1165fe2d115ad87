// Value equality and ordering, shared by logic (==, <), seq (in?, sort,
// union...) and dict operators.
import { Cmd, Dict, Flt, Sym, type Value } from './values.js';
import { EntryKind } from './scope.js';
import { entryValue } from './dict.js';

/** Container pairs compared before `equal` starts remembering them. */
const MEMO_AFTER = 1000;

/**
 * Native min's float equality: true when both are NaN or they are equal;
 * otherwise false if either is zero, else true when they differ by less than
 * a relative 1e-5 (|a-b| / (|a|+|b|), so inf against a finite number is false).
 */
export function closeTo(a: number, b: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a)) return Number.isNaN(b);
  if (a === 0 || b === 0) return false;
  return Math.abs(a - b) / (Math.abs(a) + Math.abs(b)) < 1e-5;
}

/**
 * The `==` operator: two numbers of which one is a float compare with
 * `closeTo`; anything else, and every item inside quotations, as `equal`.
 */
export function looseEqual(a: Value, b: Value): boolean {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a === b;
    return b instanceof Flt && closeTo(a, b.v);
  }
  if (a instanceof Flt) {
    if (b instanceof Flt) return closeTo(a.v, b.v);
    return typeof b === 'number' && closeTo(a.v, b);
  }
  return a === b || equal(a, b);
}

/** Exact equality: numbers compare by value (1 == 1.0), containers deeply. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  // Strings, booleans and null equal only themselves (the common case of a loop test).
  if (typeof a === 'string' || typeof a === 'boolean' || a === null) return false;
  if (!Array.isArray(a) && !(a instanceof Dict)) return equalAtoms(a, b);
  // Containers are compared with a list of pairs still to compare rather than
  // by recursion, so no depth of nesting overflows the JS stack.
  const pending: Value[] = [a, b];
  // Pairs of containers already compared, kept once a comparison grows
  // large: a pair met again is not compared again, which ends the walk of a
  // dict that holds itself and keeps shared parts from being walked twice.
  let compared = 0;
  let seen: Map<object, Set<object>> | null = null;
  while (pending.length > 0) {
    const y = pending.pop()!;
    const x = pending.pop()!;
    if (x === y) continue;
    if (++compared > MEMO_AFTER) {
      seen ??= new Map();
      const withX = seen.get(x as object);
      if (withX === undefined) seen.set(x as object, new Set([y as object]));
      else if (withX.has(y as object)) continue;
      else withX.add(y as object);
    }
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let k = x.length - 1; k >= 0; k--) {
        const u = x[k]!;
        const w = y[k]!;
        if (u === w) continue;
        if (Array.isArray(u) || u instanceof Dict) pending.push(u, w);
        else if (!equalAtoms(u, w)) return false;
      }
    } else if (x instanceof Dict) {
      if (!sameDict(x, y, pending)) return false;
    } else if (!equalAtoms(x, y)) return false;
  }
  return true;
}

/** Values that hold no others. */
function equalAtoms(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || a instanceof Flt) {
    if (typeof b === 'number' || b instanceof Flt) {
      const x = typeof a === 'number' ? a : a.v;
      const y = typeof b === 'number' ? b : b.v;
      return x === y;
    }
    return false;
  }
  if (a instanceof Sym) return b instanceof Sym && a.name === b.name;
  if (a instanceof Cmd) return b instanceof Cmd && a.text === b.text;
  return false;
}

/**
 * Whether dict a can equal b: same keys in order; the values to compare go
 * to `pending`. All the pairs are compared (native min compares only the
 * first key, a bug min-ts does not copy).
 */
function sameDict(a: Dict, b: Value, pending: Value[]): boolean {
  if (!(b instanceof Dict)) return false;
  // Native objects (sockets, tasks) are equal only to themselves; plain
  // dicts compare by contents alone, as in min, where a typed result such
  // as parse-url's equals the same pairs written as a literal.
  if (a.handle !== undefined || b.handle !== undefined) return a.handle === b.handle;
  // Two typed dicts are of one type (an untyped one may equal a typed one).
  if (a.type !== null && b.type !== null && a.type !== b.type) return false;
  const ka = a.scope.names();
  const kb = b.scope.names();
  if (ka.length !== kb.length) return false;
  for (let k = 0; k < ka.length; k++) {
    if (ka[k] !== kb[k]) return false;
    const ea = a.scope.get(ka[k]!)!;
    const eb = b.scope.get(kb[k]!)!;
    if (ea.kind === EntryKind.Native || eb.kind === EntryKind.Native) {
      if (ea.op !== eb.op) return false;
    } else pending.push(entryValue(ea)!, entryValue(eb)!);
  }
  return true;
}

/**
 * Order for <, >, sort: numbers among numbers, strings among strings.
 * Returns null when the two cannot be compared.
 */
export function compare(a: Value, b: Value): number | null {
  const na = typeof a === 'number' ? a : a instanceof Flt ? a.v : undefined;
  const nb = typeof b === 'number' ? b : b instanceof Flt ? b.v : undefined;
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}
