// The readers waiting on one connection, served in FIFO order: a read that
// can be answered from what is buffered (and has nobody queued before it) is
// answered at once without a Promise; otherwise it waits, bounded by the
// socket's timeout, until `pump` (called when data arrives or the connection
// ends) finds what it wants. A timed-out read leaves its place in the queue
// and the data stays for the next reader.
import type { Ms } from './bounded.js';
import { WaitQueue } from './wait-queue.js';

/** A reader's look at the buffer: the answer if it is there now, undefined to keep waiting; may throw. */
type Take<T> = () => T | undefined;

export class ReaderQueue<T> {
  private readonly waiting: WaitQueue<T, Take<T>>;

  /** `changed` runs whenever readers come or go (the connection's flow control). */
  constructor(private readonly changed: () => void) {
    this.waiting = new WaitQueue(changed);
  }

  get length(): number {
    return this.waiting.length;
  }

  read(ms: Ms, doing: string, take: Take<T>): Promise<T> | T {
    if (this.waiting.length === 0) {
      const v = take();
      if (v !== undefined) {
        this.changed();
        return v;
      }
    }
    return this.waiting.wait(ms, doing, take);
  }

  /** Answer waiting readers in order for as long as they can be answered. */
  pump(): void {
    for (let take = this.waiting.firstWant(); take !== undefined; take = this.waiting.firstWant()) {
      let v: T | undefined;
      try {
        v = take();
      } catch (e) {
        this.waiting.rejectFirst(e);
        continue;
      }
      if (v === undefined) break;
      this.waiting.resolveFirst(v);
    }
    this.changed();
  }

  rejectAll(e: unknown): void {
    this.waiting.rejectAll(e);
  }
}
