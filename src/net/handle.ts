// The native side of a socket dict (kept in Dict.handle): its options, its
// transport, and the endpoint it has become (listener or connection).
import { MinError } from '../core/errors.js';
import type { Dict } from '../core/values.js';
import { NET_ERROR, closedError } from './errors.js';
import type { Endpoint, SocketOptions, Transport } from './transport.js';

export class SocketHandle {
  endpoint: Endpoint | null = null;
  closed = false;

  constructor(
    readonly options: SocketOptions,
    readonly transport: Transport,
  ) {}

  /** The endpoint, failing when the socket was closed. */
  open(): Endpoint | null {
    if (this.closed) throw closedError();
    return this.endpoint;
  }
}

export function handleOf(d: Dict): SocketHandle {
  const h = d.handle;
  if (h instanceof SocketHandle) return h;
  throw new MinError('Not a socket made by `socket`: this dict has no network handle', NET_ERROR);
}
