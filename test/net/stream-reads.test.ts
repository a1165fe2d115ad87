// recv-some, recv-all, shutdown, the local-address/local-port keys and the
// option keys (nodelay, keepalive, ttl) of stream sockets, against Node and
// python3 peers over TCP and unix sockets.
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { catching, closedAfterEach, echoServer, minOk, minPrinted, readAll, startMin, tcpServer, tempDir, withMinServer, nodeClient } from './peers.js';
import { waitFor } from '../wait.js';

const own = closedAfterEach();

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

describe('recv-some', () => {
  it('pushes what has arrived without waiting for the count, then "" once the peer closed', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    own.peer = await tcpServer(async (s) => {
      s.write('hello');
      await released;
      s.end(' world');
    });
    const p = startMin(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c 1000 recv-some puts!
      c 1000 recv-some puts!
      c 1000 recv-some "" == puts!
      c 1000 recv-some "" == puts!`);
    await minPrinted(p, 'hello\n');
    release();
    expect(await p.ok()).toBe('hello\n world\ntrue\ntrue\n');
  });

  it('takes at most the count, and leaves the rest for the next read', async () => {
    own.peer = await tcpServer((s) => s.end('abcdefgh'));
    expect(await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c 3 recv-some puts! c 3 recv-some puts! c recv-line puts!`)).toBe('abc\ndef\ngh\n');
  });

  it('never splits a character: a cut one is completed, one still on its way waits', async () => {
    const bytes = Buffer.from('é😀', 'utf8'); // 2 + 4 bytes
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    own.peer = await tcpServer(async (s) => {
      s.write(bytes.subarray(0, 4)); // é and half of the emoji
      await released;
      s.end(bytes.subarray(4));
    });
    const p = startMin(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c 1 recv-some puts!
      c 10 recv-some puts!`);
    await minPrinted(p, 'é\n');
    release();
    expect(await p.ok()).toBe('é\n😀\n');
  });

  it('relays a stream byte for byte through two tasks', async () => {
    const text = Array.from({ length: 20000 }, (_, k) => `line ${k} ünïcode\n`).join('');
    own.peer = await echoServer();
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :client
      {} socket "127.0.0.1" ${own.peer.port} connect :upstream
      (:from :to "x" :chunk
        (from 65536 recv-some @chunk chunk "" !=) (to chunk send) while
        to shutdown) ^pump
      (client upstream pump) spawn :a
      (upstream client pump) spawn :b
      a wait pop b wait pop`;
    const { client } = await withMinServer(code, async (port) => {
      const s = await nodeClient(port);
      const got = readAll(s);
      s.end(text);
      return (await got).toString('utf8');
    });
    expect(client).toBe(text);
  });

  it('works on unix sockets, and is refused on datagram sockets', async () => {
    own.tmp = tempDir();
    const path = own.tmp.path('s.sock');
    own.peer = await tcpServer((s) => s.end('over a file'), '127.0.0.1', path);
    expect(await minOk(`{"unix" :domain} socket "${path}" 0 connect :c c 4 recv-some puts! c recv-all puts!
      ${catching('{"udp" :protocol} socket "127.0.0.1" 9 connect 10 recv-some')}`)).toBe(
      'over\n a file\nNetError recv-some needs a stream socket (tcp or unix): a datagram socket has no stream to read\n',
    );
  });

  it('is bounded by max-recv and by the timeout', async () => {
    own.peer = await tcpServer();
    const out = await minOk(`{100 :max-recv} socket "127.0.0.1" ${own.peer.port} connect :c
      ${catching('c 101 recv-some')}
      c 200 %timeout @c
      ${catching('c 10 recv-some')}`);
    expect(out).toMatch(/^NetError cannot receive 101 bytes at once: the limit is 100 bytes \(max-recv\).*\nTimeoutError timed out after 200 ms waiting for data\n$/);
  });
});

describe('recv-all', () => {
  it('pushes everything until the peer closes', async () => {
    const text = 'x'.repeat(300000) + 'ünï';
    own.peer = await tcpServer(async (s) => {
      for (let k = 0; k < 3; k++) {
        s.write(text.slice(k * 100000, (k + 1) * 100000));
        await new Promise((r) => setTimeout(r, 5));
      }
      s.end(text.slice(300000));
    });
    expect(await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect recv-all :t t length puts! t 300000 3 substr puts!`)).toBe('300003\nünï\n');
  });

  it('raises a NetError past max-bytes, the data staying for recv', async () => {
    own.peer = await tcpServer((s) => s.write('0123456789abcdef'));
    const out = await minOk(`{10 :max-bytes} socket "127.0.0.1" ${own.peer.port} connect :c
      ${catching('c recv-all')}
      c 16 recv puts!
      ${catching('{0 :max-bytes} socket "127.0.0.1" ' + own.peer.port + ' connect recv-all')}`);
    expect(out).toBe(
      'NetError too much data: the peer sent more than 10 bytes (max-bytes) without closing; they stay in the socket for recv and recv-some\n' +
        '0123456789abcdef\n' +
        'NetError The socket\'s max-bytes must be a positive number of bytes, got 0\n',
    );
  });

  it('takes what a python peer sends before it closes', async () => {
    if (!hasPython) return void console.warn('SKIPPED: recv-all against python3 needs python3');
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept recv-all length puts!`;
    const { out } = await withMinServer(code, async (port) => {
      const py = spawn('python3', ['-c', `import socket; s = socket.create_connection(("127.0.0.1", ${port})); s.sendall(b"p" * 1000000); s.close()`]);
      return new Promise((r) => py.on('close', r));
    });
    expect(out).toBe('1000000\n');
  });
});

describe('shutdown', () => {
  it('sends the end of the stream, and the socket still receives', async () => {
    // A Node peer that keeps its side open once ours has ended.
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      void readAll(s).then((b) => s.end(`you sent ${b.length} bytes`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const out = await minOk(`{} socket "127.0.0.1" ${port} connect :c
      c "four" send c shutdown c shutdown
      c recv-all puts!
      ${catching('c "more" send')}`);
    server.close();
    expect(out).toBe('you sent 4 bytes\nNetError the socket is shut down for sending (shutdown): it can only receive\n');
  });

  it('lets a python peer read to the end and answer', async () => {
    if (!hasPython) return void console.warn('SKIPPED: shutdown against python3 needs python3');
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :c c "question" send c shutdown c recv-all puts!`;
    const { out } = await withMinServer(code, async (port) => {
      const py = spawn('python3', ['-c', `import socket
s = socket.create_connection(("127.0.0.1", ${port}))
data = b""
while True:
    b = s.recv(100)
    if not b: break
    data += b
s.sendall(b"answer to " + data)
s.close()`]);
      return new Promise((r) => py.on('close', r));
    });
    expect(out).toBe('answer to question\n');
  });
});

describe('local-address and local-port', () => {
  it('are set by connect and accept', async () => {
    own.peer = await tcpServer();
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c /local-address puts! c /local-port puts!`);
    const s = await own.peer.conn();
    expect(out).toBe(`127.0.0.1\n${s.remotePort}\n`);
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :c c /local-port srv /port == puts! c /local-address puts! c /port puts! c recv-line pop`;
    const { out: out2, client } = await withMinServer(code, async (port) => {
      const s2 = await nodeClient(port);
      s2.end('x\n');
      return s2.localPort;
    });
    expect(out2).toBe(`true\n127.0.0.1\n${client}\n`);
  });
});

describe('option keys', () => {
  const keepaliveShown = (port: number) => {
    const r = spawnSync('ss', ['-tno', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout : null;
  };

  it('keepalive turns TCP keep-alive on, and a change applies at the next operator', async () => {
    if (keepaliveShown(1) === null) return void console.warn('SKIPPED: keepalive check needs ss');
    own.peer = await tcpServer();
    const port = own.peer.port;
    const p = startMin(`{} socket "127.0.0.1" ${port} connect :c
      "connected" puts!
      c recv-line pop
      c 30000 %keepalive @c
      c "x\\n" send
      "on" puts!
      c recv-line pop`);
    await minPrinted(p, 'connected');
    const s = await own.peer.conn();
    expect(keepaliveShown(port)).not.toMatch(/keepalive/);
    s.write('go\n');
    await minPrinted(p, 'on');
    await waitFor(() => /keepalive/.test(keepaliveShown(port) ?? ''), { what: 'a keep-alive timer in ss', state: () => keepaliveShown(port) ?? '' });
    s.write('done\n');
    await p.ok();
  });

  it('refuses values of the wrong kind, and ttl on a stream', async () => {
    own.peer = await tcpServer();
    const out = await minOk(`${catching(`{"yes" :nodelay} socket "127.0.0.1" ${own.peer.port} connect`)}
      ${catching(`{-1 :keepalive} socket "127.0.0.1" ${own.peer.port} connect`)}
      ${catching(`{64 :ttl} socket "127.0.0.1" ${own.peer.port} connect`)}
      ${catching(`{true :broadcast} socket "127.0.0.1" ${own.peer.port} connect`)}
      {false :nodelay} socket "127.0.0.1" ${own.peer.port} connect :c
      c "x" 'nodelay dset @c
      ${catching('c "hi" send')}`);
    expect(out).toBe(
      'NetError The socket\'s nodelay must be true or false, got "yes"\n' +
        'NetError The socket\'s keepalive must be a number of milliseconds (0 turns it off), got -1\n' +
        'NetError The socket\'s ttl cannot be set on a stream socket: Node sets the IP time-to-live of datagram sockets only\n' +
        'NetError The socket\'s broadcast is for datagram sockets (dgram), not streams\n' +
        'NetError The socket\'s nodelay must be true or false, got "x"\n',
    );
  });

  it('an accepted client takes the server socket\'s options', async () => {
    const code = `{5000 :keepalive false :nodelay} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :c c /keepalive puts! c /nodelay puts! c recv-line pop`;
    const { out } = await withMinServer(code, async (port) => (await nodeClient(port)).end('x\n'));
    expect(out).toBe('5000\nfalse\n');
  });
});

describe('a reset that comes with data', () => {
  it('delivers the data first, then raises the reset as a NetError', async () => {
    if (!hasPython) return void console.warn('SKIPPED: the reset test needs python3 (SO_LINGER 0)');
    // spawnSync holds this process's event loop, min's included, while the
    // peer connects, sends and resets: data and reset arrive together.
    const p = startMin(`{} socket {"127.0.0.1" :address 0 :port} listen :srv
      "port " print! srv /port puts!
      srv {} socket accept :c
      c recv-line puts!
      c recv-line puts!
      ${catching('c recv-line')}`);
    await minPrinted(p, '\n');
    const port = Number(/port (\d+)/.exec(p.out())![1]);
    const py = spawnSync('python3', ['-c', `import socket, struct
s = socket.create_connection(("127.0.0.1", ${port}))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.sendall(b"line one\\nline two\\n")
s.close()`]);
    expect(py.status).toBe(0);
    expect(await p.ok()).toMatch(/line one\nline two\nNetError connection reset by peer\n$/);
  });
});
