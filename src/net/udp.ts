// The datagram transport (protocol udp). `listen` binds, `connect` fixes the
// default peer, `send` sends one datagram, `recv` takes the next datagram
// (cut to the size asked). An unconnected socket replies to whoever sent the
// datagram it received last.
import type dgram from 'node:dgram';
import { dgram as loadDgram, net as loadNet } from '../lib/builtins.js';
import { MinError, quoteString } from '../core/errors.js';
import { bounded, type Ms } from './bounded.js';
import { NET_ERROR, closedError, netError } from './errors.js';
import { resolveHost } from './resolve.js';
import { charBoundary } from './utf8.js';
import { lineTooLong } from './limits.js';
import type { Address, Conn, Endpoint, SocketOptions, Transport } from './transport.js';
import { WaitQueue } from './wait-queue.js';
import { Readiness } from './readiness.js';
import { AppliedOptions, refuseOptions, type ConnOptions } from './conn-options.js';

/** A datagram and who sent it, as `recv-from` gives it. */
export interface Received {
  data: string;
  address: string;
  port: number;
}

/** Datagrams kept unread; beyond this new ones are dropped, as a full OS buffer would. */
const MAX_QUEUED = 4096;
/** The same for their bytes: 4096 datagrams of 64 KB would be 256 MiB. */
const MAX_QUEUED_BYTES = 4 << 20;

interface Datagram {
  data: Buffer;
  from: Address;
}


export class DgramConn implements Conn {
  readonly kind = 'conn';
  onGone: (() => void) | null = null;
  peer: Address | null = null;
  local: Address | null = null;
  private readonly sock: dgram.Socket;
  private readonly queue: Datagram[] = [];
  private queuedBytes = 0;
  private readonly waiting = new WaitQueue<Datagram>();
  private lastSender: Address | null = null;
  /** An asynchronous error (ICMP "port unreachable"...), raised by the next operation. */
  private failure: MinError | null = null;
  private closed = false;
  /** Whether a recv would not wait, for select. */
  private readonly readiness = new Readiness(() => this.queue.length > 0 || this.failure !== null || this.closed);
  /** While binding, errors belong to the bind call. */
  private binding = false;
  private readonly applied = new AppliedOptions();

  constructor(o: SocketOptions) {
    const s = (this.sock = loadDgram().createSocket(o.domain === 'ipv6' ? 'udp6' : 'udp4'));
    s.on('message', (data, r) => {
      const d = { data, from: { address: r.address, port: r.port } };
      if (this.waiting.resolveFirst(d)) return;
      if (this.queue.length < MAX_QUEUED && this.queuedBytes + data.length <= MAX_QUEUED_BYTES) {
        this.queue.push(d);
        this.queuedBytes += data.length;
        this.readiness.check();
      }
    });
    s.on('error', (e) => {
      if (this.binding) return;
      const err = netError('', e);
      if (!this.waiting.rejectFirst(err)) this.failure = err;
      this.readiness.check();
    });
    s.on('close', () => this.onGone?.());
  }

  whenReady(notify: () => void): () => void {
    return this.readiness.watch(notify);
  }

  private takeFailure(): MinError | null {
    const f = this.failure;
    this.failure = null;
    return f;
  }

  bind(address: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.binding = true;
      const fail = (e: Error) => {
        this.binding = false;
        reject(netError(`cannot listen on ${where(address, port)}`, e));
      };
      this.sock.once('error', fail);
      this.sock.bind({ address, port, exclusive: true }, () => {
        this.binding = false;
        this.sock.off('error', fail);
        const a = this.sock.address();
        this.local = { address: a.address, port: a.port };
        resolve();
      });
    });
  }

  connectTo(ip: string, port: number, ms: Ms, target: string): Promise<void> {
    return bounded<void>(ms, `connecting to ${target}`, ({ resolve, reject }) => {
      this.sock.connect(port, ip, (e?: Error) => {
        if (e) return reject(netError(`cannot connect to ${target}`, e));
        const a = this.sock.address();
        this.local = { address: a.address, port: a.port };
        this.peer = { address: ip, port };
        resolve();
      });
    });
  }

  send(data: string, ms: Ms): Promise<void> {
    return this.sendBytes(Buffer.from(data, 'utf8'), ms);
  }

  sendBytes(buf: Buffer, ms: Ms): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    const f = this.takeFailure();
    if (f) return Promise.reject(f);
    const to = this.peer ? null : this.lastSender;
    if (!this.peer && !to) {
      return Promise.reject(new MinError('the datagram socket has no peer: connect it, or receive a datagram first', NET_ERROR));
    }
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      const done = (e: Error | null) => (e ? reject(netError('', e)) : resolve());
      if (to) this.sock.send(buf, to.port, to.address, done);
      else this.sock.send(buf, done);
    });
  }

  private next(ms: Ms): Promise<Datagram> {
    if (this.closed) return Promise.reject(closedError());
    const f = this.takeFailure();
    if (f) return Promise.reject(f);
    const ready = this.queue.shift();
    if (ready) {
      this.queuedBytes -= ready.data.length;
      return Promise.resolve(ready);
    }
    if (!this.local) {
      return Promise.reject(new MinError('the datagram socket is not bound: listen or connect it first', NET_ERROR));
    }
    return this.waiting.wait(ms, 'waiting for data');
  }

  /**
   * The next datagram, as `shape` makes it, its sender becoming the one
   * `send` answers.
   */
  private take<T>(ms: Ms, shape: (d: Datagram) => T): Promise<T> {
    return this.next(ms).then((d) => {
      this.lastSender = d.from;
      return shape(d);
    });
  }

  recv(n: number, ms: Ms): Promise<string> {
    return this.take(ms, (d) => cut(d.data, n));
  }

  recvLine(ms: Ms, maxLine: number): Promise<string> {
    return this.take(ms, (d) => {
      const b = d.data;
      let end = b.length;
      if (end > 0 && b[end - 1] === 0x0a) end -= end > 1 && b[end - 2] === 0x0d ? 2 : 1;
      if (end > maxLine) throw lineTooLong(maxLine, 'a datagram', 'it was dropped');
      const s = b.toString('utf8', 0, end);
      return s === '' ? '\r\n' : s;
    });
  }

  /** `recv-from`: the next datagram, cut to `n` bytes, and its sender. */
  recvFrom(n: number, ms: Ms): Promise<Received> {
    return this.take(ms, (d) => ({ data: cut(d.data, n), address: d.from.address, port: d.from.port }));
  }

  /** `send-to`: one datagram to `ip`:`port`, on a socket with no fixed peer. */
  sendTo(buf: Buffer, ip: string, port: number, ms: Ms): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (this.peer) {
      return Promise.reject(new MinError(`the datagram socket is connected to ${where(this.peer.address, this.peer.port)}: use send, or a socket that is only bound`, NET_ERROR));
    }
    const f = this.takeFailure();
    if (f) return Promise.reject(f);
    return bounded<void>(ms, 'sending data', ({ resolve, reject }) => {
      this.sock.send(buf, port, ip, (e: Error | null) => (e ? reject(netError(`cannot send to ${where(ip, port)}`, e)) : resolve()));
    });
  }

  /** `join-group` and `leave-group`: multicast membership on every interface the system picks. */
  membership(join: boolean, group: string): void {
    if (this.closed) throw closedError();
    if (!this.local) throw new MinError(`${join ? 'join-group' : 'leave-group'} needs a bound socket: listen on the group's port first`, NET_ERROR);
    // Node reports a missing group in words about its own arguments.
    if (loadNet().isIP(group) === 0) throw new MinError(`cannot ${join ? 'join' : 'leave'} the multicast group ${quoteString(group)}: a group is an IP address such as 239.1.2.3`, NET_ERROR);
    try {
      if (join) this.sock.addMembership(group);
      else this.sock.dropMembership(group);
    } catch (e) {
      throw netError(`cannot ${join ? 'join' : 'leave'} the multicast group ${group}`, e);
    }
  }

  configure(o: ConnOptions): void {
    refuseOptions(o, ['nodelay', 'keepalive'], 'is for stream sockets (tcp), not datagrams');
    if (this.closed || !this.local) return;
    this.applied.changes(o, (k, v) => {
      try {
        if (k === 'ttl') this.sock.setTTL(v as number);
        else if (k === 'broadcast') this.sock.setBroadcast(v as boolean);
        else if (k === 'multicastTtl') this.sock.setMulticastTTL(v as number);
        else if (k === 'multicastLoop') this.sock.setMulticastLoopback(v as boolean);
      } catch (e) {
        throw netError(`cannot set the socket's ${k === 'multicastTtl' ? 'multicast-ttl' : k === 'multicastLoop' ? 'multicast-loop' : k}`, e);
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting.rejectAll(closedError());
    this.readiness.check();
    try {
      this.sock.close();
    } catch {
      /* never bound: nothing to close */
    }
  }

  destroy(): void {
    this.close();
  }
}

/** A datagram's text cut to `n` bytes, a character cut at the end completed. */
function cut(b: Buffer, n: number): string {
  const count = n >= b.length ? b.length : charBoundary((k) => b[k]!, b.length, Math.max(0, n), true);
  return b.toString('utf8', 0, count);
}

const where = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

function existing(o: SocketOptions, current: Endpoint | null): DgramConn {
  if (current === null) return new DgramConn(o);
  if (current instanceof DgramConn) return current;
  throw new MinError('the socket is already in use', NET_ERROR);
}

export const dgramTransport: Transport = {
  type: 'dgram',
  domains: ['ipv4', 'ipv6'],

  async connect(o, current, host, port, ms) {
    const c = existing(o, current);
    if (c.peer) throw new MinError('the socket is already connected', NET_ERROR);
    try {
      const ip = await resolveHost(host, o.domain as 'ipv4' | 'ipv6');
      await c.connectTo(ip, port, ms, where(host, port));
    } catch (e) {
      if (current === null) c.close();
      throw e;
    }
    return c;
  },

  async listen(o, current, address, port) {
    const c = existing(o, current);
    if (c.local) throw new MinError('the socket is already bound', NET_ERROR);
    try {
      const ip = await resolveHost(address, o.domain as 'ipv4' | 'ipv6');
      await c.bind(ip, port);
    } catch (e) {
      if (current === null) c.close();
      throw e;
    }
    return c;
  },
};
