// Listening sockets ask the kernel for a long accept backlog (net/limits.ts,
// LISTEN_BACKLOG): with Node's default of 511, a thousand clients connecting
// at once to a busy program lose their SYNs and wait a second to retry. `ss`
// shows a listening socket's backlog as its Send-Q.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { minPrinted, startMin } from './peers.js';

const hasSs = spawnSync('ss', ['-V']).status === 0;
const somaxconn = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  } catch {
    return NaN;
  }
})();

describe.skipIf(!hasSs || !(somaxconn > 0))('listen backlog', () => {
  it.each([
    ['tcp', '{} socket'],
    ['ws', "{'ws :protocol} socket"],
  ])('a %s listener asks for 4096 (as far as the system allows)', async (_name, socket) => {
    // A plain TCP listener beside it says when the check is over.
    const p = startMin(`${socket} {"127.0.0.1" :address 0 :port} listen :srv
      {} socket {"127.0.0.1" :address 0 :port} listen :done
      srv 'port dget print! " " print! done 'port dget puts!
      done {} socket accept close srv close done close`);
    await minPrinted(p, '\n');
    const [port, donePort] = p.out().trim().split(' ').map(Number);
    const listing = spawnSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).stdout;
    const sendQ = Number(listing.trim().split(/\s+/)[2]);
    expect(sendQ).toBe(Math.min(4096, somaxconn));
    await new Promise<void>((resolve) => {
      const s = net.connect(donePort!, '127.0.0.1', () => (s.end(), resolve()));
    });
    await p.done;
  });
});
