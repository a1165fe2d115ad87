// Ctrl-C on a shell entry waiting in recv-line, recv or accept gives the wait
// up for good: what arrives next goes to the next entry that asks, not to the
// abandoned one. Driven through Session (what the terminal's Ctrl-C calls)
// against real Node peers on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import dgram from 'node:dgram';
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
});
