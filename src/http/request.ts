// What an HTTP request is made of, once read from its dict (see
// ops/adapt/http-dicts.ts): url (required), method (GET), headers, body, and
// min-ts's additions timeout (ms, for the whole exchange), the TLS keys of
// https (read by net/tls-options.ts, as for tls and wss sockets), max-body (the largest
// response body kept, 64 MiB by default), body-file (a file streamed as the
// body), download (a file the body is streamed into) and keep-alive (connections kept open for the next request to the
// same origin).
import { quoteString } from '../core/errors.js';
import type { Ms } from '../net/bounded.js';
import { DEFAULT_CLIENT_TLS, type TlsSettings } from '../net/tls-options.js';
import { httpError } from './errors.js';
import { noHeaders, type Headers } from './headers.js';
import { DEFAULT_MAX_RESPONSE } from './limits.js';

export interface RequestSpec {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  timeout: Ms;
  /** How https checks the server (and a client certificate), as tls sockets have it. */
  tls: Readonly<TlsSettings>;
  /** The largest response body kept, in bytes. */
  maxBody: number;
  /** A file sent as the body, streamed from disk (instead of `body`). */
  bodyFile: string | null;
  /** Reuse connections to the same origin (the program's keep-alive agent). */
  keepAlive: boolean;
  /** A file a successful response body is streamed into (as `download` does), instead of kept. */
  download: string | null;
}

/** A URL min can fetch: absolute, http or https. */
export function parseUrl(text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw httpError(`Invalid URL ${quoteString(text)}: expected something like http://host/path`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw httpError(`Unsupported URL scheme ${quoteString(u.protocol.slice(0, -1))} in ${quoteString(text)}: use http or https`);
  }
  return u;
}

/** A plain GET, as get-content and download make. */
export const getSpec = (url: string): RequestSpec => ({
  method: 'GET',
  url: parseUrl(url),
  headers: noHeaders(),
  body: '',
  timeout: null,
  tls: DEFAULT_CLIENT_TLS,
  maxBody: DEFAULT_MAX_RESPONSE,
  bodyFile: null,
  keepAlive: false,
  download: null,
});
