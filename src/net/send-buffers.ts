// Buffers that large sends encode their text into, reused once the OS has
// taken the bytes. A fresh buffer of a megabyte or more is memory the kernel
// has to map and zero page by page (about a quarter of a 100 MB transfer's
// time went to those page faults); a reused one is already mapped. The pool
// is shared by every connection and bounded in count and size, so idle
// connections keep nothing and the memory held stays small.
/** Buffers kept for reuse, and the largest one worth keeping. */
const KEPT = 4;
const LARGEST = 4 * 1024 * 1024;
const free: Buffer[] = [];

/** The bytes of `text` to write, and the buffer to give back (release) once written; null: not from the pool. */
export interface Encoded {
  bytes: Buffer;
  pooled: Buffer | null;
}

/** `text` as UTF-8 (pure ASCII copied as Latin-1, several times faster), in a pooled buffer when one fits. */
export function encodeForSend(text: string): Encoded {
  const size = Buffer.byteLength(text, 'utf8');
  const ascii = size === text.length;
  if (size > LARGEST) return { bytes: Buffer.from(text, ascii ? 'latin1' : 'utf8'), pooled: null };
  const k = free.findIndex((b) => b.length >= size);
  const pooled = k >= 0 ? free.splice(k, 1)[0]! : Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024));
  const n = pooled.write(text, 0, size, ascii ? 'latin1' : 'utf8');
  return { bytes: pooled.subarray(0, n), pooled };
}

/** The OS has taken the bytes written from `pooled`: it may be used again. */
export function release(pooled: Buffer | null): void {
  if (pooled === null) return;
  if (free.length < KEPT) free.push(pooled);
  else {
    // Keep the larger ones: they fit more sends.
    let smallest = 0;
    for (let k = 1; k < free.length; k++) if (free[k]!.length < free[smallest]!.length) smallest = k;
    if (free[smallest]!.length < pooled.length) free[smallest] = pooled;
  }
}
