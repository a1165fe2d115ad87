// Socket dicts are values like every dict: a copy made with dset is a new
// dict, but every copy is the same connection (the native handle is shared),
// and what the runtime fills in after connect is in the dict it pushes back.
import { afterEach, describe, expect, it } from 'vitest';
import { echoServer, minOk, type Peer } from './peers.js';

let peer: Peer | undefined;
afterEach(() => peer?.close());

describe('socket dicts are values', () => {
  it('share one connection between copies, each with its own keys', async () => {
    peer = await echoServer();
    const out = await minOk(`{} socket "127.0.0.1" ${peer.port} connect :c
      c 5000 %timeout :slow
      c "one\\n" send
      slow recv-line puts!
      slow "two\\n" send
      c recv-line puts!
      c 'timeout dhas? puts!
      slow 'timeout dget puts!
      c slow == puts!`);
    expect(out).toBe('one\ntwo\nfalse\n5000\ntrue\n');
  });

  it('show the peer connect filled in, in the dict connect pushes and in the one it was given', async () => {
    peer = await echoServer();
    const out = await minOk(`{} socket :s
      s "127.0.0.1" ${peer.port} connect :c
      c 'port dget ${peer.port} == puts!
      s 'port dget ${peer.port} == puts!
      s "x\\n" send c recv-line puts!`);
    expect(out).toBe('true\ntrue\nx\n');
  });

  it('fill the peer in for the name the socket came from, not for a copy made before', async () => {
    peer = await echoServer();
    const out = await minOk(`{} socket :s
      s :before
      s dup "127.0.0.1" ${peer.port} connect :c
      'port dhas? puts!
      before 'port dhas? puts!
      s 'port dget ${peer.port} == puts!
      c "y\\n" send before recv-line puts!`);
    expect(out).toBe('false\nfalse\ntrue\ny\n');
  });
});
