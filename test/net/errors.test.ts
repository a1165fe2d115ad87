// Every failure is a catchable NetError whose message gives the OS reason.
import { afterEach, describe, expect, it, vi } from 'vitest';
import dns from 'node:dns';
import { closedAfterEach, catching, freePort, min, minOk, tcpServer, tempDir } from './peers.js';

const own = closedAfterEach();
afterEach(() => vi.restoreAllMocks());

describe('net errors', () => {
  it('connection refused', async () => {
    const port = await freePort();
    expect(await minOk(catching(`{} socket "127.0.0.1" ${port} connect`))).toBe(
      `NetError cannot connect to 127.0.0.1:${port}: connection refused\n`,
    );
  });

  it('address in use (tcp and unix)', async () => {
    own.peer = await tcpServer();
    const tmp = tempDir();
    try {
      const path = tmp.path('taken.sock');
      const other = await tcpServer(() => {}, '', path);
      const out = await minOk(`${catching(`{} socket {"127.0.0.1" :address ${own.peer.port} :port} listen`)}
        ${catching(`{"unix" :domain} socket {"${path}" :address} listen`)}`);
      await other.close();
      expect(out).toBe(
        `NetError cannot listen on 127.0.0.1:${own.peer.port}: address already in use\nNetError cannot listen on ${path}: address already in use\n`,
      );
    } finally {
      tmp.remove();
    }
  });

  it('host not found', async () => {
    const real = dns.promises.lookup;
    // No DNS traffic from tests: only names the system resolves locally go through.
    vi.spyOn(dns.promises, 'lookup').mockImplementation(((host: string, o: object) =>
      host === 'localhost' ? real(host, o as dns.LookupOneOptions) : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }))) as typeof real);
    const out = await minOk(`${catching('{} socket "nowhere.example" 80 connect')}
      ${catching('{} socket "no such host!" 80 connect')}
      ${catching('{} socket "" 80 connect')}
      ${catching('{} socket {"nowhere.example" :address 0 :port} listen')}
      ${catching('{"dgram" :type} socket "nowhere.example" 80 connect')}`);
    expect(out).toBe(
      [
        "NetError cannot resolve 'nowhere.example': host not found",
        "NetError cannot resolve 'no such host!': host not found (not a valid host name)",
        'NetError cannot connect: empty host name',
        "NetError cannot resolve 'nowhere.example': host not found",
        "NetError cannot resolve 'nowhere.example': host not found",
        '',
      ].join('\n'),
    );
  });

  it('connection reset: data that came first is still read, then the error', async () => {
    // The reset comes when min asks for it, so that the line has reached min first: Node reports
    // a reset that arrives together with unread data as a plain end of the stream.
    own.peer = await tcpServer((s) => {
      s.write('before the reset\n');
      s.once('data', () => s.resetAndDestroy());
    });
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c "reset me\n" send
      200 sleep
      c recv-line puts!
      ${catching('c recv-line')}
      ${catching('c 10 recv')}
      ${catching('c "anyone?" send')}`);
    expect(out).toBe(
      'before the reset\nNetError connection reset by peer\nNetError connection reset by peer\nNetError connection reset by peer\n',
    );
  });

  it('send to a peer that has gone', async () => {
    own.peer = await tcpServer((s) => s.destroy());
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      100 sleep
      (
        ((c "are you there?\\n" send 20 sleep) 50 times "no error" puts!)
        (:e e /error puts! e /message puts!)
      ) try`);
    expect(out).toMatch(/^NetError\n(broken pipe \(the peer has gone\)|connection reset by peer)\n$/);
  });

  it('use of a closed socket', async () => {
    own.peer = await tcpServer();
    const ops = ['"x" send', '1 recv', 'recv-line', `"127.0.0.1" ${own.peer.port} connect`, '{"127.0.0.1" :address 0 :port} listen', '{} socket accept'];
    const code = ops.map((o) => catching(`c ${o}`)).join('\n');
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c c close ${code}`);
    expect(out).toBe(ops.map(() => 'NetError the socket is closed\n').join(''));
  });

  it('closing a socket fails a recv waiting on it in another task', async () => {
    own.peer = await tcpServer();
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      (${catching('c recv-line')}) spawn :t
      20 sleep c close t wait pop`);
    expect(out).toBe('NetError the socket is closed\n');
  });

  it('closing a listening socket fails a waiting accept', async () => {
    const out = await minOk(`{} socket {"127.0.0.1" :address 0 :port} listen :s
      (${catching('s {} socket accept')}) spawn :t
      20 sleep s close t wait pop`);
    expect(out).toBe('NetError the socket is closed\n');
  });

  it('bad ports and bad operands', async () => {
    const out = await minOk(`${catching('{} socket "127.0.0.1" 70000 connect')}
      ${catching('{} socket {"127.0.0.1" :address -1 :port} listen')}
      ${catching('{} socket {"127.0.0.1" :address "80" :port} listen')}
      ${catching('{} {} listen')}`);
    expect(out).toBe(
      [
        'NetError Invalid port 70000: ports go from 0 to 65535',
        'NetError Invalid port -1: ports go from 0 to 65535',
        'NetError Invalid port "80": ports go from 0 to 65535',
        'MinInvalidError listen needs a socket and a dict of address and port',
        '',
      ].join('\n'),
    );
  });

  it('an uncaught net error ends the program with its location', async () => {
    const port = await freePort();
    const r = await min(`{} socket "127.0.0.1" ${port} connect`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^<eval>\\(1,\\d+\\) \\[connect\\] NetError: cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));
  });
});
