// Value equality and ordering, shared by logic (==, <), seq (in?, sort,
// union...) and dict operators.
import { Cmd, Dict, Flt, Sym, type Value } from './values.js';
import { EntryKind } from './scope.js';

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
  if (typeof a === 'number' || a instanceof Flt) {
    if (typeof b === 'number' || b instanceof Flt) {
      const x = typeof a === 'number' ? a : a.v;
      const y = typeof b === 'number' ? b : b.v;
      return x === y;
    }
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (!equal(a[k]!, b[k]!)) return false;
    return true;
  }
  if (a instanceof Sym) return b instanceof Sym && a.name === b.name;
  if (a instanceof Cmd) return b instanceof Cmd && a.text === b.text;
  if (a instanceof Dict) {
    if (!(b instanceof Dict)) return false;
    // Native objects (sockets, tasks) are equal only to themselves; plain
    // dicts compare by contents alone, as in min, where a typed result such
    // as parse-url's equals the same pairs written as a literal.
    if (a.handle !== undefined || b.handle !== undefined) return a.handle === b.handle;
    const ka = a.scope.names();
    const kb = b.scope.names();
    if (ka.length !== kb.length) return false;
    for (let k = 0; k < ka.length; k++) {
      if (ka[k] !== kb[k]) return false;
      const ea = a.scope.get(ka[k]!)!;
      const eb = b.scope.get(kb[k]!)!;
      if (ea.kind === EntryKind.Native || eb.kind === EntryKind.Native) {
        if (ea.op !== eb.op) return false;
      } else if (!equal(entryValue(ea.kind, ea.val), entryValue(eb.kind, eb.val))) return false;
    }
    return true;
  }
  return false;
}

const entryValue = (k: EntryKind, v: Value): Value => (k === EntryKind.Quoted ? [v] : v);

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
