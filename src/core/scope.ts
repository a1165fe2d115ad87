// A scope is a symbol table with a parent. Dictionaries are scopes too: a
// `{...}` literal is a parentless scope, and `scope`/`global` expose live ones.
import type { Value } from './values.js';
import type { NativeOp } from './registry.js';

export const enum EntryKind {
  /** Implemented in TypeScript (or by `operator`). */
  Native = 0,
  /** A raw value (dict literal, dset, lambda): a quotation is dequoted, anything else pushed. */
  Value = 1,
  /** A value stored by `define`: evaluating it pushes the value itself. */
  Quoted = 2,
}

export interface Entry {
  kind: EntryKind;
  val: Value;
  /** The operator of a Native entry; null for every other kind. */
  op: NativeOp | null;
  sealed: boolean;
  /** Documentation written next to an `operator` definition, if any. */
  doc?: string;
}

/**
 * `bind` and `lambda-bind`: an existing entry takes a new value in place,
 * because loops rebind the same symbol millions of times.
 */
export function rebindEntry(e: Entry, kind: EntryKind, val: Value): void {
  e.kind = kind;
  e.val = val;
  e.op = null;
}

export const valueEntry = (val: Value, kind: EntryKind = EntryKind.Value): Entry => ({
  kind,
  val,
  op: null,
  sealed: false,
});

export const nativeEntry = (op: NativeOp, sealed = true): Entry => ({
  kind: EntryKind.Native,
  val: null,
  op,
  sealed,
});

/**
 * What keeps the resolutions cached on symbols right, for one runtime (see
 * Sym in values.ts). `global` is bumped whenever a global resolution may have
 * changed: an entry added to or removed from the global scope, a new local
 * name, any sigil. `local` is bumped whenever a scope that some cached
 * lookup went through (`Scope.seen`) gains, loses or replaces an entry (a
 * rebind in place changes neither), so a lookup cached for one scope stays
 * right until then. Filling a fresh scope (a lambda's locals, an operator's
 * inputs) invalidates nothing.
 */
export class SymbolCaches {
  global = 0;
  local = 0;
  /** Names ever defined outside the global scope: the others resolve straight from the global table. */
  readonly localNames = new Set<string>();

  /** A name defined outside the global scope can no longer resolve straight from it. */
  noteLocal(name: string): void {
    if (!this.localNames.has(name)) {
      this.global++;
      this.localNames.add(name);
    }
  }
}

/**
 * The names an operator binds on every call (its inputs, then its outputs).
 * A runtime notes them as local names once, not on every call: noting is
 * for good, so remembering the last caches that noted them is enough.
 */
export class BoundNames {
  notedIn: SymbolCaches | null = null;
  constructor(readonly names: readonly string[]) {}

  noteIn(c: SymbolCaches): void {
    for (const n of this.names) c.noteLocal(n);
    this.notedIn = c;
  }
}

/**
 * A symbol table with a parent. Defining a name (`set`, `Scope.bound`, `delete`,
 * `setSigil`) keeps the runtime's symbol caches right by itself: no caller
 * has anything else to remember.
 */
export class Scope {
  symbols: Map<string, Entry> | null = null;
  sigils: Map<string, Entry> | null = null;
  /** True for a runtime's global scope. */
  isRoot = false;
  /** A cached lookup went through this scope: its changes bump `caches.local`. */
  seen = false;
  /**
   * The caches of the runtime this scope belongs to, taken from the parent;
   * null for a free-standing table (a dict) until the machine looks into it.
   */
  caches: SymbolCaches | null;

  constructor(public parent: Scope | null = null) {
    this.caches = parent === null ? null : parent.caches;
  }

  /** Find the entry for a name here or in an ancestor. */
  lookup(name: string): Entry | undefined {
    let s: Scope | null = this;
    do {
      const e = s.symbols?.get(name);
      if (e !== undefined) return e;
      s = s.parent;
    } while (s !== null);
    return undefined;
  }

  /**
   * `lookup`, for a result that will be cached: every scope the lookup goes
   * through is marked `seen`, since a definition in any of them must
   * invalidate the cache.
   */
  lookupSeen(name: string): Entry | undefined {
    let s: Scope | null = this;
    do {
      s.seen = true;
      const e = s.symbols?.get(name);
      if (e !== undefined) return e;
      s = s.parent;
    } while (s !== null);
    return undefined;
  }

  /** The scope (this or an ancestor) that defines a name. */
  owner(name: string): Scope | null {
    let s: Scope | null = this;
    while (s !== null) {
      if (s.symbols?.has(name)) return s;
      s = s.parent;
    }
    return null;
  }

  lookupSigil(name: string): Entry | undefined {
    let s: Scope | null = this;
    do {
      const e = s.sigils?.get(name);
      if (e !== undefined) return e;
      s = s.parent;
    } while (s !== null);
    return undefined;
  }

  get(name: string): Entry | undefined {
    return this.symbols?.get(name);
  }

  /** Define (or replace) a name: the one way names get into a scope. */
  set(name: string, e: Entry): void {
    const m = (this.symbols ??= new Map());
    const c = this.caches;
    if (c !== null) {
      if (this.isRoot) c.global++;
      else c.noteLocal(name);
      if ((this.seen || this.isRoot) && m.get(name) !== e) c.local++;
    }
    m.set(name, e);
  }

  /**
   * A new child of `parent` holding `symbols`, whose names are exactly those
   * of `names` (an operator's inputs and outputs): what `set` would do for
   * each, with the names noted once per runtime rather than on every call.
   * Filling a new scope invalidates no cached lookup.
   */
  static bound(parent: Scope, names: BoundNames, symbols: Map<string, Entry>): Scope {
    const s = new Scope(parent);
    const c = s.caches;
    if (c !== null && names.notedIn !== c) names.noteIn(c);
    s.symbols = symbols;
    return s;
  }

  delete(name: string): boolean {
    const c = this.caches;
    if (c !== null) {
      if (this.isRoot) c.global++;
      if (this.seen || this.isRoot) c.local++;
    }
    return this.symbols?.delete(name) ?? false;
  }

  setSigil(name: string, e: Entry): void {
    const c = this.caches;
    if (c !== null) {
      c.global++;
      c.local++;
    }
    (this.sigils ??= new Map()).set(name, e);
  }

  /** Symbol names in byte order, as min's symbol tables list them. */
  names(): string[] {
    return this.symbols ? [...this.symbols.keys()].sort(byteOrder) : [];
  }

  sigilNames(): string[] {
    return this.sigils ? [...this.sigils.keys()].sort(byteOrder) : [];
  }

  /** A shallow copy of the table (entries shared, map new). */
  copy(parent: Scope | null = null): Scope {
    const s = new Scope(parent);
    const from = this.symbols;
    if (from) {
      // A plain loop, not spread and map: `with` on a dict shared with its copies copies its table on every call.
      const own = new Map<string, Entry>();
      from.forEach((e, k) => own.set(k, { ...e }));
      s.symbols = own;
    }
    if (this.sigils) s.sigils = new Map(this.sigils);
    return s;
  }

  get size(): number {
    return this.symbols?.size ?? 0;
  }
}

export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
