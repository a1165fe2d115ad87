// The HTTP client behind request, get-content and download. It behaves like
// Nim's httpclient, which native min uses: up to 5 redirects are followed
// (301/302/303 turn into a bodiless GET unless the method was GET or HEAD,
// 307/308 repeat the request as is), and after the fifth the last 3xx
// response is returned as it is. Credentials do not follow a redirect to
// another origin, as with curl and fetch.
// Every exchange uses its own connection (Connection: close), as each
// min call makes its own client; nothing is left open to keep the program alive.
import type { IncomingMessage } from 'node:http';
import { http as loadHttp, https as loadHttps } from '../lang/builtins.js';
import type { Runtime } from '../lang/runtime.js';
import { bounded } from '../net/bounded.js';
import { netError } from '../net/errors.js';
import type { RequestSpec } from './request-spec.js';
import { parseUrl } from './request-spec.js';
import { copyHeaders, dropHeader, hasHeader } from './headers.js';

export const MAX_REDIRECTS = 5;
const USER_AGENT = 'min http-module/0.44.0 (min-ts)';

export interface HttpResult {
  status: number;
  statusText: string;
  version: string;
  /** Name/value pairs as received (Node's rawHeaders). */
  rawHeaders: string[];
  body: Buffer;
  /** Where the final response came from (after redirects). */
  url: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials, dropped on a redirect to another origin. */
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

/** Perform the request, following redirects; `timeout` bounds the whole of it. */
export function fetchHttp(rt: Runtime, spec: RequestSpec): Promise<HttpResult> {
  let current: { destroy(): void } | null = null;
  const what = `${spec.method} ${spec.url.href}`;
  return bounded<HttpResult>(spec.timeout, `waiting for ${what}`, (s) => {
    const run = async (): Promise<HttpResult> => {
      let req = { ...spec, headers: copyHeaders(spec.headers) };
      let res = await exchange(rt, req, (h) => (current = h));
      for (let n = 0; n < MAX_REDIRECTS && REDIRECTS.has(res.status); n++) {
        const loc = locationOf(res.rawHeaders);
        if (loc === null) break;
        const next = parseUrl(new URL(loc, req.url).href);
        const headers = copyHeaders(req.headers);
        let { method, body } = req;
        if (res.status <= 303) {
          if (method !== 'GET' && method !== 'HEAD') method = 'GET';
          body = '';
          for (const h of ['content-length', 'content-type', 'transfer-encoding']) dropHeader(headers, h);
        }
        // Another scheme, host or port is another origin: what proves who we
        // are, and the Host the script chose, stay with the first one.
        if (next.origin !== req.url.origin) {
          for (const h of ['host', ...CREDENTIALS]) dropHeader(headers, h);
        }
        req = { ...req, url: next, method, body, headers };
        res = await exchange(rt, req, (h) => (current = h));
      }
      return res;
    };
    run().then(s.resolve, s.reject);
    return () => (current as { destroy(): void } | null)?.destroy();
  });
}

function locationOf(raw: string[]): string | null {
  for (let k = 0; k + 1 < raw.length; k += 2) if (raw[k]!.toLowerCase() === 'location') return raw[k + 1]!;
  return null;
}

/** One request and its whole response. */
function exchange(rt: Runtime, spec: RequestSpec, track: (h: { destroy(): void }) => void): Promise<HttpResult> {
  const { url } = spec;
  const what = `${spec.method} ${url.href}`;
  return new Promise<HttpResult>((resolve, reject) => {
    const headers = copyHeaders(spec.headers);
    if (!hasHeader(headers, 'user-agent')) headers['User-Agent'] = USER_AGENT;
    const body = spec.body === '' ? null : Buffer.from(spec.body, 'utf8');
    if (body && !hasHeader(headers, 'content-length')) headers['Content-Length'] = String(body.length);
    const options = {
      method: spec.method,
      headers,
      agent: false as const,
      ...(url.protocol === 'https:' ? { rejectUnauthorized: !spec.insecure, ...(spec.ca ? { ca: spec.ca } : {}) } : {}),
    };
    const fail = (e: unknown) => {
      rt.resources.delete(handle);
      reject(netError(what, e));
    };
    let req: import('node:http').ClientRequest;
    try {
      req = (url.protocol === 'https:' ? loadHttps() : loadHttp()).request(url, options);
    } catch (e) {
      reject(netError(what, e));
      return;
    }
    const handle = { destroy: () => req.destroy() };
    rt.resources.add(handle);
    track(handle);
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('error', fail);
      res.on('end', () => {
        rt.resources.delete(handle);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          version: res.httpVersion,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(parts),
          url,
        });
      });
    });
    req.end(body ?? undefined);
  });
}
