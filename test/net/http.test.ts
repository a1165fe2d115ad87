// The http module against real peers on loopback: the client operators
// (request, get-content, download) talking to a Node HTTP server, and min
// servers (start-server/stop-server) driven by Node's http client and curl,
// through the CLI. Ports are always 0 (picked by the system).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import dns from 'node:dns';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { catching, freePort, min, minOk, selfSigned, tempDir } from './peers.js';
import { example, root, run } from './cli.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

const str = (s: string) => JSON.stringify(s);

// ---- a Node server for the client operators ---------------------------------

let base = '';
let loopHits = 0;
const held: http.ServerResponse[] = [];
const BYTES = Buffer.from(Array.from({ length: 256 }, (_, k) => k));

const server = http.createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (b: Buffer) => parts.push(b));
  req.on('end', () => {
    const url = new URL(req.url!, 'http://x');
    const path = url.pathname;
    if (path === '/hello') return void res.end('hello, wörld');
    if (path === '/echo') {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Reply', 'Yes');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      return void res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(parts).toString() }));
    }
    const st = /^\/status\/(\d+)$/.exec(path);
    if (st) return void ((res.statusCode = Number(st[1])), res.end(`status ${st[1]}`));
    const hop = /^\/hops\/(\d+)$/.exec(path);
    if (hop) {
      const n = Number(hop[1]);
      if (n === 0) return void res.end(`landed after ${req.method}`);
      res.writeHead(302, { Location: `/hops/${n - 1}` });
      return void res.end();
    }
    if (path === '/r303' || path === '/r307') {
      res.writeHead(path === '/r303' ? 303 : 307, { Location: `${base}/echo` });
      return void res.end();
    }
    if (path === '/loop') {
      loopHits++;
      res.writeHead(302, { Location: '/loop' });
      return void res.end('again');
    }
    if (path === '/bytes') return void res.end(BYTES);
    if (path === '/slow') return void held.push(res);
    res.statusCode = 404;
    res.end('no such page');
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  for (const r of held) r.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('request', () => {
  it('GETs a page: status, lower-case headers and body, typed http-response', async () => {
    const out = await minOk(`{${str(base + '/hello')} :url} request :r
      r type puts! r /status puts! r /body puts! r /version puts!
      r /headers /content-length puts!`);
    expect(out).toBe('dict:http-response\n200\nhello, wörld\n1.1\n13\n');
  });

  it('sends the method, headers and body, and returns repeated headers joined', async () => {
    const out = await minOk(`{}
        ${str(base + '/echo?q=1')} 'url dset
        "post" 'method dset
        {"min" :x-from "text/plain" :Content-Type} 'headers dset
        "the body" 'body dset
      request :r
      r /headers /x-reply puts! r /headers /set-cookie puts! r /body puts!`);
    const [reply, cookies, body] = out.trimEnd().split('\n');
    expect(reply).toBe('Yes');
    expect(cookies).toBe('a=1, b=2');
    const seen = JSON.parse(body!);
    expect(seen).toMatchObject({ method: 'POST', url: '/echo?q=1', body: 'the body' });
    expect(seen.headers).toMatchObject({ 'x-from': 'min', 'content-type': 'text/plain', 'content-length': '8' });
    expect(seen.headers['user-agent']).toMatch(/^min http-module/);
  });

  it('returns error statuses as they are', async () => {
    const out = await minOk(`{${str(base + '/status/404')} :url} request :r r /status puts! r /body puts!
      {${str(base + '/status/503')} :url} request /status puts!`);
    expect(out).toBe('404\nstatus 404\n503\n');
  });

  it('accepts keys given as symbols in a dict literal', async () => {
    const out = await minOk(`${str(base + '/echo')} :u "PUT" :m {u :url m :method} request /body puts!`);
    expect(JSON.parse(out).method).toBe('PUT');
  });

  it('follows up to 5 redirects like Nim, then returns the last 3xx', async () => {
    loopHits = 0;
    const out = await minOk(`{${str(base + '/hops/5')} :url} request :r r /status puts! r /body puts!
      {${str(base + '/hops/3')} :url "DELETE" :method} request /body puts!
      {${str(base + '/loop')} :url} request :l l /status puts! l /headers /location puts!`);
    expect(out).toBe('200\nlanded after GET\nlanded after GET\n302\n/loop\n');
    expect(loopHits).toBe(6);
  });

  it('303 turns a POST into a GET without body; 307 repeats it', async () => {
    const out = await minOk(`{${str(base + '/r303')} :url "POST" :method "data" :body} request /body puts!
      {${str(base + '/r307')} :url "POST" :method "data" :body} request /body puts!`);
    const [a, b] = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(a).toMatchObject({ method: 'GET', body: '' });
    expect(b).toMatchObject({ method: 'POST', body: 'data' });
  });

  it('raises catchable errors: refused, unknown host, bad or missing url, bad keys, timeout', async () => {
    const port = await freePort();
    // No DNS traffic from tests (and no waiting on a resolver): the unknown host is unknown here.
    const real = dns.lookup;
    const lookup = vi.spyOn(dns, 'lookup').mockImplementation(((host: string, ...rest: unknown[]) => {
      if (host !== 'no-such-host.invalid') return (real as (...a: unknown[]) => void)(host, ...rest);
      const callback = rest.at(-1) as (e: Error) => void;
      process.nextTick(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host })));
    }) as typeof real);
    const r = await min([
      catching(`{"http://127.0.0.1:${port}/" :url} request`),
      catching(`{"http://no-such-host.invalid/" :url} request`),
      catching(`{"ftp://127.0.0.1/" :url} request`),
      catching(`{"::nonsense" :url} request`),
      catching(`{"GET" :method} request`),
      catching(`{${str(base)} :url 42 :body} request`),
      catching(`{${str(base)} :url "bad method" :method} request`),
      catching(`{${str(base + '/slow')} :url 150 :timeout} request`),
      '"still running" puts!',
    ].join('\n'));
    expect(lookup.mock.calls.some(([host]) => host === 'no-such-host.invalid')).toBe(true);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      `NetError GET http://127.0.0.1:${port}/: connection refused`,
      'NetError GET http://no-such-host.invalid/: host not found',
      'HttpError Unsupported URL scheme "ftp" in "ftp://127.0.0.1/": use http or https',
      'HttpError Invalid URL "::nonsense": expected something like http://host/path',
      'HttpError The request has no url: set it, e.g. "http://127.0.0.1:8080/" \'url dset',
      "HttpError The request's body must be a string, got 42",
      'HttpError Invalid HTTP method "BAD METHOD"',
      `TimeoutError timed out after 150 ms waiting for GET ${base}/slow`,
      'still running',
      '',
    ]);
  });

  it('only the calling task waits for a response', async () => {
    const out = await minOk(`({${str(base + '/hello')} :url} request /body puts!) spawn :t
      "first" puts! t wait pop`);
    expect(out).toBe('first\nhello, wörld\n');
  });
});

describe('get-content and download', () => {
  it('get-content pushes the body and follows redirects', async () => {
    expect(await minOk(`${str(base + '/hello')} get-content puts! ${str(base + '/hops/2')} get-content puts!`)).toBe('hello, wörld\nlanded after GET\n');
  });

  it('get-content raises an HttpError on 4xx and 5xx, as Nim\'s getContent does', async () => {
    const out = await minOk(`${catching(`${str(base + '/missing')} get-content`)}
      ${catching(`${str(base + '/status/500')} get-content`)}
      ${str(base + '/status/202')} http.get-content puts!`);
    expect(out).toBe(`HttpError GET ${base}/missing: 404 Not Found\nHttpError GET ${base}/status/500: 500 Internal Server Error\nstatus 202\n`);
  });

  it('download writes the body byte for byte, and no file on an error status', async () => {
    const tmp = tempDir();
    try {
      const out = await minOk(`${str(base + '/bytes')} ${str(tmp.path('b.bin'))} download
        ${catching(`${str(base + '/status/404')} ${str(tmp.path('none'))} download`)}
        ${catching(`${str(base + '/hello')} ${str(tmp.path('no/dir/f'))} http.download`)}`);
      expect(readFileSync(tmp.path('b.bin'))).toEqual(BYTES);
      expect(existsSync(tmp.path('none'))).toBe(false);
      expect(out.split('\n')[0]).toBe(`HttpError GET ${base}/status/404: 404 Not Found`);
      expect(out.split('\n')[1]).toMatch(/^IOError Cannot write .*no\/dir\/f: no such file or directory/);
    } finally {
      tmp.remove();
    }
  });
});

describe('https', () => {
  const pem = selfSigned('the https test');

  (pem ? it : it.skip)('requests over TLS, trusting a certificate through ca or insecure', async () => {
    const srv = https.createServer({ cert: pem!.cert, key: pem!.key }, (_q, s) => s.end('secure'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
    try {
      const r = await min(`{${str(url)} :url ${str(pem!.cert)} :ca} request /body puts!
        {${str(url)} :url true :insecure} request /body puts!
        ${catching(`${str(url)} get-content`)}`);
      expect(r.out).toBe(`secure\nsecure\nNetError GET ${url}: self-signed certificate (trust it with the ca key, or set insecure)\n`);
      expect(r.err).toBe('warning: insecure is set: TLS certificates are not checked, so the peer may be anyone\n');
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
    }
  });
});

// ---- min servers -------------------------------------------------------------

/** Node's http client, one connection per request. */
function fetchNode(port: number, path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

// /slow answers once five /slow handlers are running at the same time.
const SERVER = `
0 :slow-handlers
(
  :req req /url :url
  (
    (("/stop" url ==) ("stopping" puts! stop-server {"bye" :body}))
    (("/boom" url ==) ("x" 1 +))
    (("/nothing" url ==) ())
    (("/slow" url ==) (slow-handlers 1 + @slow-handlers (slow-handlers 5 <) (10 sleep) while {"slept" :body}))
    (("/teapot" url ==) ({418 :status "short and stout" :body {"tea" :x-kind} :headers}))
    ((true) (
      {}
        req /method 'method dset
        req /url 'url dset
        req /body 'body dset
        req /headers /x-test 'x-test dset
        req /hostname 'hostname dset
        req type 'type dset
      to-json :json
      {} json 'body dset {"application/json" :content-type} 'headers dset
    ))
  ) case
) :handler
{handler :handler 0 :port (/port "listening on $1" swap quote % puts!) :started} start-server
"server ended" puts!
`;

describe('start-server', () => {
  it('serves concurrent requests, answers 500 for failing handlers, and ends on stop-server', async () => {
    const tmp = tempDir();
    try {
      writeFileSync(tmp.path('server.min'), SERVER);
      const p = run([tmp.path('server.min')]);
      const port = Number((await p.waitFor(/listening on (\d+)\n/))[1]);

      const echo = await fetchNode(port, '/echo?x=1', { method: 'POST', body: 'payload', headers: { 'X-Test': 'yes' } });
      expect(echo.status).toBe(200);
      expect(echo.headers['content-type']).toBe('application/json');
      expect(JSON.parse(echo.body)).toEqual({ method: 'POST', url: '/echo?x=1', body: 'payload', 'x-test': 'yes', hostname: '127.0.0.1', type: 'dict:http-request' });

      const tea = await fetchNode(port, '/teapot');
      expect([tea.status, tea.body, tea.headers['x-kind'], tea.headers['content-length']]).toEqual([418, 'short and stout', 'tea', '15']);

      // Five slow requests at once: each handler is its own task, and each one waits until all
      // five are running (handled one after the other, the first would wait for ever).
      const slow = await Promise.all(Array.from({ length: 5 }, () => fetchNode(port, '/slow')));
      expect(slow.map((r) => r.body)).toEqual(Array(5).fill('slept'));

      const boom = await fetchNode(port, '/boom');
      expect(boom.status).toBe(500);
      const nothing = await fetchNode(port, '/nothing');
      expect(nothing.status).toBe(500);
      // The handler's error reaches stderr in its own time, not necessarily before the response.
      await p.waitForErr(/\(task \d+\) .*\[\+\] MinInvalidError: Incorrect values found on the stack/);
      await p.waitForErr(/\(task \d+\) start-server handler: HttpError: The handler must leave a response dict on the stack, got /);

      // The server is still up after the failures.
      expect((await fetchNode(port, '/again', { headers: { 'X-Test': 'again' } })).status).toBe(200);

      const bye = await fetchNode(port, '/stop');
      expect([bye.status, bye.body]).toEqual([200, 'bye']);
      expect(await p.exit).toBe(0);
      expect(p.out()).toMatch(/stopping\nserver ended\n$/);
      await expect(fetchNode(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      tmp.remove();
    }
  });

  const curl = (() => {
    try {
      execFileSync('curl', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const curlRun = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile('curl', ['-s', '--noproxy', '*', ...args], (e, out) => (e ? reject(e) : resolve(out))),
    );

  (curl ? it : it.skip)('is driven by curl (keep-alive connections included)', async () => {
    const tmp = tempDir();
    try {
      writeFileSync(tmp.path('server.min'), SERVER);
      const p = run([tmp.path('server.min')]);
      const port = Number((await p.waitFor(/listening on (\d+)\n/))[1]);
      const u = `http://127.0.0.1:${port}`;
      const out = await curlRun(['-X', 'PUT', '-H', 'X-Test: from curl', '--data-binary', 'curl body', `${u}/a`, `${u}/b?c=d`]);
      const [a, b] = out.split('}{').map((s, k) => JSON.parse(k === 0 ? s + '}' : '{' + s));
      expect(a).toMatchObject({ method: 'PUT', url: '/a', body: 'curl body', 'x-test': 'from curl' });
      expect(b).toMatchObject({ url: '/b?c=d' });
      expect(await curlRun(['-o', '/dev/null', '-w', '%{http_code}', `${u}/boom`])).toBe('500');
      expect(await curlRun([`${u}/stop`])).toBe('bye');
      expect(await p.exit).toBe(0);
    } finally {
      tmp.remove();
    }
  });

  it('min client and server in one program; errors for a busy port and stop-server outside a server', async () => {
    const out = await minOk(`
      {(pop {"pong" :body}) :handler 0 :port
       (:cfg
         "http://127.0.0.1:$1/" (cfg /port) => % :u
         u get-content puts!
         ${catching(`{(pop {}) :handler} cfg /port 'port dset start-server`)}
         stop-server) :started} start-server
      "done" puts!
      ${catching('stop-server')}`);
    expect(out).toMatch(/^pong\nNetError cannot listen on 127\.0\.0\.1:\d+: address already in use\ndone\nHttpError stop-server: no HTTP server is running\n$/);
  });

  it('requires a handler quotation and a string address', async () => {
    const out = await minOk(`${catching('{0 :port} start-server')}
      ${catching('{0 :port 3 :handler} start-server')}
      ${catching('{1 :address 0 :port (pop {}) :handler} start-server')}`);
    expect(out).toBe(
      "HttpError The server's handler is missing: give it a quotation taking a request dict and leaving a response dict (or routes, or static directories)\n" +
        "HttpError The server's handler must be a quotation, got 3\n" +
        "HttpError The server's address must be a string, got 1\n",
    );
  });
});

describe('examples/http-server.min', () => {
  it("runs the reference's example on a free port until /shutdown", async () => {
    const p = run([example('http-server.min')]);
    const port = Number((await p.waitFor(/Server started on port (\d+)\.\n/))[1]);
    const home = await fetchNode(port, '/');
    expect(home.body).toContain("<a href='/datetime'>datetime</a>");
    expect((await fetchNode(port, '/timestamp')).body).toMatch(/^\d+$/);
    expect((await fetchNode(port, '/datetime')).body).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await fetchNode(port, '/what')).body).toBe('Invalid Request: /what');
    expect((await fetchNode(port, '/shutdown')).body).toBe('Stopped.');
    expect(await p.exit).toBe(0);
    expect(p.out()).toContain("THE URL is '/what'.");
    expect(p.out()).toMatch(/Stopping server\.\.\.\n.*\nServer stopped\.\n$/);
  });
});
