// The accepting half of a listener, shared by every protocol: connections
// that arrived before anyone called `accept` wait in a queue, callers that
// arrived first wait for a connection, both in arrival order. The server is
// kept referenced (keeping the process alive) only while someone waits.
import type { Ms } from './bounded.js';
import { closedError, netError } from './errors.js';
import type { MinError } from '../core/errors.js';
import type { Conn } from './transport.js';
import { WaitQueue } from './wait-queue.js';
import { Readiness } from './readiness.js';

/** Connections kept waiting for accept; more are closed at once, as a full backlog refuses them. */
export const MAX_PENDING = 1024;

interface Holdable {
  ref(): unknown;
  unref(): unknown;
}

export class AcceptQueue {
  /** Clients in arrival order, and in their places the errors of those that failed to arrive. */
  private readonly queue: (Conn | MinError)[] = [];
  private readonly waiting = new WaitQueue<Conn>(() => this.hold());
  private failure: Error | null = null;
  closed = false;
  /** Whether an accept would not wait, for select. */
  readonly readiness = new Readiness(() => this.queue.length > 0 || this.closed || this.failure !== null);

  constructor(private readonly server: Holdable) {
    this.hold();
  }

  /** A new connection: to the first waiting caller, or queued. */
  deliver(c: Conn): void {
    if (!this.waiting.resolveFirst(c)) {
      if (this.queue.length < MAX_PENDING) this.queue.push(c);
      else c.destroy();
    }
    this.hold();
    this.readiness.check();
  }

  /**
   * A client that failed before it could be accepted (its TLS handshake): the
   * accept that would have had it raises `e`, and the next one gets the next client.
   */
  refuse(e: MinError): void {
    if (!this.waiting.rejectFirst(e) && this.queue.length < MAX_PENDING) this.queue.push(e);
    this.hold();
  }

  /** The server failed: waiting callers and later ones get the error. */
  fail(e: Error): void {
    this.failure ??= netError('', e);
    this.waiting.rejectAll(this.failure);
    this.readiness.check();
  }

  accept(ms: Ms): Promise<Conn> {
    if (this.closed) return Promise.reject(closedError());
    if (this.failure) return Promise.reject(this.failure);
    const ready = this.queue.shift();
    if (ready instanceof Error) return Promise.reject(ready);
    if (ready) return Promise.resolve(ready);
    return this.waiting.wait(ms, 'waiting for a connection').finally(() => this.hold());
  }

  /** Close queued connections and fail waiting callers. */
  close(): void {
    this.closed = true;
    for (const c of this.queue.splice(0)) if (!(c instanceof Error)) c.close();
    this.waiting.rejectAll(closedError());
    this.readiness.check();
  }

  private hold(): void {
    if (this.waiting.length > 0) this.server.ref();
    else this.server.unref();
  }
}
