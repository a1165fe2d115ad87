// A connected byte stream (TCP or a unix socket): the Conn behind connect
// and accept. Received data goes into an Inbox; a reset or other failure is
// kept and raised once the data that came before it has been read.
import type { Socket } from 'node:net';
import { MinError } from '../core/errors.js';
import { bounded, type Ms } from './bounded.js';
import { AppliedOptions, noOptions, refuseOptions, type ConnOptions } from './conn-options.js';
import { NET_ERROR, closedError, netError, peerGone } from './errors.js';
import { Inbox } from './inbox.js';
import { os } from '../lib/builtins.js';
import { encodeForSend, release } from './send-buffers.js';
import type { Address, Conn } from './transport.js';

/**
 * Whether an end of stream was really a reset. When a reset comes with data,
 * libuv reads the data and reports the hang-up as an end of stream without
 * reading the error, so the end looks clean; but a TCP connection the peer
 * only half-closed still has its peer, and a reset one has none. (Node has
 * no public call for this: the check asks the socket's handle.)
 */
function resetAtEnd(sock: Socket, unix: boolean): boolean {
  // Once our FIN has gone, the peer's ends the connection, which then has no peer either.
  if (unix || sock.writableEnded) return false;
  const handle = (sock as unknown as { _handle?: { getpeername?: (out: object) => number } })._handle;
  return typeof handle?.getpeername === 'function' && handle.getpeername({}) === -os().constants.errno.ENOTCONN; // as libuv reports it
}

/**
 * Connections with text waiting to be written, flushed together once the
 * event loop has run every callback of this turn: the writes of many clients
 * then leave in one burst, and a peer woken by the first is still awake for
 * the rest (a write to a sleeping peer costs several times more).
 */
let flushing: Array<() => void> = [];
function flushAll(): void {
  const now = flushing;
  flushing = [];
  for (const flush of now) flush();
}
function flushSoon(flush: () => void): void {
  if (flushing.length === 0) setImmediate(flushAll);
  flushing.push(flush);
}

export class StreamConn implements Conn {
  readonly kind = 'conn';
  onGone: (() => void) | null = null;
  private readonly inbox: Inbox;
  private failure: Error | null = null;
  private closed = false;
  /** Given up to another layer (detach). */
  detached = false;
  /** `shutdown` sent our FIN: no more sending. */
  private shut = false;
  private readonly applied = new AppliedOptions();

  constructor(
    private readonly sock: Socket,
    readonly peer: Address,
    readonly local: Address | null,
    /** A unix socket, whose peer never resets. */
    readonly unix = false,
  ) {
    // Line protocols are request/response: send each write at once (no Nagle delay).
    if (typeof sock.setNoDelay === 'function' && sock.remoteFamily !== undefined) sock.setNoDelay(true);
    this.inbox = new Inbox((on) => (on ? sock.resume() : sock.pause()));
    sock.on('data', this.onData);
    sock.on('end', this.onEnd);
    sock.on('error', this.onError);
    sock.on('close', this.onClose);
  }

  private readonly onData = (b: Buffer): void => this.inbox.push(b);
  private readonly onEnd = (): void => {
    if (resetAtEnd(this.sock, this.unix)) {
      this.failure ??= netError('', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      this.inbox.fail(this.failure);
    } else this.inbox.end();
  };
  private readonly onError = (e: Error): void => {
    // A reset that comes with data (or while the socket is paused) destroys
    // the Node socket with that data still in its readable buffer: it goes
    // to the inbox first, so the script reads it before the error.
    const held = (this.sock as { readableBuffer?: Iterable<unknown> }).readableBuffer;
    if (held && typeof held[Symbol.iterator] === 'function') {
      for (const b of held) if (Buffer.isBuffer(b)) this.inbox.push(b);
    }
    this.failure ??= netError('', e);
    this.inbox.fail(this.failure);
  };
  private readonly onClose = (): void => {
    this.inbox.end();
    this.onGone?.();
  };

  /**
   * Let go of the Node socket without closing it, for another layer to take
   * over (starttls): pending output is written first, and the bytes that came
   * but were not read are handed back. This connection is closed from then on.
   */
  detach(): { socket: Socket; unread: Buffer } {
    if (this.closed) throw closedError();
    if (this.failure) throw this.failure;
    const s = this.sock;
    if (s.destroyed || !s.readable || !s.writable || this.shut) throw peerGone();
    this.flushPending();
    s.pause();
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('error', this.onError);
    s.off('close', this.onClose);
    this.closed = this.detached = true;
    return { socket: s, unread: this.inbox.takeAll() };
  }

  send(data: string, ms: Ms): Promise<void> | void {
    return this.write(data, ms);
  }

  sendBytes(data: Buffer, ms: Ms): Promise<void> | void {
    return this.write(data, ms);
  }

  /**
   * Text sent since the last flush, written as one string once the event
   * loop has run this turn (flushSoon). Kept as a list and joined once: Node
   * encodes a flat string much faster than a rope built with +=.
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
    if (this.shut) throw new MinError('the socket is shut down for sending (shutdown): it can only receive', NET_ERROR);
    if (this.failure) throw this.failure;
    const s = this.sock;
    if (s.destroyed || !s.writable) throw peerGone();
    if (data.length === 0) return;
    // Below the socket's high-water mark the bytes are queued and we carry on
    // at once (a failure shows on the next operation); above it we wait until
    // they have been handed to the OS: that is the back-pressure. Text sent
    // during one turn of the event loop (a loop answering buffered lines) is
    // joined and leaves as one write at the end of the turn.
    if (typeof data === 'string' && s.writableLength + this.pendingLength + data.length <= s.writableHighWaterMark) {
      if (this.pendingLength === 0) flushSoon(this.flushPending);
      this.pending.push(data);
      this.pendingLength += data.length;
      return;
    }
    this.flushPending();
    if (s.writableLength + data.length <= s.writableHighWaterMark) {
      s.write(data);
      return;
    }
    const { bytes, pooled } = typeof data === 'string' ? encodeForSend(data) : { bytes: data, pooled: null };
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      s.write(bytes, (e) => {
        if (e) return reject(this.failure ?? netError('', e));
        // The buffer goes back to the pool only once the OS has taken its bytes (never after a failure).
        release(pooled);
        resolve();
      });
    });
  }

  whenReady(notify: () => void): () => void {
    return this.inbox.readiness.watch(notify);
  }

  accepted(): void {
    this.sock.resume();
  }

  recv(n: number, ms: Ms): Promise<string> | string {
    return this.waitOn(this.inbox.bytes(n, ms));
  }

  recvLine(ms: Ms, maxLine: number): Promise<string> | string {
    return this.waitOn(this.inbox.line(ms, maxLine));
  }

  recvSome(n: number, ms: Ms): Promise<string> | string {
    return this.waitOn(this.inbox.some(n, ms));
  }

  recvAll(ms: Ms, maxBytes: number): Promise<string> | string {
    return this.waitOn(this.inbox.all(ms, maxBytes));
  }

  /** A read that waits says on what, for the end of the program (core/idle.ts). */
  private waitOn(r: Promise<string> | string): Promise<string> | string {
    if (typeof r !== 'string') (r as { waitsOn?: StreamConn }).waitsOn = this;
    return r;
  }

  /**
   * Where a TCP connection runs, and whether output is still on its way: two
   * connections of one program that point at each other, both read by tasks
   * with nothing in flight, can never be woken (core/idle.ts). Unix sockets
   * show the same file on both ends, so they cannot be paired: null.
   */
  ends(): { local: string; peer: string; writing: boolean } | null {
    if (this.unix || this.local === null || this.closed) return null;
    const s = this.sock;
    return {
      local: `${this.local.address}:${this.local.port}`,
      peer: `${this.peer.address}:${this.peer.port}`,
      writing: this.pendingLength > 0 || s.writableLength > 0 || s.connecting,
    };
  }

  /** Our FIN goes after what is already written; the peer sees the end, and we go on reading. */
  shutdown(): void {
    if (this.closed) throw closedError();
    if (this.shut) return;
    this.shut = true;
    this.flushPending();
    if (!this.sock.destroyed) this.sock.end();
  }

  configure(o: ConnOptions): void {
    if (noOptions(o)) return;
    refuseOptions(o, ['broadcast', 'multicast-ttl', 'multicast-loop'], 'is for datagram sockets (dgram), not streams');
    refuseOptions(o, ['ttl'], 'cannot be set on a stream socket: Node sets the IP time-to-live of datagram sockets only');
    const s = this.sock;
    if (s.destroyed) return;
    this.applied.changes(o, (k, v) => {
      if (k === 'nodelay') s.setNoDelay(v as boolean);
      else if (k === 'keepalive') s.setKeepAlive((v as number) > 0, v as number);
    });
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
