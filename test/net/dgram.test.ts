// Datagram sockets: bind with listen, default peer with connect, one
// datagram per send and per recv, replies to the last sender.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { catching, minOk, udpEcho, withMinServer } from './peers.js';

let echo: Awaited<ReturnType<typeof udpEcho>> | null = null;
afterEach(() => {
  echo?.close();
  echo = null;
});

function udpSend(port: number, msgs: string[], host = '127.0.0.1', type: 'udp4' | 'udp6' = 'udp4'): Promise<string[]> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(type);
    const replies: string[] = [];
    s.on('message', (m) => {
      replies.push(m.toString());
      if (replies.length === msgs.length) {
        s.close();
        resolve(replies);
      }
    });
    s.bind(0, host, () => {
      for (const m of msgs) s.send(m, port, host);
      if (msgs.length === 0) resolve([]);
    });
  });
}

describe('dgram', () => {
  it('connects, sends datagrams and receives them one at a time', async () => {
    echo = await udpEcho();
    const out = await minOk(`{"dgram" :type} socket "127.0.0.1" ${echo.port} connect :u
      u /protocol puts! u /port puts!
      u "first datagram" send u "second\\n" send u "" send
      u 100 recv puts! u recv-line puts! u 100 recv string puts!
      u "truncate me" send u 8 recv puts!
      u "tail" send u 100 recv puts!
      u close`);
    expect(out).toBe(`udp\n${echo.port}\nfirst datagram\nsecond\n\ntruncate\ntail\n`);
  });

  it('cuts a datagram at a character boundary', async () => {
    echo = await udpEcho();
    expect(await minOk(`{"udp" :protocol} socket "localhost" ${echo.port} connect :u u "aé" send u 2 recv puts!`)).toBe('aé\n');
  });

  it('binds with listen and replies to the last sender', async () => {
    const code = `{"dgram" :type} socket {"127.0.0.1" :address 0 :port} listen :u
      u /address puts!
      (u /port string "PORTFILE" fwrite) ->
      u recv-line :a u "re: $1" (a) => % send
      u 100 recv :b u "re: $1" (b) => % send
      u close`;
    const { out, client } = await withMinServer(code, (port) => udpSend(port, ['one\n', 'two']));
    expect(out).toBe('127.0.0.1\n');
    expect(client.sort()).toEqual(['re: one', 're: two']);
  });

  it('works over ipv6', async () => {
    echo = await udpEcho('udp6', '::1');
    expect(await minOk(`{"ipv6" :domain "dgram" :type} socket "::1" ${echo.port} connect :u u "six" send u 10 recv puts!`)).toBe('six\n');
  });

  it('can bind and then connect the same socket', async () => {
    echo = await udpEcho();
    const out = await minOk(`{"udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen :u
      u "127.0.0.1" ${echo.port} connect /port puts! u "x" send u 1 recv puts!`);
    expect(out).toBe(`${echo.port}\nx\n`);
  });

  it('reports what it cannot do', async () => {
    const out = await minOk(`{"dgram" :type} socket :u
      ${catching('u 10 recv')}
      u {"127.0.0.1" :address 0 :port} listen pop
      ${catching('u "nobody to send to" send')}
      ${catching('u {"127.0.0.1" :address 0 :port} listen')}
      ${catching('{} socket u accept')}
      u close ${catching('u 1 recv')}`);
    expect(out).toBe(
      [
        'NetError the datagram socket is not bound: listen or connect it first',
        'NetError the datagram socket has no peer: connect it, or receive a datagram first',
        'NetError the socket is already bound',
        'NetError accept needs a listening socket (use listen first)',
        'NetError the socket is closed',
        '',
      ].join('\n'),
    );
  });

  it('raises connection refused from a connected socket whose peer port is closed', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const out = await minOk(`{"dgram" :type 30000 :timeout} socket "127.0.0.1" ${free} connect :u
      u "anyone?" send ${catching('u 10 recv')}`);
    expect(out).toBe('NetError connection refused\n');
  });
});
