// min values. The representation is chosen for speed in the evaluation loop:
// integers are plain JS numbers (always integral), floats are boxed in `Flt` so
// the two stay distinct, strings are JS strings, quotations are JS arrays.
import type { Entry, Scope } from './scope.js';
import { DictVersion } from './dict-value.js';

/** A float. Boxed so that `3.0` stays a float and `3` an int. */
export class Flt {
  constructor(public readonly v: number) {}
}

/** Where a symbol was read from; shared by every symbol of one source. */
export interface Source {
  readonly file: string;
}

/** How a symbol's global resolution is cached (Sym.resolved). */
export const enum Resolved {
  None = 0,
  /** `resolvedEntry` is the global entry of the symbol's name. */
  Global = 1,
  /** `resolvedEntry` is the system sigil the first character stands for, applied to `sigilArg`. */
  Sigil = 2,
}

/**
 * A symbol as read from source: evaluating it looks it up and applies it.
 * The machine caches what it found on the symbol itself; every cache is
 * valid while the epoch it recorded equals the runtime's (SymbolCaches in
 * scope.ts), so a definition anywhere invalidates by bumping one counter.
 *
 * A symbol that came out of JSON (`";sym:NAME"`) is `inert`: it prints,
 * compares and converts like any other, but evaluating it is an error, so
 * data from a peer or a file never runs (the check sits where the machine
 * resolves a symbol, see Machine.evalSym).
 */
export class Sym {
  /** The global resolution, valid while `resolvedEpoch` equals `caches.global`. */
  resolved: Resolved = Resolved.None;
  resolvedEpoch = -1;
  resolvedEntry: unknown = null;
  /** The name after the sigil character, for Resolved.Sigil. */
  sigilArg = '';
  /** The entry `localEntry` found from scope `localScope`, valid while `localEpoch` equals `caches.local`. */
  localScope: unknown = null;
  localEntry: unknown = null;
  localEpoch = -1;
  /** The same for the entry `@name` rebinds (`sigilArg` names it), from scope `bindScope`. */
  bindScope: unknown = null;
  bindTarget: unknown = null;
  bindEpoch = -1;
  constructor(
    public readonly name: string,
    public readonly src: Source | null = null,
    public readonly line = 0,
    public readonly column = 0,
    public readonly inert = false,
  ) {}
}

/** A command `[ls -a]`: run in the shell when evaluated, pushing its output; never when `inert` (read from JSON). */
export class Cmd {
  constructor(
    public readonly text: string,
    public readonly inert = false,
  ) {}
}

/**
 * A dictionary: a symbol table (the same structure as a scope) plus an optional
 * type (`;socket`) and, for native objects such as sockets, a host handle.
 *
 * A dict is a value: its contents are a DictVersion (dict-value.ts), which
 * never changes once another dict or version shares it, so copying a dict
 * is making a Dict around the same version. `dset` and its kin give a new
 * dict (`with`); only what the runtime fills in (`fill`) and the scope
 * `with` runs in (`ownTable`) change this dict itself, seen by whoever holds
 * this very object (the name it was stored in, the stack). The handle is
 * shared by every copy: a socket dict and its copies are one connection.
 */
export class Dict {
  version: DictVersion;
  /** The scope a dict pushed from a literal was pushed in: where `d.name` looks after the dict itself. */
  parent: Scope | null = null;
  /** The entry (a name's) this dict was pushed from, as a copy: `with` rebinds it (scopeTarget). */
  origin: Entry | null = null;

  constructor(
    scope: Scope | DictVersion,
    public type: string | null = null,
    public handle: unknown = undefined,
    /** True for a `{...}` literal read from source: pushed as a copy, so the code's own dict never changes. */
    public literal = false,
  ) {
    this.version = scope instanceof DictVersion ? scope : new DictVersion(scope, true);
  }

  /** A dict over a scope the program runs in (`scope`, `global`, a module): a change to a copy never reaches that scope. */
  static live(scope: Scope, type: string | null = 'module'): Dict {
    return new Dict(new DictVersion(scope, false, true), type);
  }

  /** The table, for reading (writing through it would change every copy). */
  get scope(): Scope {
    return this.version.contents();
  }

  /** Whether the table is a scope the program runs in. */
  get live(): boolean {
    return this.version.live;
  }

  /** A copy: the same contents (shared until either changes), type, handle and parent scope. */
  copy(type: string | null = this.type): Dict {
    const v = this.version;
    // Code runs in a pinned table and changes it in place: a copy takes what it holds now.
    let c: Dict;
    if (v.pinned) c = new Dict(new DictVersion(v.contents().copy(), true), type, this.handle);
    else {
      c = new Dict(v, type, this.handle);
      v.exclusive = false;
    }
    c.parent = this.parent;
    return c;
  }

  /** A new dict: this one with `key` set to `entry` (removed when undefined). */
  with(key: string, entry: Entry | undefined): Dict {
    return new Dict(this.version.derive(key, entry), this.type, this.handle);
  }

  /**
   * Change this dict itself (what the runtime fills in: a socket's address,
   * a server's port; `publish`): no copy of it sees the change, except the
   * name it was pushed from, rebound, and a live scope, changed where it is.
   */
  fill(key: string, entry: Entry | undefined): void {
    const v = this.version;
    if (v.live || (v.exclusive && v.table !== null)) {
      const table = v.contents();
      if (entry === undefined) table.delete(key);
      else table.set(key, entry);
      return;
    }
    this.version = v.derive(key, entry);
    // The name this dict was pushed from sees what the runtime filled in, if it still holds what this held.
    const from = this.origin;
    if (from !== null && !from.sealed && from.val instanceof Dict && from.val.version === v) from.val = this.copy();
  }

  /**
   * The dict an operator fills keys into (`fill`) and pushes back: a copy,
   * since the one given may be on the stack again (`dup`); filling it in
   * rebinds the name the given one was pushed from. A live scope is itself.
   */
  filled(): Dict {
    if (this.version.live) return this;
    const c = this.copy();
    c.origin = this.origin;
    return c;
  }

  /**
   * The dict `with` (and `invoke`) runs code in: a module or scope itself;
   * any other dict is a value, so a copy, which the name this one was pushed
   * from is rebound to (if it still holds these contents): definitions and
   * binds made there show through that name and through no other copy.
   */
  scopeTarget(): Dict {
    if (this.version.live) return this;
    const c = this.copy();
    const from = this.origin;
    if (from !== null && !from.sealed && from.val instanceof Dict && from.val.version === this.version) from.val = c;
    return c;
  }

  /** The table is no longer one code runs in (the `with` that ran there is over). */
  unpin(): void {
    this.version.unpin();
  }

  /**
   * The table as a scope that may change in place (`with`, a member called
   * with dot notation): this dict's contents become its own first, so the
   * changes reach this dict and no other. The table is pinned: a version
   * derived from it later takes a copy, so the table never moves to another
   * version while code runs in it.
   */
  ownTable(): Scope {
    const v = this.version;
    if (v.live) return v.contents();
    if (!v.exclusive || v.table === null) this.version = new DictVersion(v.contents().copy(), true);
    this.version.pins++;
    return this.version.table!;
  }
}

/**
 * A dict pushed from code or from a name: a copy of it, so the dict the code
 * or the name holds is never the one on the stack, and changing one in place
 * (`with`, a member rebinding its siblings, the runtime filling keys in)
 * never shows through the other. A literal records `parent`, the scope it
 * was pushed in; a stored dict keeps the parent it had.
 */
export const copyLiteral = (d: Dict, parent: Scope | null = null): Dict => {
  const c = d.copy();
  if (d.literal) c.parent = parent;
  return c;
};

export type Quot = Value[];
export type Value = null | boolean | number | string | Flt | Sym | Cmd | Dict | Quot;


/** A quotation holding exactly one symbol, as `'foo` produces. */
export const isQuotedSym = (v: Value): v is [Sym] => Array.isArray(v) && v.length === 1 && v[0] instanceof Sym;

/** Strings and quoted symbols both name things (the `'sym` type). */
export const isStringLike = (v: Value): boolean => typeof v === 'string' || isQuotedSym(v);

/** The string of a string or quoted symbol. */
export const strOf = (v: Value): string => (typeof v === 'string' ? v : ((v as Quot)[0] as Sym).name);

/** The name `type` reports for a value. */
export function typeName(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'int';
    case 'string':
      return 'str';
  }
  if (Array.isArray(v)) return 'quot';
  if (v instanceof Flt) return 'flt';
  if (v instanceof Dict) return v.type ? `dict:${v.type}` : 'dict';
  if (v instanceof Sym) return 'sym';
  return 'cmd';
}
