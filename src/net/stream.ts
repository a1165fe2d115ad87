// A connected byte stream (TCP or a unix socket): the Conn behind connect
// and accept. Received data goes into an Inbox; a reset or other failure is
// kept and raised once the data that came before it has been read.
import type { Socket } from 'node:net';
import { bounded, type Ms } from './bounded.js';
import { closedError, netError, peerGone } from './errors.js';
import { Inbox } from './inbox.js';
import { encodeText } from './utf8.js';
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

  /**
   * Text sent in this stretch of running, written as one string when the
   * script waits. Kept as a list and joined once: Node encodes a flat string
   * much faster than a rope built with +=.
   */
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly flushPending = (): void => {
    if (this.pendingLength === 0) return;
    const parts = this.pending;
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.sock.destroyed) this.sock.write(text, 'utf8');
  };

  private write(data: string | Buffer, ms: Ms): Promise<void> | void {
    if (this.closed) throw closedError();
    if (this.failure) throw this.failure;
    const s = this.sock;
    if (s.destroyed || !s.writable) throw peerGone();
    if (data.length === 0) return;
    // Below the socket's high-water mark the bytes are queued and we carry on
    // at once (a failure shows on the next operation); above it we wait until
    // they have been handed to the OS: that is the back-pressure. Text sent in
    // one stretch of running (a loop answering buffered lines) is joined and
    // leaves as one write when the script next waits.
    if (typeof data === 'string' && s.writableLength + this.pendingLength + data.length <= s.writableHighWaterMark) {
      if (this.pendingLength === 0) process.nextTick(this.flushPending);
      this.pending.push(data);
      this.pendingLength += data.length;
      return;
    }
    this.flushPending();
    if (s.writableLength + data.length <= s.writableHighWaterMark) {
      s.write(data);
      return;
    }
    const buf = typeof data === 'string' ? encodeText(data) : data;
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      s.write(buf, (e) => (e ? reject(this.failure ?? netError('', e)) : resolve()));
    });
  }

  whenReady(notify: () => void): () => void {
    return this.inbox.readiness.watch(notify);
  }

  accepted(): void {
    this.sock.resume();
  }

  recv(n: number, ms: Ms): Promise<string> | string {
    return this.inbox.bytes(n, ms);
  }

  recvLine(ms: Ms, maxLine: number): Promise<string> | string {
    return this.inbox.line(ms, maxLine);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.close();
    const s = this.sock;
    // Deliver what is already written, then let go of the descriptor; never
    // keep the program alive for it.
    this.flushPending();
    s.end(() => s.destroy());
    s.unref();
  }

  destroy(): void {
    this.closed = true;
    this.inbox.close();
    // Text still pending (see write) goes out before the descriptor closes.
    this.flushPending();
    this.sock.destroy();
  }
}
