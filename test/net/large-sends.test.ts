// Large sends encode their text into buffers reused across sends and
// connections (net/send-buffers.ts), and recv decodes what spans several
// chunks through one reused buffer (net/inbox.ts): sizes going up and down,
// ASCII and not, must still arrive byte for byte.
import { describe, expect, it } from 'vitest';
import { closedAfterEach, echoServer, minOk, readAll, tcpServer } from './peers.js';

const own = closedAfterEach();

describe('large sends and reads', () => {
  it('sends of falling and rising sizes, ASCII and not, arrive exactly', async () => {
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    own.peer = await tcpServer((s) => (got = readAll(s)));
    await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c "a" 2000000 repeat send
      c "é" 100000 repeat send
      c "b" 300000 repeat send
      c "x😀" 500000 repeat send
      c "c" 3000000 repeat send
      c close`);
    const want = 'a'.repeat(2000000) + 'é'.repeat(100000) + 'b'.repeat(300000) + 'x😀'.repeat(500000) + 'c'.repeat(3000000);
    expect((await got).toString('utf8') === want).toBe(true);
  });

  it('recv of many chunks gives the text sent, read after read', async () => {
    own.peer = await echoServer();
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      c "0123456789" 300000 repeat send
      c 2000000 recv length puts!
      c 500000 recv "0123456789" 50000 repeat == puts!
      c 500000 recv "0123456789" 50000 repeat == puts!`);
    expect(out).toBe('2000000\ntrue\ntrue\n');
  });
});
