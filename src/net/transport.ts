// What a socket needs from a kind of socket. `socket` picks a Transport by
// the dict's `protocol` (tcp, udp, ws, wss), and from then on the Socket only
// talks to the Endpoint it returns: a Listener (accept) or a Conn (send, recv,
// recv-line). New protocols plug in here without touching the operators:
// what a protocol reads of the socket dict it asks for through SocketKeys.
import type { MinError } from '../core/errors.js';
import type { Ms } from './bounded.js';
import type { ConnOptions } from './conn-options.js';

export type Domain = 'ipv4' | 'ipv6' | 'unix';
export type SocketType = 'stream' | 'dgram';

export interface SocketOptions {
  domain: Domain;
  type: SocketType;
  protocol: string;
}

/** An address as the socket dict shows it; unix sockets use the file path and port 0. */
export interface Address {
  address: string;
  port: number;
}

interface Closable {
  /** Graceful close: pending output is still delivered. */
  close(): void;
  /** Immediate close (the program is ending). */
  destroy(): void;
  /** Called once the OS resource is gone, however that happened. */
  onGone: (() => void) | null;
}

/** Something that data goes through: a connected stream, or a datagram socket. */
export interface Conn extends Closable {
  readonly kind: 'conn';
  /** The peer (connected or accepted sockets), null for an unconnected datagram socket. */
  readonly peer: Address | null;
  /** The local address, once bound. */
  readonly local: Address | null;
  /** Sync results (no Promise) when nothing has to be waited for. */
  send(data: string, ms: Ms): Promise<void> | void;
  /** Raw bytes (`send-binary`): a binary message where the protocol has messages. */
  sendBytes(data: Buffer, ms: Ms): Promise<void> | void;
  recv(n: number, ms: Ms): Promise<string> | string;
  /** The next line; one of more than `maxLine` bytes is a NetError (see limits.ts). */
  recvLine(ms: Ms, maxLine: number): Promise<string> | string;
  /** Whatever has arrived (waiting for the first bytes), at most `n` bytes of it; "" once the peer is done. Streams only. */
  recvSome?(n: number, ms: Ms): Promise<string> | string;
  /** Everything until the peer closes; more than `maxBytes` is a NetError. Streams only. */
  recvAll?(ms: Ms, maxBytes: number): Promise<string> | string;
  /** Half-close: no more sending, receiving goes on. Streams only. */
  shutdown?(): void;
  /** Apply the option keys of the socket dict (see conn-options.ts); a NetError for one the connection cannot take. */
  configure?(o: ConnOptions): void;
  /** Keys the socket dict gains once the connection is attached (besides address and port). */
  details?(): [string, Detail][];
  /** Call `notify` once a recv would not wait (data, the peer's end, an error), without taking anything (select). */
  whenReady?(notify: () => void): () => void;
  /**
   * A connection a listener took in does not read until `accept` hands it
   * out, so connections waiting in the queue hold no data of ours.
   */
  accepted?(): void;
}

export interface Listener extends Closable {
  readonly kind: 'listener';
  readonly local: Address;
  accept(ms: Ms): Promise<Conn>;
  /** Call `notify` once an accept would not wait (a pending connection, or the listener failed or closed). */
  whenReady(notify: () => void): () => void;
}

export type Endpoint = Conn | Listener;

export interface Transport {
  /** The socket type the protocol runs on (what `type` defaults to with it). */
  readonly type: SocketType;
  readonly domains: readonly Domain[];
  /**
   * Connect, starting from what the socket already is (null when fresh);
   * `keys` reads the protocol's own keys of the socket dict (a WebSocket's path...).
   */
  connect(o: SocketOptions, current: Endpoint | null, host: string, port: number, ms: Ms, keys: SocketKeys): Promise<Conn>;
  /** Listen (stream) or bind (dgram) on an address; `keys` reads the dict naming it, then the socket's. */
  listen(o: SocketOptions, current: Endpoint | null, address: string, port: number, keys: SocketKeys): Promise<Endpoint>;
}

/** What a connection shows in the socket dict: plain values, lists (quotations) and records (dicts), as headers or a `tls` dict. */
export type Detail = string | number | boolean | Detail[] | { [key: string]: Detail };

/**
 * The socket-dict keys a transport reads for itself, read for it by the
 * adapter in ops, which knows min values. A reader gives null when the key is
 * absent or null, and raises a NetError naming the key ("The socket's path
 * must be a string, got 3") when it holds the wrong kind of value; `must`
 * words what it should be.
 */
export interface SocketKeys {
  /** Whose keys these are, for messages: "socket", or "request" for an https request's TLS keys. */
  readonly owner: string;
  string(key: string, must?: string): string | null;
  boolean(key: string, must?: string): boolean | null;
  /** A time limit in milliseconds: null (no limit) for 0 or less, capped at what a timer can wait; undefined when absent. */
  millis(key: string, must?: string): Ms | undefined;
  /** A limit in bytes (see limits.ts), `fallback` when absent. */
  bytes(key: string, fallback: number): number;
  /** A quotation of strings. */
  strings(key: string, must: string): string[] | null;
  /** A dict of header names and values (numbers written as min writes them), each checked as HTTP requires (header-check.ts). */
  headers(key: string): Record<string, string> | null;
  /** A warning on the program's standard error, written once per program however often it is asked for. */
  warn(text: string): void;
  /** The error for a value of the right kind that cannot be used: "The socket's KEY must MUST, got VALUE". */
  unusable(key: string, must: string, value: string | number): MinError;
}

const transports = new Map<string, Transport>();

export function registerTransport(protocol: string, t: Transport): void {
  transports.set(protocol, t);
}

export const transportFor = (protocol: string): Transport | undefined => transports.get(protocol);

/** The protocol a socket type uses when the dict names none. */
export const DEFAULT_PROTOCOL: Record<SocketType, string> = { stream: 'tcp', dgram: 'udp' };
