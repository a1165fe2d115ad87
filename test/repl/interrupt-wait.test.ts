// Ctrl-C on a shell entry waiting in recv-line, recv, accept, recv-message or
// connect gives the wait up for good: what arrives next goes to the next
// entry that asks, not to the abandoned one, and a connect stops trying. Driven through Session (what the terminal's Ctrl-C calls)
// against real Node peers on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { execFileSync, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createRuntime } from '../../src/ops/modules.js';
import { Session } from '../../src/repl/session.js';
import { nodeClient, tcpServer, type Peer } from '../net/peers.js';
import { waitFor } from '../wait.js';

let peer: Peer | null = null;
let session: Session | null = null;
afterEach(async () => {
  session?.rt.releaseAll();
  session = null;
  await peer?.close();
  peer = null;
});

/** Connections to 127.0.0.1:port this machine is still trying to open (SYN sent, no answer), as the kernel lists them. */
function synSent(port: number): number {
  const out = execFileSync('ss', ['-Htn', 'state', 'syn-sent', 'dst', `127.0.0.1:${port}`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

function newSession(): Session {
  const w = { write: () => {} };
  return (session = new Session(createRuntime({ out: w, err: w })));
}

async function interrupted(s: Session, entry: string): Promise<void> {
  const running = s.evalEntry(entry);
  await waitFor(() => s.busy, { what: `${entry} to wait` });
  expect(s.interrupt()).toBe(true);
  expect((await running).kind).toBe('interrupted');
}

describe('Ctrl-C on a waiting socket operator', () => {
  it('recv-line: the next recv-line gets the next line', async () => {
    peer = await tcpServer();
    const s = newSession();
    await s.evalEntry(`{} socket "127.0.0.1" ${peer.port} connect :c`);
    await interrupted(s, 'c recv-line');
    (await peer.conn()).write('first\nsecond\n');
    expect((await s.evalEntry('c recv-line')).output).toBe(' "first"');
    expect((await s.evalEntry('c recv-line')).output).toBe(' "second"');
  });

  it('recv: the bytes wait for the next recv', async () => {
    peer = await tcpServer();
    const s = newSession();
    await s.evalEntry(`{} socket "127.0.0.1" ${peer.port} connect :c`);
    await interrupted(s, 'c 5 recv');
    await interrupted(s, 'c 5 recv-some');
    (await peer.conn()).write('abcde');
    expect((await s.evalEntry('c 5 recv')).output).toBe(' "abcde"');
  });

  it('accept: the next accept gets the next client', async () => {
    const s = newSession();
    await s.evalEntry('{} socket {"127.0.0.1" :address 0 :port} listen :srv');
    await s.evalEntry('srv /port');
    const port = s.stack.pop() as number;
    await interrupted(s, 'srv {} socket accept');
    const client: net.Socket = await nodeClient(port);
    client.write('it is me\n');
    expect((await s.evalEntry('srv {} socket accept recv-line')).output).toBe(' "it is me"');
    client.destroy();
  });

  it('recv-from: the datagram waits for the next recv-from', async () => {
    const s = newSession();
    await s.evalEntry('{"udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen :u');
    await s.evalEntry('u /port');
    const port = s.stack.pop() as number;
    await interrupted(s, 'u 100 recv-from');
    const sender = dgram.createSocket('udp4');
    await new Promise<void>((r) => sender.send('a datagram', port, '127.0.0.1', () => r()));
    expect((await s.evalEntry('u 100 recv-from /data')).output).toBe(' "a datagram"');
    sender.close();
  });

  it('recv-message: the next recv-message gets the next message', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const conns: WebSocket[] = [];
    wss.on('connection', (ws) => conns.push(ws));
    try {
      const s = newSession();
      await s.evalEntry(`{"ws" :protocol} socket "127.0.0.1" ${(wss.address() as AddressInfo).port} connect :c`);
      await interrupted(s, 'c recv-message');
      await waitFor(() => conns.length === 1, { what: 'the WebSocket client' });
      conns[0]!.send('one');
      conns[0]!.send('two');
      expect((await s.evalEntry('c recv-message /data')).output).toBe(' "one"');
      expect((await s.evalEntry('c recv-message /data')).output).toBe(' "two"');
    } finally {
      for (const c of conns) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  });

  it('connect: the attempt is given up, the socket stays usable', async () => {
    // A Python listener that never accepts, its queue (backlog 0) filled by
    // one client: the kernel drops the next SYNs, so a connect to it waits
    // (and retries) until it is given up. (A Node listener always accepts.)
    const py = spawn('python3', ['-c', 'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const filler: net.Socket[] = [];
    try {
      const port = await new Promise<number>((r) => py.stdout.once('data', (d) => r(Number(String(d).trim()))));
      const first = net.connect(port, '127.0.0.1');
      first.on('error', () => {});
      filler.push(first);
      await once(first, 'connect');
      const s = newSession();
      await s.evalEntry('{} socket :c');
      await waitFor(() => synSent(port) === 0, { what: 'the filler alone connected' });
      const running = s.evalEntry(`c "127.0.0.1" ${port} connect`);
      await waitFor(() => synSent(port) === 1, { what: 'the connect to be trying' });
      expect(s.interrupt()).toBe(true);
      expect((await running).kind).toBe('interrupted');
      // The attempt itself is over: no SYN of ours is still being retried.
      await waitFor(() => synSent(port) === 0, { what: 'the attempt to be given up' });
      // The same socket dict connects elsewhere at once.
      peer = await tcpServer();
      expect((await s.evalEntry(`c "127.0.0.1" ${peer.port} connect /port`)).output).toBe(` ${peer.port}`);
    } finally {
      for (const c of filler) c.destroy();
      py.kill();
    }
  });
});
