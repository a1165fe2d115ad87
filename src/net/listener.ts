// Listening sockets. Connections are taken from Node as they come and wrapped
// at once (so their data and errors are caught), then handed to `accept`
// callers in arrival order through an AcceptQueue.
import type { Server, Socket } from 'node:net';
import type { Ms } from './bounded.js';
import { AcceptQueue } from './accept-queue.js';
import type { Address, Conn, Listener } from './transport.js';

/** What every protocol's listener shares: the accept queue fed by a server, and its shutdown. */
export abstract class QueuedListener implements Listener {
  readonly kind = 'listener';
  onGone: (() => void) | null = null;
  protected readonly incoming: AcceptQueue;

  constructor(
    protected readonly server: Server,
    readonly local: Address,
  ) {
    const incoming = (this.incoming = new AcceptQueue(server));
    server.on('error', (e) => incoming.fail(e));
    server.on('close', () => this.onGone?.());
  }

  accept(ms: Ms): Promise<Conn> {
    return this.incoming.accept(ms);
  }

  whenReady(notify: () => void): () => void {
    return this.incoming.readiness.watch(notify);
  }

  close(): void {
    if (this.incoming.closed) return;
    this.server.close();
    this.closing();
    this.incoming.close();
  }

  /** What a protocol lets go of once the server stops taking connections. */
  protected closing(): void {}

  destroy(): void {
    this.close();
  }
}

/** A listening stream socket (TCP or unix). */
export class StreamListener extends QueuedListener {
  constructor(
    server: Server,
    local: Address,
    /** Wraps an incoming socket as the Conn `accept` hands out. */
    wrap: (s: Socket) => Conn,
  ) {
    super(server, local);
    server.on('connection', (s: Socket) => {
      if (this.incoming.closed) return void s.destroy();
      // Not read until accepted (StreamConn.accepted).
      s.pause();
      this.incoming.deliver(wrap(s));
    });
  }
}
