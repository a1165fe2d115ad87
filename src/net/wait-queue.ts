// Callers waiting on a socket, answered in arrival order. Each wait is
// bounded by the socket's time limit; one that expires leaves its place in
// the queue and takes nothing with it, so what arrives later goes to the
// next caller. The accept queue, datagram sockets and stream readers all
// wait through this one queue.
import { bounded, type Ms, type Settle } from './bounded.js';

interface Waiter<T, Want> {
  settle: Settle<T>;
  /** What this caller waits for (a reader's test of the buffer), if the queue needs to know. */
  want: Want;
}

export class WaitQueue<T, Want = undefined> {
  private waiters: Waiter<T, Want>[] = [];

  /** `changed` runs whenever a caller comes or goes (the socket's flow control). */
  constructor(private readonly changed: () => void = () => {}) {}

  get length(): number {
    return this.waiters.length;
  }

  /** Wait, at most `ms`, until a value is handed to this caller; `doing` completes "timed out after N ms ...". */
  wait(ms: Ms, doing: string, ...want: Want extends undefined ? [] : [Want]): Promise<T> {
    return bounded<T>(ms, doing, (settle) => {
      const w: Waiter<T, Want> = { settle, want: want[0] as Want };
      this.waiters.push(w);
      this.changed();
      return () => {
        const k = this.waiters.indexOf(w);
        if (k >= 0) this.waiters.splice(k, 1);
        this.changed();
      };
    });
  }

  /** What the first caller waits for (undefined when nobody waits). */
  firstWant(): Want | undefined {
    return this.waiters[0]?.want;
  }

  /** Hand `v` to the first caller; false when nobody waits. */
  resolveFirst(v: T): boolean {
    const w = this.waiters.shift();
    if (!w) return false;
    w.settle.resolve(v);
    return true;
  }

  /** Fail the first caller; false when nobody waits. */
  rejectFirst(e: unknown): boolean {
    const w = this.waiters.shift();
    if (!w) return false;
    w.settle.reject(e);
    return true;
  }

  rejectAll(e: unknown): void {
    for (const w of this.waiters.splice(0)) w.settle.reject(e);
  }
}
