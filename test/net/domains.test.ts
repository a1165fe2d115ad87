// ipv6 (::1) and unix socket files, both ways round.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { catching, closedAfterEach, echoServer, minOk, nodeClient, readAll, tempDir, withMinServer } from './peers.js';

const own = closedAfterEach();

describe('ipv6', () => {
  it('connects to ::1 and echoes', async () => {
    own.peer = await echoServer('::1');
    const out = await minOk(`{"ipv6" :domain} socket "::1" ${own.peer.port} connect :c
      c /address puts! c "six\\n" send c recv-line puts! c close`);
    expect(out).toBe('::1\nsix\n');
  });

  it('listens on :: by default and on ::1 when asked', async () => {
    expect(await minOk('{"ipv6" :domain} socket {0 :port} listen /address puts!')).toBe('::\n');
    const code = `{"ipv6" :domain} socket {"::1" :address 0 :port} listen :srv
      srv /address puts!
      (srv /port string "PORTFILE" fwrite) ->
      srv {"ipv6" :domain} socket accept :cli cli /address puts! cli recv-line puts! srv close`;
    const { out } = await withMinServer(code, async (port) => (await nodeClient(port, '::1')).end('over six\n'));
    expect(out).toBe('::1\n::1\nover six\n');
  });

  it('refuses an ipv4 address on an ipv6 socket and the other way round', async () => {
    const out = await minOk(`${catching('{"ipv6" :domain} socket "127.0.0.1" 80 connect')}
      ${catching('{} socket "::1" 80 connect')}
      ${catching('{} socket {"::1" :address 0 :port} listen')}`);
    expect(out).toBe('NetError 127.0.0.1 is not an ipv6 address\nNetError ::1 is not an ipv4 address\nNetError ::1 is not an ipv4 address\n');
  });
});

describe('unix', () => {
  it('connects to a socket file', async () => {
    own.tmp = tempDir();
    const path = own.tmp.path('echo.sock');
    own.peer = await echoServer('', path);
    const out = await minOk(`{"unix" :domain} socket "${path}" 0 connect :c
      c /address puts! c /port puts! c "via file\\n" send c recv-line puts! c close`);
    expect(out).toBe(`${path}\n0\nvia file\n`);
  });

  it('listens on a socket file and removes it on close', async () => {
    own.tmp = tempDir();
    const path = own.tmp.path('srv.sock');
    const code = `{"unix" :domain} socket {"${path}" :address} listen :srv
      srv /address puts!
      ("1" "PORTFILE" fwrite) ->
      srv {"unix" :domain} socket accept :cli cli /address puts!
      cli recv-line puts! cli "bye\\n" send cli close srv close`;
    const { out, client } = await withMinServer(code, async () => {
      const s = await nodeClient(0, '', path);
      const r = readAll(s);
      s.write('hello file\n');
      return (await r).toString();
    });
    expect(out).toBe(`${path}\n${path}\nhello file\n`);
    expect(client).toBe('bye\n');
    expect(existsSync(path)).toBe(false);
  });

  it('needs a path to listen on, and reports a missing file', async () => {
    own.tmp = tempDir();
    const out = await minOk(`${catching('{"unix" :domain} socket {} listen')}
      ${catching(`{"unix" :domain} socket "${own.tmp.path('none.sock')}" 0 connect`)}`);
    expect(out).toBe(
      `NetError A unix socket listens on a file: give its path as address\nNetError cannot connect to ${own.tmp.path('none.sock')}: no such file or directory\n`,
    );
  });
});
