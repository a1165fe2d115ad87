// The HTTP client behind request, get-content and download. It behaves like
// Nim's httpclient, which native min uses: up to 5 redirects are followed
// (301/302/303 turn into a bodiless GET unless the method was GET or HEAD,
// 307/308 repeat the request as is), and after the fifth the last 3xx
// response is returned as it is. Credentials do not follow a redirect to
// another origin, as with curl and fetch. A response body is kept in memory
// only up to the request's max-body; a download streams into its file.
// Every exchange uses its own connection (Connection: close), as each
// min call makes its own client, unless the request asks for keep-alive:
// then the program's agent (agents.ts) keeps connections per origin. A
// body-file is streamed from disk, never read whole.
import type { IncomingMessage } from 'node:http';
import { http as loadHttp, https as loadHttps, tls as loadTls } from '../lib/builtins.js';
import { httpsOptions } from '../net/tls-options.js';
import { bounded } from '../net/bounded.js';
import { netError } from '../net/errors.js';
import type { Resources } from '../net/socket.js';
import { parseUrl, type RequestSpec } from './request.js';
import { MinError } from '../core/errors.js';
import { httpError } from './errors.js';
import { copyHeaders, dropHeader, hasHeader } from './headers.js';
import { saveBody } from './save-file.js';
import { agentFor } from './agents.js';
import { openBodyFile, type BodyFile } from './body-file.js';

export const MAX_REDIRECTS = 5;
const EMPTY = Buffer.alloc(0);
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

/**
 * Perform the request, following redirects; `timeout` bounds the whole of it.
 * With `saveTo`, a final response under 400 is streamed into that file
 * (written whole or not at all, see save-file.ts) instead of kept in memory.
 */
export function fetchHttp(resources: Resources, spec: RequestSpec, saveTo: string | null = null): Promise<HttpResult> {
  let current: { destroy(): void } | null = null;
  const what = `${spec.method} ${spec.url.href}`;
  return bounded<HttpResult>(spec.timeout, `waiting for ${what}`, (s) => {
    const run = async (): Promise<HttpResult> => {
      let req = { ...spec, headers: copyHeaders(spec.headers) };
      const send = (n: number) => exchange(resources, req, n < MAX_REDIRECTS, saveTo, (h) => (current = h));
      let res = await send(0);
      for (let n = 0; n < MAX_REDIRECTS && REDIRECTS.has(res.status); n++) {
        const loc = locationOf(res.rawHeaders);
        if (loc === null) break;
        const next = parseUrl(new URL(loc, req.url).href);
        const headers = copyHeaders(req.headers);
        let { method, body } = req;
        let { bodyFile } = req;
        if (res.status <= 303) {
          if (method !== 'GET' && method !== 'HEAD') method = 'GET';
          body = '';
          bodyFile = null;
          for (const h of ['content-length', 'content-type', 'transfer-encoding']) dropHeader(headers, h);
        }
        // Another scheme, host or port is another origin: what proves who we
        // are, and the Host the script chose, stay with the first one.
        let { tls } = req;
        if (next.origin !== req.url.origin) {
          for (const h of ['host', ...CREDENTIALS]) dropHeader(headers, h);
          // A client certificate says who we are too; a servername names the first host.
          // How certificates are checked (ca, insecure) still holds.
          tls = { ...tls, cert: null, key: null, servername: null };
        }
        req = { ...req, url: next, method, body, bodyFile, headers, tls };
        res = await send(n + 1);
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

const tooBig = (what: string, max: number): MinError =>
  httpError(`${what}: the response body is more than ${max} bytes (max-body); the connection was closed`);

/**
 * One request and its response. The body is kept in memory up to the spec's
 * maxBody (a longer one, declared or counted, is an HttpError), unless it is
 * the final response of a download, which goes to the file.
 */
async function exchange(
  resources: Resources,
  spec: RequestSpec,
  mayFollow: boolean,
  saveTo: string | null,
  track: (h: { destroy(): void }) => void,
): Promise<HttpResult> {
  const file = spec.bodyFile === null ? null : await openBodyFile(spec.bodyFile);
  try {
    return await exchangeOnce(resources, spec, mayFollow, saveTo, track, file);
  } finally {
    file?.stream.destroy();
  }
}

function exchangeOnce(
  resources: Resources,
  spec: RequestSpec,
  mayFollow: boolean,
  saveTo: string | null,
  track: (h: { destroy(): void }) => void,
  file: BodyFile | null,
): Promise<HttpResult> {
  const { url } = spec;
  const what = `${spec.method} ${url.href}`;
  const secure = url.protocol === 'https:';
  return new Promise<HttpResult>((resolve, reject) => {
    const headers = copyHeaders(spec.headers);
    if (!hasHeader(headers, 'user-agent')) headers['User-Agent'] = USER_AGENT;
    const body = spec.body === '' ? null : Buffer.from(spec.body, 'utf8');
    const length = file !== null ? file.size : body?.length;
    if (length !== undefined && !hasHeader(headers, 'content-length')) headers['Content-Length'] = String(length);
    const options = {
      method: spec.method,
      headers,
      agent: spec.keepAlive ? agentFor(resources, secure) : (false as const),
      ...(secure ? httpsOptions(loadTls(), spec.tls) : {}),
    };
    const finish = (e: unknown, result?: HttpResult) => {
      resources.delete(handle);
      if (result) resolve(result);
      else reject(e instanceof MinError ? e : netError(what, e));
    };
    let req: import('node:http').ClientRequest;
    try {
      req = (secure ? loadHttps() : loadHttp()).request(url, options);
    } catch (e) {
      reject(netError(what, e));
      return;
    }
    const handle = { destroy: () => req.destroy() };
    resources.add(handle);
    track(handle);
    req.on('error', (e) => finish(e));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const result = (b: Buffer): HttpResult => ({
        status,
        statusText: res.statusMessage ?? '',
        version: res.httpVersion,
        rawHeaders: res.rawHeaders,
        body: b,
        url,
      });
      const followed = mayFollow && REDIRECTS.has(status) && locationOf(res.rawHeaders) !== null;
      if (saveTo !== null && !followed && status < 400) {
        saveBody(res, saveTo).then(() => finish(null, result(EMPTY)), (e) => finish(e));
        return;
      }
      const max = spec.maxBody;
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > max) {
        req.destroy();
        return finish(tooBig(what, max));
      }
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        size += b.length;
        if (size > max) {
          req.destroy();
          finish(tooBig(what, max));
        } else parts.push(b);
      });
      res.on('error', (e) => finish(e));
      res.on('end', () => finish(null, result(Buffer.concat(parts, size))));
    });
    if (file !== null) {
      // A file that fails while it is read ends the request as a failed upload.
      file.stream.once('error', (e) => {
        req.destroy();
        finish(e);
      });
      file.stream.pipe(req);
    } else req.end(body ?? undefined);
  });
}
