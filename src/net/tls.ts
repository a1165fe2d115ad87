// The TLS transport (protocol tls): TCP (or a unix socket) with TLS on top,
// behind the same verbs as tcp, and `starttls`, which puts TLS on a
// connection that is already open. The keys come from tls-options.ts, which
// wss reads too.
//
// A server completes each client's handshake as soon as it connects (many at
// once, each bounded by handshake-timeout), so a client that stalls holds up
// nobody; `accept` hands out clients whose handshake is done, and a client
// whose handshake failed as a NetError of its own (the next accept gets the
// next client). At most MAX_HANDSHAKES run at once; more clients are
// dropped, as a full backlog refuses them.
import type net from 'node:net';
import type tls from 'node:tls';
import { tls as loadTls } from '../lib/builtins.js';
import { MinError } from '../core/errors.js';
import { bounded, type Ms } from './bounded.js';
import { NET_ERROR, clientFailure, netError } from './errors.js';
import { QueuedListener } from './listener.js';
import { resolveHost } from './resolve.js';
import { StreamConn } from './stream.js';
import { listenOptions, refuseReuse } from './tcp.js';
import { tlsInfo } from './tls-info.js';
import { clientOptions, serverOptions, tlsSettings, type TlsRole, type TlsSettings } from './tls-options.js';
import type { Address, Conn, Detail, SocketOptions, Transport } from './transport.js';

/** Handshakes a listener runs at once. */
export const MAX_HANDSHAKES = 1024;

/** A connection whose TLS handshake is complete; its socket dict shows the `tls` dict. */
export class TlsConn extends StreamConn {
  constructor(
    private readonly secure: tls.TLSSocket,
    peer: Address,
    local: Address | null,
    private readonly extra: [string, Detail][] = [],
    unix = false,
  ) {
    super(secure, peer, local, unix);
  }

  details(): [string, Detail][] {
    return [...this.extra, ['tls', tlsInfo(this.secure)]];
  }
}

const where = (o: SocketOptions, host: string, port: number): string =>
  o.domain === 'unix' ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`;

function addresses(s: net.Socket, o: SocketOptions, path: string): { peer: Address; local: Address } {
  if (o.domain === 'unix') return { peer: { address: path, port: 0 }, local: { address: path, port: 0 } };
  return {
    peer: { address: s.remoteAddress ?? '', port: s.remotePort ?? 0 },
    local: { address: s.localAddress ?? '', port: s.localPort ?? 0 },
  };
}

/** The smaller of an operation's timeout and the handshake's, and what to say when it expires. */
function limitOf(ms: Ms, handshakeMs: Ms, doing: string, target: string): { limit: Ms; doing: string } {
  const byHandshake = handshakeMs !== null && (ms === null || handshakeMs < ms);
  return byHandshake ? { limit: handshakeMs, doing: `waiting for the TLS handshake with ${target}` } : { limit: ms, doing };
}

/** A tls.Server that never listens: it runs the server side of handshakes on sockets handed to it. */
function handshakeServer(lib: typeof tls, s: TlsSettings): tls.Server {
  const server = lib.createServer({ ...serverOptions(lib, s), allowHalfOpen: true, handshakeTimeout: s.handshakeMs ?? 0 });
  server.on('error', () => {});
  return server;
}

/** Unread bytes a server sent before our handshake began: a man in the middle's injection (CVE-2011-0411), never trusted. */
const injected = (n: number): MinError =>
  new MinError(`cannot start TLS: the peer sent ${n} bytes that were not read before the handshake (read the answer to the STARTTLS command first)`, NET_ERROR);

/**
 * `starttls`: TLS on the open connection `conn`, as the client or the
 * server. The old connection lets go of its Node socket; what comes after
 * the handshake goes through the new one.
 */
export async function startTls(conn: Conn, role: TlsRole, s: TlsSettings, host: string | null, ms: Ms): Promise<TlsConn> {
  if (!(conn instanceof StreamConn) || conn instanceof TlsConn) {
    throw new MinError(conn instanceof TlsConn ? 'starttls: the connection already speaks TLS' : 'starttls needs a connected tcp or unix stream socket', NET_ERROR);
  }
  const lib = loadTls();
  const peer = conn.peer;
  const target = peer.port === 0 ? peer.address : `${peer.address}:${peer.port}`;
  // Options are checked before the connection is taken over, so a bad key leaves it usable.
  const clientOpts = role === 'client' ? clientOptions(lib, s, host) : null;
  const server = role === 'server' ? handshakeServer(lib, s) : null;
  const { socket: raw, unread } = conn.detach();
  if (role === 'client' && unread.length > 0) {
    raw.destroy();
    throw injected(unread.length);
  }
  const { limit, doing } = limitOf(ms, s.handshakeMs, `waiting for the TLS handshake with ${target}`, target);
  return bounded<TlsConn>(limit, doing, ({ resolve, reject }) => {
    let secure: tls.TLSSocket | null = null;
    const fail = (e: unknown) => {
      raw.destroy();
      reject(netError(`TLS handshake with ${target} failed`, e));
    };
    if (server !== null) {
      server.once('secureConnection', (t: tls.TLSSocket) => {
        resolve(new TlsConn(t, peer, conn.local, [], conn.unix));
      });
      server.once('tlsClientError', fail);
      // What the client sent after its STARTTLS command (its ClientHello) goes back in front of the stream.
      if (unread.length > 0) raw.unshift(unread);
      server.emit('connection', raw);
    } else {
      const t = (secure = lib.connect({ ...clientOpts!, socket: raw }));
      t.once('error', fail);
      t.once('secureConnect', () => {
        t.off('error', fail);
        resolve(new TlsConn(t, peer, conn.local, [], conn.unix));
      });
    }
    return () => {
      secure?.destroy();
      raw.destroy();
    };
  });
}

/** A listening TLS socket: a TCP server whose clients' handshakes run as they connect. */
export class TlsListener extends QueuedListener {
  /** Connections still in their handshake (their TCP sockets). */
  private readonly handshaking = new Set<net.Socket>();

  constructor(server: tls.Server, local: Address, wrap: (s: tls.TLSSocket) => TlsConn, describe: (s: net.Socket) => string) {
    super(server, local);
    const handshaking = this.handshaking;
    server.on('connection', (raw: net.Socket) => {
      if (handshaking.size >= MAX_HANDSHAKES) return void raw.destroy();
      handshaking.add(raw);
      raw.once('close', () => handshaking.delete(raw));
    });
    // The TCP socket under a TLS one (Node keeps it as _parent); were it
    // missing, the connection would count until it closes, which only errs
    // on the side of fewer handshakes.
    const settled = (s: tls.TLSSocket) => handshaking.delete((s as unknown as { _parent?: net.Socket })._parent ?? s);
    server.on('secureConnection', (s: tls.TLSSocket) => {
      settled(s);
      if (this.incoming.closed) return void s.destroy();
      s.pause();
      this.incoming.deliver(wrap(s));
    });
    server.on('tlsClientError', (e: Error, s: tls.TLSSocket) => {
      settled(s);
      const who = describe(s);
      s.destroy();
      if (this.incoming.closed || handshaking.size >= MAX_HANDSHAKES) return;
      this.incoming.refuse(clientFailure(`TLS handshake with ${who} failed`, e));
    });
  }
}

export const tlsTransport: Transport = {
  type: 'stream',
  domains: ['ipv4', 'ipv6', 'unix'],

  async connect(o, current, host, port, ms, keys) {
    refuseReuse(current);
    const s = await tlsSettings(keys, 'client');
    const lib = loadTls();
    const opts = clientOptions(lib, s, o.domain === 'unix' ? null : host);
    const target = where(o, host, port);
    const { limit, doing } = limitOf(ms, s.handshakeMs, `connecting to ${target}`, target);
    return bounded<TlsConn>(limit, doing, ({ resolve, reject }) => {
      let sock: tls.TLSSocket | null = null;
      let cancelled = false;
      const start = (at: tls.ConnectionOptions & { family?: number }) => {
        if (cancelled) return;
        // Half-open as tcp sockets are (tls.connect takes the option, its type does not say so).
        const t = (sock = lib.connect(Object.assign({ allowHalfOpen: true }, opts, at)));
        const fail = (e: Error) => reject(netError(`cannot connect to ${target}`, e));
        t.once('error', fail);
        t.once('secureConnect', () => {
          t.off('error', fail);
          const { peer, local } = addresses(t, o, host);
          resolve(new TlsConn(t, peer, local, [], o.domain === 'unix'));
        });
      };
      if (o.domain === 'unix') start({ path: host });
      else resolveHost(host, o.domain).then((ip) => start({ host: ip, port, family: o.domain === 'ipv6' ? 6 : 4 }), reject);
      return () => {
        cancelled = true;
        sock?.destroy();
      };
    });
  },

  async listen(o, current, address, port, keys) {
    refuseReuse(current);
    const s = await tlsSettings(keys, 'server');
    const lib = loadTls();
    const ip = o.domain === 'unix' ? address : await resolveHost(address, o.domain);
    const target = where(o, address, port);
    const server = lib.createServer({ ...serverOptions(lib, s), allowHalfOpen: true, handshakeTimeout: s.handshakeMs ?? 0 });
    return new Promise<TlsListener>((resolve, reject) => {
      server.once('error', (e) => reject(netError(`cannot listen on ${target}`, e)));
      server.listen(listenOptions(o, address, ip, port), () => {
        const a = server.address();
        const local: Address = a === null || typeof a === 'string' ? { address, port: 0 } : { address: a.address, port: a.port };
        server.removeAllListeners('error');
        const describe = (c: net.Socket) => (o.domain === 'unix' ? address : where(o, c.remoteAddress ?? '?', c.remotePort ?? 0));
        resolve(
          new TlsListener(server, local, (t) => {
            const { peer, local: mine } = addresses(t, o, address);
            return new TlsConn(t, peer, mine, [['protocol', 'tls']], o.domain === 'unix');
          }, describe),
        );
      });
    });
  },
};
