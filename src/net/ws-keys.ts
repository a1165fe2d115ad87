// The socket-dict keys only WebSocket sockets read. They are read when the
// socket connects or listens, so a script may set them with dset until then.
// Defaults are the safe ones: 16 MiB messages, a 10 s handshake, no
// compression, certificates checked.
import { MinError } from '../lang/errors.js';
import { show } from '../lang/printer.js';
import { Dict, Flt, isStringLike, strOf, type Value } from '../lang/values.js';
import { NET_ERROR } from './errors.js';
import { headerProblem } from './header-check.js';
import { keyOf, millis } from './keys.js';
import { byteLimit } from './limits.js';
import type { Ms } from './bounded.js';

export const DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;
export const DEFAULT_HANDSHAKE_MS = 10_000;

export interface WsSettings {
  /** The path a client asks for; for a server, the only path it accepts (null: any). */
  path: string | null;
  headers: Record<string, string>;
  handshakeMs: Ms;
  maxMessage: number;
  deflate: boolean;
  /** wss client: accept any server certificate. */
  insecure: boolean;
  /** wss client: PEM certificate(s) to trust. */
  ca: string | null;
  /** wss server: its PEM certificate and private key. */
  cert: string | null;
  key: string | null;
  /** Server: the Origin values a handshake may carry (normalised), null for any. */
  origins: Set<string> | null;
}

/** Origins compare without case and without a trailing slash, as browsers send them. */
export const normalOrigin = (o: string): string => o.trim().toLowerCase().replace(/\/+$/, '');

function originsOf(dicts: Dict[]): Set<string> | null {
  const v = lookup(dicts, 'origins');
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((o) => typeof o === 'string')) {
    throw bad('origins', 'a quotation of strings (the Origin values to accept, as "https://example.com")', v);
  }
  return new Set((v as string[]).map(normalOrigin));
}

const bad = (key: string, want: string, v: Value): MinError =>
  new MinError(`The socket's ${key} must be ${want}, got ${show(v)}`, NET_ERROR);

/** The first of the dicts that has `key`. */
function lookup(dicts: Dict[], key: string): Value | undefined {
  for (const d of dicts) {
    const v = keyOf(d, key);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function str(dicts: Dict[], key: string): string | null {
  const v = lookup(dicts, key);
  if (v === undefined) return null;
  if (!isStringLike(v)) throw bad(key, 'a string', v);
  return strOf(v);
}

function bool(dicts: Dict[], key: string): boolean {
  const v = lookup(dicts, key);
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw bad(key, 'true or false', v);
  return v;
}

function headersOf(dicts: Dict[]): Record<string, string> {
  const v = lookup(dicts, 'headers');
  if (v === undefined) return {};
  if (!(v instanceof Dict)) throw bad('headers', 'a dict of strings', v);
  // No prototype: a header may be called __proto__ or constructor.
  const out: Record<string, string> = Object.create(null);
  for (const name of v.scope.names()) {
    const h = keyOf(v, name);
    if (h === undefined) continue;
    const value = isStringLike(h) ? strOf(h) : typeof h === 'number' || h instanceof Flt ? show(h) : null;
    if (value === null) throw new MinError(`The header ${name} must be a string, got ${show(h)}`, NET_ERROR);
    const problem = headerProblem(name, value);
    if (problem) throw new MinError(problem, NET_ERROR);
    out[name] = value;
  }
  return out;
}

/**
 * The WebSocket keys of a socket dict. A server also looks in the dict given
 * to `listen` (`others`), so `{"/chat" :path}` works in either place.
 */
export function wsSettings(sock: Dict, role: 'client' | 'server', others: Dict[] = []): WsSettings {
  const dicts = role === 'server' ? [...others, sock] : [sock];
  const path = str(dicts, 'path') ?? (role === 'client' ? '/' : null);
  if (path !== null && (!path.startsWith('/') || /[\s#]/.test(path))) {
    throw new MinError(`The socket's path must start with / and hold no spaces or #, got ${show(path)}`, NET_ERROR);
  }
  const hs = lookup(dicts, 'handshake-timeout');
  let handshakeMs: Ms = DEFAULT_HANDSHAKE_MS;
  if (hs !== undefined) {
    const ms = millis(hs);
    if (ms === undefined) throw bad('handshake-timeout', 'a number of milliseconds', hs);
    handshakeMs = ms;
  }
  const mm = lookup(dicts, 'max-message');
  const maxMessage = byteLimit(mm, DEFAULT_MAX_MESSAGE, (want) => bad('max-message', want, mm!));
  return {
    path,
    headers: headersOf(dicts),
    handshakeMs,
    maxMessage,
    deflate: bool(dicts, 'deflate'),
    insecure: bool(dicts, 'insecure'),
    ca: str(dicts, 'ca'),
    cert: str(dicts, 'cert'),
    key: str(dicts, 'key'),
    origins: role === 'server' ? originsOf(dicts) : null,
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
