// Connections a server has not accepted yet cost it nothing but their place
// in the queue: they are not read until accepted (their data waits in the
// kernel, back-pressuring the client), and the queue holds at most 1024 of
// them; more are closed at once, as a full backlog refuses them.
import { describe, expect, it } from 'vitest';
import type net from 'node:net';
import { readFileSync } from 'node:fs';
import { nodeClient, readAll, withMinServer } from './peers.js';
import { run } from './cli.js';
import { waitFor } from '../wait.js';

const MIB = 1 << 20;

const rss = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe('connections waiting for accept', () => {
  it('are not read: 40 clients sending 3 MiB each do not grow the server, and every byte is there once accepted', async () => {
    // The server accepts a control connection, waits for "go", then reads each waiting client whole.
    const p = run([
      'eval',
      `{} socket {"127.0.0.1" :address 0 :port} listen :srv
       srv /port puts!
       srv {} socket accept :ctl
       ctl recv-line pop
       "ready" puts!
       0 :total
       (srv {} socket accept :c 0 :n (c 1048576 recv length @n n 0 >) (total n + @total) while c close) 40 times
       total puts!`,
    ]);
    const port = Number((await p.waitFor(/^(\d+)\n/))[1]);
    const ctl = await nodeClient(port);
    await new Promise((r) => setTimeout(r, 100));
    const before = rss(p.child.pid!);
    const clients: net.Socket[] = [];
    for (let k = 0; k < 40; k++) {
      const c = await nodeClient(port);
      c.end(Buffer.alloc(3 * MIB, 'p'));
      clients.push(c);
    }
    // Give the server every chance to read what it should not.
    await new Promise((r) => setTimeout(r, 500));
    const grown = rss(p.child.pid!) - before;
    ctl.write('go\n');
    await p.waitFor(/ready\n(\d+)\n/).catch((e) => {
      throw new Error(`${e.message}\n${p.err()}`);
    });
    expect(p.out()).toMatch(new RegExp(`ready\\n${40 * 3 * MIB}\\n$`));
    expect(grown).toBeLessThan(25 * MIB);
    ctl.destroy();
  }, 30000);

  it('are kept up to 1024; more are closed at once', async () => {
    const code = `{} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv /port string "PORTFILE" fwrite) ->
      srv {} socket accept :ctl
      ctl "accepted\n" send
      ctl recv-line pop
      0 :n
      srv 1000 'timeout dset @srv
      (((srv {} socket accept close n 1 + @n true) (pop false)) try) () while
      n puts! ctl close`;
    const { out } = await withMinServer(code, async (port) => {
      const ctl = await nodeClient(port);
      // Only once the server has taken the control connection do the others fill its queue.
      const fromServer = readAll(ctl);
      await new Promise((r) => ctl.once('data', r));
      const clients: net.Socket[] = [];
      let closed = 0;
      for (let k = 0; k < 1100; k++) {
        const c = await nodeClient(port);
        c.on('close', () => closed++);
        clients.push(c);
      }
      await waitFor(() => closed >= 76, { what: '76 clients closed by the server', state: () => `${closed} closed` });
      ctl.write('go\n');
      await fromServer;
      for (const c of clients) c.destroy();
    });
    expect(out).toBe('1024\n');
  }, 30000);
});
