// The socket-dict keys only WebSocket sockets read (through SocketKeys). They
// are read when the socket connects or listens, so a script may set them
// with dset until then.
// Defaults are the safe ones: 16 MiB messages, a 10 s handshake, no
// compression. The TLS keys of wss (ca, insecure, cert, key...) are read by
// tls-options.ts, as for every TLS socket.
import { MinError } from '../core/errors.js';
import { NET_ERROR } from './errors.js';
import type { Ms } from './bounded.js';
import type { SocketKeys } from './transport.js';

export const DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;
export { DEFAULT_HANDSHAKE_MS } from './tls-options.js';
import { DEFAULT_HANDSHAKE_MS } from './tls-options.js';

export interface WsSettings {
  /** The path a client asks for; for a server, the only path it accepts (null: any). */
  path: string | null;
  headers: Record<string, string>;
  handshakeMs: Ms;
  maxMessage: number;
  deflate: boolean;
  /** Server: the Origin values a handshake may carry (normalised), null for any. */
  origins: Set<string> | null;
}

/** Origins compare without case and without a trailing slash, as browsers send them. */
export const normalOrigin = (o: string): string => o.trim().toLowerCase().replace(/\/+$/, '');

/** The origins a server accepts, or null for any. */
function originSet(keys: SocketKeys): Set<string> | null {
  const origins = keys.strings('origins', 'be a quotation of strings (the Origin values to accept, as "https://example.com")');
  return origins === null ? null : new Set(origins.map(normalOrigin));
}

/**
 * The WebSocket keys of a socket. A server's keys also come from the dict
 * given to `listen` (SocketKeys looks there first), so `{"/chat" :path}`
 * works in either place.
 */
export function wsSettings(keys: SocketKeys, role: 'client' | 'server'): WsSettings {
  const path = keys.string('path') ?? (role === 'client' ? '/' : null);
  if (path !== null && (!path.startsWith('/') || /[\s#]/.test(path))) {
    throw keys.unusable('path', 'start with / and hold no spaces or #', path);
  }
  const handshakeMs = keys.millis('handshake-timeout');
  const maxMessage = keys.bytes('max-message', DEFAULT_MAX_MESSAGE);
  return {
    path,
    headers: keys.headers('headers') ?? {},
    handshakeMs: handshakeMs === undefined ? DEFAULT_HANDSHAKE_MS : handshakeMs,
    maxMessage,
    deflate: keys.boolean('deflate') ?? false,
    origins: role === 'server' ? originSet(keys) : null,
  };
}

/** Close codes a WebSocket endpoint may send (RFC 6455, section 7.4). */
export const validCloseCode = (code: number): boolean =>
  (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);

export function checkClose(code: number, reason: string): void {
  if (!validCloseCode(code)) {
    throw new MinError(`invalid close code ${code}: use 1000-1003, 1007-1014 or 3000-4999`, NET_ERROR);
  }
  const n = Buffer.byteLength(reason, 'utf8');
  if (n > 123) throw new MinError(`the close reason is ${n} bytes long: at most 123 fit in a close frame`, NET_ERROR);
}
