// start-server's routes, static directories, WebSocket routes, streaming
// bodies, keep-alive and its timeout, driven by Node's http client, raw TCP
// and the ws package against min servers running in-process on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { minPrinted, startMin, tempDir, type LiveMin } from './peers.js';
import { waitFor } from '../wait.js';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request; the path goes out exactly as written. */
function get(port: number, path: string, o: { method?: string; headers?: http.OutgoingHttpHeaders; agent?: http.Agent } = {}): Promise<Got & { local: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers, agent: o.agent ?? false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString(), local: req.socket!.localPort! }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Start a min server program printing "port N" once it listens. */
async function server(code: string): Promise<{ p: LiveMin; port: number }> {
  const p = startMin(code);
  await minPrinted(p, 'port ');
  return { p, port: Number(/port (\d+)/.exec(p.out())![1]) };
}

const started = '(:srv "port $1" (srv /port) => % puts!) :started';

const files = tempDir();
const pub = files.path('pub');
let main: { p: LiveMin; port: number };
let port = 0;

beforeAll(async () => {
  mkdirSync(join(pub, 'sub'), { recursive: true });
  mkdirSync(join(pub, 'empty'));
  writeFileSync(join(pub, 'index.html'), '<h1>home</h1>\n');
  writeFileSync(join(pub, 'a.txt'), 'abcdefghij');
  writeFileSync(join(pub, 'style.css'), 'h1 {}');
  writeFileSync(join(pub, 'sub', 'index.html'), 'sub page');
  writeFileSync(join(pub, '.hidden'), 'hidden');
  writeFileSync(files.path('secret.txt'), 'secret');
  utimesSync(join(pub, 'a.txt'), new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
  symlinkSync(join(pub, 'a.txt'), join(pub, 'inside-link.txt'));
  symlinkSync(files.path('secret.txt'), join(pub, 'outside-link.txt'));
  symlinkSync(files.dir, join(pub, 'outside-dir'));
  main = await server(`{
    0 :port
    (
      ("GET /users/:id" (:req (req /query 'q dhas?) (req /query /q) ("-") if :q {} "user $1, q=$2" (req /params /id q) => % 'body dset))
      ("POST /users" (pop {} 201 'status dset "made" 'body dset))
      ("DELETE /users/:id" (pop {} 204 'status dset))
      ("ANY /any/*rest" (:req {} "$1 $2 $3" (req /method req /params /rest req /path) => % 'body dset))
      ("GET /whoami" (:req {} req /port string 'body dset))
      ("GET /clock" (pop {} {"text/event-stream" :content-type} 'headers dset
         (:w (1 2 3) (:n w "data: tick $1\\n\\n" (n) => % send) foreach w close) 'body dset))
      ("GET /unclosed" (pop {} (:w w "part one," send w "part two" send) 'body dset))
      ("WS /chat" (:s s recv-line :line s "echo: $1 from $2" (line s /headers /x-name) => % send))
      ("WS /room/:name" (:s s "room $1 q=$2" (s /params /name s /query /q) => % send))
      ("WS /message" (:s s recv-message :m s "$1 $2" (m /type m /data length) => % send s close))
      ("GET /flood" (pop {} (:w w 300 %timeout @w 0 :n
         (((true) (w "x" 65536 repeat send n 1 + @n) while) (:e "blocked after $1 chunks: $2" (n e /error) => % puts!)) try) 'body dset))
      ("GET /stop" (pop stop-server {} "stopping" 'body dset))
    ) :routes
    (("/files" ${JSON.stringify(pub)})) :static
    ${started}
  } start-server`);
  port = main.port;
});

afterAll(async () => {
  await get(port, '/stop');
  await main.p.ok();
  files.remove();
});

describe('routes', () => {
  it('run the handler of the first matching route with params and query dicts', async () => {
    expect((await get(port, '/users/42?q=min%20lang')).body).toBe('user 42, q=min lang');
    expect((await get(port, '/users/7')).body).toBe('user 7, q=-');
    const made = await get(port, '/users', { method: 'POST' });
    expect([made.status, made.body]).toEqual([201, 'made']);
    expect((await get(port, '/any/x/y?z=1', { method: 'PATCH' })).body).toBe('PATCH x/y /any/x/y');
  });

  it('match after percent-decoding and dot-segment removal', async () => {
    expect((await get(port, '/a/../users/9')).body).toBe('user 9, q=-');
    expect((await get(port, '/users/%37')).body).toBe('user 7, q=-');
    expect((await get(port, '/x/%2e%2e/users/a%2Fb')).body).toBe('user a/b, q=-');
  });

  it('answer 404 when no route matches and there is no handler', async () => {
    const r = await get(port, '/nothing/here');
    expect([r.status, r.body]).toEqual([404, 'Not Found\n']);
  });

  it('answer 405 with Allow when the path takes other methods', async () => {
    const r = await get(port, '/users/3', { method: 'PUT' });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD, DELETE');
    expect((await get(port, '/users/3', { method: 'DELETE' })).status).toBe(204);
  });

  it('answer 426 to a plain request for a WebSocket route', async () => {
    const r = await get(port, '/chat');
    expect(r.status).toBe(426);
    expect(r.headers.upgrade).toBe('websocket');
  });

  it('answer 400 to a malformed path', async () => {
    expect((await get(port, '/users/%zz')).status).toBe(400);
  });

  it('leave the rest to the handler when there is one', async () => {
    const s = await server(`{ 0 :port
      (("GET /r" (pop {} "route" 'body dset))) :routes
      (:req {} "handler $1 $2" (req /method req /path) => % 'body dset) :handler
      ${started} } start-server`);
    expect((await get(s.port, '/r')).body).toBe('route');
    expect((await get(s.port, '/else/./x')).body).toBe('handler GET /else/x');
    await get(s.port, '/stop');
    s.p.done.then(() => {});
  });

  it('refuse keys of the wrong kind when the server starts', async () => {
    const p = startMin(`(({0 :port 3 :routes} start-server) (:e e /message puts!)) try
      (({0 :port (("/x" "/nowhere/at/all")) :static} start-server) (:e e /message puts!)) try
      (({0 :port ("/x") :static} start-server) (:e e /message puts!)) try
      (({0 :port (1) :origins (pop {}) :handler} start-server) (:e e /message puts!)) try
      (({0 :port "soon" :timeout (pop {}) :handler} start-server) (:e e /message puts!)) try`);
    expect(await p.ok()).toBe(
      "The server's routes must be a quotation of routes such as (\"GET /users/:id\" (handler)), got 3\n" +
        'The static directory "/nowhere/at/all" (for /x) is not a directory that can be read\n' +
        "The server's static must hold pairs such as (\"/files\" \"public\"), got \"/x\"\n" +
        "The server's origins must be a quotation of strings such as (\"http://127.0.0.1:8080\"), got (1)\n" +
        "The server's timeout must be a number of milliseconds, got \"soon\"\n",
    );
  });

  it('refuse a malformed route when the server starts', async () => {
    const p = startMin(`(({0 :port (("GET users" (pop {}))) :routes} start-server) (:e e /error print! " " print! e /message puts!)) try
      (({0 :port (("GET /a" 3)) :routes} start-server) (:e e /message puts!)) try`);
    expect(await p.ok()).toBe(
      'HttpError Invalid route "GET users": expected a method and a path, as "GET /users/:id"\n' +
        "The server's routes must hold routes such as (\"GET /users/:id\" (handler)), got (\"GET /a\" 3)\n",
    );
  });
});

describe('static directories', () => {
  it('serve files with their Content-Type, Last-Modified and ETag', async () => {
    const r = await get(port, '/files/a.txt');
    expect([r.status, r.body]).toEqual([200, 'abcdefghij']);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['last-modified']).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(r.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect((await get(port, '/files/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serve index.html for a directory, redirecting to its name with a slash', async () => {
    expect((await get(port, '/files/')).body).toBe('<h1>home</h1>\n');
    expect((await get(port, '/files/sub/')).body).toBe('sub page');
    const r = await get(port, '/files/sub?x=1');
    expect([r.status, r.headers.location]).toEqual([301, '/files/sub/?x=1']);
    expect((await get(port, '/files/empty/')).status).toBe(404);
  });

  it('answer 304 to a client whose copy is current', async () => {
    const { headers } = await get(port, '/files/a.txt');
    expect((await get(port, '/files/a.txt', { headers: { 'If-None-Match': headers.etag } })).status).toBe(304);
    expect((await get(port, '/files/a.txt', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    expect((await get(port, '/files/a.txt', { headers: { 'If-Modified-Since': 'Tue, 02 Jan 2024 03:04:05 GMT' } })).status).toBe(304);
    expect((await get(port, '/files/a.txt', { headers: { 'If-Modified-Since': 'Mon, 01 Jan 2024 00:00:00 GMT' } })).status).toBe(200);
  });

  it('answer ranges with 206, and 416 when they lie outside the file', async () => {
    const r = await get(port, '/files/a.txt', { headers: { Range: 'bytes=2-4' } });
    expect([r.status, r.body, r.headers['content-range']]).toEqual([206, 'cde', 'bytes 2-4/10']);
    expect((await get(port, '/files/a.txt', { headers: { Range: 'bytes=-3' } })).body).toBe('hij');
    expect((await get(port, '/files/a.txt', { headers: { Range: 'bytes=7-' } })).body).toBe('hij');
    const bad = await get(port, '/files/a.txt', { headers: { Range: 'bytes=50-60' } });
    expect([bad.status, bad.headers['content-range']]).toEqual([416, 'bytes */10']);
    const stale = await get(port, '/files/a.txt', { headers: { Range: 'bytes=0-1', 'If-Range': '"old"' } });
    expect([stale.status, stale.body]).toEqual([200, 'abcdefghij']);
  });

  it('answer HEAD with the headers only', async () => {
    const r = await get(port, '/files/a.txt', { method: 'HEAD' });
    expect([r.status, r.headers['content-length'], r.body]).toEqual([200, '10', '']);
  });

  it('follow symbolic links that stay inside the directory', async () => {
    expect((await get(port, '/files/inside-link.txt')).body).toBe('abcdefghij');
  });

  const outside: [string, string][] = [
    ['..', '/files/../secret.txt'],
    ['.. after a directory', '/files/sub/../../secret.txt'],
    ['%2e%2e', '/files/%2e%2e/secret.txt'],
    ['%2E%2E with %2f', '/files/%2E%2E%2fsecret.txt'],
    ['%2f', '/files/..%2fsecret.txt'],
    ['backslash', '/files/..\\secret.txt'],
    ['%5c', '/files/..%5csecret.txt'],
    ['an absolute path', `/files/${files.path('secret.txt')}`],
    ['an encoded absolute path', `/files/${encodeURIComponent(files.path('secret.txt'))}`],
    ['NUL', '/files/a.txt%00.html'],
    ['a symbolic link to a file outside', '/files/outside-link.txt'],
    ['a symbolic link to a directory outside', '/files/outside-dir/secret.txt'],
    ['a dot file', '/files/.hidden'],
  ];
  for (const [what, path] of outside) {
    it(`serve nothing outside the directory: ${what} gives 404`, async () => {
      const r = await get(port, path);
      expect(r.status).toBe(404);
      expect(r.body).not.toMatch(/secret|hidden/);
    });
  }
});

/** Open a WebSocket and collect what comes. */
function wsClient(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; got: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const got: string[] = [];
    ws.on('message', (m) => got.push(String(m)));
    ws.once('open', () => resolve({ ws, got }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('WebSocket routes', () => {
  it('upgrade on the same port and run the handler with a ws socket dict', async () => {
    const { ws, got } = await wsClient(`ws://127.0.0.1:${port}/chat`, { 'X-Name': 'ann' });
    ws.send('hello');
    await waitFor(() => got.length > 0, { what: 'the echo' });
    expect(got).toEqual(['echo: hello from ann']);
    ws.close();
  });

  it('give the socket dict the route params and the query', async () => {
    const { ws, got } = await wsClient(`ws://127.0.0.1:${port}/room/blue?q=1`);
    await waitFor(() => got.length > 0, { what: 'the greeting' });
    expect(got).toEqual(['room blue q=1']);
    ws.close();
  });

  it('give recv-message and close on the socket dict', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/message`);
    const got: string[] = [];
    let code = 0;
    ws.on('message', (m) => got.push(String(m)));
    ws.on('close', (c) => (code = c));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => code !== 0, { what: 'the close', state: () => got.join('\n') });
    expect([got, code]).toEqual([['binary 3'], 1000]);
  });

  it('end when the server stops: the handler reads the end, the client gets 1001', async () => {
    const s = await server(`{ 0 :port
      (("WS /wait" (:s s "ready" send (s recv-line "" !=) () while "handler saw the end" puts!)) ("GET /stop" (pop stop-server {}))) :routes
      ${started} } start-server`);
    const { ws, got } = await wsClient(`ws://127.0.0.1:${s.port}/wait`);
    let code = 0;
    ws.on('close', (c) => (code = c));
    await waitFor(() => got.includes('ready'), { what: 'the handler' });
    await get(s.port, '/stop');
    expect(await s.p.ok()).toMatch(/handler saw the end\n$/);
    await waitFor(() => code !== 0, { what: 'the close' });
    expect(code).toBe(1001);
  });

  it('work on IPv6, with the socket dict saying so', async () => {
    const s = await server(`{ "::1" :address 0 :port
      (("WS /where" (:s s "$1 $2" (s /domain s /address) => % send)) ("GET /stop" (pop stop-server {}))) :routes
      ${started} } start-server`);
    const { ws, got } = await wsClient(`ws://[::1]:${s.port}/where`);
    await waitFor(() => got.length > 0, { what: 'the answer' });
    expect(got).toEqual(['ipv6 ::1']);
    ws.close();
    await new Promise<void>((resolve) => http.get({ host: '::1', port: s.port, path: '/stop', agent: false }, (r) => r.resume().on('end', resolve)));
    await s.p.ok();
  });

  it('refuse an upgrade for a path no WS route takes', async () => {
    await expect(wsClient(`ws://127.0.0.1:${port}/users/1`)).rejects.toThrow('status 404');
  });

  it('limit the origins with the server dict\'s origins', async () => {
    const s = await server(`{ 0 :port ("http://good.example") :origins
      (("WS /ws" (:s s "hi" send s recv-line pop "ws done" puts!)) ("GET /stop" (pop stop-server {}))) :routes
      ${started} } start-server`);
    await expect(wsClient(`ws://127.0.0.1:${s.port}/ws`, { Origin: 'http://evil.example' })).rejects.toThrow('status 403');
    await expect(wsClient(`ws://127.0.0.1:${s.port}/ws`)).rejects.toThrow('status 403');
    const { ws, got } = await wsClient(`ws://127.0.0.1:${s.port}/ws`, { Origin: 'http://good.example' });
    await waitFor(() => got.length > 0, { what: 'the greeting' });
    ws.close();
    await minPrinted(s.p, 'ws done');
    await get(s.port, '/stop');
    expect(await s.p.ok()).toMatch(/^port \d+\nws done\n$/);
  });
});

describe('streaming bodies', () => {
  it('send each chunk as it is written (chunked) and end with close', async () => {
    const chunks: string[] = [];
    const r = await new Promise<http.IncomingMessage>((resolve) => http.get({ host: '127.0.0.1', port, path: '/clock', agent: false }, resolve));
    r.setEncoding('utf8');
    r.on('data', (s: string) => chunks.push(s));
    await new Promise((resolve) => r.on('end', resolve));
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.headers['content-type']).toBe('text/event-stream');
    expect(chunks.join('')).toBe('data: tick 1\n\ndata: tick 2\n\ndata: tick 3\n\n');
  });

  it('end the response when the quotation ends without close', async () => {
    expect((await get(port, '/unclosed')).body).toBe('part one,part two');
  });

  it('wait for a client that does not read, within the writer\'s timeout, and serve others meanwhile', async () => {
    const sock = net.connect(port, '127.0.0.1');
    sock.pause();
    sock.write('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n');
    // Others are answered while the stream is held up.
    expect((await get(port, '/users/5')).body).toBe('user 5, q=-');
    const line = await minPrinted(main.p, 'blocked after ').then(() => /blocked after (\d+) chunks: (\w+)/.exec(main.p.out())!);
    expect(line[2]).toBe('TimeoutError');
    // Far less than a client that reads would take: the chunks wait in the socket, not in memory.
    expect(Number(line[1])).toBeLessThan(2000);
    sock.destroy();
  });

  it('cut the response off when the quotation fails, so the client does not take it for whole', async () => {
    const s = await server(`{ 0 :port
      (("GET /broken" (pop {} (:w w "half of it" send {"oops" :message} raise) 'body dset)) ("GET /stop" (pop stop-server {}))) :routes
      ${started} } start-server`);
    await expect(get(s.port, '/broken')).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
    await get(s.port, '/stop');
    const r = await s.p.done;
    expect(r.err).toContain('oops');
  });

  it('answer HEAD without running the body', async () => {
    const r = await get(port, '/clock', { method: 'HEAD' });
    expect([r.status, r.body]).toEqual([200, '']);
  });
});

describe('connections', () => {
  it('are kept alive between requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const a = await get(port, '/whoami', { agent });
    const b = await get(port, '/whoami', { agent });
    agent.destroy();
    expect(a.body).toBe(String(a.local));
    expect(b.body).toBe(a.body);
  });

  it('answer pipelined requests in order', async () => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    s.setEncoding('utf8').on('data', (d: string) => (text += d));
    s.write('GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /users/2 HTTP/1.1\r\nHost: x\r\n\r\nGET /users/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => s.on('close', resolve));
    expect([...text.matchAll(/user (\d)/g)].map((m) => m[1])).toEqual(['1', '2', '3']);
  });

  it('do not keep a stopped server waiting when they never brought a request', async () => {
    const s = await server(`{ 0 :port (("GET /stop" (pop stop-server {}))) :routes ${started} } start-server "stopped" puts!`);
    const early = net.connect(s.port, '127.0.0.1');
    early.on('error', () => {});
    await new Promise((resolve) => early.once('connect', resolve));
    await get(s.port, '/stop');
    expect(await s.p.ok()).toMatch(/stopped\n$/);
    early.destroy();
  });

  it('answer 408 when the request itself does not come within the timeout', async () => {
    const s = await server(`{ 0 :port 300 :timeout (("POST /in" (pop {} "took it" 'body dset)) ("GET /stop" (pop stop-server {}))) :routes ${started} } start-server`);
    const sock = net.connect(s.port, '127.0.0.1');
    let text = '';
    sock.setEncoding('utf8').on('data', (d: string) => (text += d));
    sock.write('POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n1');
    await waitFor(() => text.startsWith('HTTP/1.1 408'), { what: 'a 408', state: () => text });
    sock.destroy();
    await get(s.port, '/stop');
    await s.p.ok();
  });

  it('answer 503 when the handler takes longer than the timeout', async () => {
    const s = await server(`{ 0 :port 300 :timeout
      (("GET /slow" (pop 3000 sleep {} "late" 'body dset)) ("GET /fast" (pop {} "fast" 'body dset)) ("GET /stop" (pop stop-server {}))) :routes
      ${started} } start-server`);
    const t = Date.now();
    const r = await get(s.port, '/slow');
    expect(r.status).toBe(503);
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    expect(r.body).toContain('timeout (300 ms)');
    expect((await get(s.port, '/fast')).body).toBe('fast');
    await get(s.port, '/stop');
  });
});
