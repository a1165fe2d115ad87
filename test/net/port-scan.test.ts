// examples/port-scan.min on loopback only: a range of ports on 127.0.0.1 in
// which the test holds some open (Node servers), leaves some refused, and,
// with python3, one whose backlog is full so its SYNs go unanswered (timed out).
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { example, run } from './cli.js';
import { waitForText } from '../wait.js';

const servers: net.Server[] = [];
let py: ChildProcess | null = null;
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  py?.kill();
  py = null;
});

const listen = (port: number): Promise<net.Server | null> =>
  new Promise((resolve) => {
    const s = net.createServer((c) => c.destroy());
    s.once('error', () => resolve(null));
    s.listen(port, '127.0.0.1', () => resolve(s));
  });

/** Ten consecutive free ports on 127.0.0.1 (all bound once, then let go), the first returned. */
async function freeRange(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const held = await Promise.all(Array.from({ length: 10 }, (_, k) => listen(base + k)));
    await Promise.all(held.map((s) => s && new Promise((r) => s.close(r))));
    if (held.every((s) => s !== null)) return base;
  }
  throw new Error('no ten free consecutive ports');
}

describe('examples/port-scan.min', () => {
  it('finds the open ports of a range, many at once, and counts refused and silent ones', async () => {
    const base = await freeRange();
    for (const k of [1, 4]) servers.push((await listen(base + k))!);
    const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
    let silent = 0;
    if (hasPython) {
      // A listener that never accepts, with its backlog filled: new SYNs are dropped.
      py = spawn('python3', ['-u', '-c', `import socket, time
s = socket.socket(); s.bind(("127.0.0.1", ${base + 7})); s.listen(0)
held = []
for _ in range(3):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", ${base + 7}))
    except BlockingIOError: pass
    held.append(c)
time.sleep(0.5)
print("full", flush=True)
time.sleep(60)`]);
      let out = '';
      py.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      await waitForText(() => out, 'full');
      silent = 1;
    } else console.warn('SKIPPED: the timed-out port of the scan needs python3');
    const scan = run([example('port-scan.min'), '127.0.0.1', String(base), String(base + 9), '1500', '10']);
    expect(await scan.exit).toBe(0);
    expect(scan.out()).toBe(
      `${base + 1} open\n${base + 4} open\n` + `2 open, ${8 - silent} refused, ${silent} timed out (10 ports of 127.0.0.1)\n`,
    );
  });

  it('says how to use it', async () => {
    const p = run([example('port-scan.min'), '127.0.0.1']);
    expect(await p.exit).toBe(2);
    expect(p.out()).toMatch(/^Usage: port-scan.min HOST FIRST LAST/);
  });
});
