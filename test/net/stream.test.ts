// TCP over ipv4 loopback: every operator against Node peers.
import { describe, expect, it } from 'vitest';
import { closedAfterEach, catching, echoServer, minOk, nodeClient, readAll, tcpServer, withMinServer } from './peers.js';

const own = closedAfterEach();

describe('connect, send, close', () => {
  it('connects, fills address and port with the peer, and sends all of a string', async () => {
    own.peer = await tcpServer();
    const got = own.peer.conn().then(readAll);
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c /address puts! c /port puts!
      c "héllo\\nwörld" send c close`);
    expect(out).toBe(`127.0.0.1\n${own.peer.port}\n`);
    expect((await got).toString('utf8')).toBe('héllo\nwörld');
  });

  it('resolves localhost in the ipv4 domain', async () => {
    own.peer = await tcpServer();
    expect(await minOk(`{} socket "localhost" ${own.peer.port} connect /address puts!`)).toBe('127.0.0.1\n');
  });

  it('close is idempotent', async () => {
    own.peer = await tcpServer();
    expect(await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c c close c close {} socket :d d close d close "ok" puts!`)).toBe('ok\n');
  });

  it('sending "" does nothing', async () => {
    own.peer = await echoServer();
    expect(await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c c "" send c "x\\n" send c recv-line puts!`)).toBe('x\n');
  });
});

describe('recv-line', () => {
  it('strips \\r\\n and \\n, returns "\\r\\n" for an empty line, a partial last line, then ""', async () => {
    own.peer = await tcpServer((s) => s.end('one\r\ntwo\n\r\n\nlast'));
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      (c recv-line) 7 times get-stack (string) map puts!`);
    expect(out).toBe('("one" "two" "\\r\\n" "\\r\\n" "last" "" "")\n');
  });

  it('puts lines together from tiny chunks, and splits lines that arrive together', async () => {
    own.peer = await tcpServer(async (s) => {
      for (const ch of 'ab\ncd\r\nef') {
        s.write(ch);
        await new Promise((r) => setTimeout(r, 2));
      }
      s.end('\ng\nh\ni\n');
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c (c recv-line) 7 times get-stack puts!`);
    expect(out).toBe('("ab" "cd" "ef" "g" "h" "i" "")\n');
  });

  it('keeps UTF-8 characters whole', async () => {
    own.peer = await tcpServer(async (s) => {
      const b = Buffer.from('ünïcödé ✓ 😀\n', 'utf8');
      for (const byte of b) {
        s.write(Buffer.from([byte]));
        await new Promise((r) => setTimeout(r, 1));
      }
      s.end();
    });
    expect(await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect recv-line puts!`)).toBe('ünïcödé ✓ 😀\n');
  });

  it('loses and duplicates nothing on a fast stream of many lines', async () => {
    const n = 20000;
    own.peer = await tcpServer((s) => {
      const lines: string[] = [];
      for (let k = 0; k < n; k++) lines.push(`line ${k}`);
      s.end(lines.join('\n') + '\n');
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      0 :k true :ok "" :l
      (c recv-line @l l "" !=) (
        (l "line $1" (k) => % !=) (false @ok "mismatch at " print! l puts!) when
        k 1 + @k
      ) while
      k puts! ok puts!`);
    expect(out).toBe(`${n}\ntrue\n`);
  });
});

describe('recv', () => {
  it('waits for the bytes asked for, returns the rest before the close, then ""', async () => {
    own.peer = await tcpServer(async (s) => {
      s.write('abc');
      await new Promise((r) => setTimeout(r, 30));
      s.end('defgh');
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c 5 recv c 10 recv c 10 recv c 0 recv get-stack puts!`);
    expect(out).toBe('("abcde" "fgh" "" "")\n');
  });

  it('counts bytes and never splits a character', async () => {
    own.peer = await tcpServer((s) => s.end('aé€😀z'));
    // a(1) é(2) €(3) 😀(4) z(1): asking for 2 bytes cuts é, so its second byte comes too.
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c 2 recv puts! c 1 recv puts! c 2 recv puts! c 1 recv puts! c 5 recv puts!`);
    expect(out).toBe('aé\n€\n😀\nz\n\n');
  });

  it('mixes with recv-line on the same buffer', async () => {
    own.peer = await tcpServer((s) => s.end('HTTP/1.0 200\r\nContent-Length: 5\r\n\r\nhello'));
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c recv-line c recv-line c recv-line c 5 recv get-stack puts!`);
    expect(out).toBe('("HTTP/1.0 200" "Content-Length: 5" "\\r\\n" "hello")\n');
  });

  it('refuses a negative count', async () => {
    own.peer = await tcpServer();
    expect(await minOk(catching(`{} socket "127.0.0.1" ${own.peer.port} connect -1 recv`))).toBe('NetError cannot receive -1 bytes\n');
  });
});

describe('listen and accept', () => {

  it('serves a Node client and pushes the client dict', async () => {
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :cli
      cli type puts! cli /address puts! cli /port 0 > puts!
      cli recv-line puts! cli "pong\\n" send cli close srv close`;
    const { out, client } = await withMinServer(code, async (port) => {
      const s = await nodeClient(port);
      const reply = readAll(s);
      s.write('ping\n');
      return (await reply).toString();
    });
    expect(out).toBe('dict:socket\n127.0.0.1\ntrue\nping\n');
    expect(client).toBe('pong\n');
  });

  it('takes the client first too (the order in min\'s signature line)', async () => {
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      {} socket srv accept recv-line puts! srv close`;
    const { out } = await withMinServer(code, async (port) => {
      const s = await nodeClient(port);
      s.end('hi\n');
    });
    expect(out).toBe('hi\n');
  });

  it('accepts one connection after another into the same client dict', async () => {
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      {} socket :cli
      (srv cli accept #cli cli recv-line puts!) 3 times srv close`;
    const { out } = await withMinServer(code, async (port) => {
      for (const m of ['a', 'b', 'c']) (await nodeClient(port)).end(m + '\n');
    });
    expect(out).toBe('a\nb\nc\n');
  });

  it('listens on 0.0.0.0 by default', async () => {
    const out = await minOk(`{} socket {0 :port} listen :s s /address puts! s close`);
    expect(out).toBe('0.0.0.0\n');
  });

  it('refuses to listen or connect twice, and to send on a listening socket', async () => {
    own.peer = await tcpServer();
    const out = await minOk(`
      {} socket {"127.0.0.1" :address 0 :port} listen :s
      ${catching('s {"127.0.0.1" :address 0 :port} listen')}
      ${catching('s "x" send')}
      ${catching(`s "127.0.0.1" ${own.peer.port} connect`)}
      {} socket "127.0.0.1" ${own.peer.port} connect :c
      ${catching(`c "127.0.0.1" ${own.peer.port} connect`)}
      ${catching('{} socket c accept')}
      ${catching('{} socket "x" send')}
      s close c close`);
    expect(out).toBe(
      [
        'NetError the socket is already listening',
        'NetError a listening socket cannot send or receive: accept a connection first',
        'NetError the socket is already listening',
        'NetError the socket is already connected',
        'NetError accept needs a listening socket (use listen first)',
        'NetError the socket is not connected',
        '',
      ].join('\n'),
    );
  });
});
