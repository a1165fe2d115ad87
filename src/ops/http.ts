// The http module: an HTTP client (request, get-content, download) and a
// server whose handler is a min quotation (start-server, stop-server). The
// behaviour lives in src/http/; see docs/http.md.
import { op, type ModuleDef } from '../core/registry.js';
import type { Dict } from '../core/values.js';
import type { OpContext } from '../core/context.js';
import { fetchHttp, type HttpResult } from '../http/client.js';
import { getSpec, type RequestSpec } from '../http/request.js';
import { httpError } from '../http/errors.js';
import { requestSpec, responseDict } from './adapt/http-dicts.js';
import { startServer, stopServer } from './adapt/http-server.js';

/** `request`: with a `download` file, a response under 400 streams into it and its body is "". */
const fetchHttpSpec = (i: OpContext, spec: RequestSpec): Promise<HttpResult> => fetchHttp(i.rt.resources, spec, spec.download);

/** A GET whose 4xx/5xx status is an error, as Nim's getContent and downloadFile have it. */
async function getOk(i: OpContext, url: string, saveTo: string | null = null): Promise<HttpResult> {
  const r = await fetchHttp(i.rt.resources, getSpec(url), saveTo);
  if (r.status >= 400) throw httpError(`GET ${r.url.href}: ${r.status} ${r.statusText}`.trimEnd());
  return r;
}

export const httpModule: ModuleDef = {
  name: 'http',
  ops: [
    op('request', 'dict ==> dict:http-response', 'Performs the HTTP request described by dict (url, method (GET), headers, body or body-file, timeout, max-body, keep-alive, download; https: the TLS keys ca, cert, key, insecure, servername) following up to 5 redirects, and pushes the response: status, headers (lower-case names), body, version.', async (i, d: Dict) =>
      responseDict(await fetchHttpSpec(i, await requestSpec(i, d))),
    ),
    op('get-content', 'str ==> str', 'Retrieves the body of URL str with a GET; a 4xx or 5xx status is an HttpError.', async (i, url: string) =>
      (await getOk(i, url)).body.toString('utf8'),
    ),
    op('download', 'str str ==>', 'Downloads URL str1 (GET) to the file str2, byte for byte, streaming it to disk: the file appears whole once the download is complete; a 4xx or 5xx status is an HttpError and writes no file.', async (i, url: string, file: string) => {
      await getOk(i, url, file);
    }),
    op('start-server', 'dict ==>', 'Serves HTTP on the address (127.0.0.1) and port of dict until stop-server: each request runs, in a new task, the first of its routes ("METHOD /path/:name/*rest" (handler)) that matches, else a file of its static ("/prefix" "dir") directories, else its handler quotation (request dict in, response dict out; a quotation body streams); WS routes take WebSockets. A body over max-body bytes (1 MiB) gets 413 without running anything.', (i, d: Dict) =>
      startServer(i, d),
    ),
    op('stop-server', '==>', 'Stops the HTTP server whose handler is running: requests in progress are answered, then start-server returns.', (i) =>
      stopServer(i),
    ),
  ],
};
