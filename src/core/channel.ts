// Channels: how tasks hand values to each other. A channel holds up to
// `capacity` values; with capacity 0 a put waits until a get takes its value
// (a rendezvous). Putters and getters wait in arrival order, so values come
// out once each and in the order they went in. Closing lets the values
// already in go on being taken; after them a get gives null, and a put
// raises an error. Waits note how to withdraw themselves (interrupts.ts), so
// a cancelled or timed-out getter takes no value with it and a cancelled
// putter's value never arrives.
import { MinError } from './errors.js';
import { noteWait } from './interrupts.js';
import type { Value } from './values.js';

export const channelClosed = (): MinError => new MinError('cannot put a value into a closed channel', 'MinInvalidError');

interface Putter {
  value: Value;
  resolve(): void;
  reject(e: unknown): void;
}

interface Getter {
  resolve(v: Value): void;
  reject(e: unknown): void;
}

export class Channel {
  private buffer: Value[] = [];
  private head = 0;
  private readonly putters: Putter[] = [];
  private readonly getters: Getter[] = [];
  closed = false;
  /** Told once when a get would no longer wait (select). */
  private readonly watchers = new Set<() => void>();

  constructor(readonly capacity: number) {}

  /** Values buffered now. */
  get size(): number {
    return this.buffer.length - this.head;
  }

  put(v: Value): Promise<void> | void {
    if (this.closed) throw channelClosed();
    const g = this.getters.shift();
    if (g) return g.resolve(v);
    if (this.size < this.capacity) {
      this.buffer.push(v);
      this.notify();
      return;
    }
    const waiting = this.enqueue<void, Putter>(this.putters, (resolve, reject) => ({ value: v, resolve, reject }));
    this.notify();
    return waiting;
  }

  get(): Promise<Value> | Value {
    if (this.size > 0) {
      const v = this.take();
      // A waiting putter's value takes the place just freed.
      const p = this.putters.shift();
      if (p) {
        this.buffer.push(p.value);
        p.resolve();
      }
      return v;
    }
    const p = this.putters.shift();
    if (p) {
      p.resolve();
      return p.value;
    }
    if (this.closed) return null;
    return this.enqueue<Value, Getter>(this.getters, (resolve, reject) => ({ resolve, reject }));
  }

  /**
   * Waits in `queue` as the waiter `make` builds, until it is served or its
   * wait is withdrawn (cancel, a deadline): then it leaves the queue at once,
   * so it takes no value and gives none.
   */
  private enqueue<T, W extends { reject(e: unknown): void }>(
    queue: W[],
    make: (resolve: (v: T) => void, reject: (e: unknown) => void) => W,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let over = false;
      const waiter = make((v) => {
        over = true;
        resolve(v);
      }, reject);
      queue.push(waiter);
      noteWait((e) => {
        if (over) return false;
        queue.splice(queue.indexOf(waiter), 1);
        reject(e);
        return true;
      });
    });
  }

  private take(): Value {
    const v = this.buffer[this.head]!;
    this.buffer[this.head++] = null;
    if (this.head === this.buffer.length) {
      this.buffer = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  /** Close: waiting getters get null, waiting putters the error; closing again does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const g of this.getters.splice(0)) g.resolve(null);
    for (const p of this.putters.splice(0)) p.reject(channelClosed());
    this.notify();
  }

  /** Whether a get would not wait: a value is buffered or offered, or the channel is closed. */
  get ready(): boolean {
    return this.size > 0 || this.putters.length > 0 || this.closed;
  }

  /** Call `notify` once as soon as the channel is ready (at once if it is); returns how to stop watching. */
  whenReady(notify: () => void): () => void {
    if (this.ready) {
      notify();
      return () => {};
    }
    const once = () => {
      this.watchers.delete(once);
      notify();
    };
    this.watchers.add(once);
    return () => this.watchers.delete(once);
  }

  private notify(): void {
    if (!this.ready) return;
    for (const w of [...this.watchers]) w();
  }
}
