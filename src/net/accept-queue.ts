// The accepting half of a listener, shared by every protocol: connections
// that arrived before anyone called `accept` wait in a queue, callers that
// arrived first wait for a connection, both in arrival order. The server is
// kept referenced (keeping the process alive) only while someone waits.
import { bounded, type Ms } from './bounded.js';
import { closedError, netError } from './errors.js';
import type { Conn } from './transport.js';

type Waiter = { resolve: (c: Conn) => void; reject: (e: unknown) => void };

/** Connections kept waiting for accept; more are closed at once, as a full backlog refuses them. */
export const MAX_PENDING = 1024;

interface Holdable {
  ref(): unknown;
  unref(): unknown;
}

export class AcceptQueue {
  private readonly queue: Conn[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: Error | null = null;
  closed = false;

  constructor(private readonly server: Holdable) {
    this.hold();
  }

  /** A new connection: to the first waiting caller, or queued. */
  deliver(c: Conn): void {
    const w = this.waiters.shift();
    if (w) w.resolve(c);
    else if (this.queue.length < MAX_PENDING) this.queue.push(c);
    else c.destroy();
    this.hold();
  }

  /** The server failed: waiting callers and later ones get the error. */
  fail(e: Error): void {
    this.failure ??= netError('', e);
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  accept(ms: Ms): Promise<Conn> {
    if (this.closed) return Promise.reject(closedError());
    if (this.failure) return Promise.reject(this.failure);
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    return bounded<Conn>(ms, 'waiting for a connection', (w) => {
      this.waiters.push(w);
      this.hold();
      return () => {
        const k = this.waiters.indexOf(w);
        if (k >= 0) this.waiters.splice(k, 1);
        this.hold();
      };
    }).finally(() => this.hold());
  }

  /** Close queued connections and fail waiting callers. */
  close(): void {
    this.closed = true;
    for (const c of this.queue.splice(0)) c.close();
    for (const w of this.waiters.splice(0)) w.reject(closedError());
  }

  private hold(): void {
    if (this.waiters.length > 0) this.server.ref();
    else this.server.unref();
  }
}
