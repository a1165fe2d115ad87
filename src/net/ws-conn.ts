// One WebSocket connection (either side) as a Conn. The `ws` package does
// the framing, masking, ping/pong answers and the close handshake; this keeps
// the received messages in a queue that `recv`, `recv-line` and
// `recv-message` take from in FIFO order, as the stream Inbox does for bytes.
// Text messages are decoded as UTF-8; binary ones (and ping/pong payloads)
// as latin1, one character per byte, so they go back out unchanged through
// `send-binary`.
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { MinError } from '../core/errors.js';
import { bounded, type Ms } from './bounded.js';
import { ReaderQueue } from './readers.js';
import { Readiness } from './readiness.js';
import { NET_ERROR, closedError, netError } from './errors.js';
import type { Address, Conn, Detail } from './transport.js';
import { lineTooLong } from './limits.js';

export type MessageType = 'text' | 'binary' | 'ping' | 'pong' | 'close';

export interface Message {
  type: MessageType;
  data: string;
  /** For close messages. */
  code?: number;
  reason?: string;
}

/** Unread bytes above which the connection stops reading while no reader waits. */
const HIGH_WATER = 1 << 20;
/** What an unread message costs besides its data, so empty pings count too. */
const OVERHEAD = 64;

const OPEN = 1;
const CONNECTING = 0;

type Want = 'data' | 'any';

/** ws's errors in words; the connection is closed by ws after each of them. */
function messageError(e: Error & { code?: string }, maxMessage: number): MinError {
  switch (e.code) {
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
      return new MinError(`message too big: the peer sent more than ${maxMessage} bytes (max-message), so the connection was closed with 1009`, NET_ERROR);
    case 'WS_ERR_INVALID_CLOSE_CODE':
      return new MinError(`the peer sent an invalid close code (${e.message}), so the connection was closed with 1002`, NET_ERROR);
    case 'WS_ERR_INVALID_UTF8':
      return new MinError('the peer sent a text message that is not valid UTF-8, so the connection was closed with 1007', NET_ERROR);
  }
  if (e.code?.startsWith('WS_ERR_')) return new MinError(`the peer broke the WebSocket protocol (${e.message}), so the connection was closed`, NET_ERROR);
  return netError('', e);
}

export class WsConn implements Conn {
  readonly kind = 'conn';
  onGone: (() => void) | null = null;
  private queue: Message[] = [];
  private head = 0;
  private queued = 0;
  private readonly readers = new ReaderQueue<Message>(() => this.flow());
  /** Whether a recv-message would not wait, for select (a ping counts: recv-message takes it). */
  private readonly readiness = new Readiness(() => this.head < this.queue.length || this.ending !== null || this.closed);
  /** The close message, once the connection is gone; every later read sees it again. */
  private ending: Message | null = null;
  private failure: MinError | null = null;
  private closed = false;
  private paused = false;
  /** Taken in by a listener and not yet accepted: not reading. */
  private held = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly raw: Socket,
    readonly peer: Address,
    readonly local: Address | null,
    maxMessage: number,
    /** What `accept` shows in the client dict: protocol, path, request headers. */
    private readonly shown: [string, Detail][] = [],
  ) {
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const b = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      this.push({ type: isBinary ? 'binary' : 'text', data: b.toString(isBinary ? 'latin1' : 'utf8') });
    });
    ws.on('ping', (b: Buffer) => this.push({ type: 'ping', data: b.toString('latin1') }));
    ws.on('pong', (b: Buffer) => this.push({ type: 'pong', data: b.toString('latin1') }));
    ws.on('error', (e: Error) => {
      this.failure ??= messageError(e, maxMessage);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      // 1006: the TCP connection ended without a close frame, perhaps in the
      // middle of a message. The readers hear about it as an error.
      if (code === 1006 && !this.closed) {
        this.failure ??= new MinError('the connection was lost: the peer went away without closing the WebSocket (1006)', NET_ERROR);
      }
      this.ending = { type: 'close', data: '', code, reason: reason.toString('utf8') };
      this.pump();
      this.onGone?.();
    });
  }

  details(): [string, Detail][] {
    return this.shown;
  }

  /** Stop reading until `accepted`: what a listener does while the connection waits in its queue. */
  hold(): void {
    this.held = true;
    this.ws.pause();
  }

  accepted(): void {
    if (!this.held) return;
    this.held = false;
    if (!this.paused && !this.closed) this.ws.resume();
  }

  private push(m: Message): void {
    if (this.closed) return;
    this.queue.push(m);
    this.queued += m.data.length + OVERHEAD;
    this.pump();
  }

  /** The next message a reader wants, or undefined to wait; throws when there will be none. */
  private take(want: Want): Message | undefined {
    if (this.closed) throw closedError();
    while (this.head < this.queue.length) {
      const m = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Message;
      this.queued -= m.data.length + OVERHEAD;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      // recv and recv-line only want data: pings and pongs go to recv-message.
      if (want === 'data' && (m.type === 'ping' || m.type === 'pong')) continue;
      return m;
    }
    if (this.failure) throw this.failure;
    return this.ending ?? undefined;
  }

  private next(want: Want, ms: Ms): Promise<Message> | Message {
    return this.readers.read(ms, 'waiting for a message', () => this.take(want));
  }

  private pump(): void {
    this.readers.pump();
    this.readiness.check();
  }

  whenReady(notify: () => void): () => void {
    return this.readiness.watch(notify);
  }

  /** Stop reading from the network while plenty waits unread and nobody reads. */
  private flow(): void {
    const want = this.readers.length > 0 || this.queued < HIGH_WATER || this.closed;
    if (want === !this.paused) return;
    this.paused = !want;
    if (want && !this.held) this.ws.resume();
    else this.ws.pause();
  }

  recv(n: number, ms: Ms): Promise<string> | string {
    if (n === 0) return '';
    return then(this.next('data', ms), (m) => (m.type === 'close' ? '' : m.data));
  }

  recvLine(ms: Ms, maxLine: number): Promise<string> | string {
    return then(this.next('data', ms), (m) => {
      if (m.type === 'close') return '';
      const s = m.data.endsWith('\n') ? m.data.slice(0, m.data.endsWith('\r\n') ? -2 : -1) : m.data;
      // A UTF-16 unit is at most 3 bytes of UTF-8: short text needs no count.
      if (s.length * 3 > maxLine && byteLength(s, m.type) > maxLine) throw lineTooLong(maxLine, 'a message', 'it was dropped');
      return s === '' ? '\r\n' : s;
    });
  }

  recvMessage(ms: Ms): Promise<Message> | Message {
    return this.next('any', ms);
  }

  send(data: string, ms: Ms): Promise<void> | void {
    return this.write(data, false, ms);
  }

  sendBytes(data: Buffer, ms: Ms): Promise<void> | void {
    return this.write(data, true, ms);
  }

  /** Fails unless messages can go out now. */
  private usable(): void {
    if (this.closed) throw closedError();
    if (this.ws.readyState !== OPEN) {
      if (this.failure) throw this.failure;
      const code = this.ending?.code;
      throw new MinError(`the peer has closed the WebSocket${code ? ` (${code})` : ''}`, NET_ERROR);
    }
  }

  private write(data: string | Buffer, binary: boolean, ms: Ms): Promise<void> | void {
    this.usable();
    const r = this.raw;
    const size = typeof data === 'string' ? data.length : data.length;
    // Little is waiting to go out: send and carry on (a failure shows on the
    // next operation). Otherwise wait until ws has handed it to the OS.
    if (r.writableLength + size <= r.writableHighWaterMark) {
      this.ws.send(data, { binary }, (e) => {
        if (e) this.failure ??= netError('', e);
      });
      return;
    }
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      this.ws.send(data, { binary }, (e) => (e ? reject(this.failure ?? netError('', e)) : resolve()));
    });
  }

  /**
   * Our server is stopping: start the close handshake (1001) but keep
   * reading, so that a reader sees the end of the connection once the peer
   * answers, as when the peer closes, rather than an error.
   */
  goingAway(reason: string): void {
    if (this.closed || this.ws.readyState !== OPEN) return;
    if (this.held) this.accepted();
    this.ws.close(1001, reason);
  }

  ping(): void {
    this.usable();
    this.ws.ping(undefined, undefined, (e) => {
      if (e) this.failure ??= netError('', e);
    });
  }

  /** Start the close handshake; the connection goes once the peer answers. */
  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.held = false;
    this.queue = [];
    this.head = this.queued = 0;
    this.readers.rejectAll(closedError());
    // The peer's close frame has to be read for the handshake to finish.
    this.flow();
    if (this.ws.readyState === CONNECTING) this.ws.terminate();
    else if (this.ws.readyState === OPEN) this.ws.close(code, reason);
    this.raw.unref();
  }

  /** The program is ending: tell the peer we are going away. */
  destroy(): void {
    if (this.ws.readyState === OPEN) this.close(1001, '');
    else {
      this.close();
      this.ws.terminate();
    }
  }
}

/** The size of a message's data on the wire: UTF-8 for text, a byte per character otherwise. */
const byteLength = (data: string, type: MessageType): number =>
  type === 'text' ? Buffer.byteLength(data, 'utf8') : data.length;

/** Apply `f` to a value that may still be coming. */
function then<T, U>(v: Promise<T> | T, f: (x: T) => U): Promise<U> | U {
  return v instanceof Promise ? v.then(f) : f(v);
}
