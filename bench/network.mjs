// Network benchmarks: a min echo server (written with `serve`) against a plain
// Node `net` echo server, driven by the same Node clients in the same run;
// a large transfer through min's send/recv against Node doing the same; and
// the peak memory of the 1,000-client run. Everything stays on 127.0.0.1.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { relayRow } from './relay.mjs';
import { serverProcess } from './server-process.mjs';
import { tlsRow } from './tls.mjs';
import { httpRows } from './http.mjs';

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MIN_ECHO = `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget puts!
srv (:cli "" :line (cli recv-line @line line "" !=) (cli line "\\n" suffix send) while) serve
`;

/**
 * The reference: a plain Node echo server, in its own process like the min one.
 * It listens with min-ts's backlog (4096, net/limits.ts): with Node's default of
 * 511 a thousand clients connecting at once overflow its accept queue and the
 * dropped ones retry a second later, so the row would time that second.
 */
const NODE_ECHO = `
const srv = require('node:net').createServer((s) => { s.setNoDelay(true); s.pipe(s); });
srv.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log(srv.address().port));
`;

/**
 * A Node server doing the min server's work: split lines and answer each,
 * writing each reply as it goes or, `joined`, the replies of one chunk in one
 * write (as min-ts joins the text sent in one stretch of running).
 */
const nodeLineServer = (joined) => `
const srv = require('node:net').createServer((s) => {
  s.setNoDelay(true);
  s.setEncoding('utf8');
  let buf = '';
  s.on('data', (d) => {
    buf += d;
    const out = [];
    let nl;
    while ((nl = buf.indexOf('\\n')) >= 0) {
      const line = buf.slice(0, buf[nl - 1] === '\\r' ? nl - 1 : nl);
      buf = buf.slice(nl + 1);
      ${joined ? "out.push(line + '\\n');" : "s.write(line + '\\n');"}
    }
    if (out.length > 0) s.write(out.join(''));
  });
  s.on('end', () => s.end());
});
srv.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log(srv.address().port));
`;

function nodeEcho() {
  return serverProcess(process.execPath, ['-e', NODE_ECHO]);
}

const nodeLineEcho = () => serverProcess(process.execPath, ['-e', nodeLineServer(false)]);

const nodeJoinedEcho = () => serverProcess(process.execPath, ['-e', nodeLineServer(true)]);


function minScript(root, code) {
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-netbench-'));
  const file = join(dir, 'script.min');
  writeFileSync(file, code);
  return file;
}

/** A line echo server whose handler computes for `seconds` (never waiting) when it reads "busy". */
const busyServer = (seconds) => `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget puts!
srv (
  :cli "" :line
  (cli recv-line @line line "" !=)
  (
    (line "busy" ==)
    (now :start 0 :n (now start - ${seconds} <) (n 1 + @n) while cli "done\\n" send)
    (cli line "\\n" suffix send)
    if
  ) while
) serve
`;

/**
 * Round trips of one client (ms each) while another client's handler computes
 * for `seconds`: the fair time slices of tasks at work.
 */
async function roundTripsBesideBusy(root, seconds) {
  const srv = await serverProcess(process.execPath, [join(root, 'bin', 'min-ts'), minScript(root, busyServer(seconds))]);
  const lineSocket = (onLine) =>
    new Promise((resolve, reject) => {
      const s = connect(srv.port, '127.0.0.1');
      let buf = '';
      s.setNoDelay(true);
      s.on('data', (d) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          onLine(line);
        }
      });
      s.on('connect', () => resolve(s));
      s.on('error', reject);
    });
  try {
    let done = false;
    const busy = await lineSocket(() => (done = true));
    busy.write('busy\n');
    let answered = null;
    const other = await lineSocket(() => answered?.());
    const trips = [];
    while (!done) {
      const t0 = performance.now();
      await new Promise((resolve) => {
        answered = resolve;
        other.write('ping\n');
      });
      trips.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    busy.destroy();
    other.destroy();
    return trips;
  } finally {
    srv.stop();
  }
}

/** The echo server again, accepting in a loop and spawning a task per client. */
const MIN_SPAWN_ECHO = `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget puts!
(:cli "" :line (cli recv-line @line line "" !=) (cli line "\\n" suffix send) while cli close) ^echo-lines
(true) (srv {} socket accept (echo-lines) cons spawn pop) while
`;

const minSpawnEcho = (root) => serverProcess(process.execPath, [join(root, 'bin', 'min-ts'), minScript(root, MIN_SPAWN_ECHO)]);

function minEcho(root) {
  return serverProcess(process.execPath, [join(root, 'bin', 'min-ts'), minScript(root, MIN_ECHO)]);
}

/** One client doing `n` strict request/response round trips of one line. */
function pingPong(port, n) {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let left = n;
    let buf = '';
    s.setNoDelay(true);
    s.on('connect', () => s.write('ping\n'));
    s.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        buf = buf.slice(nl + 1);
        if (--left === 0) return s.end();
        s.write('ping\n');
      }
    });
    s.on('close', resolve);
    s.on('error', reject);
  });
}

/** `clients` clients each streaming `lines` lines (in batches) and reading every echo back. */
function stream(port, clients, lines) {
  const payload = 'the quick brown fox jumps over the lazy dog\n';
  const one = () =>
    new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      let got = 0;
      let sent = 0;
      const batch = 50;
      const pump = () => {
        const k = Math.min(batch, lines - sent);
        if (k > 0) {
          s.write(payload.repeat(k));
          sent += k;
        }
      };
      s.on('connect', pump);
      s.on('data', (d) => {
        for (let i = 0; i < d.length; i++) if (d[i] === 10) got++;
        if (got === lines) s.end();
        else if (got === sent) pump();
      });
      s.on('close', () => (got === lines ? resolve() : reject(new Error(`lost lines: ${got}/${lines}`))));
      s.on('error', reject);
    });
  return Promise.all(Array.from({ length: clients }, one));
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** 100 MB from a min client to a min server through send/recv, against Node to Node. */
async function largeTransfer(root, mb) {
  const code = `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
(srv {} socket accept :c 0 :total "x" :chunk
  (chunk "" !=) (c 1048576 recv @chunk total chunk length + @total) while
  total puts! c close) spawn :receiver
"0123456789abcdef" 65536 repeat :block
{} socket "127.0.0.1" srv 'port dget connect :out
(out block send) ${mb} times
out close
receiver wait pop srv close
`;
  const file = minScript(root, code);
  const t = await timed(
    () =>
      new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [join(root, 'bin', 'min-ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.on('exit', (c) => (c === 0 && out.trim() === String(mb * 1048576) ? resolve() : reject(new Error(`transfer failed (${c}): ${out}`))));
      }),
  );
  const block = Buffer.alloc(1048576, 'x');
  const tn = await timed(
    () =>
      new Promise((resolve, reject) => {
        const srv = createServer((s) => {
          let total = 0;
          s.on('data', (d) => (total += d.length));
          s.on('end', () => {
            srv.close();
            total === mb * 1048576 ? resolve() : reject(new Error('node transfer short'));
          });
        });
        srv.listen(0, '127.0.0.1', async () => {
          const c = connect(srv.address().port, '127.0.0.1');
          for (let k = 0; k < mb; k++) if (!c.write(block)) await new Promise((r) => c.once('drain', r));
          c.end();
        });
      }),
  );
  return { t, tn };
}

/** Workload sizes: the real run, and `--quick` (the harness checked, figures meaningless). */
const SIZES = {
  full: { rounds: 2, pingStretches: 5, ping: 20000, clients: 100, lines: 2000, bigClients: 1000, bigLines: 100, mb: 100 },
  quick: { rounds: 1, pingStretches: 1, ping: 200, clients: 10, lines: 100, bigClients: 50, bigLines: 10, mb: 4 },
};

const count = (n) => n.toLocaleString('en-US');

export async function networkRows({ root, quick }) {
  const N = quick ? SIZES.quick : SIZES.full;
  const rows = [];
  // [name, start, also measure ping-pong]
  const servers = [
    ['min-ts', () => minEcho(root), true],
    ['node', nodeEcho, true],
    ['node-joined', nodeJoinedEcho, false],
    ['node-lines', nodeLineEcho, false],
  ];
  // All servers run at once (an idle one costs nothing) so that they can take
  // turns in short stretches, each keeping its best: on a shared machine a
  // slow stretch then falls on one measurement of each, not on one server.
  const live = [];
  const res = {};
  try {
    for (const [name, start, withPing] of servers) {
      const srv = await start();
      live.push(srv);
      await pingPong(srv.port, quick ? 10 : 1000); // warm-up
      res[name] = { srv, withPing, ping: Infinity, stream: Infinity };
    }
    for (let k = 0; k < N.pingStretches; k++) {
      for (const r of Object.values(res)) {
        if (r.withPing) r.ping = Math.min(r.ping, await timed(() => pingPong(r.srv.port, N.ping)));
      }
    }
    for (let round = 0; round < N.rounds; round++) {
      for (const r of Object.values(res)) r.stream = Math.min(r.stream, await timed(() => stream(r.srv.port, N.clients, N.lines)));
    }
  } finally {
    for (const srv of live) srv.stop();
  }
  const m = res['min-ts'];
  const n = res.node;
  rows.push({
    name: `line ping-pong, best of ${N.pingStretches} x ${count(N.ping)} round trips`,
    value: `${(N.ping / m.ping).toFixed(0)} rt/s`,
    reference: `node ${(N.ping / n.ping).toFixed(0)} rt/s`,
    ratio: `${((n.ping / m.ping) * 100).toFixed(0)}% of node`,
    target: '>= 90% of node',
    ok: n.ping / m.ping >= 0.9,
  });
  /** A streaming row: min-ts against the reference server `ref`. */
  const streamed = (name, ref, target) => {
    const r = res[ref];
    rows.push({
      name,
      value: `${((N.clients * N.lines) / m.stream).toFixed(0)} lines/s`,
      reference: `node ${((N.clients * N.lines) / r.stream).toFixed(0)} lines/s`,
      ratio: `${((r.stream / m.stream) * 100).toFixed(0)}% of node`,
      target: target ? '>= 70% of node' : '',
      ok: target ? r.stream / m.stream >= 0.7 : undefined,
    });
  };
  streamed(`${N.clients} clients x ${count(N.lines)} lines streamed`, 'node', true);
  streamed('... against a Node server doing the same work (lines split, replies joined)', 'node-joined', false);
  streamed('... against a Node server writing each line', 'node-lines', false);

  // The full-size concurrency run: 1,000 clients x 100 lines through the
  // `serve` server, a server spawning a task per client, and the Node echo
  // server, fresh ones (so that their peak memory is this run's), taking turns.
  const bigServers = { serve: await minEcho(root), spawn: await minSpawnEcho(root), node: await nodeEcho() };
  try {
    const best = { serve: Infinity, spawn: Infinity, node: Infinity };
    for (let round = 0; round < N.rounds; round++) {
      for (const [name, srv] of Object.entries(bigServers)) best[name] = Math.min(best[name], await timed(() => stream(srv.port, N.bigClients, N.bigLines)));
    }
    const lines = N.bigClients * N.bigLines;
    for (const [name, how] of [['serve', '`serve` echo server'], ['spawn', 'a task `spawn`ed per client']]) {
      rows.push({
        name: `${count(N.bigClients)} concurrent clients x ${N.bigLines} lines, ${how} (every reply byte-exact)`,
        value: `${(lines / best[name]).toFixed(0)} lines/s`,
        reference: `node ${(lines / best.node).toFixed(0)} lines/s`,
        ratio: `${((best.node / best[name]) * 100).toFixed(0)}% of node`,
        target: '>= 90% of node',
        ok: best.node / best[name] >= 0.9,
      });
    }
    rows.push({
      name: 'peak RSS of the `serve` run',
      value: `${peakRss(bigServers.serve.pid).toFixed(0)} MB`,
      reference: `node ${peakRss(bigServers.node.pid).toFixed(0)} MB; spawn ${peakRss(bigServers.spawn.pid).toFixed(0)} MB`,
      ratio: `${(peakRss(bigServers.serve.pid) / peakRss(bigServers.node.pid)).toFixed(1)}x node`,
      target: '',
      ok: undefined,
    });
  } finally {
    for (const srv of Object.values(bigServers)) srv.stop();
  }

  // The fair time slices: a client's round trips while another client's
  // handler computes without ever waiting.
  const busySeconds = quick ? 0.5 : 5;
  const trips = (await roundTripsBesideBusy(root, busySeconds)).sort((a, b) => a - b);
  const worst = trips[trips.length - 1] ?? Infinity;
  rows.push({
    name: `round trips of a client while another one's handler computes for ${busySeconds} s (worst of ${trips.length})`,
    value: `${worst.toFixed(0)} ms`,
    reference: `median ${(trips[trips.length >> 1] ?? Infinity).toFixed(1)} ms`,
    ratio: '',
    target: '<= 100 ms',
    ok: worst <= 100,
  });

  const mb = N.mb;
  // Taking turns again, best of each.
  let t = Infinity;
  let tn = Infinity;
  for (let round = 0; round < N.rounds; round++) {
    const r = await largeTransfer(root, mb);
    t = Math.min(t, r.t);
    tn = Math.min(tn, r.tn);
  }
  rows.push({
    name: `${mb} MB through send/recv (min to min)`,
    value: `${(mb / t).toFixed(0)} MB/s`,
    reference: `node ${(mb / tn).toFixed(0)} MB/s`,
    ratio: `${((tn / t) * 100).toFixed(0)}% of node`,
    target: '',
    ok: undefined,
  });
  rows.push(await tlsRow({ root, quick }));
  rows.push(await relayRow({ root, quick, performance }));
  rows.push(...(await httpRows({ root, quick, performance })));
  return rows;
}
