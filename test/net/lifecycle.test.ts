// Sockets and the life of the program: the end of the program closes what
// is still open, several tasks share a socket fairly, ddup shares the
// connection, and dotted names reach the operators.
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { closedAfterEach, catching, freePort, min, minOk, readAll, tcpServer } from './peers.js';

const own = closedAfterEach();

describe('sockets and the program', () => {
  it('the end of the program closes a connection left open, after what was sent', async () => {
    own.peer = await tcpServer();
    const got = own.peer.conn().then(readAll);
    await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect "left open\\n" send`);
    expect((await got).toString()).toBe('left open\n');
  });

  it('the end of the program closes a listening socket, freeing its port', async () => {
    const port = await freePort();
    await minOk(`{} socket {"127.0.0.1" :address ${port} :port} listen pop`);
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => reject(new Error('still listening')));
      s.on('error', () => resolve());
    });
  });

  it('the end of the program ends even with an error, and closes sockets then too', async () => {
    own.peer = await tcpServer();
    const got = own.peer.conn().then(readAll);
    const r = await min(`{} socket "127.0.0.1" ${own.peer.port} connect "x" send 1 "a" +`);
    expect(r.code).toBe(1);
    expect((await got).toString()).toBe('x');
  });

  it('tasks reading lines from one socket each get whole lines, in call order', async () => {
    // The lines come once min says both tasks are waiting: `yield` lets them run up to their
    // first recv-line before the main program goes on.
    own.peer = await tcpServer((s) => s.once('data', () => s.write('l1\nl2\nl3\nl4\n')));
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c
      (c recv-line c recv-line) spawn :a
      (c recv-line c recv-line) spawn :b
      yield c "both waiting\n" send
      a wait puts! b wait puts!`);
    // Both tasks wait before any data comes: the four recvs are served alternately.
    expect(out).toBe('("l1" "l3")\n("l2" "l4")\n');
  });

  it('ddup shares the connection; closing one closes both', async () => {
    own.peer = await tcpServer((s) => s.pipe(s));
    const out = await minOk(`{} socket "127.0.0.1" ${own.peer.port} connect :c c ddup :d
      d "via copy\\n" send c recv-line puts!
      d close ${catching('c "x" send')}`);
    expect(out).toBe('via copy\nNetError the socket is closed\n');
  });

  it('every operator is reachable through the net module', async () => {
    own.peer = await tcpServer((s) => s.pipe(s));
    const out = await minOk(`{} net.socket "127.0.0.1" ${own.peer.port} net.connect :c
      c "a\\nbc" net.send c net.recv-line puts! c 2 net.recv puts! c net.close
      {} net.socket {"127.0.0.1" :address 0 :port} net.listen net.close`);
    expect(out).toBe('a\nbc\n');
    expect(await minOk('net dkeys puts!')).toBe('("accept" "close" "close-with" "connect" "dns-lookup" "dns-resolve" "dns-reverse" "dns-servers" "join-group" "leave-group" "listen" "ping" "recv" "recv-all" "recv-from" "recv-line" "recv-message" "recv-some" "send" "send-binary" "send-to" "shutdown" "socket" "starttls")\n');
  });
});
