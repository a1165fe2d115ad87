// The net operators on socket dicts: the dict's keys are read into the plain
// arguments a net Socket takes (kept in the dict's handle), and what the
// socket reports (its address, its peer) is written back as keys.
import type { OpContext } from '../../core/context.js';
import { MinError } from '../../core/errors.js';
import { dictSet, makeDict, storedValue } from '../../core/dict.js';
import { EntryKind } from '../../core/scope.js';
import { Dict, type Value } from '../../core/values.js';
import { NET_ERROR } from '../../net/errors.js';
import { Socket, type SocketSettings } from '../../net/socket.js';
import type { Address, Detail } from '../../net/transport.js';
import type { Message } from '../../net/ws-conn.js';
import { tlsSettings } from '../../net/tls-options.js';
import { INHERITED_LIMITS } from '../../net/limits.js';
import { INHERITED_OPTIONS } from '../../net/conn-options.js';
import { checkPort, detailValue, maxBytesOf, maxLineOf, maxRecvOf, portKey, resolved, socketKeys, stringKey, timeoutOf } from './socket-keys.js';
import { optionsOf } from './socket-options.js';
import type { Ms } from '../../net/bounded.js';
import type { ConnOptions } from '../../net/conn-options.js';

/** The Socket behind a socket dict. */
export function socketOf(d: Dict): Socket {
  const h = d.handle;
  if (h instanceof Socket) return h;
  throw new MinError('Not a socket made by `socket`: this dict has no network handle', NET_ERROR);
}

/** Not read yet (null is a setting: a timeout of none). */
const UNREAD: unique symbol = Symbol('unread');

/**
 * A socket dict's settings as read from one version of its contents, kept
 * on that version when the contents can no longer change (a dict pushed
 * from a name is such a copy): a loop sending and receiving on one socket
 * dict reads its keys once, not eight lookups a line. Each is read on first
 * use (a bad max-recv is an error for recv, not for send). One field per
 * setting, each read by code of its own, so every read site sees one shape.
 */
class KnownSettings {
  timeout: Ms | typeof UNREAD = UNREAD;
  maxLine: number | typeof UNREAD = UNREAD;
  maxRecv: number | typeof UNREAD = UNREAD;
  maxBytes: number | typeof UNREAD = UNREAD;
  options: ConnOptions | typeof UNREAD = UNREAD;
}

/** The settings kept for `d`'s contents; null while the dict may still change in place (read every time). */
function known(d: Dict): KnownSettings | null {
  const v = d.version;
  if (!v.frozen) return null;
  const k = v.derived;
  if (k instanceof KnownSettings) return k;
  return (v.derived = new KnownSettings());
}

/** A socket dict's settings, read by the Socket when an operation starts. */
const DICT_SETTINGS: SocketSettings<Dict> = {
  timeout(d) {
    const k = known(d);
    if (k === null) return timeoutOf(d);
    const t = k.timeout;
    return t !== UNREAD ? t : (k.timeout = timeoutOf(d));
  },
  maxLine(d) {
    const k = known(d);
    if (k === null) return maxLineOf(d);
    const n = k.maxLine;
    return n !== UNREAD ? n : (k.maxLine = maxLineOf(d));
  },
  maxRecv(d) {
    const k = known(d);
    if (k === null) return maxRecvOf(d);
    const n = k.maxRecv;
    return n !== UNREAD ? n : (k.maxRecv = maxRecvOf(d));
  },
  maxBytes(d) {
    const k = known(d);
    if (k === null) return maxBytesOf(d);
    const n = k.maxBytes;
    return n !== UNREAD ? n : (k.maxBytes = maxBytesOf(d));
  },
  options(d) {
    const k = known(d);
    if (k === null) return optionsOf(d);
    const o = k.options;
    return o !== UNREAD ? o : (k.options = optionsOf(d));
  },
};

/** Keys an accepted client dict takes from its server socket when it lacks them: limits and options set once on the server. */
const INHERITED: readonly string[] = [...INHERITED_LIMITS, ...INHERITED_OPTIONS];

export function createSocket(i: OpContext, given: Dict): Dict {
  const d = resolved(i, given);
  const socket = Socket.open(
    { domain: stringKey(d, 'domain', null), type: stringKey(d, 'type', null), protocol: stringKey(d, 'protocol', null) },
    i.rt.resources,
  );
  const o = socket.options;
  d.handle = socket;
  d.type = 'socket';
  dictSet(d, 'domain', o.domain);
  dictSet(d, 'type', o.type);
  dictSet(d, 'protocol', o.protocol);
  return d;
}

/**
 * A server's TLS material stays with the server: a client dict a handler
 * may print or pass around never holds the private key.
 */
const SERVER_ONLY = new Set(['cert', 'key', 'ca']);

/** A fresh client socket dict like a server's (same domain, type, protocol, timeout...), for `serve`. */
export function clientLike(i: OpContext, srv: Dict): Dict {
  const pairs: [string, Value][] = [];
  for (const k of srv.scope.names()) {
    const e = srv.scope.get(k)!;
    if (k === 'address' || k === 'port' || SERVER_ONLY.has(k) || e.kind === EntryKind.Native) continue;
    pairs.push([k, e.val]);
  }
  return createSocket(i, makeDict(pairs));
}

/**
 * The dict of a socket whose connection was made elsewhere (a WebSocket an
 * HTTP server's WS route took, a streaming response's writer), with the
 * peer's address and what the connection tells about itself.
 */
export function attachedSocketDict(socket: Socket, peer: Address, details: [string, Detail][]): Dict {
  const o = socket.options;
  const pairs: [string, Value][] = [
    ['domain', o.domain],
    ['type', o.type],
    ['protocol', o.protocol],
    ['address', peer.address],
    ['port', peer.port],
  ];
  for (const [k, v] of details) if (k !== 'protocol') pairs.push([k, detailValue(v)]);
  return makeDict(pairs, 'socket', socket);
}

function showAddress(sock: Dict, at: Address): Dict {
  dictSet(sock, 'address', at.address);
  dictSet(sock, 'port', at.port);
  return sock;
}

/** The peer as `address`/`port`, and our end as `local-address`/`local-port`. */
function showEnds(sock: Dict, peer: Address, local: Address | null): Dict {
  showAddress(sock, peer);
  if (local) {
    dictSet(sock, 'local-address', local.address);
    dictSet(sock, 'local-port', local.port);
  }
  return sock;
}

export async function listen(i: OpContext, given: Dict, options: Dict): Promise<Dict> {
  const sock = given.filled();
  const params = resolved(i, options);
  const socket = socketOf(sock);
  socket.open();
  const address = stringKey(params, 'address', null);
  const port = socket.options.domain === 'unix' ? 0 : portKey(params, 80);
  return showAddress(sock, await socket.listen(address, port, socketKeys([params, sock], i.rt), DICT_SETTINGS, sock));
}

/** `srv cli accept`, as min's own example orders them; the other order is recognised too. */
export function accept(a: Dict, b: Dict): Promise<Dict> {
  const [srv, given] = !socketOf(a).listening && socketOf(b).listening ? [b, a] : [a, b];
  const cli = given.filled();
  const client = socketOf(cli);
  return socketOf(srv).accept(client, DICT_SETTINGS, srv).then((got) => {
    showEnds(cli, got.peer, got.local);
    for (const [k, v] of got.details) dictSet(cli, k, detailValue(v));
    // Limits and options set once on the server apply to every client it accepts.
    for (const k of INHERITED) {
      const v = storedValue(srv, k);
      if (v !== undefined && v !== null && storedValue(cli, k) === undefined) dictSet(cli, k, v);
    }
    client.configure(DICT_SETTINGS, cli);
    return cli;
  });
}

export async function connect(i: OpContext, given: Dict, host: string, port: number): Promise<Dict> {
  const sock = given.filled();
  const socket = socketOf(sock);
  socket.open();
  const p = socket.options.domain === 'unix' ? 0 : checkPort(port);
  const ends = await socket.connect(host, p, DICT_SETTINGS, sock, socketKeys([sock], i.rt));
  showEnds(sock, ends.peer, ends.local);
  for (const [k, v] of socket.details()) dictSet(sock, k, detailValue(v));
  return sock;
}

/** `starttls`: the TLS keys come from `given`, then from the socket dict; `server` true for the accepting side. */
export async function starttls(i: OpContext, given: Dict, options: Dict): Promise<Dict> {
  const sock = given.filled();
  const socket = socketOf(sock);
  socket.open();
  const keys = socketKeys([resolved(i, options), sock], i.rt);
  const role = keys.boolean('server') ? 'server' : 'client';
  const tls = await tlsSettings(keys, role);
  for (const [k, v] of await socket.startTls(role, tls, DICT_SETTINGS, sock)) dictSet(sock, k, detailValue(v));
  return sock;
}

export const send = (sock: Dict, data: string): Promise<void> | void => socketOf(sock).send(data, DICT_SETTINGS, sock);

export const recv = (sock: Dict, n: number): Promise<string> | string => socketOf(sock).recv(n, DICT_SETTINGS, sock);

export const recvLine = (sock: Dict): Promise<string> | string => socketOf(sock).recvLine(DICT_SETTINGS, sock);

export const recvSome = (sock: Dict, n: number): Promise<string> | string => socketOf(sock).recvSome(n, DICT_SETTINGS, sock);

export const recvAll = (sock: Dict): Promise<string> | string => socketOf(sock).recvAll(DICT_SETTINGS, sock);

export const shutdown = (sock: Dict): void => socketOf(sock).shutdown(DICT_SETTINGS, sock);

export function recvFrom(sock: Dict, n: number): Promise<Dict> {
  return socketOf(sock)
    .recvFrom(n, DICT_SETTINGS, sock)
    .then((d) => makeDict([['data', d.data], ['address', d.address], ['port', d.port]], 'datagram'));
}

export function sendTo(i: OpContext, sock: Dict, data: string, host: string, port: number): Promise<void> {
  const socket = socketOf(sock);
  socket.open();
  return socket.sendTo(data, host, checkPort(port), DICT_SETTINGS, sock, socketKeys([sock], i.rt));
}

export const joinGroup = (sock: Dict, group: string): void => socketOf(sock).membership(true, group, DICT_SETTINGS, sock);

export const leaveGroup = (sock: Dict, group: string): void => socketOf(sock).membership(false, group, DICT_SETTINGS, sock);

export const sendBinary = (sock: Dict, data: string): Promise<void> | void => socketOf(sock).sendBinary(data, DICT_SETTINGS, sock);

function messageDict(m: Message): Dict {
  const pairs: [string, string | number][] = [
    ['type', m.type],
    ['data', m.data],
  ];
  if (m.type === 'close') pairs.push(['code', m.code ?? 1005], ['reason', m.reason ?? '']);
  return makeDict(pairs, 'ws-message');
}

export function recvMessage(sock: Dict): Promise<Dict> | Dict {
  const m = socketOf(sock).recvMessage(DICT_SETTINGS, sock);
  return m instanceof Promise ? m.then(messageDict) : messageDict(m);
}

export const ping = (sock: Dict): void => socketOf(sock).ping();

export const closeWith = (sock: Dict, code: number, reason: string): void => socketOf(sock).closeWith(code, reason);

export const close = (sock: Dict): void => socketOf(sock).close();
