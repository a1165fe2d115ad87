// Unix socket files: a path too long for the system is a NetError (not a cut
// file name), a missing directory is named, and the file of a listening
// socket is removed when the program is stopped by SIGINT or SIGTERM.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { catching, closedAfterEach, minOk, tempDir } from './peers.js';
import { startServerScript } from './cli.js';

const own = closedAfterEach();

describe('unix socket paths', () => {
  it('a path longer than 107 bytes is a NetError, and no cut file is made', async () => {
    own.tmp = tempDir();
    const long = own.tmp.path('s'.repeat(120) + '.sock');
    const bytes = Buffer.byteLength(long);
    const out = await minOk(`${catching(`{"unix" :domain} socket {"${long}" :address} listen`)}
      ${catching(`{"unix" :domain} socket "${long}" 0 connect`)}`);
    expect(out).toBe(
      `NetError cannot listen on ${long}: the path is ${bytes} bytes long, and a unix socket path can be at most 107 bytes on this system (use a shorter one)\n` +
        `NetError cannot connect to ${long}: the path is ${bytes} bytes long, and a unix socket path can be at most 107 bytes on this system (use a shorter one)\n`,
    );
    expect(readdirSync(own.tmp.dir)).toEqual([]);
  });

  it('a missing directory says so, a missing socket file too', async () => {
    own.tmp = tempDir();
    const missing = own.tmp.path('nowhere/x.sock');
    const out = await minOk(`${catching(`{"unix" :domain} socket {"${missing}" :address} listen`)}
      ${catching(`{"unix" :domain} socket "${missing}" 0 connect`)}
      ${catching(`{"unix" :domain} socket "${own.tmp.path('none.sock')}" 0 connect`)}`);
    expect(out).toBe(
      `NetError cannot listen on ${missing}: no such directory ${own.tmp.path('nowhere')}\n` +
        `NetError cannot connect to ${missing}: no such directory ${own.tmp.path('nowhere')}\n` +
        `NetError cannot connect to ${own.tmp.path('none.sock')}: no such file or directory\n`,
    );
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`the socket file of a listening server is removed on ${signal}`, async () => {
      own.tmp = tempDir();
      const path = own.tmp.path('srv.sock');
      const { proc } = await startServerScript(`{"unix" :domain} socket {"${path}" :address} listen :srv
        "0" puts!
        srv {"unix" :domain} socket accept`);
      expect(existsSync(path)).toBe(true);
      proc.child.kill(signal);
      expect(await proc.exit).toBe(code);
      expect(existsSync(path)).toBe(false);
    });
  }
});
