// The stream transport (protocol tcp): TCP over ipv4/ipv6, and byte streams
// over unix socket files, whose `address` is the file path.
import type net from 'node:net';
import { net as loadNet } from '../lib/builtins.js';
import { MinError } from '../core/errors.js';
import { bounded } from './bounded.js';
import { NET_ERROR, netError } from './errors.js';
import { StreamListener } from './listener.js';
import { resolveHost } from './resolve.js';
import { StreamConn } from './stream.js';
import { checkUnixPath, holdSocketFile, releaseSocketFile, unixFailure } from './unix-path.js';
import type { Address, Endpoint, SocketOptions, Transport } from './transport.js';
import { LISTEN_BACKLOG } from './limits.js';

/** Where a listener of any stream protocol listens, with the accept backlog of limits.ts. */
export const listenOptions = (o: SocketOptions, path: string, host: string, port: number): net.ListenOptions =>
  o.domain === 'unix' ? { path, backlog: LISTEN_BACKLOG } : { host, port, backlog: LISTEN_BACKLOG };

const where = (o: SocketOptions, host: string, port: number): string =>
  o.domain === 'unix' ? host : `${o.domain === 'ipv6' && host.includes(':') ? `[${host}]` : host}:${port}`;

export function refuseReuse(current: Endpoint | null): void {
  if (current === null) return;
  throw new MinError(
    current.kind === 'listener' ? 'the socket is already listening' : 'the socket is already connected',
    NET_ERROR,
  );
}

/** Wrap a connected Node socket; unix peers are anonymous, so they show the socket file. */
function wrap(s: net.Socket, o: SocketOptions, path: string): StreamConn {
  if (o.domain === 'unix') return new StreamConn(s, { address: path, port: 0 }, { address: path, port: 0 }, true);
  const peer: Address = { address: s.remoteAddress ?? '', port: s.remotePort ?? 0 };
  const local: Address = { address: s.localAddress ?? '', port: s.localPort ?? 0 };
  return new StreamConn(s, peer, local);
}

export const streamTransport: Transport = {
  type: 'stream',
  domains: ['ipv4', 'ipv6', 'unix'],

  connect(o, current, host, port, ms) {
    refuseReuse(current);
    const target = where(o, host, port);
    if (o.domain === 'unix') checkUnixPath(host, 'connect to');
    return bounded<StreamConn>(ms, `connecting to ${target}`, ({ resolve, reject }) => {
      let sock: net.Socket | null = null;
      let cancelled = false;
      const start = (opts: net.NetConnectOpts) => {
        if (cancelled) return;
        const s = (sock = loadNet().connect(opts));
        const context = `cannot connect to ${target}`;
        const fail = (e: Error) => reject(o.domain === 'unix' ? unixFailure(context, host, e) : netError(context, e));
        s.once('error', fail);
        s.once('connect', () => {
          s.off('error', fail);
          resolve(wrap(s, o, host));
        });
      };
      if (o.domain === 'unix') start({ path: host, allowHalfOpen: true });
      else resolveHost(host, o.domain).then((ip) => start({ host: ip, port, family: o.domain === 'ipv6' ? 6 : 4, allowHalfOpen: true }), reject);
      return () => {
        cancelled = true;
        sock?.destroy();
      };
    });
  },

  async listen(o, current, address, port) {
    refuseReuse(current);
    const unix = o.domain === 'unix';
    if (unix) checkUnixPath(address, 'listen on');
    const ip = o.domain === 'unix' ? address : await resolveHost(address, o.domain);
    const target = where(o, address, port);
    return new Promise<StreamListener>((resolve, reject) => {
      const server = loadNet().createServer({ allowHalfOpen: true });
      const context = `cannot listen on ${target}`;
      server.once('error', (e) => reject(unix ? unixFailure(context, address, e) : netError(context, e)));
      server.listen(listenOptions(o, address, ip, port), () => {
        const a = server.address();
        const local: Address =
          a === null || typeof a === 'string' ? { address, port: 0 } : { address: a.address, port: a.port };
        server.removeAllListeners('error');
        if (unix) {
          holdSocketFile(address);
          server.once('close', () => releaseSocketFile(address));
        }
        resolve(new StreamListener(server, local, (s) => wrap(s, o, address)));
      });
    });
  },
};
