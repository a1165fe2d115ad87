// select over sockets: a socket with data, one whose peer has closed, a
// listener with a client waiting, and a socket closed while selecting; ties go
// to the earliest item, and nothing is taken from the socket. Node peers and
// min sockets on loopback.
import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { minOk, startMin, minPrinted, tcpServer } from '../net/peers.js';
import { waitFor } from '../wait.js';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import dgram from 'node:dgram';

describe('select over sockets', () => {
  it('pushes the socket that has data and leaves the data in it; a tie goes to the earliest', async () => {
    const peers: Socket[] = [];
    const server = await tcpServer((s) => peers.push(s));
    const p = startMin(`
      {} socket "127.0.0.1" ${server.port} connect :quiet
      {} socket "127.0.0.1" ${server.port} connect :talker
      "connected" puts!
      (quiet talker) select talker == puts!
      talker recv-line puts!
      "again" puts!
      (quiet) select pop (talker) select pop
      (talker quiet) select talker == puts!
      (quiet talker) select quiet == puts!
      quiet recv-line puts! talker recv-line puts!
      quiet close talker close
    `);
    await minPrinted(p, 'connected');
    await waitFor(() => peers.length >= 2, { what: 'both connections' });
    peers[1]!.write('from the talker\n');
    await minPrinted(p, 'again');
    peers[0]!.write('quiet speaks\n');
    peers[1]!.write('talker again\n');
    expect(await p.ok()).toBe('connected\ntrue\nfrom the talker\nagain\ntrue\ntrue\nquiet speaks\ntalker again\n');
    server.close();
  });

  it('a listener with a client waiting, ties, a closed peer, and a socket closed while selecting', async () => {
    const out = await minOk(`
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget :port
; a listener is ready once a client waits in its queue
({} socket "127.0.0.1" port connect :c1 c1 "one\\n" send c1 "two\\n" send) spawn pop
(srv) select srv == puts!
srv {} socket accept :s1
({} socket "127.0.0.1" port connect :c2 c2 "x\\n" send) spawn pop
srv {} socket accept :s2
; both have data: the earliest wins
(s1) select pop (s2) select pop
(s2 s1) select s2 == puts!
(s1 s2) select s1 == puts!
s1 recv-line puts!
; a socket whose peer has closed is ready: recv-line then gives ""
({} socket "127.0.0.1" port connect close) spawn pop
srv {} socket accept :s3
(s3) select s3 == puts!
s3 recv-line "" == puts!
; closed by another task while selecting: select pushes it, and recv fails
({} socket "127.0.0.1" port connect pop) spawn pop
srv {} socket accept :s4
((s4) select) spawn :selector
(selector 'state dget "waiting" !=) (yield) while
s4 close
selector wait first s4 == puts!
((s4 recv-line) ('error dget puts!)) try
srv close
`);
    expect(out).toBe('true\ntrue\ntrue\none\ntrue\ntrue\ntrue\nNetError\n');
  });

  it('a WebSocket with a message is ready, and so is one whose peer closed', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws) => ws.on('message', (m) => (String(m) === 'bye' ? ws.close(1000, 'done') : ws.send(`echo ${m}`))));
    const port = (wss.address() as AddressInfo).port;
    const out = await minOk(`
      {"ws" :protocol} socket "127.0.0.1" ${port} connect :ws
      0 channel :never
      ws "hi" send
      (never ws) select ws == puts!
      ws recv-message 'data dget puts!
      ws "bye" send
      (never ws) select ws == puts!
      ws recv-message 'type dget puts!
      ws close
    `);
    expect(out).toBe('true\necho hi\ntrue\nclose\n');
    wss.close();
  });

  it('a datagram socket with a datagram queued is ready', async () => {
    const p = startMin(`
      {"udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen :udp
      udp 'port dget puts!
      0 channel :never
      (never udp) select udp == puts!
      udp 100 recv puts!
      udp close
    `);
    const port = Number((await minPrinted(p, '\n'), p.out().split('\n')[0]));
    const sender = dgram.createSocket('udp4');
    // Sent until min has it: a datagram may be lost even on loopback.
    const timer = setInterval(() => sender.send('datagram', port, '127.0.0.1'), 200);
    sender.send('datagram', port, '127.0.0.1');
    try {
      expect(await p.ok()).toBe(`${port}\ntrue\ndatagram\n`);
    } finally {
      clearInterval(timer);
      sender.close();
    }
  });
});
