// The readers waiting on one connection, served in FIFO order: a read that
// can be answered from what is buffered (and has nobody queued before it) is
// answered at once without a Promise; otherwise it waits, bounded by the
// socket's timeout, until `pump` (called when data arrives or the connection
// ends) finds what it wants. A timed-out read leaves its place in the queue
// and the data stays for the next reader.
import { bounded, type Ms, type Settle } from './bounded.js';

interface Reader<T> {
  /** The answer if it is there now, undefined to keep waiting; may throw. */
  take: () => T | undefined;
  settle: Settle<T>;
}

export class ReaderQueue<T> {
  private readers: Reader<T>[] = [];

  /** `changed` runs whenever readers come or go (the connection's flow control). */
  constructor(private readonly changed: () => void) {}

  get length(): number {
    return this.readers.length;
  }

  read(ms: Ms, doing: string, take: () => T | undefined): Promise<T> | T {
    if (this.readers.length === 0) {
      const v = take();
      if (v !== undefined) {
        this.changed();
        return v;
      }
    }
    return bounded<T>(ms, doing, (settle) => {
      const r: Reader<T> = { take, settle };
      this.readers.push(r);
      this.changed();
      return () => {
        const k = this.readers.indexOf(r);
        if (k >= 0) this.readers.splice(k, 1);
        this.changed();
      };
    });
  }

  /** Answer waiting readers in order for as long as they can be answered. */
  pump(): void {
    while (this.readers.length > 0) {
      const r = this.readers[0]!;
      let v: T | undefined;
      try {
        v = r.take();
        if (v === undefined) break;
      } catch (e) {
        this.readers.shift();
        r.settle.reject(e);
        continue;
      }
      this.readers.shift();
      r.settle.resolve(v);
    }
    this.changed();
  }

  rejectAll(e: unknown): void {
    for (const r of this.readers.splice(0)) r.settle.reject(e);
  }
}
