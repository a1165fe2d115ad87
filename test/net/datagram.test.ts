// Addressed datagrams: recv-from, send-to, the ttl key, examples/udp-echo.min,
// against Node dgram and python3 peers on 127.0.0.1; broadcast and multicast
// only inside a network namespace made by the test (skipped where it cannot
// make one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { example, root, run } from './cli.js';
import { catching, closedAfterEach, minOk, minPrinted, startMin, tempDir, udpEcho } from './peers.js';
import { waitFor, waitForText } from '../wait.js';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

const own = closedAfterEach();

/** A Node dgram socket bound on 127.0.0.1, with the datagrams it got. */
function nodePeer(): Promise<{ sock: dgram.Socket; port: number; got: { text: string; port: number }[]; close(): void }> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const got: { text: string; port: number }[] = [];
    sock.on('message', (m, r) => got.push({ text: m.toString('utf8'), port: r.port }));
    sock.bind(0, '127.0.0.1', () => resolve({ sock, port: sock.address().port, got, close: () => sock.close() }));
  });
}

describe('recv-from and send-to', () => {
  it('tell who sent each datagram, and answer each client on one socket', async () => {
    const p = startMin(`{"udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      "port " print! srv /port puts!
      (srv 100 recv-from :d srv "to $1: $2" (d /port d /data) => % d /address d /port send-to) 2 times
      srv 3 recv-from puts!`);
    await minPrinted(p, '\n');
    const port = Number(/port (\d+)/.exec(p.out())![1]);
    const a = await nodePeer();
    const b = await nodePeer();
    try {
      a.sock.send('from a', port, '127.0.0.1');
      b.sock.send('from b', port, '127.0.0.1');
      const answers = await waitForAll([a, b]);
      expect(answers).toEqual([`to ${a.port}: from a`, `to ${b.port}: from b`]);
      a.sock.send('héllo', port, '127.0.0.1');
      expect(await p.ok()).toMatch(new RegExp(`\\{"127\\.0\\.0\\.1" :address "hé" :data ${a.port} :port ;datagram\\}\\n$`));
    } finally {
      a.close();
      b.close();
    }
  });

  it('send-to binds a fresh socket to a free port, so recv-from gets the answer', async () => {
    const echo = await udpEcho();
    try {
      const out = await minOk(`{"udp" :protocol} socket :u
        u "ping" "localhost" ${echo.port} send-to
        u 100 recv-from :d d /data puts! d /port ${echo.port} == puts!
        ${catching(`{"udp" :protocol} socket "127.0.0.1" ${echo.port} connect "x" "127.0.0.1" ${echo.port} send-to`)}
        ${catching(`{} socket "x" "127.0.0.1" ${echo.port} send-to`)}
        ${catching(`{"udp" :protocol} socket "x" "127.0.0.1" 70000 send-to`)}
        ${catching(`{"udp" :protocol} socket 10 recv-from`)}`);
      expect(out).toBe(
        'ping\ntrue\n' +
          `NetError the datagram socket is connected to 127.0.0.1:${echo.port}: use send, or a socket that is only bound\n` +
          'NetError send-to needs a datagram socket (udp), not a tcp stream\n' +
          'NetError Invalid port 70000: ports go from 0 to 65535\n' +
          'NetError the datagram socket is not bound: listen or connect it first\n',
      );
    } finally {
      echo.close();
    }
  });

  it('recv-from is bounded by the timeout', async () => {
    const out = await minOk(`{"udp" :protocol 200 :timeout} socket {"127.0.0.1" :address 0 :port} listen :u ${catching('u 10 recv-from')}`);
    expect(out).toBe('TimeoutError timed out after 200 ms waiting for data\n');
  });

  it('join-group and leave-group of what is not an IP address is a NetError in words (found by test/fuzz-operators.test.ts)', async () => {
    const out = await minOk(`{"udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen :u ${catching('u "" join-group')} ${catching('u "x" leave-group')}`);
    expect(out).toBe(
      'NetError cannot join the multicast group "": a group is an IP address such as 239.1.2.3\n' +
        'NetError cannot leave the multicast group "x": a group is an IP address such as 239.1.2.3\n',
    );
  });

  it('works over ipv6', async () => {
    const echo = await udpEcho('udp6', '::1');
    try {
      expect(await minOk(`{"ipv6" :domain "udp" :protocol} socket :u u "six" "::1" ${echo.port} send-to u 10 recv-from /address puts!`)).toBe('::1\n');
    } finally {
      echo.close();
    }
  });

  it('a python3 client gets its answers from send-to', async () => {
    if (!hasPython) return void console.warn('SKIPPED: the python3 datagram client needs python3');
    const p = startMin(`{"udp" :protocol} socket {"127.0.0.1" :address 0 :port} listen :srv
      "port " print! srv /port puts!
      srv 100 recv-from :d srv d /data "!" suffix d /address d /port send-to`);
    await minPrinted(p, '\n');
    const port = Number(/port (\d+)/.exec(p.out())![1]);
    const py = await pythonOut(`import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(20)
s.sendto(b"hi from python", ("127.0.0.1", ${port}))
data, addr = s.recvfrom(100)
print(data.decode(), addr[1] == ${port})`);
    expect(py).toBe('hi from python! True\n');
    await p.ok();
  });
});

describe('the ttl key', () => {
  it('sets the time-to-live of the datagrams sent, as the receiver sees it', async () => {
    if (!hasPython) return void console.warn('SKIPPED: reading the ttl of a datagram needs python3');
    // python3 reads each datagram's TTL from IP_RECVTTL ancillary data (Linux: IP_RECVTTL 12, IP_TTL 2).
    const py = spawn('python3', ['-u', '-c', `import socket
IP_RECVTTL, IP_TTL = 12, 2
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
s.bind(("127.0.0.1", 0)); s.settimeout(20)
print(s.getsockname()[1], flush=True)
for _ in range(2):
    data, anc, _, _ = s.recvmsg(100, 64)
    ttl = [int.from_bytes(d[:4], "little") for lvl, t, d in anc if t == IP_TTL]
    print(data.decode(), ttl[0], flush=True)`]);
    let out = '';
    py.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    py.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const closed = new Promise((r) => py.on('close', r));
    const port = Number((await waitForText(() => out, /^(\d+)\n/, { hopeless: () => py.exitCode !== null && 'python3 exited' }))[1]);
    await minOk(`{"udp" :protocol 7 :ttl} socket :u u "seven" "127.0.0.1" ${port} send-to
      u 99 %ttl @u u "ninety-nine" "127.0.0.1" ${port} send-to`);
    await closed;
    expect(out.split('\n').slice(1).join('\n')).toBe('seven 7\nninety-nine 99\n');
  });
});

describe('examples/udp-echo.min', () => {
  it('answers each client with its own datagrams', async () => {
    const srv = run([example('udp-echo.min'), '0', '3']);
    const port = Number((await srv.waitFor(/^(\d+)\n/))[1]);
    const a = await nodePeer();
    const b = await nodePeer();
    try {
      a.sock.send('one', port, '127.0.0.1');
      b.sock.send('two', port, '127.0.0.1');
      expect(await waitForAll([a, b])).toEqual(['one', 'two']);
      a.sock.send('three', port, '127.0.0.1');
      await waitForCount(a, 2);
      expect(a.got.map((g) => g.text)).toEqual(['one', 'three']);
      expect(await srv.exit).toBe(0);
      expect(srv.out()).toContain(`answered 127.0.0.1:${b.port}`);
    } finally {
      a.close();
      b.close();
    }
  });
});

/** The first datagram each peer got, once all have one. */
async function waitForAll(peers: { got: { text: string }[] }[]): Promise<string[]> {
  for (const p of peers) await waitForCount(p, 1);
  return peers.map((p) => p.got[0]!.text);
}

async function waitForCount(p: { got: unknown[] }, n: number): Promise<void> {
  await waitFor(() => p.got.length >= n, { what: `${n} datagram(s)`, state: () => JSON.stringify(p.got) });
}

function pythonOut(code: string): Promise<string> {
  return new Promise((resolve) => {
    const py = spawn('python3', ['-c', code]);
    let out = '';
    py.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    py.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    py.on('close', () => resolve(out));
  });
}

// Broadcast and multicast never leave a network namespace made here: its
// loopback gets a /24 of its own (with a broadcast address) and the
// multicast route, and nothing else exists in it.
const NS = `min-ts-dgram-${process.pid}`;
let netns: string | null = null;

beforeAll(() => {
  const steps = [
    ['netns', 'add', NS],
    ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up'],
    ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'multicast', 'on'],
    ['netns', 'exec', NS, 'ip', 'addr', 'add', '10.77.0.1/24', 'broadcast', '10.77.0.255', 'dev', 'lo'],
    ['netns', 'exec', NS, 'ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo'],
  ];
  for (const s of steps) {
    const r = spawnSync('ip', s, { encoding: 'utf8' });
    if (r.status !== 0) {
      netns = `\`ip ${s.join(' ')}\` failed: ${(r.stderr || r.error?.message || '').trim()}`;
      spawnSync('ip', ['netns', 'del', NS]);
      return;
    }
  }
});

afterAll(() => {
  if (netns === null) spawnSync('ip', ['netns', 'del', NS]);
});

/** Run a min script and a python3 peer inside the namespace; both outputs. */
async function inNamespace(minCode: string, pyCode: string): Promise<{ min: string; py: string }> {
  own.tmp = tempDir();
  const file = join(own.tmp.dir, 'script.min');
  writeFileSync(file, minCode);
  const runIn = (cmd: string[]) =>
    new Promise<string>((resolve) => {
      const p = spawn('ip', ['netns', 'exec', NS, ...cmd], { cwd: root });
      let out = '';
      p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      p.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      p.on('close', () => resolve(out));
    });
  const py = runIn(['python3', '-u', '-c', pyCode]);
  const min = runIn([process.execPath, join(root, 'bin', 'min-ts'), file]);
  return { min: await min, py: await py };
}

/**
 * python3 lines that make `send` (a statement) until the socket `r` receives a
 * datagram, and print that: min may not be listening yet when python starts.
 */
const untilAnswered = (send: string): string => `got = None
for _ in range(100):
    ${send}
    try:
        got = r.recvfrom(100)[0].decode()
        break
    except socket.timeout:
        pass
print(got)`;

describe('broadcast and multicast (inside a network namespace of the test)', () => {
  it('a broadcast needs the broadcast key, and then reaches a receiver', async () => {
    if (netns !== null || !hasPython) return void console.warn(`SKIPPED: broadcast test: ${netns ?? 'needs python3'}`);
    // python3 listens on port 45454 of every address and says it is ready until the broadcast comes.
    const { min, py } = await inNamespace(
      `{"udp" :protocol 20000 :timeout} socket {"10.77.0.1" :address 45453 :port} listen :u
       u 100 recv-from pop
       ((u "no flag" "10.77.0.255" 45454 send-to) (:e e /message puts!)) try
       u true %broadcast @u
       u "to everyone" "10.77.0.255" 45454 send-to
       "sent" puts!`,
      `import socket
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("0.0.0.0", 45454)); r.settimeout(0.2)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
${untilAnswered('s.sendto(b"ready", ("10.77.0.1", 45453))')}`,
    );
    expect(min).toBe('cannot send to 10.77.0.255:45454: permission denied\nsent\n');
    expect(py).toBe('to everyone\n');
  });

  it('join-group receives what is sent to the group; multicast-ttl and multicast-loop are set', async () => {
    if (netns !== null || !hasPython) return void console.warn(`SKIPPED: multicast test: ${netns ?? 'needs python3'}`);
    // min joins 239.1.2.3 and waits for one datagram; python3 sends until answered.
    const { min, py } = await inNamespace(
      `{"udp" :protocol 20000 :timeout} socket {"0.0.0.0" :address 45455 :port} listen :u
       u "239.1.2.3" join-group
       u 100 recv-from :d
       d /data puts!
       u "239.1.2.3" leave-group
       ((u "10.0.0.1" join-group) (:e e /error puts!)) try
       {"udp" :protocol 1 :multicast-ttl true :multicast-loop} socket {"10.77.0.1" :address 0 :port} listen :m
       m "hello group" "239.1.2.3" 45456 send-to
       m /multicast-ttl puts!`,
      `import socket, struct, time
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
r.bind(("0.0.0.0", 45456))
r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack("4s4s", socket.inet_aton("239.1.2.3"), socket.inet_aton("0.0.0.0")))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
r.settimeout(0.2)
${untilAnswered('s.sendto(b"to the group", ("239.1.2.3", 45455))')}`,
    );
    expect(min).toBe('to the group\nNetError\n1\n');
    expect(py).toBe('hello group\n');
  });
});
