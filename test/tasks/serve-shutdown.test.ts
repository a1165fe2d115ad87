// serve: at most max-clients client tasks at once (the next clients wait in
// the accept queue), and a graceful shutdown: once the server socket is
// closed, serve stops accepting and returns when its running client tasks
// have ended. Real sockets on loopback.
import { describe, expect, it } from 'vitest';
import { min, minOk } from '../net/peers.js';

describe('serve', () => {
  it('keeps at most max-clients client tasks, and returns once the running ones end after the server closes', async () => {
    const out = await minOk(`
{2 :max-clients} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget :port
0 channel :started
0 channel :release
(srv (:cli cli recv-line :l started l chan-put release chan-get pop cli "bye " l suffix "\\n" suffix send) serve "serve returned" puts!) spawn :server
(
  :name
  {} socket "127.0.0.1" port connect :c c name "\\n" suffix send c recv-line c close
) ^client
("a" "b" "c") ((client) cons spawn) map :clients
started chan-get started chan-get "two started" puts!
; the third client waits in the accept queue until a handler ends
(((started chan-get) 300 within) ('error dget puts!)) try
release true chan-put
started chan-get "third started" puts!
srv close
"closed" puts!
release true chan-put
release true chan-put
clients (wait first puts!) foreach
server wait pop
"end" puts!
`);
    const lines = out.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['two started', 'TimeoutError', 'third started', 'closed']);
    expect(lines.slice(4).sort()).toEqual(['bye a', 'bye b', 'bye c', 'end', 'serve returned']);
    expect(lines.at(-1)).toBe('end');
  });

  it('a bad max-clients is a catchable NetError', async () => {
    const out = await minOk(`
      {0 :max-clients} socket {"127.0.0.1" :address 0 :port} listen :srv
      ((srv () serve) (:e e 'error dget puts! e 'message dget puts!)) try
      srv close
    `);
    expect(out).toBe("NetError\nThe socket's max-clients must be a whole number of at least 1, got 0\n");
  });

  it('cancel of a task in serve cancels its client tasks too', async () => {
    const r = await min(`
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv 'port dget :port
      0 channel :started
      (srv (:cli started true chan-put cli recv-line pop) serve) spawn :server
      {} socket "127.0.0.1" port connect :c
      started chan-get pop
      server cancel
      ((server wait) ('error dget puts!)) try
      c recv-line "" == puts!
      tasks size puts!
      srv close
    `);
    expect(r.out).toBe('CancelledError\ntrue\n0\n');
    expect(r.code).toBe(0);
  });
});
