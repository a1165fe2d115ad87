// Dicts are values: a change made through one copy of a dict is never seen
// through another. Copies must still be cheap, because `d v "k" dset @d`
// (push a copy, change it, rebind the name) is how min programs update a
// dict, often in a loop. So the contents are kept as versions sharing one
// table (Baker's trick, as in persistent arrays): one version of a family,
// the root, holds the table; every other version records how it differs
// from the next one towards the root (one key). Deriving a new version from
// the root is O(1): the new version takes the table, changed, and the old
// one becomes a difference. Reading another version first moves the table
// to it (rerooting), undoing the differences on the way; a version too far
// from the root gets a table of its own instead, so two copies far apart
// never make each other's reads slow.
import type { Entry, Scope } from './scope.js';

/** One version of a dict's contents. */
export class DictVersion {
  /** The table, held by the root of the family only. */
  table: Scope | null;
  /** Not the root: equal to `next` with `key` set to `entry` (removed when undefined); no key: equal to `next`. */
  next: DictVersion | null = null;
  key: string | null = null;
  entry: Entry | undefined = undefined;
  /**
   * No other version derives from this one and one Dict holds it: its table
   * may change in place (a dict being filled, the scope `with` runs in).
   */
  exclusive: boolean;
  /**
   * How many runs of code (`with`, a dot member) are in this table now: while
   * any is, it never moves to another version, which takes a copy instead.
   * A count, because a member called inside `with` (or inside another member)
   * of the same dict runs in the same table and ends first.
   */
  pins = 0;
  /**
   * What a reader worked out from these contents (a socket's settings, read
   * on every send and recv-line), kept with them: a version that is neither
   * exclusive nor live never changes (every change makes a new version), so
   * the reader may trust it for as long as the version lives. See `frozen`.
   */
  derived: unknown = undefined;

  /** These contents can no longer change: what is worked out from them stays true. */
  get frozen(): boolean {
    return !this.exclusive && !this.live;
  }

  get pinned(): boolean {
    return this.pins > 0;
  }

  /** One run of code in this table is over. */
  unpin(): void {
    if (this.pins > 0) this.pins--;
  }

  constructor(
    table: Scope,
    exclusive: boolean,
    /** The table is a scope the program runs in (`scope`, `global`, a module): it never moves to another version. */
    readonly live = false,
  ) {
    this.table = table;
    this.exclusive = exclusive;
  }

  /** The table with this version's contents, moved here first if need be. */
  contents(): Scope {
    return this.table ?? reroot(this);
  }

  /** A new version: this one's contents with `key` set to `entry` (removed when undefined); this one keeps its own. */
  derive(key: string, entry: Entry | undefined): DictVersion {
    const table = this.contents();
    if (this.live || this.pinned) {
      // The program's own scope, or a table code runs in, stays where it is: the new version is a copy.
      const own = table.copy();
      change(own, key, entry);
      return new DictVersion(own, true);
    }
    const next = new DictVersion(table, false);
    this.table = null;
    this.next = next;
    this.key = key;
    this.entry = table.get(key);
    this.exclusive = false;
    change(table, key, entry);
    return next;
  }
}

function change(table: Scope, key: string, entry: Entry | undefined): void {
  if (entry === undefined) table.delete(key);
  else table.set(key, entry);
}

/** Past this many steps beyond the table's size, a version gets a table of its own rather than taking the shared one. */
const REROOT_SLACK = 16;

/** Move the family's table to `v`, turning the differences on the way around. */
function reroot(v: DictVersion): Scope {
  const path: DictVersion[] = [];
  let root = v;
  while (root.table === null) {
    path.push(root);
    root = root.next!;
  }
  const table = root.table;
  if (path.length > table.size + REROOT_SLACK) {
    // Far from the root: a copy with the differences applied, nearest the root first.
    const own = table.copy();
    for (let k = path.length - 1; k >= 0; k--) {
      const step = path[k]!;
      if (step.key !== null) change(own, step.key, step.entry);
    }
    v.table = own;
    v.next = null;
    v.key = null;
    v.entry = undefined;
    return own;
  }
  // Nearest the root first: each step makes the table hold `cur`'s contents
  // and leaves `after` (the previous holder) as the difference back.
  let after = root;
  for (let k = path.length - 1; k >= 0; k--) {
    const cur = path[k]!;
    const key = cur.key;
    after.table = null;
    after.next = cur;
    after.key = key;
    if (key !== null) {
      after.entry = table.get(key);
      change(table, key, cur.entry);
    } else after.entry = undefined;
    cur.table = table;
    cur.next = null;
    cur.key = null;
    cur.entry = undefined;
    after = cur;
  }
  return table;
}
