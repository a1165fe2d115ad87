// What `request` reads from its dict, validated as min validates a
// dict:http-request: url (required), method (GET), headers, body, and
// min-ts's additions timeout (ms, for the whole exchange), ca and insecure
// (https certificates, as for wss sockets) and max-body (the largest
// response body kept, 64 MiB by default).
import type { Machine } from '../lang/machine.js';
import { Dict, isStringLike, strOf, type Value } from '../lang/values.js';
import { show } from '../lang/printer.js';
import { keyOf, millis, resolved } from '../net/keys.js';
import type { Ms } from '../net/bounded.js';
import { badKey, httpError } from './errors.js';
import { headersFrom, noHeaders, type Headers } from './headers.js';
import { DEFAULT_MAX_RESPONSE } from './limits.js';
import { byteLimit } from '../net/limits.js';

export interface RequestSpec {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  timeout: Ms;
  ca: string | null;
  insecure: boolean;
  /** The largest response body kept, in bytes. */
  maxBody: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQ = 'request';

function str(d: Dict, key: string): string | null {
  const v = keyOf(d, key);
  if (v === undefined || v === null) return null;
  if (!isStringLike(v)) throw badKey(REQ, key, 'a string', v);
  return strOf(v);
}

/** A URL min can fetch: absolute, http or https. */
export function parseUrl(text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw httpError(`Invalid URL ${show(text)}: expected something like http://host/path`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw httpError(`Unsupported URL scheme ${show(u.protocol.slice(0, -1))} in ${show(text)}: use http or https`);
  }
  return u;
}

function timeoutOf(v: Value | undefined): Ms {
  if (v === undefined || v === null) return null;
  const ms = millis(v);
  if (ms === undefined) throw badKey(REQ, 'timeout', 'a number of milliseconds', v);
  return ms;
}

export function requestSpec(i: Machine, raw: Dict): RequestSpec {
  const d = resolved(i, raw);
  const url = str(d, 'url');
  if (url === null) throw httpError('The request has no url: set it, e.g. "http://127.0.0.1:8080/" \'url dset');
  const method = (str(d, 'method') ?? 'GET').toUpperCase();
  if (!TOKEN.test(method)) throw httpError(`Invalid HTTP method ${show(method)}`);
  const hv = keyOf(d, 'headers');
  const insecure = keyOf(d, 'insecure');
  if (insecure !== undefined && insecure !== null && typeof insecure !== 'boolean') throw badKey(REQ, 'insecure', 'true or false', insecure);
  return {
    method,
    url: parseUrl(url),
    headers: headersFrom(hv instanceof Dict ? resolved(i, hv) : hv, REQ),
    body: str(d, 'body') ?? '',
    timeout: timeoutOf(keyOf(d, 'timeout')),
    ca: str(d, 'ca'),
    insecure: insecure === true,
    maxBody: maxBodyOf(keyOf(d, 'max-body')),
  };
}

const maxBodyOf = (v: Value | undefined): number =>
  byteLimit(v, DEFAULT_MAX_RESPONSE, (want) => badKey(REQ, 'max-body', want, v!), 0);

/** A plain GET, as get-content and download make. */
export const getSpec = (url: string): RequestSpec => ({
  method: 'GET',
  url: parseUrl(url),
  headers: noHeaders(),
  body: '',
  timeout: null,
  ca: null,
  insecure: false,
  maxBody: DEFAULT_MAX_RESPONSE,
});
