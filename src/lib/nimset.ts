// The hash sets min's set operators are built on (Nim's HashSet), so that
// union, intersection, difference and symmetric-difference list their items
// in the same order as min: Nim's hash of a value is MurmurHash3 (32 bits,
// seed 0) of the value as min writes it, slots are found by linear probing
// in a power-of-two table, deletion shifts entries back, and a set lists its
// items in slot order. The reference's own examples come out exactly.
// The set is generic: whoever makes one says how a value is written.

const enc = new TextEncoder();

function murmur3(s: string): number {
  const data = enc.encode(s);
  const n = data.length;
  let h = 0;
  const rounded = n & ~3;
  for (let i = 0; i < rounded; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const t = n & 3;
  if (t >= 3) k ^= data[rounded + 2]! << 16;
  if (t >= 2) k ^= data[rounded + 1]! << 8;
  if (t >= 1) {
    k ^= data[rounded]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0 || 314159265; // Nim never uses 0, which marks an empty slot
}

/** Nim's slotsNeeded: room for `count` items at a comfortable load. */
const slotsNeeded = (count: number): number => {
  let n = 1;
  while (n < Math.floor((count * 3) / 2) + 4) n *= 2;
  return n;
};

interface Slot<T> {
  hash: number;
  key: string;
  value: T;
}

export class NimSet<T> {
  private data: (Slot<T> | undefined)[];
  private counter = 0;

  /** `written` gives the text a value is hashed and compared by (min's `$` of it). */
  constructor(
    private readonly written: (v: T) => string,
    initialSize = 64,
  ) {
    this.data = new Array(slotsNeeded(initialSize));
  }

  static of<T>(written: (v: T) => string, items: readonly T[]): NimSet<T> {
    const s = new NimSet(written, items.length);
    for (const v of items) s.incl(v);
    return s;
  }

  private find(key: string, hash: number): number {
    const mask = this.data.length - 1;
    let i = hash & mask;
    for (;;) {
      const e = this.data[i];
      if (e === undefined) return -1 - i;
      if (e.hash === hash && e.key === key) return i;
      i = (i + 1) & mask;
    }
  }

  has(v: T): boolean {
    const key = this.written(v);
    return this.find(key, murmur3(key)) >= 0;
  }

  /** Add v; true if it was there already (Nim's containsOrIncl). */
  incl(v: T): boolean {
    const key = this.written(v);
    const hash = murmur3(key);
    if (this.find(key, hash) >= 0) return true;
    const len = this.data.length;
    if (len * 2 < this.counter * 3 || len - this.counter < 4) this.enlarge();
    const at = -1 - this.find(key, hash);
    this.data[at] = { hash, key, value: v };
    this.counter++;
    return false;
  }

  /** Remove v, shifting later entries of the same run back (Nim's excl). */
  excl(v: T): void {
    const key = this.written(v);
    let i = this.find(key, murmur3(key));
    if (i < 0) return;
    const mask = this.data.length - 1;
    this.data[i] = undefined;
    this.counter--;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = this.data[j];
      if (e === undefined) return;
      const r = e.hash & mask;
      // Move e into the hole unless its home lies cyclically in (i, j].
      if ((i <= j && (r <= i || r > j)) || (i > j && r <= i && r > j)) {
        this.data[i] = e;
        this.data[j] = undefined;
        i = j;
      }
    }
  }

  private enlarge(): void {
    const old = this.data;
    this.data = new Array(old.length * 2);
    const mask = this.data.length - 1;
    for (const e of old) {
      if (e === undefined) continue;
      let i = e.hash & mask;
      while (this.data[i] !== undefined) i = (i + 1) & mask;
      this.data[i] = e;
    }
  }

  get slots(): number {
    return this.data.length;
  }

  /** The items in slot order, as iterating a Nim HashSet gives them. */
  items(): T[] {
    const out: T[] = [];
    for (const e of this.data) if (e !== undefined) out.push(e.value);
    return out;
  }
}

/** min's set operators, each with its items in the order Nim's sets give them. */
export function union<T>(written: (v: T) => string, a: readonly T[], b: readonly T[]): T[] {
  const r = NimSet.of(written, a);
  for (const v of NimSet.of(written, b).items()) r.incl(v);
  return r.items();
}

export function intersection<T>(written: (v: T) => string, a: readonly T[], b: readonly T[]): T[] {
  const s1 = NimSet.of(written, a);
  const s2 = NimSet.of(written, b);
  const r = new NimSet(written, Math.max(Math.min(s1.slots, s2.slots), 2));
  const [small, big] = s1.slots < s2.slots ? [s1, s2] : [s2, s1];
  for (const v of small.items()) if (big.has(v)) r.incl(v);
  return r.items();
}

export function difference<T>(written: (v: T) => string, a: readonly T[], b: readonly T[]): T[] {
  const s2 = NimSet.of(written, b);
  const r = new NimSet(written);
  for (const v of NimSet.of(written, a).items()) if (!s2.has(v)) r.incl(v);
  return r.items();
}

export function symmetricDifference<T>(written: (v: T) => string, a: readonly T[], b: readonly T[]): T[] {
  const r = NimSet.of(written, a);
  for (const v of NimSet.of(written, b).items()) if (r.incl(v)) r.excl(v);
  return r.items();
}
