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
    // Line protocols are request/response: send each write at once (no Nagle delay).
    if (typeof sock.setNoDelay === 'function' && sock.remoteFamily !== undefined) sock.setNoDelay(true);
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

  send(data: string, ms: Ms): Promise<void> | void {
    return this.write(data, ms);
  }

  sendBytes(data: Buffer, ms: Ms): Promise<void> | void {
    return this.write(data, ms);
  }

  private write(data: string | Buffer, ms: Ms): Promise<void> | void {
    if (this.closed) throw closedError();
    if (this.failure) throw this.failure;
    const s = this.sock;
    if (s.destroyed || !s.writable) throw peerGone();
    if (data.length === 0) return;
    // Below the socket's high-water mark the bytes are queued and we carry on
    // at once (a failure shows on the next operation); above it we wait until
    // they have been handed to the OS: that is the back-pressure.
    if (s.writableLength + data.length <= s.writableHighWaterMark) {
      // Sends made in one stretch of running (a loop answering buffered
      // lines) leave as one write: corked now, uncorked when the script waits.
      if (s.writableCorked === 0) {
        s.cork();
        process.nextTick(() => s.uncork());
      }
      s.write(data, 'utf8');
      return;
    }
    if (s.writableCorked > 0) s.uncork();
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      s.write(buf, (e) => (e ? reject(this.failure ?? netError('', e)) : resolve()));
    });
  }

  recv(n: number, ms: Ms): Promise<string> | string {
    return this.inbox.bytes(n, ms);
  }

  recvLine(ms: Ms): Promise<string> | string {
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
    // Sends still corked (see send) go out before the descriptor closes.
    while (this.sock.writableCorked > 0) this.sock.uncork();
    this.sock.destroy();
  }
}
