// What the net verbs need from a kind of socket. `socket` picks a Transport by
// the dict's `protocol` (tcp, udp, ws, wss), and from then on the verbs only
// talk to the Endpoint it returns: a Listener (accept) or a Conn (send, recv,
// recv-line). New protocols plug in here without touching the operators.
import type { Dict, Value } from '../lang/values.js';
import type { Ms } from './bounded.js';

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
  /** Keys the socket dict gains once the connection is attached (besides address and port). */
  details?(): [string, Value][];
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
}

export type Endpoint = Conn | Listener;

export interface Transport {
  /** The socket type the protocol runs on (what `type` defaults to with it). */
  readonly type: SocketType;
  readonly domains: readonly Domain[];
  /**
   * Connect, starting from what the socket already is (null when fresh).
   * `sock` is the socket dict, for protocol-specific keys (a WebSocket's path...).
   */
  connect(o: SocketOptions, current: Endpoint | null, host: string, port: number, ms: Ms, sock: Dict): Promise<Conn>;
  /** Listen (stream) or bind (dgram) on an address; `params` is the dict naming it. */
  listen(o: SocketOptions, current: Endpoint | null, address: string, port: number, sock: Dict, params: Dict): Promise<Endpoint>;
}

const transports = new Map<string, Transport>();

export function registerTransport(protocol: string, t: Transport): void {
  transports.set(protocol, t);
}

export const transportFor = (protocol: string): Transport | undefined => transports.get(protocol);

/** The protocol a socket type uses when the dict names none. */
export const DEFAULT_PROTOCOL: Record<SocketType, string> = { stream: 'tcp', dgram: 'udp' };
