// The writer a streaming response's body quotation gets: a Conn (so the
// net operators `send`, `send-binary` and `close` work on it as on a socket)
// over a Node ServerResponse whose head is already sent. Each send is one
// chunk of the chunked body; `close` ends the response. A slow client makes
// `send` wait (within the writer's `timeout`) instead of piling chunks up in
// memory, and a client that has gone makes it fail with a NetError.
import type { ServerResponse } from 'node:http';
import { MinError } from '../core/errors.js';
import { bounded, type Ms } from '../net/bounded.js';
import { NET_ERROR, closedError } from '../net/errors.js';
import type { Address, Conn, Transport } from '../net/transport.js';

const clientGone = (): MinError => new MinError('the client has gone away: the response cannot be sent', NET_ERROR);

export class ResponseWriter implements Conn {
  readonly kind = 'conn';
  onGone: (() => void) | null = null;
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    readonly peer: Address,
    readonly local: Address,
  ) {
    res.once('close', () => this.onGone?.());
  }

  /** Whether the client is gone or the response was ended. */
  get finished(): boolean {
    return this.ended || this.res.writableEnded || this.res.destroyed;
  }

  private write(data: string | Buffer, ms: Ms): Promise<void> | void {
    if (this.ended) throw closedError();
    const res = this.res;
    if (res.destroyed || res.writableEnded) throw clientGone();
    if (data.length === 0) return;
    if (res.write(data)) return;
    return bounded<void>(ms, 'sending a response chunk', ({ resolve, reject }) => {
      const stop = () => {
        res.off('drain', onDrain);
        res.off('close', onClose);
      };
      const onDrain = () => (stop(), resolve());
      const onClose = () => (stop(), reject(clientGone()));
      res.on('drain', onDrain);
      res.on('close', onClose);
      return stop;
    });
  }

  send(data: string, ms: Ms): Promise<void> | void {
    return this.write(data, ms);
  }

  sendBytes(data: Buffer, ms: Ms): Promise<void> | void {
    return this.write(data, ms);
  }

  recv(): never {
    throw new MinError('a response writer only sends: the request body is in the request dict', NET_ERROR);
  }

  recvLine(): never {
    return this.recv();
  }

  /** End the response (the last chunk). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.res.destroyed) this.res.end();
  }

  destroy(): void {
    this.ended = true;
    this.res.destroy();
  }
}

/** What a writer's socket answers to connect and listen: it is already attached to its response. */
export const writerTransport: Transport = {
  type: 'stream',
  domains: ['ipv4', 'ipv6'],
  connect: () => Promise.reject(new MinError('a response writer cannot connect: it writes its response', NET_ERROR)),
  listen: () => Promise.reject(new MinError('a response writer cannot listen: it writes its response', NET_ERROR)),
};
