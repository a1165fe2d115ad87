// A connected byte stream (TCP or a unix socket): the Conn behind connect
// and accept. Received data goes into an Inbox; a reset or other failure is
// kept and raised once the data that came before it has been read.
import type { Socket } from 'node:net';
import { bounded, type Ms } from './bounded.js';
import { closedError, netError, peerGone } from './errors.js';
import { Inbox } from './inbox.js';
import type { Address, Conn } from './transport.js';

export class StreamConn implements Conn {
  readonly kind = 'conn';
  onGone: (() => void) | null = null;
  private readonly inbox: Inbox;
  private failure: Error | null = null;
  private closed = false;

  constructor(
    private readonly sock: Socket,
    readonly peer: Address,
    readonly local: Address | null,
  ) {
    this.inbox = new Inbox((on) => (on ? sock.resume() : sock.pause()));
    sock.on('data', (b: Buffer) => this.inbox.push(b));
    sock.on('end', () => this.inbox.end());
    sock.on('error', (e) => {
      this.failure ??= netError('', e);
      this.inbox.fail(this.failure);
    });
    sock.on('close', () => {
      this.inbox.end();
      this.onGone?.();
    });
  }

  send(data: string, ms: Ms): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (this.failure) return Promise.reject(this.failure);
    const s = this.sock;
    if (s.destroyed || !s.writable) return Promise.reject(peerGone());
    if (data === '') return Promise.resolve();
    const buf = Buffer.from(data, 'utf8');
    // Settles when Node has handed the bytes to the OS: that is the back-pressure.
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      s.write(buf, (e) => (e ? reject(this.failure ?? netError('', e)) : resolve()));
    });
  }

  recv(n: number, ms: Ms): Promise<string> {
    return this.inbox.bytes(n, ms);
  }

  recvLine(ms: Ms): Promise<string> {
    return this.inbox.line(ms);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.close();
    const s = this.sock;
    // Deliver what is already written, then let go of the descriptor; never
    // keep the program alive for it.
    s.end(() => s.destroy());
    s.unref();
  }

  destroy(): void {
    this.closed = true;
    this.inbox.close();
    this.sock.destroy();
  }
}
