// What goes wrong with WebSockets is a catchable NetError or TimeoutError:
// refused and broken handshakes, limits, peers that vanish or break the
// protocol, bad keys and operands. Nothing crashes the process, and a socket
// stays usable after a TimeoutError.
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { catching, freePort, minOk, minPrinted, readAll, startMin, tcpServer, withMinServer, type Peer } from './peers.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function wsServer(onConn: (ws: WebSocket) => void = () => {}): Promise<{ port: number; conn: () => Promise<WebSocket> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const conns: WebSocket[] = [];
  let wake: (() => void) | null = null;
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    conns.push(ws);
    onConn(ws);
    wake?.();
  });
  cleanup.push(() => new Promise<void>((r) => (wss.clients.forEach((c) => c.terminate()), wss.close(() => r()))));
  return {
    port: (wss.address() as AddressInfo).port,
    conn: async () => {
      while (conns.length === 0) await new Promise<void>((r) => (wake = r));
      return conns[0]!;
    },
  };
}

/** An HTTP server whose upgrade requests get `answer` (raw bytes) instead of a WebSocket. */
async function upgradeAnswer(answer: (req: http.IncomingMessage) => string): Promise<number> {
  const server = http.createServer((_q, res) => res.end());
  server.on('upgrade', (req, socket) => {
    socket.on('error', () => {});
    socket.end(answer(req));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise((r) => (server.closeAllConnections(), server.close(r))));
  return (server.address() as AddressInfo).port;
}

const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.on('close', (code) => r(code)));

describe('handshakes that fail', () => {
  it('a refused connection', async () => {
    const port = await freePort();
    expect(await minOk(catching(`{"ws" :protocol} socket "127.0.0.1" ${port} connect`))).toBe(
      `NetError cannot connect to ws://127.0.0.1:${port}/: connection refused\n`,
    );
  });

  it('a server that answers with another status than 101', async () => {
    const port = await upgradeAnswer(() => 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    expect(await minOk(catching(`{"ws" :protocol "/x" :path} socket "127.0.0.1" ${port} connect`))).toBe(
      `NetError cannot connect to ws://127.0.0.1:${port}/x: the server answered 403 Forbidden instead of accepting the WebSocket\n`,
    );
  });

  it('a min server with a path: other paths get 404', async () => {
    const out = await minOk(`{"ws" :protocol "/only" :path} socket {"127.0.0.1" :address 0 :port} listen :srv
      ${catching('{"ws" :protocol} socket "127.0.0.1" srv /port connect')}`);
    expect(out).toMatch(/^NetError cannot connect to ws:\/\/127\.0\.0\.1:\d+\/: the server answered 404 Not Found instead of accepting the WebSocket\n$/);
  });

  it('a server that upgrades without speaking WebSocket', async () => {
    const port = await upgradeAnswer(() => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong\r\n\r\n');
    expect(await minOk(catching(`{"ws" :protocol} socket "127.0.0.1" ${port} connect`))).toBe(
      `NetError cannot connect to ws://127.0.0.1:${port}/: Invalid Sec-WebSocket-Accept header\n`,
    );
  });

  it('a server that never answers: handshake-timeout, or timeout when it is shorter; the socket connects afterwards', async () => {
    const silent: Peer = await tcpServer();
    cleanup.push(() => silent.close());
    const good = await wsServer((ws) => ws.send('finally'));
    const out = await minOk(`{"ws" :protocol 150 :handshake-timeout} socket :c
      ${catching(`c "127.0.0.1" ${silent.port} connect`)}
      c 80 %timeout @c
      ${catching(`c "127.0.0.1" ${silent.port} connect`)}
      c 0 %timeout @c c 0 %handshake-timeout @c
      c "127.0.0.1" ${good.port} connect recv-line puts!`);
    expect(out).toBe(
      `TimeoutError timed out after 150 ms waiting for the WebSocket handshake with ws://127.0.0.1:${silent.port}/\n` +
        `TimeoutError timed out after 80 ms connecting to ws://127.0.0.1:${silent.port}/\n` +
        'finally\n',
    );
  });

  it('a min server drops a client that does not finish its handshake, and serves the others', async () => {
    const code = `{"ws" :protocol 400 :handshake-timeout} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept recv-line puts!`;
    const { out, client } = await withMinServer(code, async (port) => {
      const start = Date.now();
      const idle = net.connect(port, '127.0.0.1');
      idle.on('error', () => {});
      const ended = readAll(idle).then(() => Date.now() - start);
      // Half a request, then nothing.
      idle.write('GET / HTTP/1.1\r\nHost: x\r\n');
      // A busy machine may be slow to complete even a good handshake: try again then.
      for (let k = 0; ; k++) {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
        ws.on('error', () => {});
        const opened = await new Promise<boolean>((r) => (ws.once('open', () => r(true)), ws.once('close', () => r(false))));
        if (!opened) {
          if (k < 10) continue;
          throw new Error('no WebSocket handshake got through within the 400 ms handshake-timeout in 10 tries');
        }
        ws.send('the patient one');
        const waited = await ended;
        ws.close();
        return waited;
      }
    });
    expect(out).toBe('the patient one\n');
    // Dropped after the 400 ms (less a little for timers), and not much later (loosely: the machine may be busy).
    expect(client).toBeGreaterThanOrEqual(350);
    expect(client).toBeLessThan(20000);
  });

  it('garbage and bad upgrade requests do not disturb a min server', async () => {
    const code = `{"ws" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept recv-line puts!`;
    const { out, client } = await withMinServer(code, async (port) => {
      const answers: string[] = [];
      for (const junk of ['\x16\x03\x01 not http at all\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n']) {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => {});
        s.write(junk);
        answers.push((await readAll(s)).toString().split('\r\n')[0]!);
      }
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
      ws.on('error', () => {});
      await once(ws, 'open');
      ws.send('still serving');
      ws.close();
      return answers;
    });
    expect(client).toEqual(['HTTP/1.1 400 Bad Request', 'HTTP/1.1 400 Bad Request']);
    expect(out).toBe('still serving\n');
  });
});

describe('limits and broken peers', () => {
  it('a message over max-message: a catchable error for the reader, close code 1009 for the peer', async () => {
    const srv = await wsServer((ws) => {
      ws.send('small');
      ws.send('x'.repeat(2000));
    });
    const code = srv.conn().then(closeCode);
    const out = await minOk(`{"ws" :protocol 1000 :max-message} socket "127.0.0.1" ${srv.port} connect :c
      c recv-line puts!
      ${catching('c recv-line')}
      ${catching('c recv-message')}`);
    const msg = 'NetError message too big: the peer sent more than 1000 bytes (max-message), so the connection was closed with 1009\n';
    expect(out).toBe('small\n' + msg + msg);
    expect(await code).toBe(1009);
  });

  it('the default max-message is 16 MiB', async () => {
    const srv = await wsServer((ws) => ws.send(Buffer.alloc(16 * 1024 * 1024 + 1), { binary: true }));
    expect(await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c ${catching('c recv-message')}`)).toBe(
      'NetError message too big: the peer sent more than 16777216 bytes (max-message), so the connection was closed with 1009\n',
    );
  });

  it('a min server with max-message closes a client that sends more', async () => {
    const code = `{"ws" :protocol 100 :max-message} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :c c recv-line puts! ${catching('c recv-line')}`;
    const { out, client } = await withMinServer(code, async (port) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
      ws.on('error', () => {});
      await once(ws, 'open');
      ws.send('fits');
      ws.send('y'.repeat(200));
      return closeCode(ws);
    });
    expect(client).toBe(1009);
    expect(out).toBe('fits\nNetError message too big: the peer sent more than 100 bytes (max-message), so the connection was closed with 1009\n');
  });

  it('a peer that vanishes in the middle of a message: the earlier messages, then a NetError', async () => {
    const srv = await wsServer((ws) => {
      ws.send('complete');
      const raw = (ws as unknown as { _socket: net.Socket })._socket;
      // A text frame announcing 1000 bytes, of which 10 come.
      raw.write(Buffer.concat([Buffer.from([0x81, 126, 0x03, 0xe8]), Buffer.from('0123456789')]), () => raw.destroy());
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      c recv-line puts! ${catching('c recv-line')} ${catching('c recv-message')} ${catching('c "x" send')}`);
    const lost = 'NetError the connection was lost: the peer went away without closing the WebSocket (1006)\n';
    expect(out).toBe('complete\n' + lost + lost + lost);
  });

  it('a peer that sends an invalid close code', async () => {
    const srv = await wsServer((ws) => {
      const raw = (ws as unknown as { _socket: net.Socket })._socket;
      raw.write(Buffer.from([0x88, 0x02, 0x03, 0xe7])); // close, code 999
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c ${catching('c recv-message')}`);
    expect(out).toBe('NetError the peer sent an invalid close code (Invalid WebSocket frame: invalid status code 999), so the connection was closed with 1002\n');
  });

  it('a text message that is not UTF-8', async () => {
    const srv = await wsServer((ws) => {
      const raw = (ws as unknown as { _socket: net.Socket })._socket;
      raw.write(Buffer.from([0x81, 0x02, 0xc3, 0x28]));
    });
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c ${catching('c recv-line')}`);
    expect(out).toBe('NetError the peer sent a text message that is not valid UTF-8, so the connection was closed with 1007\n');
  });
});

describe('operands and keys', () => {
  it('close-with refuses codes that may not be sent and long reasons, and the socket stays open', async () => {
    const srv = await wsServer((ws) => ws.on('message', (d) => ws.send(d as Buffer, { binary: false })));
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      ${catching('c 999 "" close-with')}
      ${catching('c 1005 "" close-with')}
      ${catching('c 1006 "" close-with')}
      ${catching('c 2999 "" close-with')}
      ${catching('c 5000 "" close-with')}
      ${catching('c 1000 "é" 62 repeat close-with')}
      c "still open" send c recv-line puts!
      c 1000 "é" 61 repeat "x" suffix close-with
      c 1000 "" close-with
      ${catching('c "closed" send')}`);
    const bad = (n: number) => `NetError invalid close code ${n}: use 1000-1003, 1007-1014 or 3000-4999\n`;
    expect(out).toBe(
      bad(999) + bad(1005) + bad(1006) + bad(2999) + bad(5000) +
        'NetError the close reason is 124 bytes long: at most 123 fit in a close frame\n' +
        'still open\nNetError the socket is closed\n',
    );
  });

  it('the WebSocket operators on other sockets', async () => {
    const peer = await tcpServer();
    cleanup.push(() => peer.close());
    const out = await minOk(`{} socket "127.0.0.1" ${peer.port} connect :t
      ${catching('t recv-message')} ${catching('t ping')} ${catching('t 1000 "" close-with')}
      {"udp" :protocol} socket :u ${catching('u ping')}
      {"ws" :protocol} socket :w ${catching('w recv-message')} ${catching('w ping')} ${catching('w "x" send-binary')}
      ${catching('{} ping')}`);
    expect(out.replace(/MinInvalidError [^]*$/, 'MinInvalidError ')).toBe(
      'NetError recv-message needs a WebSocket (a socket with protocol ws or wss), not tcp\n' +
        'NetError ping needs a WebSocket (a socket with protocol ws or wss), not tcp\n' +
        'NetError close-with needs a WebSocket (a socket with protocol ws or wss), not tcp\n' +
        'NetError ping needs a WebSocket (a socket with protocol ws or wss), not udp\n' +
        'NetError the socket is not connected\nNetError the socket is not connected\nNetError the socket is not connected\n' +
        'MinInvalidError ',
    );
  });

  it('send-binary sends raw bytes over TCP, and refuses characters above \\u00FF', async () => {
    let got: Promise<Buffer> | null = null;
    const peer = await tcpServer((s) => (got = readAll(s)));
    cleanup.push(() => peer.close());
    const out = await minOk(`{} socket "127.0.0.1" ${peer.port} connect :t
      t "\\u00e9\\u0000\\u00ff" send-binary
      ${catching('t "a€" send-binary')}
      t close`);
    expect(out).toBe('NetError send-binary sends one byte per character, and € (U+20AC) does not fit in a byte: use send for text\n');
    expect(await got!).toEqual(Buffer.from([0xe9, 0, 0xff]));
  });

  it.each([
    ['"chat" :path', 'NetError The socket\'s path must start with / and hold no spaces or #, got "chat"'],
    ['"/a b" :path', 'NetError The socket\'s path must start with / and hold no spaces or #, got "/a b"'],
    ['"x" :headers', 'NetError The socket\'s headers must be a dict of strings, got "x"'],
    ['{(1) :x-list} :headers', 'NetError The header x-list must be a string, got (1)'],
    ['0 :max-message', 'NetError The socket\'s max-message must be a positive number of bytes, got 0'],
    ['"big" :max-message', 'NetError The socket\'s max-message must be a positive number of bytes, got "big"'],
    ['"soon" :handshake-timeout', 'NetError The socket\'s handshake-timeout must be a number of milliseconds, got "soon"'],
    ['"yes" :deflate', 'NetError The socket\'s deflate must be true or false, got "yes"'],
  ])('refuses the key %s', async (key, msg) => {
    const srv = await wsServer();
    expect(await minOk(catching(`{"ws" :protocol ${key}} socket "127.0.0.1" ${srv.port} connect`))).toBe(msg + '\n');
  });

  it('refuses header names and values that would break the request', async () => {
    const srv = await wsServer();
    const out = await minOk(`{} "a\\r\\nb" "x-bad" dset :h1 {} "v" "bad name" dset :h2
      ${catching(`{"ws" :protocol h1 :headers} socket "127.0.0.1" ${srv.port} connect`)}
      ${catching(`{"ws" :protocol h2 :headers} socket "127.0.0.1" ${srv.port} connect`)}`);
    expect(out).toBe(
      'NetError Invalid value for header x-bad: it holds a carriage return, and a header value can only be Latin-1 text without control characters or line breaks\n' +
        'NetError Invalid header name "bad name": a header name is letters, digits and !#$%&\'*+-.^_`|~\n',
    );
  });

  it('listen errors: a port in use, wss without a certificate or with a bad one', async () => {
    const out = await minOk(`{"ws" :protocol} socket {"127.0.0.1" :address 0 :port} listen :a
      a /port :p
      ${catching('{"ws" :protocol} socket {"127.0.0.1" :address p :port} listen')}
      ${catching('{"wss" :protocol} socket {"127.0.0.1" :address 0 :port} listen')}
      ${catching('{"wss" :protocol "junk" :cert "junk" :key} socket {"127.0.0.1" :address 0 :port} listen')}
      ${catching('{"wss" :protocol "unix" :domain} socket')}`);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NetError cannot listen on 127\.0\.0\.1:\d+: address already in use$/);
    expect(lines[1]).toBe('NetError a TLS server needs its certificate and private key as cert and key (PEM text or file paths)');
    expect(lines[2]).toBe("NetError cannot read the socket's cert file junk: no such file or directory");
    expect(lines[3]).toBe('NetError A unix stream socket (protocol wss) is not supported on this runtime');
  });
});

describe('timeouts', () => {
  it('recv, recv-line and recv-message time out; what comes later is still read', async () => {
    // The messages come once min has timed out three times and says so.
    const srv = await wsServer((ws) =>
      ws.once('message', () => {
        ws.send('one');
        ws.send('two');
        ws.send('three');
      }),
    );
    // The timeout is set once connected: a handshake on a loaded machine can take longer.
    const out = await minOk(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c c 100 %timeout @c
      ${catching('c recv-line')} ${catching('c 5 recv')} ${catching('c recv-message')}
      c 0 %timeout @c
      c "timed out three times" send
      c recv-line puts! c 1 recv puts! c recv-message /data puts!`);
    const t = 'TimeoutError timed out after 100 ms waiting for a message\n';
    expect(out).toBe(t + t + t + 'one\ntwo\nthree\n');
  });

  it('accept times out and a later accept gets the client', async () => {
    const code = `{"ws" :protocol 100 :timeout} socket {"127.0.0.1" :address 0 :port} listen :srv
      ${catching('srv {} socket accept')}
      (srv /port string "PORTFILE" fwrite) ->
      srv 0 %timeout @srv
      srv {} socket accept recv-line puts!`;
    const { out } = await withMinServer(code, async (port) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
      ws.on('error', () => {});
      await once(ws, 'open');
      ws.send('late');
      ws.close();
    });
    expect(out).toBe('TimeoutError timed out after 100 ms waiting for a connection\nlate\n');
  });

  it('send times out while the peer does not read; the message still goes, and the socket works', async () => {
    let server: WebSocket | null = null;
    const srv = await wsServer((ws) => {
      server = ws;
      ws.pause();
    });
    const size = 12 << 20;
    const run = startMin(`{"ws" :protocol} socket "127.0.0.1" ${srv.port} connect :c
      "z" ${size} repeat :big
      c 200 %timeout @c
      ${catching('c big send')}
      c 0 %timeout @c
      c recv-line puts!`);
    // Once min has given up, read everything and answer.
    await minPrinted(run, 'TimeoutError');
    const ws = server! as WebSocket;
    ws.on('message', (d) => ws.send(`got ${(d as Buffer).length}`));
    ws.resume();
    expect(await run.ok()).toBe(`TimeoutError timed out after 200 ms sending data\ngot ${size}\n`);
  });
});
