// The http module's dicts: the request dict `request` reads (validated as
// min validates a dict:http-request), the response it pushes, and, for the
// server, the request dict a handler gets and the response dict it leaves.
import type { OpContext } from '../../core/context.js';
import { quoteString, type MinError } from '../../core/errors.js';
import { makeDict, storedValue } from '../../core/dict.js';
import { show, showShort } from '../../core/printer.js';
import { Dict, Flt, isStringLike, strOf, type Value } from '../../core/values.js';
import type { HttpResult } from '../../http/client.js';
import { httpError } from '../../http/errors.js';
import { receivedHeaders } from '../../net/received-headers.js';
import { DEFAULT_MAX_RESPONSE } from '../../http/limits.js';
import { parseUrl, type RequestSpec } from '../../http/request.js';
import type { HttpAnswer, HttpRequest } from '../../http/server.js';
import { byteLimitKey, headersFrom, millis, resolved, socketKeys } from './socket-keys.js';
import { tlsSettings } from '../../net/tls-options.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQ = 'request';

/** A key of a request or response dict holding the wrong kind of value. */
export const badKey = (dict: string, key: string, want: string, got: Value): MinError =>
  httpError(`The ${dict}'s ${key} must be ${want}, got ${showShort(got)}`);

/** The headers of a request or response dict (`owner` names it in errors); a dict literal's symbols are looked up. */
function headersOf(i: OpContext, v: Value | undefined, owner: string): Record<string, string> {
  return headersFrom(v instanceof Dict ? resolved(i, v) : v, { owner, headerOwner: owner, skipNull: true, error: httpError });
}

function str(d: Dict, key: string): string | null {
  const v = storedValue(d, key);
  if (v === undefined || v === null) return null;
  if (!isStringLike(v)) throw badKey(REQ, key, 'a string', v);
  return strOf(v);
}

function timeoutOf(v: Value | undefined): RequestSpec['timeout'] {
  if (v === undefined || v === null) return null;
  const ms = millis(v);
  if (ms === undefined) throw badKey(REQ, 'timeout', 'a number of milliseconds', v);
  return ms;
}

function flag(d: Dict, key: string): boolean {
  const v = storedValue(d, key);
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw badKey(REQ, key, 'true or false', v);
  return v === true;
}

/**
 * What `request` reads from its dict: url (required), method (GET), headers,
 * body or body-file, timeout, max-body, keep-alive, download, and the TLS keys
 * (ca, cert, key, insecure, servername), which net/tls-options.ts reads as it
 * does for tls sockets (a ca or cert may be a file, hence the Promise).
 */
export async function requestSpec(i: OpContext, raw: Dict): Promise<RequestSpec> {
  const d = resolved(i, raw);
  const url = str(d, 'url');
  if (url === null) throw httpError('The request has no url: set it, e.g. "http://127.0.0.1:8080/" \'url dset');
  const method = (str(d, 'method') ?? 'GET').toUpperCase();
  if (!TOKEN.test(method)) throw httpError(`Invalid HTTP method ${quoteString(method)}`);
  const hv = storedValue(d, 'headers');
  const body = str(d, 'body') ?? '';
  const bodyFile = str(d, 'body-file');
  if (bodyFile !== null && body !== '') throw httpError('The request has both a body and a body-file: give one of them');
  return {
    method,
    url: parseUrl(url),
    headers: headersOf(i, hv, REQ),
    body,
    timeout: timeoutOf(storedValue(d, 'timeout')),
    tls: await tlsSettings(socketKeys([d], i.rt, REQ), 'client'),
    maxBody: maxBodyOf(d, REQ, DEFAULT_MAX_RESPONSE),
    bodyFile,
    keepAlive: flag(d, 'keep-alive'),
    download: str(d, 'download'),
  };
}

/** A request's or a server's `max-body`: the largest body kept, in bytes. */
export const maxBodyOf = (d: Dict, owner: string, fallback: number): number =>
  byteLimitKey(d, 'max-body', fallback, (want, v) => badKey(owner, 'max-body', want, v), 0);

/** The dict `request` pushes. */
export function responseDict(r: HttpResult): Dict {
  return makeDict(
    [
      ['version', r.version],
      ['status', r.status],
      ['headers', makeDict(receivedHeaders(r.rawHeaders))],
      ['body', r.body.toString('utf8')],
    ],
    'http-response',
  );
}

/** The dict a server's handler gets. */
export function requestDict(req: HttpRequest): Dict {
  return makeDict(
    [
      ['method', req.method],
      ['url', req.url],
      ['version', req.version],
      ['headers', makeDict(req.headers)],
      ['body', req.body],
      ['hostname', req.hostname],
      ['port', req.port],
      ['path', req.path],
      ['params', makeDict(Object.entries(req.params))],
      ['query', makeDict(Object.entries(req.query))],
    ],
    'http-request',
  );
}

/**
 * Read what a handler left on its stack as a response. A body that is a
 * quotation streams: `stream` makes the function that runs it.
 */
export function answerOf(i: OpContext, top: Value | undefined, stream: (body: Value[]) => HttpAnswer['stream']): HttpAnswer {
  if (!(top instanceof Dict)) {
    throw httpError(`The handler must leave a response dict on the stack, got ${top === undefined ? 'nothing' : show(top)}`);
  }
  const d = resolved(i, top);
  const st = storedValue(d, 'status');
  let status = 200;
  if (st !== undefined && st !== null) {
    const n = typeof st === 'number' ? st : st instanceof Flt && Number.isInteger(st.v) ? st.v : NaN;
    if (!(n >= 100 && n <= 599)) throw badKey('response', 'status', 'an int from 100 to 599', st);
    status = n;
  }
  const b = storedValue(d, 'body');
  const headers = headersOf(i, storedValue(d, 'headers'), 'response');
  if (Array.isArray(b)) return { status, headers, body: '', stream: stream(b) };
  if (b !== undefined && b !== null && !isStringLike(b)) throw badKey('response', 'body', 'a string or a quotation', b);
  return { status, headers, body: b === undefined || b === null ? '' : strOf(b), stream: null };
}
