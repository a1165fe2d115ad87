// A listening stream socket. Connections are taken from Node as they come
// and wrapped at once (so their data and errors are caught), then handed to
// `accept` callers in arrival order.
import type { Server, Socket } from 'node:net';
import type { Ms } from './bounded.js';
import { AcceptQueue } from './accept-queue.js';
import type { Address, Conn, Listener } from './transport.js';

export class StreamListener implements Listener {
  readonly kind = 'listener';
  onGone: (() => void) | null = null;
  private readonly incoming: AcceptQueue;

  constructor(
    private readonly server: Server,
    readonly local: Address,
    /** Wraps an incoming socket as the Conn `accept` hands out. */
    wrap: (s: Socket) => Conn,
  ) {
    const incoming = (this.incoming = new AcceptQueue(server));
    server.on('connection', (s: Socket) => {
      if (incoming.closed) return void s.destroy();
      incoming.deliver(wrap(s));
    });
    server.on('error', (e) => incoming.fail(e));
    server.on('close', () => this.onGone?.());
  }

  accept(ms: Ms): Promise<Conn> {
    return this.incoming.accept(ms);
  }

  close(): void {
    if (this.incoming.closed) return;
    this.server.close();
    this.incoming.close();
  }

  destroy(): void {
    this.close();
  }
}
