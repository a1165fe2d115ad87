// WebSockets against the ws package on both sides: a min client and a Node
// server, a Node client and a min server, and min to min (serve with many
// clients, wss with a certificate made for the test, ipv6, unix sockets).
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { catching, min, minOk, selfSigned, tempDir, withMinServer } from './peers.js';

interface WsPeer {
  port: number;
  /** Connections in arrival order, with the request that opened them. */
  conns: { ws: WebSocket; req: http.IncomingMessage }[];
  conn(n?: number): Promise<{ ws: WebSocket; req: http.IncomingMessage }>;
  close(): Promise<void>;
}

const servers: WsPeer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A ws server on loopback running `onConn` for each connection. */
async function wsServer(
  onConn: (ws: WebSocket, req: http.IncomingMessage) => void = () => {},
  opts: { host?: string; server?: https.Server; perMessageDeflate?: boolean } = {},
): Promise<WsPeer> {
  const wss = opts.server
    ? new WebSocketServer({ server: opts.server, perMessageDeflate: opts.perMessageDeflate ?? false })
    : new WebSocketServer({ host: opts.host ?? '127.0.0.1', port: 0, perMessageDeflate: opts.perMessageDeflate ?? false });
  if (opts.server) opts.server.listen(0, '127.0.0.1');
  await once(opts.server ?? wss, 'listening');
  const conns: WsPeer['conns'] = [];
  const waiting: { n: number; res: (c: WsPeer['conns'][number]) => void }[] = [];
  wss.on('connection', (ws, req) => {
    ws.on('error', () => {});
    conns.push({ ws, req });
    onConn(ws, req);
    for (const w of waiting.filter((x) => x.n < conns.length)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.res(conns[w.n]!);
    }
  });
  const peer: WsPeer = {
    port: ((opts.server ?? wss).address() as AddressInfo).port,
    conns,
    conn: (n = 0) => (conns[n] ? Promise.resolve(conns[n]!) : new Promise((res) => waiting.push({ n, res }))),
    close: () =>
      new Promise<void>((res) => {
        for (const c of conns) c.ws.terminate();
        wss.close(() => (opts.server ? opts.server.close(() => res()) : res()));
      }),
  };
  servers.push(peer);
  return peer;
}

const echo = (ws: WebSocket) => ws.on('message', (d, isBinary) => ws.send(d as Buffer, { binary: isBinary }));

/** What the peer's close event reports. */
const closed = (ws: WebSocket) =>
  new Promise<[number, string]>((res) => ws.on('close', (code, reason) => res([code, reason.toString()])));

/** Connect a Node ws client, retrying briefly until the min side listens. */
async function nodeWs(url: string, opts: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, opts);
  ws.on('error', () => {});
  await once(ws, 'open');
  return ws;
}

const nextMessage = (ws: WebSocket) =>
  new Promise<{ data: Buffer; binary: boolean }>((res) => ws.once('message', (d, binary) => res({ data: d as Buffer, binary })));

describe('a min client and a ws server', () => {
  it('sends and receives text and binary messages', async () => {
    const srv = await wsServer(echo);
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      c /address puts! c /port ${srv.port} == puts!
      c "héllo ✓ 🎉" send c recv-line puts!
      c "two\\r\\n" send c recv-line puts!
      c "" send c recv-line "\\r\\n" == puts!
      c "caf\\u00e9\\u0000\\u00ff" send-binary c recv-message :m
      m /type puts! m /data "caf\\u00e9\\u0000\\u00ff" == puts! m /data length puts!
      c "whole" send c 2 recv puts!`);
    expect(out).toBe('127.0.0.1\ntrue\nhéllo ✓ 🎉\ntwo\ntrue\nbinary\ntrue\n6\nwhole\n');
  });

  it('puts the bytes of send-binary on the wire, and text as UTF-8 text frames', async () => {
    const got: { data: Buffer; binary: boolean }[] = [];
    const srv = await wsServer((ws) => ws.on('message', (d, binary) => got.push({ data: d as Buffer, binary })));
    // The messages come before the close.
    const over = srv.conn().then(({ ws }) => closed(ws));
    await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      c "\\u0000\\u0001\\u007f\\u0080\\u00fe\\u00ff" send-binary c "é" send c close`);
    await over;
    expect(got).toEqual([
      { data: Buffer.from([0, 1, 0x7f, 0x80, 0xfe, 0xff]), binary: true },
      { data: Buffer.from('é'), binary: false },
    ]);
  });

  it('receives every byte value of a binary message as one character each', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, k) => k));
    const srv = await wsServer((ws) => {
      ws.send(all, { binary: true });
      // Whatever comes back is compared byte for byte.
      ws.on('message', (d) => ws.send(Buffer.compare(d as Buffer, all) === 0 ? 'same' : 'different'));
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      c recv-message :m m /type puts! m /data length puts!
      c m /data send-binary c recv-line puts!`);
    expect(out).toBe('binary\n256\nsame\n');
  });

  it('moves 1 MB messages both ways, text and binary', async () => {
    const big = Buffer.alloc(1 << 20);
    for (let k = 0; k < big.length; k++) big[k] = (k * 7 + (k >> 8)) & 0xff;
    let back: Buffer | null = null;
    const srv = await wsServer((ws) => {
      ws.send(big, { binary: true });
      ws.on('message', (d, isBinary) => {
        if (isBinary) back = d as Buffer;
        else ws.send(d as Buffer, { binary: false });
      });
    });
    const out = await minOk(`{"ws" :protocol 30000 :timeout 4194304 :max-line} socket "127.0.0.1" ${srv.port} connect :c
      c recv-message /data :b b length puts!
      c b send-binary
      "ü✓" 349525 repeat :t
      c t send c recv-line :u u length puts! u t == puts!`);
    expect(out).toBe(`${1 << 20}\n${2 * 349525}\ntrue\n`);
    expect(back).not.toBeNull();
    expect(Buffer.compare(back!, big)).toBe(0);
  });

  it('stops reading while a lot waits unread, so a fast sender is held back, and loses nothing', async () => {
    let buffered = -1;
    const srv = await wsServer((ws) => {
      for (let k = 0; k < 40; k++) ws.send(Buffer.alloc(1 << 20, 97 + (k % 26)), { binary: false });
      setTimeout(() => (buffered = ws.bufferedAmount), 300);
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      400 sleep
      0 :n 0 :bytes
      (n 40 <) (c recv-line length bytes + @bytes n 1 + @n) while
      bytes puts!`);
    expect(out).toBe(`${40 << 20}\n`);
    // Most of the 40 MB was still waiting on the sender's side.
    expect(buffered).toBeGreaterThan(20 << 20);
  });

  it('answers pings, sees them in recv-message, and gets pongs for its own', async () => {
    let pinged = false;
    const srv = await wsServer((ws) => {
      ws.on('ping', () => (pinged = true));
      ws.on('message', () => ws.ping(Buffer.from('knock')));
    });
    const pong = new Promise<string>((res) => void srv.conn().then(({ ws }) => ws.on('pong', (d) => res(d.toString()))));
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      c ping c recv-message puts!
      c "go" send c recv-message puts!`);
    expect(out).toBe('{"" :data "pong" :type ;ws-message}\n{"knock" :data "ping" :type ;ws-message}\n');
    expect(pinged).toBe(true);
    expect(await pong).toBe('knock');
  });

  it('recv and recv-line skip pings and pongs', async () => {
    const srv = await wsServer((ws) => {
      ws.ping();
      ws.ping();
      ws.send('after the pings');
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c c ping c recv-line puts!`);
    expect(out).toBe('after the pings\n');
  });

  it('sends its path and headers with the handshake', async () => {
    const srv = await wsServer((ws, req) => ws.send(`${req.url} ${req.headers['x-token']} ${req.headers['authorization']}`));
    const out = await minOk(`{"ws" :protocol "/room/7?user=ann" :path {"s3cr3t" :x-token "Bearer abc" :Authorization} :headers} socket
      "localhost" ${srv.port} connect recv-line puts!`);
    expect(out).toBe('/room/7?user=ann s3cr3t Bearer abc\n');
  });

  it('close does the close handshake with 1000, close-with with its code and reason', async () => {
    const srv = await wsServer();
    const run = minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect close
      {"ws" :protocol} socket "127.0.0.1" ${srv.port} connect 4321 "bye ✓" close-with`);
    const a = closed((await srv.conn(0)).ws);
    const b = closed((await srv.conn(1)).ws);
    await run;
    expect(await a).toEqual([1000, '']);
    expect(await b).toEqual([4321, 'bye ✓']);
  });

  it('closes with 1001 (going away) what is still open when the program ends', async () => {
    const srv = await wsServer();
    const run = minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect pop`);
    const c = closed((await srv.conn()).ws);
    await run;
    expect(await c).toEqual([1001, '']);
  });

  it('sees the peer close: a close message, then "" from recv and recv-line, again and again', async () => {
    const srv = await wsServer((ws) => {
      ws.send('last words');
      ws.close(4002, 'done here');
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      c recv-line puts!
      c recv-message puts!
      c recv-line "" == puts! c 10 recv "" == puts!
      c recv-message /code puts!
      ${catching('c "too late" send')}`);
    expect(out).toBe(
      'last words\n{4002 :code "" :data "done here" :reason "close" :type ;ws-message}\ntrue\ntrue\n4002\nNetError the peer has closed the WebSocket (4002)\n',
    );
  });

  it('reports code 1005 for a close frame without a code', async () => {
    const srv = await wsServer((ws) => ws.close());
    expect(await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect recv-message puts!`)).toBe(
      '{1005 :code "" :data "" :reason "close" :type ;ws-message}\n',
    );
  });

  it('negotiates permessage-deflate only when asked to', async () => {
    const srv = await wsServer(echo, { perMessageDeflate: true });
    const text = 'compressible '.repeat(1000);
    const out = await minOk(`{"ws" :protocol true :deflate} socket "127.0.0.1" ${srv.port} connect :c
      c "${text}" send c recv-line length puts!
      {"ws" :protocol} socket "127.0.0.1" ${srv.port} connect "plain" send`);
    expect(out).toBe(`${text.length}\n`);
    const [a, b] = [await srv.conn(0), await srv.conn(1)];
    expect(a.req.headers['sec-websocket-extensions']).toContain('permessage-deflate');
    expect(a.ws.extensions).toContain('permessage-deflate');
    expect(b.req.headers['sec-websocket-extensions']).toBeUndefined();
  });

  it('connects over IPv6', async () => {
    const srv = await wsServer(echo, { host: '::1' });
    const out = await minOk(`{"ipv6" :domain "ws" :protocol} socket "::1" ${srv.port} connect :c
      c /address puts! c "six" send c recv-line puts!`);
    expect(out).toBe('::1\nsix\n');
  });
});

describe('a ws client and a min server', () => {
  it('accept fills in address, port, path, headers and protocol; messages go both ways', async () => {
    const code = `{"ws" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :c
      c /protocol puts! c /path puts! c /headers /x-name puts! c /address puts!
      c /headers /host "127.0.0.1:" match? puts!
      c recv-message :m m /type puts!
      c m /data send-binary
      c recv-line :l c "got $1" (l) => % send
      c recv-message puts!`;
    const { out, client } = await withMinServer(code, async (port) => {
      const ws = await nodeWs(`ws://127.0.0.1:${port}/some/where?x=1`, { headers: { 'X-Name': 'zoé' } });
      const replies: { data: Buffer; binary: boolean }[] = [];
      ws.send(Buffer.from([1, 2, 255]), { binary: true });
      replies.push(await nextMessage(ws));
      ws.send('line ✓');
      replies.push(await nextMessage(ws));
      ws.close(3003, 'finished');
      await once(ws, 'close');
      return replies;
    });
    expect(out).toBe(
      'ws\n/some/where?x=1\nzoé\n127.0.0.1\ntrue\nbinary\n{3003 :code "" :data "finished" :reason "close" :type ;ws-message}\n',
    );
    expect(client[0]).toEqual({ data: Buffer.from([1, 2, 255]), binary: true });
    expect(client[1]!.data.toString()).toBe('got line ✓');
    expect(client[1]!.binary).toBe(false);
  });

  it('answers 404 to a path other than its own, and 426 to a plain HTTP request', async () => {
    const code = `{"ws" :protocol "/chat" :path} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept /path puts!`;
    const { out, client } = await withMinServer(code, async (port) => {
      const wrong = new WebSocket(`ws://127.0.0.1:${port}/other`);
      const status = await new Promise<number>((res) => {
        wrong.on('unexpected-response', (_req, r) => {
          res(r.statusCode ?? 0);
          wrong.terminate();
        });
        wrong.on('error', () => res(-1));
      });
      const plain = await new Promise<number>((res) => http.get(`http://127.0.0.1:${port}/chat`, (r) => (r.resume(), res(r.statusCode ?? 0))));
      const ok = await nodeWs(`ws://127.0.0.1:${port}/chat?room=2`);
      ok.close();
      return [status, plain];
    });
    expect(client).toEqual([404, 426]);
    expect(out).toBe('/chat?room=2\n');
  });

  it('serves 50 Node clients at once with serve', async () => {
    const code = `{"ws" :protocol 30000 :timeout} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      0 :done
      (srv (:c c recv-line :l c "$1 back" (l) => % send c recv-message pop done 1 + @done (done 50 ==) (srv close) when) serve) spawn :server
      server wait pop done puts!`;
    const { out, client } = await withMinServer(code, async (port) => {
      const clients = await Promise.all(Array.from({ length: 50 }, () => nodeWs(`ws://127.0.0.1:${port}/`)));
      const replies = await Promise.all(
        clients.map(async (ws, k) => {
          const r = nextMessage(ws);
          ws.send(`client ${k}`);
          const text = (await r).data.toString();
          ws.close();
          return text;
        }),
      );
      return replies;
    });
    expect(client).toEqual(Array.from({ length: 50 }, (_, k) => `client ${k} back`));
    expect(out).toBe('50\n');
  });

  it('listens on a unix socket file', async () => {
    const tmp = tempDir();
    try {
      const path = tmp.path('ws.sock');
      const out = await minOk(`{"unix" :domain "ws" :protocol} socket {"${path}" :address} listen :srv
        ({"unix" :domain "ws" :protocol "/u" :path} socket "${path}" 0 connect :c c "over a file" send c recv-line puts!) spawn :t
        srv {} socket accept :s s /path puts! s /address puts! s recv-line s swap send
        t wait pop srv close`);
      expect(out).toBe(`/u\n${path}\nover a file\n`);
    } finally {
      tmp.remove();
    }
  });
});

describe('min to min', () => {
  it('50 clients in tasks against a serve server', async () => {
    const out = await minOk(`{"ws" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port :port
      (srv (:c c recv-message /data :d c "$1!" (d) => % send) serve) spawn pop
      (1 50) range (
        (:k {"ws" :protocol 30000 :timeout} socket "127.0.0.1" port connect :c
          c k string send c recv-line c close) cons spawn
      ) map :clients
      clients (wait 0 get) map :replies
      replies size puts! replies 0 get puts! replies 49 get puts!
      srv close`);
    expect(out).toBe('50\n1!\n50!\n');
  });

  it('a task waiting in recv-message fails when another closes the socket', async () => {
    const out = await minOk(`{"ws" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port :port
      ({"ws" :protocol} socket "127.0.0.1" port connect :c (${catching('c recv-message')}) spawn pop 50 sleep c close) spawn :t
      srv {} socket accept pop t wait pop`);
    expect(out).toBe('NetError the socket is closed\n');
  });
});

describe('wss', () => {
  const pem = selfSigned('wss tests');
  const test = pem ? it : it.skip;
  const quoted = (s: string) => JSON.stringify(s);

  test('a min client trusts a self-signed server through ca, or insecure, and refuses it otherwise', async () => {
    const server = https.createServer({ cert: pem!.cert, key: pem!.key });
    const srv = await wsServer(echo, { server });
    const r = await min(`${quoted(pem!.cert)} :pem
      {"wss" :protocol pem :ca} socket "127.0.0.1" ${srv.port} connect :a
      a "secret" send a recv-line puts! a /tls /authorized puts!
      {"wss" :protocol pem :ca} socket "localhost" ${srv.port} connect :b
      b "by name" send b recv-line puts!
      {"wss" :protocol true :insecure} socket "127.0.0.1" ${srv.port} connect :c
      c "insecure" send c recv-line puts!
      {"wss" :protocol true :insecure} socket "127.0.0.1" ${srv.port} connect close
      ${catching(`{"wss" :protocol} socket "127.0.0.1" ${srv.port} connect`)}
      ${catching(`{"ws" :protocol 30000 :timeout} socket "127.0.0.1" ${srv.port} connect`)}`);
    expect(r.code).toBe(0);
    // insecure warns once per program, however many sockets set it.
    expect(r.err).toBe('warning: insecure is set: TLS certificates are not checked, so the peer may be anyone\n');
    const lines = r.out.split('\n');
    expect(lines.slice(0, 4)).toEqual(['secret', 'true', 'by name', 'insecure']);
    expect(lines[4]).toBe(`NetError cannot connect to wss://127.0.0.1:${srv.port}/: self-signed certificate (trust it with the ca key, or set insecure)`);
    expect(lines[5]).toMatch(/^NetError cannot connect to ws:\/\/127\.0\.0\.1:\d+\/: /);
  });

  test('a min wss server, for a Node client and for a min client', async () => {
    const code = `${quoted(pem!.cert)} :cert ${quoted(pem!.key)} :key
      {"wss" :protocol cert :cert key :key} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :n n /protocol puts! n /tls /protocol puts! n recv-line puts! n "hello node" send
      ({"wss" :protocol cert :ca} socket "localhost" srv /port connect :c c "from min" send c recv-line puts!) spawn :t
      srv {} socket accept :m m recv-line puts! m "hello min" send
      t wait pop`;
    const { out, client } = await withMinServer(code, async (port) => {
      const ws = await nodeWs(`wss://localhost:${port}/`, { ca: pem!.cert });
      const r = nextMessage(ws);
      ws.send('from node');
      const text = (await r).data.toString();
      ws.close();
      return text;
    });
    expect(client).toBe('hello node');
    expect(out).toBe('wss\nTLSv1.3\nfrom node\nfrom min\nhello min\n');
  });
});
