// recv-some, recv-all, shutdown, the local keys and the option keys over TLS:
// a tls socket is a stream like tcp, so it has them all (a Node TLS server
// with a certificate made for the test by openssl).
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { minOk, selfSigned } from './peers.js';

const pem = selfSigned('TLS stream tests');
const test = pem ? it : it.skip;
const q = (s: string) => JSON.stringify(s);

let server: tls.Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

describe('stream operators over tls', () => {
  test('recv-some, shutdown and recv-all work as over tcp', async () => {
    // Answers once the client has ended its side: the byte count, then closes.
    server = tls.createServer({ cert: pem!.cert, key: pem!.key, allowHalfOpen: true }, (s) => {
      s.on('error', () => {});
      s.write('hello');
      let n = 0;
      s.on('data', (d) => (n += d.length));
      s.on('end', () => s.end(`, you sent ${n} bytes`));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const out = await minOk(`{"tls" :protocol ${q(pem!.cert)} :ca 30000 :keepalive} socket "localhost" ${port} connect :c
      c /local-port 0 > puts!
      c 100 recv-some puts!
      c "four" send
      c shutdown
      c recv-all puts!`);
    expect(out).toBe('true\nhello\n, you sent 4 bytes\n');
  });
});
