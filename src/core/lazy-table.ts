// A symbol table whose standard entries are made when first asked for.
//
// The global scope and the module dicts start with about 900 entries for
// the standard operators. Making them all was the largest part of
// createRuntime, 1.5-2 ms of every start-up, while a script calls a few
// dozen operators. A LazyTable answers exactly as the full table would:
// `get` and `has` make the entry of a name they are asked for, and anything
// that lists or counts the table (keys, size, iteration, forEach) makes all
// of them first, in the order the full table would have them. A name the
// program deletes before its entry was made stays deleted.
import type { Entry } from './scope.js';

/** The standard entries of a table, made one at a time. */
export interface EntrySource {
  /** The entry `name` starts with, or undefined when it has none. */
  entry(name: string): Entry | undefined;
  /** Every name that has an entry, in the order the full table lists them. */
  names(): Iterable<string>;
}

export class LazyTable extends Map<string, Entry> {
  /** Null once every standard entry is made (or settled). */
  private source: EntrySource | null;
  /** Names the program deleted while their standard entry was not made yet. */
  private deleted: Set<string> | null = null;

  constructor(source: EntrySource) {
    super();
    this.source = source;
  }

  override get(name: string): Entry | undefined {
    const e = super.get(name);
    if (e !== undefined || this.source === null) return e;
    return this.make(name);
  }

  override has(name: string): boolean {
    return super.has(name) || (this.source !== null && this.make(name) !== undefined);
  }

  override delete(name: string): boolean {
    const had = this.has(name);
    if (this.source !== null) (this.deleted ??= new Set()).add(name);
    super.delete(name);
    return had;
  }

  override get size(): number {
    this.makeAll();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.makeAll();
    return super.keys();
  }

  override values(): MapIterator<Entry> {
    this.makeAll();
    return super.values();
  }

  override entries(): MapIterator<[string, Entry]> {
    this.makeAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Entry]> {
    return this.entries();
  }

  override forEach(fn: (e: Entry, name: string, table: Map<string, Entry>) => void, self?: unknown): void {
    this.makeAll();
    super.forEach(fn, self);
  }

  private make(name: string): Entry | undefined {
    if (this.deleted?.has(name)) return undefined;
    const e = this.source!.entry(name);
    if (e !== undefined) super.set(name, e);
    return e;
  }

  /**
   * Every standard entry, the table then ordered as the full one would be:
   * the standard names first in their own order (one the program redefined
   * keeps its place, as Map.set keeps it), then the program's own.
   */
  private makeAll(): void {
    const source = this.source;
    if (source === null) return;
    this.source = null;
    const made = new Map(super.entries());
    super.clear();
    for (const name of source.names()) {
      if (this.deleted?.has(name)) continue;
      const e = made.get(name) ?? source.entry(name);
      if (e === undefined) continue;
      super.set(name, e);
      made.delete(name);
    }
    for (const [name, e] of made) super.set(name, e);
    this.deleted = null;
  }
}
