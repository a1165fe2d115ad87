// The `timeout` key bounds connect, accept, send, recv and recv-line with a
// TimeoutError, and the socket stays usable afterwards.
import { afterEach, describe, expect, it, vi } from 'vitest';
import dns from 'node:dns';
import type net from 'node:net';
import { closedAfterEach, catching, minOk, minPrinted, nodeClient, startMin, tcpServer, udpEcho, withMinServer } from './peers.js';

const own = closedAfterEach();
afterEach(() => vi.restoreAllMocks());

describe('timeouts', () => {
  it('recv and recv-line time out, and the data that comes later is still read', async () => {
    // The rest comes once min has timed out twice and says so.
    own.peer = await tcpServer((s) => {
      s.write('par');
      s.once('data', () => s.write('tial line\nrest'));
    });
    // The timeout is set once connected: only what is meant to time out waits under a short one
    // (a loaded machine can take longer than that to see a connection through).
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c c 100 %timeout @c
      ${catching('c recv-line')}
      ${catching('c 10 recv')}
      c 0 %timeout @c
      c "timed out twice\n" send
      c recv-line puts! c 4 recv puts!`);
    expect(out).toBe(
      'TimeoutError timed out after 100 ms waiting for data\nTimeoutError timed out after 100 ms waiting for data\npartial line\nrest\n',
    );
  });

  it('a timeout set later with dset applies to the next operation', async () => {
    own.peer = await tcpServer();
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c 50 %timeout @c ${catching('c recv-line')}
      c 60.5 %timeout @c ${catching('c 1 recv')}
      c "soon" %timeout @c ${catching('c 1 recv')}`);
    expect(out).toBe(
      'TimeoutError timed out after 50 ms waiting for data\nTimeoutError timed out after 60.5 ms waiting for data\nNetError The socket\'s timeout must be a number of milliseconds, got "soon"\n',
    );
  });

  it('a loop reading one dict many times still sees a timeout set on it later, by dset or inside with', async () => {
    // The socket's settings are read once per version of the dict's contents:
    // any change makes a new version, which is read again.
    own.peer = await tcpServer((s) => s.write('a\n'.repeat(20)));
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      (c recv-line pop) 20 times
      c 40 %timeout @c ${catching('c recv-line')}
      c 0 %timeout @c
      (70 :timeout) c with ${catching('c recv-line')}
      ("x" :max-line) c with ${catching('c recv-line')}`);
    expect(out).toBe(
      'TimeoutError timed out after 40 ms waiting for data\nTimeoutError timed out after 70 ms waiting for data\nNetError The socket\'s max-line must be a positive number of bytes, got "x"\n',
    );
  });

  it('accept times out and a later accept gets the connection', async () => {
    const code = `{100 :timeout} socket {"127.0.0.1" :address 0 :port} listen :srv
      ${catching('srv {} socket accept')}
      (srv /port string "PORTFILE" fwrite) ->
      srv 0 %timeout @srv
      srv {} socket accept recv-line puts! srv close`;
    const { out } = await withMinServer(code, async (port) => (await nodeClient(port)).end('late\n'));
    expect(out).toBe('TimeoutError timed out after 100 ms waiting for a connection\nlate\n');
  });

  it('connect times out (a name lookup that never answers), then connects elsewhere', async () => {
    own.peer = await tcpServer((s) => s.end('hello\n'));
    const real = dns.promises.lookup;
    vi.spyOn(dns.promises, 'lookup').mockImplementation(((host: string, o: object) =>
      host === 'localhost' ? real(host, o as dns.LookupOneOptions) : new Promise(() => {})) as typeof real);
    const out = await minOk(`{150 :timeout} socket :c
      ${catching('c "slow.example" 80 connect')}
      c 0 %timeout @c
      c "localhost" ${own.peer.port} connect recv-line puts!`);
    expect(out).toBe('TimeoutError timed out after 150 ms connecting to slow.example:80\nhello\n');
  });

  it('send times out when the peer stops reading; the connection still works', async () => {
    let conn: net.Socket | null = null;
    own.peer = await tcpServer((s) => {
      conn = s;
      s.pause();
    });
    const big = 64 << 20;
    const run = startMin(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      "z" ${big} repeat :big
      c 200 %timeout @c
      ${catching('c big send')}
      c 0 %timeout @c
      c recv-line puts!`);
    // Once min has given up, read everything and answer.
    await minPrinted(run, 'TimeoutError');
    const s = conn! as net.Socket;
    let n = 0;
    s.on('data', (b: Buffer) => {
      n += b.length;
      if (n === big) s.write('all received\n');
    });
    s.resume();
    expect(await run.ok()).toBe('TimeoutError timed out after 200 ms sending data\nall received\n');
  });

  it('dgram recv times out', async () => {
    const echo = await udpEcho();
    try {
      const out = await minOk(`{"dgram" :type} socket "127.0.0.1" ${echo.port} connect :u u 80 %timeout @u
        ${catching('u 10 recv')} u 0 %timeout @u u "x" send u recv-line puts!`);
      expect(out).toBe('TimeoutError timed out after 80 ms waiting for data\nx\n');
    } finally {
      echo.close();
    }
  });

  it('the timeout given to socket shows in its dict', async () => {
    // A bound datagram socket: nothing else (a connection) has to happen within the 30 ms.
    const out = await minOk(`{"dgram" :type 30 :timeout} socket {"127.0.0.1" :address 0 :port} listen :c
      c /timeout puts! ${catching('c recv-line')}`);
    expect(out).toBe('30\nTimeoutError timed out after 30 ms waiting for data\n');
  });
});
