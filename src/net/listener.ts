// A listening stream socket. Connections are taken from Node as they come
// and wrapped at once (so their data and errors are caught), then handed to
// `accept` callers in arrival order.
import type { Server, Socket } from 'node:net';
import { bounded, type Ms } from './bounded.js';
import { closedError, netError } from './errors.js';
import type { Address, Conn, Listener } from './transport.js';

type Waiter = { resolve: (c: Conn) => void; reject: (e: unknown) => void };

export class StreamListener implements Listener {
  readonly kind = 'listener';
  onGone: (() => void) | null = null;
  private readonly queue: Conn[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: Error | null = null;
  private closed = false;

  constructor(
    private readonly server: Server,
    readonly local: Address,
    /** Wraps an incoming socket as the Conn `accept` hands out. */
    wrap: (s: Socket) => Conn,
  ) {
    server.on('connection', (s: Socket) => {
      if (this.closed) return void s.destroy();
      const c = wrap(s);
      const w = this.waiters.shift();
      if (w) w.resolve(c);
      else this.queue.push(c);
      this.hold();
    });
    server.on('error', (e) => {
      this.failure ??= netError('', e);
      for (const w of this.waiters.splice(0)) w.reject(this.failure);
    });
    server.on('close', () => this.onGone?.());
    this.hold();
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

  /** Keep the process alive only while someone waits in accept. */
  private hold(): void {
    if (this.waiters.length > 0) this.server.ref();
    else this.server.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const c of this.queue.splice(0)) c.close();
    for (const w of this.waiters.splice(0)) w.reject(closedError());
  }

  destroy(): void {
    this.close();
  }
}
