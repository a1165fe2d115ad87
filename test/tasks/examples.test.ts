// The task examples, run through the CLI against Node peers on loopback: the
// chat server (one outbox channel per client), the worker pool and the TCP
// proxy with select.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { example, root, run } from '../net/cli.js';
import { waitFor } from '../wait.js';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

/** A client that collects what it receives. */
interface Client {
  sock: net.Socket;
  text(): string;
  closed(): boolean;
}

function client(port: number, read = true): Promise<Client> {
  return new Promise((resolve, reject) => {
    let text = '';
    let closed = false;
    const sock = net.connect(port, '127.0.0.1', () => resolve({ sock, text: () => text, closed: () => closed }));
    sock.setEncoding('utf8');
    if (read) sock.on('data', (s: string) => (text += s));
    else sock.pause();
    sock.on('close', () => (closed = true));
    sock.on('error', reject);
  });
}

const until = (c: Client, part: string) => waitFor(() => c.text().includes(part), { what: JSON.stringify(part), state: c.text });

describe('task examples', () => {
  it('task-chat: messages go to the others, and a client that does not read holds up nobody', async () => {
    const p = run([example('task-chat.min')]);
    const port = Number((await p.waitFor(/chat on port (\d+)/))[1]);
    const ann = await client(port);
    await until(ann, 'name? ');
    ann.sock.write('ann\n');
    const bob = await client(port);
    bob.sock.write('bob\n');
    await until(ann, '* bob joined\n');
    // A third client never reads: its outbox fills and it misses messages, nobody waits for it.
    const mute = await client(port, false);
    mute.sock.write('mute\n');
    await until(ann, '* mute joined\n');
    const lines = Array.from({ length: 2000 }, (_, k) => `line ${k} ${'x'.repeat(1000)}`);
    ann.sock.write(lines.map((l) => l + '\n').join(''));
    await until(bob, `ann: ${lines.at(-1)}\n`);
    const got = bob.text().split('\n').filter((l) => l.startsWith('ann: '));
    expect(got).toEqual(lines.map((l) => `ann: ${l}`));
    expect(ann.text()).not.toContain('ann: ');
    bob.sock.write('/quit\n');
    await until(ann, '* bob left\n');
    await waitFor(() => bob.closed(), { what: 'the server to close the connection of a client that quit' });
    ann.sock.destroy();
    mute.sock.destroy();
  });

  it('worker-pool: every job done once, by the pool', async () => {
    const p = run([example('worker-pool.min'), '3', '12']);
    expect(await p.exit).toBe(0);
    const squares = (n: number) => (n * (n + 1) * (2 * n + 1)) / 6;
    const expected = Array.from({ length: 12 }, (_, k) => `job ${k + 1}: ${squares(k + 1)}`);
    expect(p.out()).toBe([...expected, '12 jobs done by 3 workers', ''].join('\n'));
    expect(p.err()).toBe('');
  });

  it('task-proxy: relays both ways, large data and half-closes included', async () => {
    const target = net.createServer((s) => {
      s.on('data', (d) => s.write(d));
      s.on('end', () => s.end('bye\n'));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetPort = (target.address() as net.AddressInfo).port;
    const p = run([example('task-proxy.min'), String(targetPort)]);
    const port = Number((await p.waitFor(/proxy on port (\d+)/))[1]);
    const big = 'y'.repeat(500_000) + '\n';
    const clients = await Promise.all([client(port), client(port)]);
    for (const [k, c] of clients.entries()) {
      c.sock.write(`hello ${k}\n`);
      c.sock.end(big);
    }
    for (const [k, c] of clients.entries()) {
      await waitFor(() => c.closed(), { what: `proxied client ${k} to be closed`, state: () => `${c.text().length} chars` });
      expect(c.text()).toBe(`hello ${k}\n${big}bye\n`);
    }
    target.close();
  });
});
