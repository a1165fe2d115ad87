// The net operators' behaviour on socket dicts: keys in, keys out, the
// endpoint kept in the dict's handle, and every endpoint registered with the
// runtime so the program's end closes it.
import type { Runtime } from '../lang/runtime.js';
import type { Machine } from '../lang/machine.js';
import { MinError } from '../lang/errors.js';
import { Scope, valueEntry } from '../lang/scope.js';
import { Dict } from '../lang/values.js';
import './protocols.js';
import { NET_ERROR } from './errors.js';
import { SocketHandle, handleOf } from './handle.js';
import { checkPort, keyOf, portKey, resolved, setKey, stringKey, timeoutOf } from './keys.js';
import { INHERITED_LIMITS, maxLineOf, maxRecvOf, recvTooBig } from './limits.js';
import { socketOptions } from './options.js';
import type { Address, Conn, Endpoint } from './transport.js';
import { WsConn, type Message } from './ws-conn.js';
import { checkClose } from './ws-keys.js';

export function createSocket(i: Machine, given: Dict): Dict {
  const d = resolved(i, given);
  const { options, transport } = socketOptions(d);
  const s = d.scope;
  s.set('domain', valueEntry(options.domain));
  s.set('type', valueEntry(options.type));
  s.set('protocol', valueEntry(options.protocol));
  return new Dict(s, 'socket', new SocketHandle(options, transport));
}

function track(rt: Runtime, ep: Endpoint): void {
  rt.resources.add(ep);
  ep.onGone = () => rt.resources.delete(ep);
}

function release(rt: Runtime, ep: Endpoint | null): void {
  if (!ep) return;
  rt.resources.delete(ep);
  ep.close();
}

/** The default address to listen on: all interfaces of the domain. */
const ANY = { ipv4: '0.0.0.0', ipv6: '::', unix: '' };

export async function listen(i: Machine, sock: Dict, given: Dict): Promise<Dict> {
  const rt = i.rt;
  const params = resolved(i, given);
  const h = handleOf(sock);
  const current = h.open();
  const address = stringKey(params, 'address', ANY[h.options.domain]);
  if (h.options.domain === 'unix' && address === '') {
    throw new MinError('A unix socket listens on a file: give its path as address', NET_ERROR);
  }
  const port = h.options.domain === 'unix' ? 0 : portKey(params, 80);
  const ep = await h.transport.listen(h.options, current, address, port, sock, params);
  return settle(rt, sock, ep, current, 'started listening', ep.local!);
}

/**
 * The endpoint that listen or connect opened becomes the socket's, unless the
 * script closed the socket while it was being opened; the dict shows `at`.
 */
function settle(rt: Runtime, sock: Dict, ep: Endpoint, current: Endpoint | null, doing: string, at: Address): Dict {
  const h = handleOf(sock);
  if (h.closed) {
    ep.destroy();
    throw new MinError(`the socket was closed while it ${doing}`, NET_ERROR);
  }
  if (ep !== current) track(rt, ep);
  h.endpoint = ep;
  setKey(sock, 'address', at.address);
  setKey(sock, 'port', at.port);
  return sock;
}

/** `srv cli accept`, as min's own example orders them; the other order is recognised too. */
export async function accept(rt: Runtime, a: Dict, b: Dict): Promise<Dict> {
  const listening = (d: Dict) => handleOf(d).endpoint?.kind === 'listener';
  const [srv, cli] = !listening(a) && listening(b) ? [b, a] : [a, b];
  const hs = handleOf(srv);
  const hc = handleOf(cli);
  const ep = hs.open();
  if (ep?.kind !== 'listener') throw new MinError('accept needs a listening socket (use listen first)', NET_ERROR);
  if (hc === hs) throw new MinError('accept needs a separate socket dict for the client', NET_ERROR);
  const conn = await ep.accept(timeoutOf(srv));
  conn.accepted?.();
  // A client dict reused for the next connection lets go of the previous one.
  if (hc.endpoint !== conn) release(rt, hc.endpoint);
  hc.endpoint = conn;
  hc.closed = false;
  track(rt, conn);
  setKey(cli, 'address', conn.peer!.address);
  setKey(cli, 'port', conn.peer!.port);
  for (const [k, v] of conn.details?.() ?? []) setKey(cli, k, v);
  // Limits set once on the server apply to every client it accepts.
  for (const k of INHERITED_LIMITS) {
    const v = keyOf(srv, k);
    if (v !== undefined && v !== null && keyOf(cli, k) === undefined) setKey(cli, k, v);
  }
  return cli;
}

export async function connect(rt: Runtime, sock: Dict, host: string, portV: number): Promise<Dict> {
  const h = handleOf(sock);
  const current = h.open();
  const port = h.options.domain === 'unix' ? 0 : checkPort(portV);
  if (host === '') throw new MinError('cannot connect: empty host name', NET_ERROR);
  const conn = await h.transport.connect(h.options, current, host, port, timeoutOf(sock), sock);
  return settle(rt, sock, conn, current, 'was connecting', conn.peer!);
}

function conn(d: Dict): Conn {
  const h = handleOf(d);
  const ep = h.open();
  if (ep === null) {
    throw new MinError(
      h.options.type === 'dgram' ? 'the datagram socket is not bound: listen or connect it first' : 'the socket is not connected',
      NET_ERROR,
    );
  }
  if (ep.kind !== 'conn') throw new MinError('a listening socket cannot send or receive: accept a connection first', NET_ERROR);
  return ep;
}

export const send = (sock: Dict, data: string): Promise<void> | void => conn(sock).send(data, timeoutOf(sock));

export function recv(sock: Dict, n: number): Promise<string> | string {
  if (n < 0) throw new MinError(`cannot receive ${n} bytes`, NET_ERROR);
  const max = maxRecvOf(sock);
  if (n > max) throw recvTooBig(n, max);
  return conn(sock).recv(n, timeoutOf(sock));
}

export function recvLine(sock: Dict): Promise<string> | string {
  const max = maxLineOf(sock);
  return conn(sock).recvLine(timeoutOf(sock), max);
}

/** `send-binary`: one byte per character, so what a binary message brought goes back unchanged. */
export function sendBinary(sock: Dict, data: string): Promise<void> | void {
  const wide = /[^\x00-\xff]/.exec(data);
  if (wide) {
    const cp = data.codePointAt(wide.index)!;
    throw new MinError(
      `send-binary sends one byte per character, and ${String.fromCodePoint(cp)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) does not fit in a byte: use send for text`,
      NET_ERROR,
    );
  }
  return conn(sock).sendBytes(Buffer.from(data, 'latin1'), timeoutOf(sock));
}

/** The WebSocket connection behind a socket dict, for the operators only WebSockets have. */
function wsConn(d: Dict, verb: string): WsConn {
  const h = handleOf(d);
  const ws = h.endpoint instanceof WsConn || ['ws', 'wss'].includes(h.options.protocol);
  if (!ws) throw new MinError(`${verb} needs a WebSocket (a socket with protocol ws or wss), not ${h.options.protocol}`, NET_ERROR);
  const c = conn(d);
  if (!(c instanceof WsConn)) throw new MinError(`${verb} needs a WebSocket connection`, NET_ERROR);
  return c;
}

function messageDict(m: Message): Dict {
  const s = new Scope(null);
  s.set('type', valueEntry(m.type));
  s.set('data', valueEntry(m.data));
  if (m.type === 'close') {
    s.set('code', valueEntry(m.code ?? 1005));
    s.set('reason', valueEntry(m.reason ?? ''));
  }
  return new Dict(s, 'ws-message');
}

export function recvMessage(sock: Dict): Promise<Dict> | Dict {
  const m = wsConn(sock, 'recv-message').recvMessage(timeoutOf(sock));
  return m instanceof Promise ? m.then(messageDict) : messageDict(m);
}

export const ping = (sock: Dict): void => wsConn(sock, 'ping').ping();

/** `close-with`: the close handshake with a chosen code and reason. */
export function closeWith(rt: Runtime, sock: Dict, code: number, reason: string): void {
  const h = handleOf(sock);
  if (h.closed && h.endpoint instanceof WsConn) return;
  const c = wsConn(sock, 'close-with');
  checkClose(code, reason);
  h.closed = true;
  rt.resources.delete(c);
  c.close(code, reason);
}

export function close(rt: Runtime, sock: Dict): void {
  const h = handleOf(sock);
  if (h.closed) return;
  h.closed = true;
  release(rt, h.endpoint);
}
