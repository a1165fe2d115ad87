// A socket as the net operators use it: its options, its transport, and the
// endpoint it has become (listener or connection). Every endpoint is
// registered with the program's resources, so the program's end closes it.
// The operators work on socket dicts; ops/adapt/socket-dict.ts reads their
// keys into the plain arguments taken here and writes the results back.
import { MinError } from '../core/errors.js';
import './protocols.js';
import type { Ms } from './bounded.js';
import { NET_ERROR, closedError } from './errors.js';
import { recvTooBig } from './limits.js';
import type { ConnOptions } from './conn-options.js';
import { socketOptions, type SocketRequest } from './options.js';
import type { Address, Conn, Detail, Endpoint, SocketKeys, SocketOptions, Transport } from './transport.js';
import { WsConn, type Message } from './ws-conn.js';
import { DgramConn, type Received } from './udp.js';
import { resolveHost } from './resolve.js';
import { encodeText } from './utf8.js';
import { checkClose } from './ws-keys.js';
import { StreamConn } from './stream.js';
import { startTls } from './tls.js';
import type { TlsRole, TlsSettings } from './tls-options.js';
import { Readiness } from './readiness.js';

/**
 * How a socket's settings are read when an operation starts (a script may
 * change them between operations), after the operation's own checks: from
 * `source`, the socket dict, which net hands back without looking into it.
 */
export interface SocketSettings<S> {
  /** The time limit of one operation. */
  timeout(source: S): Ms;
  /** The longest line recv-line waits for, in bytes (see limits.ts). */
  maxLine(source: S): number;
  /** The most bytes one recv may ask for. */
  maxRecv(source: S): number;
  /** The most bytes recv-all keeps. */
  maxBytes(source: S): number;
  /** The option keys (nodelay, keepalive, ttl...), applied whenever an operation starts. */
  options(source: S): ConnOptions;
}

/** Where a connection runs from and to, as connect and accept report it. */
export interface Ends {
  peer: Address;
  local: Address | null;
}

/** Where a program's open endpoints are kept until they close (the Runtime's resources). */
export interface Resources {
  add(r: { destroy(): void }): unknown;
  delete(r: { destroy(): void }): unknown;
}

/** The default address to listen on: all interfaces of the domain. */
const ANY = { ipv4: '0.0.0.0', ipv6: '::', unix: '' };

/** What `accept` tells the client socket about its connection. */
export interface Accepted extends Ends {
  details: [string, Detail][];
}

export class Socket {
  endpoint: Endpoint | null = null;
  closed = false;
  /** The host name `connect` was given: what starttls checks the certificate against. */
  private host: string | null = null;

  constructor(
    readonly options: SocketOptions,
    readonly transport: Transport,
    private readonly resources: Resources,
  ) {}

  /** A socket of the domain, type and protocol asked for, validated and with defaults filled in. */
  static open(given: SocketRequest, resources: Resources): Socket {
    const { options, transport } = socketOptions(given);
    return new Socket(options, transport, resources);
  }

  /** A connection made elsewhere (an HTTP server's WebSocket upgrade, a response writer) becomes the socket's. */
  adopt(conn: Conn): void {
    this.endpoint = conn;
    this.track(conn);
  }

  /** The endpoint, failing when the socket was closed. */
  open(): Endpoint | null {
    if (this.closed) throw closedError();
    return this.endpoint;
  }

  get listening(): boolean {
    return this.endpoint?.kind === 'listener';
  }

  /** Listen on `address` (null: every interface) and `port`; resolves with the address it got. */
  async listen<S>(address: string | null, port: number, keys: SocketKeys, settings: SocketSettings<S>, source: S): Promise<Address> {
    const current = this.open();
    const domain = this.options.domain;
    const at = address ?? ANY[domain];
    if (domain === 'unix' && at === '') {
      throw new MinError('A unix socket listens on a file: give its path as address', NET_ERROR);
    }
    const options = settings.options(source);
    const ep = await this.transport.listen(this.options, current, at, domain === 'unix' ? 0 : port, keys);
    const local = this.settle(ep, current, 'started listening', ep.local!);
    // A bound datagram socket takes its options now; a listener's are its clients' (accept).
    if (ep.kind === 'conn') ep.configure?.(options);
    return local;
  }

  /** Connect to `host` and `port`; resolves with the peer's address and ours. */
  async connect<S>(host: string, port: number, settings: SocketSettings<S>, source: S, keys: SocketKeys): Promise<Ends> {
    const current = this.open();
    if (host === '') throw new MinError('cannot connect: empty host name', NET_ERROR);
    // Bad option keys fail before anything is opened.
    const options = settings.options(source);
    const conn = await this.transport.connect(this.options, current, host, this.options.domain === 'unix' ? 0 : port, settings.timeout(source), keys);
    this.host = this.options.domain === 'unix' ? null : host;
    const peer = this.settle(conn, current, 'was connecting', conn.peer!);
    conn.configure?.(options);
    return { peer, local: conn.local };
  }

  /** What the connection shows in the socket dict besides address and port (a `tls` dict...). */
  details(): [string, Detail][] {
    const ep = this.endpoint;
    return ep?.kind === 'conn' ? (ep.details?.() ?? []) : [];
  }

  /**
   * `starttls`: the connection goes on over TLS, as `role`. A handshake that
   * fails leaves nothing usable, so the socket is closed.
   */
  async startTls<S>(role: TlsRole, tls: TlsSettings, settings: SocketSettings<S>, source: S): Promise<[string, Detail][]> {
    const old = this.conn();
    let upgraded: Conn;
    try {
      upgraded = await startTls(old, role, tls, this.host, settings.timeout(source));
    } catch (e) {
      if (old instanceof StreamConn && old.detached && this.endpoint === old) this.close();
      throw e;
    }
    this.resources.delete(old);
    if (this.closed) {
      upgraded.destroy();
      throw new MinError('the socket was closed during its TLS handshake', NET_ERROR);
    }
    this.endpoint = upgraded;
    this.track(upgraded);
    // Socket options (nodelay, keepalive, ttl) go on applying to the same TCP connection.
    upgraded.configure?.(settings.options(source));
    return this.details();
  }

  /**
   * The endpoint that listen or connect opened becomes the socket's, unless
   * the script closed the socket while it was being opened.
   */
  private settle(ep: Endpoint, current: Endpoint | null, doing: string, at: Address): Address {
    if (this.closed) {
      ep.destroy();
      throw new MinError(`the socket was closed while it ${doing}`, NET_ERROR);
    }
    if (ep !== current) this.track(ep);
    this.endpoint = ep;
    return at;
  }

  /** Wait for a connection on this listening socket and attach it to `client`. */
  accept<S>(client: Socket, settings: SocketSettings<S>, source: S): Promise<Accepted> {
    const ep = this.open();
    if (ep?.kind !== 'listener') throw new MinError('accept needs a listening socket (use listen first)', NET_ERROR);
    if (client === this) throw new MinError('accept needs a separate socket dict for the client', NET_ERROR);
    return ep.accept(settings.timeout(source)).then((conn) => {
      conn.accepted?.();
      // A client socket reused for the next connection lets go of the previous one.
      if (client.endpoint !== conn) client.release();
      client.endpoint = conn;
      client.closed = false;
      client.track(conn);
      return { peer: conn.peer!, local: conn.local, details: conn.details?.() ?? [] };
    });
  }

  private track(ep: Endpoint): void {
    this.resources.add(ep);
    ep.onGone = () => this.resources.delete(ep);
  }

  private release(): void {
    const ep = this.endpoint;
    if (!ep) return;
    this.resources.delete(ep);
    ep.close();
  }

  private conn(): Conn {
    const ep = this.open();
    if (ep === null) {
      throw new MinError(
        this.options.type === 'dgram' ? 'the datagram socket is not bound: listen or connect it first' : 'the socket is not connected',
        NET_ERROR,
      );
    }
    if (ep.kind !== 'conn') throw new MinError('a listening socket cannot send or receive: accept a connection first', NET_ERROR);
    return ep;
  }

  /** Apply the option keys to the connection, if there is one (a client just accepted). */
  configure<S>(settings: SocketSettings<S>, source: S): void {
    if (this.endpoint?.kind === 'conn') this.endpoint.configure?.(settings.options(source));
  }

  /** The connection, its option keys applied as they are now. */
  private ready<S>(settings: SocketSettings<S>, source: S): Conn {
    const c = this.conn();
    c.configure?.(settings.options(source));
    return c;
  }

  /** The connection of a stream socket, for what only streams do. */
  private stream<S>(verb: string, settings: SocketSettings<S>, source: S): Conn {
    if (this.options.type !== 'stream') throw new MinError(`${verb} needs a stream socket (tcp or unix): a datagram socket has no stream to read`, NET_ERROR);
    return this.ready(settings, source);
  }

  send<S>(data: string, settings: SocketSettings<S>, source: S): Promise<void> | void {
    return this.ready(settings, source).send(data, settings.timeout(source));
  }

  recv<S>(n: number, settings: SocketSettings<S>, source: S): Promise<string> | string {
    if (n < 0) throw new MinError(`cannot receive ${n} bytes`, NET_ERROR);
    const max = settings.maxRecv(source);
    if (n > max) throw recvTooBig(n, max);
    return this.ready(settings, source).recv(n, settings.timeout(source));
  }

  recvLine<S>(settings: SocketSettings<S>, source: S): Promise<string> | string {
    const max = settings.maxLine(source);
    return this.ready(settings, source).recvLine(settings.timeout(source), max);
  }

  /** `recv-some`: what has arrived, up to `n` bytes (at most max-recv). */
  recvSome<S>(n: number, settings: SocketSettings<S>, source: S): Promise<string> | string {
    if (n < 0) throw new MinError(`cannot receive ${n} bytes`, NET_ERROR);
    const max = settings.maxRecv(source);
    if (n > max) throw recvTooBig(n, max);
    const c = this.stream('recv-some', settings, source);
    if (!c.recvSome) return c.recv(n, settings.timeout(source));
    return c.recvSome(n, settings.timeout(source));
  }

  /** `recv-all`: everything until the peer closes, at most max-bytes. */
  recvAll<S>(settings: SocketSettings<S>, source: S): Promise<string> | string {
    const max = settings.maxBytes(source);
    const c = this.stream('recv-all', settings, source);
    if (!c.recvAll) throw new MinError(`recv-all needs a byte stream, and a ${this.options.protocol} socket carries messages`, NET_ERROR);
    return c.recvAll(settings.timeout(source), max);
  }

  /** `shutdown`: half-close, sending our end of the stream. */
  shutdown<S>(settings: SocketSettings<S>, source: S): void {
    const c = this.stream('shutdown', settings, source);
    if (!c.shutdown) throw new MinError(`shutdown needs a byte stream, and a ${this.options.protocol} socket carries messages`, NET_ERROR);
    c.shutdown();
  }

  /** The datagram socket behind a dgram socket dict, bound to a free port first if it never was. */
  private async datagram<S>(verb: string, settings: SocketSettings<S>, source: S, keys: SocketKeys): Promise<DgramConn> {
    if (this.options.type !== 'dgram') throw new MinError(`${verb} needs a datagram socket (udp), not a ${this.options.protocol} stream`, NET_ERROR);
    if (this.open() === null) await this.listen(null, 0, keys, settings, source);
    return this.boundDatagram(verb, settings, source);
  }

  /** The datagram socket behind a dgram socket dict, as it is (not bound by this). */
  private boundDatagram<S>(verb: string, settings: SocketSettings<S>, source: S): DgramConn {
    if (this.options.type !== 'dgram') throw new MinError(`${verb} needs a datagram socket (udp), not a ${this.options.protocol} stream`, NET_ERROR);
    const c = this.ready(settings, source);
    if (!(c instanceof DgramConn)) throw new MinError(`${verb} needs a datagram socket (udp)`, NET_ERROR);
    return c;
  }

  /** `recv-from`: the next datagram, cut to `n` bytes, with its sender. Not async, so its wait can be cancelled. */
  recvFrom<S>(n: number, settings: SocketSettings<S>, source: S): Promise<Received> {
    if (n < 0) throw new MinError(`cannot receive ${n} bytes`, NET_ERROR);
    return this.boundDatagram('recv-from', settings, source).recvFrom(n, settings.timeout(source));
  }

  /**
   * `send-to`: one datagram to `host`:`port`. A socket that was never bound
   * is bound to a free port first, as the system would, so that it can then
   * receive the answers with recv-from.
   */
  async sendTo<S>(data: string, host: string, port: number, settings: SocketSettings<S>, source: S, keys: SocketKeys): Promise<void> {
    const c = await this.datagram('send-to', settings, source, keys);
    const ip = await resolveHost(host, this.options.domain as 'ipv4' | 'ipv6');
    return c.sendTo(encodeText(data), ip, port, settings.timeout(source));
  }

  /** `join-group` and `leave-group` on a bound datagram socket. */
  membership<S>(join: boolean, group: string, settings: SocketSettings<S>, source: S): void {
    this.boundDatagram(join ? 'join-group' : 'leave-group', settings, source).membership(join, group);
  }

  /** `send-binary`: one byte per character, so what a binary message brought goes back unchanged. */
  sendBinary<S>(data: string, settings: SocketSettings<S>, source: S): Promise<void> | void {
    const wide = /[^\x00-\xff]/.exec(data);
    if (wide) {
      const cp = data.codePointAt(wide.index)!;
      throw new MinError(
        `send-binary sends one byte per character, and ${String.fromCodePoint(cp)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) does not fit in a byte: use send for text`,
        NET_ERROR,
      );
    }
    return this.conn().sendBytes(Buffer.from(data, 'latin1'), settings.timeout(source));
  }

  /** The WebSocket connection behind the socket, for the operators only WebSockets have. */
  private webSocket(verb: string): WsConn {
    const ws = this.endpoint instanceof WsConn || ['ws', 'wss'].includes(this.options.protocol);
    if (!ws) throw new MinError(`${verb} needs a WebSocket (a socket with protocol ws or wss), not ${this.options.protocol}`, NET_ERROR);
    const c = this.conn();
    if (!(c instanceof WsConn)) throw new MinError(`${verb} needs a WebSocket connection`, NET_ERROR);
    return c;
  }

  recvMessage<S>(settings: SocketSettings<S>, source: S): Promise<Message> | Message {
    return this.webSocket('recv-message').recvMessage(settings.timeout(source));
  }

  ping(): void {
    this.webSocket('ping').ping();
  }

  /** `close-with`: the close handshake with a chosen code and reason. */
  closeWith(code: number, reason: string): void {
    if (this.closed && this.endpoint instanceof WsConn) return;
    const c = this.webSocket('close-with');
    checkClose(code, reason);
    this.closed = true;
    this.resources.delete(c);
    c.close(code, reason);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.closing.check();
  }

  /** Watchers of a socket closed by the script (select): its next operation fails at once. */
  private readonly closing = new Readiness(() => this.closed);

  /**
   * Call `notify` once a recv (on a listener: an accept) would not wait, or
   * the socket is closed; nothing is taken. Returns how to stop watching.
   */
  whenReady(notify: () => void): () => void {
    if (this.closed) return this.closing.watch(notify);
    const ep = this.endpoint;
    if (!ep) throw new MinError('select needs a connected, bound or listening socket', NET_ERROR);
    if (!ep.whenReady) throw new MinError(`select cannot watch a ${this.options.protocol} socket yet`, NET_ERROR);
    const stopEndpoint = ep.whenReady(notify);
    const stopClosing = this.closing.watch(notify);
    return () => {
      stopEndpoint();
      stopClosing();
    };
  }
}
