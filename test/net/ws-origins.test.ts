// A WebSocket server with `origins` accepts only handshakes whose Origin is
// in the list: others get 403 and never reach accept. Without the key every
// origin (and none) is accepted. Clients are the ws package setting Origin,
// and min clients sending it as a header.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { catching, minOk, withMinServer } from './peers.js';

/** Open a handshake with `origin` (none when null): 101 when accepted, the status otherwise. */
function handshake(port: number, origin: string | null): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, origin === null ? {} : { origin });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.send(`hello from ${origin}`);
      ws.close();
    });
    ws.on('error', () => resolve(-1));
  });
}

describe('origins', () => {
  it('refuses other origins with 403 before accept sees them; the listed ones are accepted', async () => {
    const code = `{"ws" :protocol ("https://app.example" "http://127.0.0.1:8080/") :origins} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      (2 :n (n 0 >) (srv {} socket accept :c c /headers /origin puts! c recv-line puts! n 1 - @n) while) ->`;
    const { out, client } = await withMinServer(code, async (port) => [
      await handshake(port, 'https://evil.example'),
      await handshake(port, null),
      await handshake(port, 'https://app.example.evil'),
      await handshake(port, 'https://app.example'),
      // Case and a trailing slash do not matter.
      await handshake(port, 'HTTP://127.0.0.1:8080'),
    ]);
    expect(client).toEqual([403, 403, 403, 101, 101]);
    expect(out).toBe('https://app.example\nhello from https://app.example\nHTTP://127.0.0.1:8080\nhello from HTTP://127.0.0.1:8080\n');
  });

  it('can be given to listen, as path can; a min client sends Origin as a header', async () => {
    const out = await minOk(`{"ws" :protocol} socket {"127.0.0.1" :address 0 :port ("https://ok.example") :origins} listen :srv
      srv /port :port
      (
        ${catching(`{"ws" :protocol {"https://other.example" :origin} :headers} socket "127.0.0.1" port connect`)}
        {"ws" :protocol {"https://ok.example" :origin} :headers} socket "127.0.0.1" port connect "in" send
      ) spawn :t
      srv {} socket accept recv-line puts!
      t wait pop`);
    expect(out).toMatch(/^NetError cannot connect to ws:\/\/127\.0\.0\.1:\d+\/: the server answered 403 Forbidden instead of accepting the WebSocket\nin\n$/);
  });

  it('without origins any origin is accepted, and a handshake without one', async () => {
    const code = `{"ws" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      (2 :n (n 0 >) (srv {} socket accept recv-line puts! n 1 - @n) while) ->`;
    const { out, client } = await withMinServer(code, async (port) => [await handshake(port, 'https://anywhere.example'), await handshake(port, null)]);
    expect(client).toEqual([101, 101]);
    expect(out).toBe('hello from https://anywhere.example\nhello from null\n');
  });

  it('origins must be a quotation of strings', async () => {
    const out = await minOk(`${catching('{"ws" :protocol "https://a.example" :origins} socket {"127.0.0.1" :address 0 :port} listen')}
      ${catching('{"ws" :protocol (1 2) :origins} socket {"127.0.0.1" :address 0 :port} listen')}`);
    const msg = (got: string) =>
      `NetError The socket's origins must be a quotation of strings (the Origin values to accept, as "https://example.com"), got ${got}\n`;
    expect(out).toBe(msg('"https://a.example"') + msg('(1 2)'));
  });
});
