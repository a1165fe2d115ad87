// A program ends when its main program is done and only tasks remain that
// wait on connections to its own sockets, which nobody can ever wake; a task
// waiting on a peer elsewhere (or on a listening socket) still keeps it alive.
import { describe, expect, it } from 'vitest';
import { closedAfterEach, min, minPrinted, startMin, tcpServer } from './peers.js';

const own = closedAfterEach();

describe('the end of a program', () => {
  it('ends when a task waits on a connection whose other end the main program left open', async () => {
    const r = await min(`{} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port :port
      (srv {} socket accept :conn "" :l (conn recv-line @l l "" !=) (l puts!) while "never" puts!) spawn pop
      {} socket "127.0.0.1" port connect :c
      c "hello\\n" send
      "main done" puts!`);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n').sort()).toEqual(['', 'hello', 'main done']);
  });

  it('ends when two tasks wait on each other\'s ends of one connection', async () => {
    const r = await min(`{} socket {"127.0.0.1" :address 0 :port} listen :srv
      srv /port :port
      (srv {} socket accept :a a recv-line puts! a recv-line puts!) spawn pop
      ({} socket "127.0.0.1" port connect :b b "ping\\n" send b recv-line puts!) spawn pop`);
    expect(r).toEqual({ code: 0, err: '', out: 'ping\n' });
  });

  it('keeps running while a task waits on a peer outside the program', async () => {
    own.peer = await tcpServer();
    const p = startMin(`({} socket "127.0.0.1" ${own.peer.port} connect :c "waiting" puts! c recv-line puts! c recv-line puts!) spawn pop`);
    await minPrinted(p, 'waiting');
    const s = await own.peer.conn();
    s.write('late line\n');
    await minPrinted(p, 'late line');
    s.end();
    expect(await p.ok()).toBe('waiting\nlate line\n\n');
  });

  it('keeps a server waiting in accept running', async () => {
    const p = startMin(`{} socket {"127.0.0.1" :address 0 :port} listen :srv
      "port " print! srv /port puts!
      (srv {} socket accept recv-line puts!) spawn pop`);
    await minPrinted(p, '\n');
    const port = Number(/port (\d+)/.exec(p.out())![1]);
    const net = await import('node:net');
    const c = net.connect(port, '127.0.0.1', () => c.end('a client\n'));
    expect(await p.ok()).toMatch(/a client\n$/);
  });
});
