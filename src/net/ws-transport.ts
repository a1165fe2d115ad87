// The WebSocket transports (protocols ws and wss), on the `ws` package. It is
// loaded (with node:http and node:https) on the first ws socket that
// connects or listens, so programs that never use one do not pay for loading it.
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type WebSocket from 'ws';
import type { WebSocketServer } from 'ws';
import { MinError } from '../core/errors.js';
import { http as httpLib, https as httpsLib, requireModule, tls as tlsLib } from '../lib/builtins.js';
import { bounded } from './bounded.js';
import { NET_ERROR, netError } from './errors.js';
import { receivedHeaders } from './received-headers.js';
import { resolveHost } from './resolve.js';
import { listenOptions, refuseReuse } from './tcp.js';
import type { Address, Detail, Domain, SocketOptions, Transport } from './transport.js';
import { WsConn } from './ws-conn.js';
import { wsSettings, type WsSettings } from './ws-keys.js';
import { clientOptions, serverOptions, tlsSettings } from './tls-options.js';
import { tlsInfo } from './tls-info.js';
import { WsListener } from './ws-listener.js';

interface Libs {
  WebSocket: typeof WebSocket;
  WebSocketServer: typeof WebSocketServer;
  http: typeof import('node:http');
  https: typeof import('node:https');
}

let loading: Promise<Libs> | null = null;

async function load(): Promise<Libs> {
  // require, not import(): the CLI bundle is CommonJS run from a code cache,
  // where import() is unavailable. ws's CommonJS entry is the WebSocket class
  // with WebSocketServer hanging off it.
  const ws = requireModule('ws') as typeof WebSocket & { WebSocketServer: typeof WebSocketServer };
  return { WebSocket: ws, WebSocketServer: ws.WebSocketServer, http: httpLib(), https: httpsLib() };
}

async function wsLib(): Promise<Libs> {
  loading ??= load();
  try {
    return await loading;
  } catch (e) {
    loading = null;
    throw new MinError(`WebSockets need the ws package, which could not be loaded: ${(e as Error).message}`, NET_ERROR);
  }
}

const hostPart = (host: string): string => (host.includes(':') ? `[${host}]` : host);

function urlOf(scheme: 'ws' | 'wss', o: SocketOptions, host: string, port: number, path: string): string {
  if (o.domain === 'unix') return `ws+unix:${host}:${path}`;
  return `${scheme}://${hostPart(host)}:${port}${path}`;
}

const address = (a: { address?: string; port?: number }): Address => ({ address: a.address ?? '', port: a.port ?? 0 });

/** A wss connection shows its `tls` dict, as a tls socket does. */
const secureDetails = (s: Socket): [string, Detail][] =>
  (s as TLSSocket).encrypted === true ? [['tls', tlsInfo(s as TLSSocket)]] : [];

/** A failed opening handshake, in words. */
function handshakeError(http: Libs['http'], url: string, e: unknown): MinError {
  const m = /^Unexpected server response: (\d+)$/.exec((e as Error)?.message ?? '');
  if (m) {
    const code = Number(m[1]);
    return new MinError(`cannot connect to ${url}: the server answered ${code} ${http.STATUS_CODES[code] ?? ''} instead of accepting the WebSocket`.replace('  ', ' '), NET_ERROR);
  }
  return netError(`cannot connect to ${url}`, e);
}

function connectWs(scheme: 'ws' | 'wss'): Transport['connect'] {
  return async (o, current, host, port, ms, keys) => {
    refuseReuse(current);
    const st = wsSettings(keys, 'client');
    const url = urlOf(scheme, o, host, port, st.path!);
    const tlsOptions = scheme === 'wss' ? clientOptions(tlsLib(), await tlsSettings(keys, 'client'), o.domain === 'unix' ? null : host) : {};
    const { WebSocket, http } = await wsLib();
    // The smaller of the two limits decides, and says which one expired.
    const hs = st.handshakeMs;
    const byHandshake = hs !== null && (ms === null || hs < ms);
    const limit = byHandshake ? hs : ms;
    const doing = byHandshake ? `waiting for the WebSocket handshake with ${url}` : `connecting to ${url}`;
    return bounded<WsConn>(limit, doing, ({ resolve, reject }) => {
      let ws: WebSocket | null = null;
      let cancelled = false;
      const start = (ip: string | null) => {
        if (cancelled) return;
        const family = o.domain === 'ipv6' ? 6 : 4;
        // The name was resolved in the socket's domain already; the URL keeps
        // it for the Host header and the TLS server name.
        const lookup: LookupFunction = (_h, opts, cb) =>
          (opts as { all?: boolean }).all ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: ip!, family }]) : cb(null, ip!, family);
        try {
          ws = new WebSocket(url, {
            headers: st.headers,
            perMessageDeflate: st.deflate,
            maxPayload: st.maxMessage,
            followRedirects: false,
            ...(ip === null ? {} : { lookup, family }),
            ...tlsOptions,
          } as WebSocket.ClientOptions);
        } catch (e) {
          return reject(netError(`cannot connect to ${url}`, e));
        }
        const w = ws;
        let raw: Socket | null = null;
        w.on('upgrade', (res: http.IncomingMessage) => (raw = res.socket));
        const fail = (e: Error) => reject(handshakeError(http, url, e));
        w.on('error', fail);
        w.once('open', () => {
          const s = raw ?? ((w as unknown as { _socket: Socket })._socket);
          const peer = o.domain === 'unix' ? { address: host, port: 0 } : address({ address: s.remoteAddress, port: s.remotePort });
          const local = o.domain === 'unix' ? { address: host, port: 0 } : address({ address: s.localAddress, port: s.localPort });
          const c = new WsConn(w, s, peer, local, st.maxMessage, secureDetails(s));
          w.off('error', fail);
          resolve(c);
        });
      };
      if (o.domain === 'unix') start(null);
      else resolveHost(host, o.domain as 'ipv4' | 'ipv6').then(start, reject);
      return () => {
        cancelled = true;
        ws?.terminate();
      };
    });
  };
}

function listenWs(scheme: 'ws' | 'wss'): Transport['listen'] {
  return async (o, current, addr, port, keys) => {
    refuseReuse(current);
    const st: WsSettings = wsSettings(keys, 'server');
    const where = o.domain === 'unix' ? addr : `${hostPart(addr)}:${port}`;
    const ip = o.domain === 'unix' ? addr : await resolveHost(addr, o.domain as Exclude<Domain, 'unix'>);
    const tls = scheme === 'wss' ? await tlsSettings(keys, 'server') : null;
    const { WebSocketServer, http, https } = await wsLib();
    let server: http.Server;
    if (tls !== null) {
      server = https.createServer({ ...serverOptions(tlsLib(), tls), ...(st.handshakeMs === null ? {} : { handshakeTimeout: st.handshakeMs }) });
    } else server = http.createServer();
    const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: st.maxMessage, perMessageDeflate: st.deflate });
    return new Promise<WsListener>((resolve, reject) => {
      server.once('error', (e) => reject(netError(`cannot listen on ${where}`, e)));
      server.listen(listenOptions(o, addr, ip, port), () => {
        const a = server.address();
        const local: Address = a === null || typeof a === 'string' ? { address: addr, port: 0 } : { address: a.address, port: a.port };
        server.removeAllListeners('error');
        resolve(
          new WsListener(server, wss, local, st, scheme === 'wss', (ws, req, s) => {
            const peer = o.domain === 'unix' ? { address: addr, port: 0 } : address({ address: s.remoteAddress, port: s.remotePort });
            const c = new WsConn(ws, s, peer, local, st.maxMessage, [
              ['protocol', scheme],
              ['path', req.url ?? '/'],
              ['headers', receivedHeaders(req.rawHeaders)],
              ...secureDetails(s),
            ]);
            // Not read until accepted (WsConn.accepted).
            c.hold();
            return c;
          }),
        );
      });
    });
  };
}

/**
 * Completes the WebSocket upgrades an HTTP server of the http module accepts
 * (a WS route), with the same ws settings and connection wrapper as a
 * listening ws socket: each upgrade resolves with the WsConn for it (null
 * when the client's handshake was refused).
 */
export async function webSocketUpgrader(maxMessage: number): Promise<(req: http.IncomingMessage, socket: Socket, head: Buffer, details: [string, Detail][]) => Promise<WsConn | null>> {
  const { WebSocketServer } = await wsLib();
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: maxMessage, perMessageDeflate: false });
  wss.on('error', () => {});
  return (req, socket, head, details) =>
    new Promise<WsConn | null>((resolve) => {
      // ws refuses a malformed handshake itself (400) and closes the socket.
      socket.once('close', () => resolve(null));
      wss.handleUpgrade(req, socket, head, (ws) => {
        const peer = address({ address: socket.remoteAddress, port: socket.remotePort });
        const local = address({ address: socket.localAddress, port: socket.localPort });
        resolve(new WsConn(ws, socket, peer, local, maxMessage, [['protocol', 'ws'], ...details]));
      });
    });
}

const transport = (scheme: 'ws' | 'wss', domains: Domain[]): Transport => ({
  type: 'stream',
  domains,
  connect: connectWs(scheme),
  listen: listenWs(scheme),
});

export const wsTransport = transport('ws', ['ipv4', 'ipv6', 'unix']);
export const wssTransport = transport('wss', ['ipv4', 'ipv6']);
