// The limits on what a peer can make a program hold: max-line for recv-line
// (TCP, unix, ws, wss, udp), max-recv for recv, max-message for WebSocket
// messages. Each is a catchable NetError naming the limit, and the connection
// goes on from the next line.
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { Inbox } from '../../src/net/inbox.js';
import { catching, minOk, nodeClient, readAll, selfSigned, sleep, tcpServer, tempDir, udpEcho, withMinServer, type Peer } from './peers.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function server(onConn: (s: net.Socket) => void, host?: string, path?: string): Promise<Peer> {
  const p = await tcpServer(onConn, host, path);
  cleanup.push(() => p.close());
  return p;
}

const tooLong = (max: number) => `NetError line too long: the peer sent a line of more than ${max} bytes (max-line); it is skipped up to its newline`;

describe('Inbox line limit', () => {
  const feed = (box: Inbox, ...chunks: string[]) => chunks.forEach((c) => box.push(Buffer.from(c, 'utf8')));
  const attempt = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (e) {
      return (e as Error).message.slice(0, 13);
    }
  };

  it('takes a line of exactly max bytes, CRLF or not, and refuses one byte more', () => {
    const box = new Inbox(() => {});
    feed(box, 'abcd\n', 'abcd\r\n', 'abcde\n', 'ok\n', 'abcd\r', '\n', 'abcde\r\n', 'end\n');
    const read = () => attempt(() => box.line(null, 4));
    expect([read(), read(), read(), read(), read(), read(), read()]).toEqual(['abcd', 'abcd', 'line too long', 'ok', 'abcd', 'line too long', 'end']);
  });

  it('raises as soon as max bytes have come without a newline, and drops the rest of the line as it arrives', async () => {
    const box = new Inbox(() => {});
    const p = box.line(null, 10) as Promise<string>;
    feed(box, '0123456');
    feed(box, '789abc');
    await expect(p).rejects.toThrow(/^line too long/);
    // The rest of the over-long line never reaches a reader, however it is cut.
    const next = box.line(null, 10) as Promise<string>;
    feed(box, 'ddddddddddddddddd', 'eeee', 'ff\nnext', ' line\n');
    expect(await next).toBe('next line');
  });

  it('counts bytes, not characters, and a recv after the error starts after the newline', () => {
    const box = new Inbox(() => {});
    feed(box, 'ééé\n', 'éééé\n', 'xxxxxxx', 'x\nrest');
    const read = () => attempt(() => box.line(null, 6));
    expect([read(), read()]).toEqual(['ééé', 'line too long']);
    expect(attempt(() => box.line(null, 6))).toBe('line too long');
    box.end();
    expect(box.bytes(10, null)).toBe('rest');
  });

  it('an unterminated last line longer than max is refused too, then the end', () => {
    const box = new Inbox(() => {});
    feed(box, 'abcdef');
    box.end();
    expect(attempt(() => box.line(null, 5))).toBe('line too long');
    expect(box.line(null, 5)).toBe('');
  });
});

describe('max-line on stream sockets', () => {
  it('TCP: the default is 1 MiB; a longer line is a catchable NetError and the next line reads normally', async () => {
    const peer = await server((s) => {
      s.write('first\n');
      s.write('x'.repeat(1 << 20) + '\n');
      s.write('y'.repeat((1 << 20) + 10));
      // The rest of the long line comes later, in pieces.
      setTimeout(() => s.write('y'.repeat(5000)), 50);
      setTimeout(() => s.write('yyy\nsecond\n'), 100);
    });
    const out = await minOk(`{} socket "127.0.0.1" ${peer.port} connect :c
      c recv-line puts!
      c recv-line length puts!
      ${catching('c recv-line')}
      c recv-line puts!`);
    expect(out).toBe(`first\n${1 << 20}\n${tooLong(1 << 20)}\nsecond\n`);
  });

  it('TCP: max-line is read at each call, and bad values are refused', async () => {
    const peer = await server((s) => s.write('1234567890\nabc\n1234567890\n'));
    const out = await minOk(`{5 :max-line} socket "127.0.0.1" ${peer.port} connect :c
      ${catching('c recv-line')}
      c recv-line puts!
      c 100 'max-line dset @c
      c recv-line puts!
      ${catching('c 0 \'max-line dset recv-line')}
      ${catching('c "big" \'max-line dset recv-line')}`);
    expect(out).toBe(
      `${tooLong(5)}\nabc\n1234567890\n` +
        "NetError The socket's max-line must be a positive number of bytes, got 0\n" +
        'NetError The socket\'s max-line must be a positive number of bytes, got "big"\n',
    );
  });

  it('a server socket passes max-line (and max-recv) on to the clients it accepts', async () => {
    const code = `{8 :max-line 4 :max-recv} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :c
      c /max-line puts! c /max-recv puts!
      ${catching('c recv-line')} c recv-line puts! ${catching('c 5 recv')} c close
      srv {3 :max-line} socket accept :d
      ${catching('d recv-line')} d close`;
    const { out } = await withMinServer(code, async (port) => {
      const a = await nodeClient(port);
      a.end('123456789\nshort\n');
      await readAll(a);
      const b = await nodeClient(port);
      b.end('four\n');
      await readAll(b);
    });
    expect(out).toBe(`8\n4\n${tooLong(8)}\nshort\nNetError cannot receive 5 bytes at once: the limit is 4 bytes (max-recv); receive in parts, or raise max-recv\n${tooLong(3)}\n`);
  });

  it('serve: every handler task gets the server socket\'s max-line', async () => {
    const code = `{6 :max-line} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv (
        :c ((c recv-line) (:e e /message)) try "\\n" suffix c swap send
        c recv-line "\\n" suffix c swap send
        srv close
      ) serve`;
    const { client } = await withMinServer(code, async (port) => {
      const s = await nodeClient(port);
      s.end('much too long\nfine\n');
      return (await readAll(s)).toString('utf8');
    });
    expect(client).toBe(`${tooLong(6).slice('NetError '.length)}\nfine\n`);
  });

  it('unix sockets have the same limit', async () => {
    const dir = tempDir();
    cleanup.push(() => dir.remove());
    const path = dir.path('s.sock');
    await server((s) => s.write('0123456789\nok\n'), undefined, path);
    const out = await minOk(`{"unix" :domain 4 :max-line} socket "${path}" 0 connect :c ${catching('c recv-line')} c recv-line puts!`);
    expect(out).toBe(`${tooLong(4)}\nok\n`);
  });
});

describe('max-line on messages and datagrams', () => {
  async function wsPeer(opts: { server?: https.Server } = {}): Promise<number> {
    const wss = opts.server ? new WebSocketServer({ server: opts.server }) : new WebSocketServer({ host: '127.0.0.1', port: 0 });
    if (opts.server) opts.server.listen(0, '127.0.0.1');
    await once(opts.server ?? wss, 'listening');
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.send('a message too long for the line limit');
      ws.send('short\n');
    });
    cleanup.push(() => new Promise<void>((r) => (wss.clients.forEach((c) => c.terminate()), wss.close(() => (opts.server ? opts.server.close(() => r()) : r())))));
    return ((opts.server ?? wss).address() as AddressInfo).port;
  }
  const wsTooLong = 'NetError line too long: the peer sent a message of more than 10 bytes (max-line); it was dropped';

  it('ws: a message longer than max-line read with recv-line is dropped with a NetError', async () => {
    const port = await wsPeer();
    const out = await minOk(`{"ws" :protocol 10 :max-line} socket "127.0.0.1" ${port} connect :c ${catching('c recv-line')} c recv-line puts!`);
    expect(out).toBe(`${wsTooLong}\nshort\n`);
  });

  const pem = selfSigned('the wss max-line test');
  (pem ? it : it.skip)('wss (TLS): the same', async () => {
    const port = await wsPeer({ server: https.createServer({ cert: pem!.cert, key: pem!.key }) });
    const out = await minOk(`${JSON.stringify(pem!.cert)} :pem
      {"wss" :protocol pem :ca 10 :max-line} socket "127.0.0.1" ${port} connect :c ${catching('c recv-line')} c recv-line puts!`);
    expect(out).toBe(`${wsTooLong}\nshort\n`);
  });

  it('ws: recv takes a message up to max-message, and one over it is a catchable NetError (recv, recv-line, recv-message)', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    wss.on('connection', (ws) => {
      ws.on('error', () => {});
      ws.send('z'.repeat(3 << 20));
      ws.send('z'.repeat(5000));
    });
    cleanup.push(() => new Promise<void>((r) => (wss.clients.forEach((c) => c.terminate()), wss.close(() => r()))));
    const port = (wss.address() as AddressInfo).port;
    const out = await minOk(`{"ws" :protocol 4000 :max-message} socket "127.0.0.1" ${port} connect :c
      ${catching('c 10 recv')} ${catching('c recv-message')}
      {"ws" :protocol} socket "127.0.0.1" ${port} connect :d
      d 10 recv length puts!`);
    const big = 'NetError message too big: the peer sent more than 4000 bytes (max-message), so the connection was closed with 1009';
    expect(out).toBe(`${big}\n${big}\n${3 << 20}\n`);
  });

  it('udp: a datagram longer than max-line read with recv-line is dropped with a NetError', async () => {
    const peer = await udpEcho();
    cleanup.push(() => peer.close());
    const out = await minOk(`{"udp" :protocol 8 :max-line} socket "127.0.0.1" ${peer.port} connect :u
      u "123456789" send ${catching('u recv-line')}
      u "12345678\\n" send u recv-line puts!`);
    expect(out).toBe('NetError line too long: the peer sent a datagram of more than 8 bytes (max-line); it was dropped\n12345678\n');
  });
});

describe('limit values', () => {
  it('may not allow more than the longest string V8 can make', async () => {
    const out = await minOk(`${catching('{} socket 536870889 \'max-line dset recv-line')}
      ${catching('{} socket 1 \'max-line dset "x" \'max-recv dset 1 recv')}
      ${catching('{"ws" :protocol 536870889 :max-message} socket {"127.0.0.1" :address 0 :port} listen')}
      ${catching('{(pop {}) :handler 0 :port 536870889 :max-body} start-server')}
      ${catching('{"http://127.0.0.1:1/" :url 536870889 :max-body} request')}`);
    expect(out).toBe(
      "NetError The socket's max-line must be at most 536870888 bytes (the longest string there can be), got 536870889\n" +
        'NetError The socket\'s max-recv must be a positive number of bytes, got "x"\n' +
        "NetError The socket's max-message must be at most 536870888 bytes (the longest string there can be), got 536870889\n" +
        "HttpError The server's max-body must be at most 536870888 bytes (the longest string there can be), got 536870889\n" +
        "HttpError The request's max-body must be at most 536870888 bytes (the longest string there can be), got 536870889\n",
    );
  });
});

describe('max-recv', () => {
  it('recv of more than max-recv (16 MiB by default) bytes is refused before anything is read', async () => {
    const peer = await server((s) => s.write('0123456789'));
    const out = await minOk(`{} socket "127.0.0.1" ${peer.port} connect :c
      ${catching(`c ${(16 << 20) + 1} recv`)}
      c ${16 << 20} 'max-recv dset @c
      c 4 recv puts!
      c 3 'max-recv dset @c
      ${catching('c 4 recv')}
      c 3 recv puts!
      ${catching('c -1 \'max-recv dset 1 recv')}`);
    expect(out).toBe(
      `NetError cannot receive ${(16 << 20) + 1} bytes at once: the limit is ${16 << 20} bytes (max-recv); receive in parts, or raise max-recv\n` +
        '0123\n' +
        'NetError cannot receive 4 bytes at once: the limit is 3 bytes (max-recv); receive in parts, or raise max-recv\n' +
        '456\n' +
        "NetError The socket's max-recv must be a positive number of bytes, got -1\n",
    );
  });
});
