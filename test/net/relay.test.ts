// examples/relay.min between real peers: a Node client, the relay script, and
// a Node or python3 server behind it, all on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { example, run } from './cli.js';
import { closedAfterEach, readAll, tcpServer } from './peers.js';

const own = closedAfterEach();

async function relayTo(target: number, clients: number): Promise<{ port: number; proc: ReturnType<typeof run> }> {
  const proc = run([example('relay.min'), '0', '127.0.0.1', String(target), String(clients)]);
  return { proc, port: Number((await proc.waitFor(/^(\d+)\n/))[1]) };
}

/** Send `data`, half-close, and read the answer to its end. */
function exchange(port: number, data: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    c.on('error', reject);
    c.on('connect', () => c.end(data));
    void readAll(c).then(resolve);
  });
}

describe('examples/relay.min', () => {
  it('relays both ways, byte for byte, and passes each end on', async () => {
    // A server that reads to the end, then answers: works only if the relay passes the FIN on.
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      void readAll(s).then((b) => s.end(`${b.length} bytes, ends with ${b.subarray(-7).toString('utf8')}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { proc, port } = await relayTo((server.address() as net.AddressInfo).port, 2);
      const text = 'ünïcode '.repeat(200000) + 'fin ✓';
      const bytes = Buffer.byteLength(text);
      expect((await exchange(port, text)).toString('utf8')).toBe(`${bytes} bytes, ends with fin ✓`);
      expect((await exchange(port, 'short')).toString('utf8')).toBe('5 bytes, ends with short');
      expect(await proc.exit).toBe(0);
    } finally {
      server.close();
    }
  });

  it('serves several clients at once through a python3 echo server', async () => {
    const py = spawnSync('python3', ['-c', 'pass']);
    if (py.status !== 0) return void console.warn('SKIPPED: the python3 relay target needs python3');
    // A python echo server in its own process, printing its port.
    const echo = spawn('python3', ['-u', '-c', `import socket, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1])
def serve(c):
    while True:
        b = c.recv(65536)
        if not b: break
        c.sendall(b)
    c.shutdown(socket.SHUT_WR)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()`]);
    try {
      const target = await new Promise<number>((resolve) => echo.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
      const { proc, port } = await relayTo(target, 3);
      const answers = await Promise.all(['one', 'two', 'three'].map((w) => exchange(port, w.repeat(10000))));
      expect(answers.map((b) => b.toString('utf8'))).toEqual(['one', 'two', 'three'].map((w) => w.repeat(10000)));
      expect(await proc.exit).toBe(0);
    } finally {
      echo.kill();
    }
  });

  it('closes a client whose target refuses', async () => {
    own.peer = await tcpServer();
    const gone = own.peer.port;
    await own.peer.close();
    own.peer = null;
    const { proc, port } = await relayTo(gone, 1);
    expect((await exchange(port, 'hello')).length).toBe(0);
    await proc.waitFor(/relay: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    expect(await proc.exit).toBe(0);
  });
});
