// A recv-line echo server (a min script run by bin/min-ts, one `serve` task
// per client) flooded by a client that sends a long stream without a newline,
// while a second client keeps talking to it. What is measured: the server's
// peak resident memory (VmHWM), and that the second client is answered at
// every stage of the flood and the flooder's connection is usable after it.
//
//   node bench/line-flood.mjs [MIB] [--json]     (default 1024: one GiB)
//
// test/net/flood.test.ts runs it (one GiB, under a second here) and holds
// the figures to their limits.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The server: echoes every line; a line over max-line is answered with the error's message. */
const SERVER = `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv /port puts!
srv (
  :cli "" :line
  (
    ((cli recv-line) (:e "! " e /message suffix)) try @line
    line "" !=
  ) (
    (line "\\r\\n" ==) ("" @line) when
    cli line "\\n" suffix send
  ) while
) serve
`;

/** Lines read from a socket, one Promise per line asked for. */
function lineReader(sock) {
  let buf = '';
  const waiting = [];
  const lines = [];
  const flush = () => {
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl < 0) break;
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    while (waiting.length > 0 && lines.length > 0) waiting.shift().resolve(lines.shift());
  };
  sock.setEncoding('utf8');
  sock.on('data', (d) => {
    buf += d;
    flush();
  });
  const fail = (e) => {
    for (const w of waiting.splice(0)) w.reject(e ?? new Error('the server closed the connection'));
  };
  sock.on('error', fail);
  sock.on('close', () => fail());
  return () => (lines.length > 0 ? Promise.resolve(lines.shift()) : new Promise((resolve, reject) => waiting.push({ resolve, reject })));
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Write `buf` and wait until the kernel has taken it (back-pressure from the server). */
const write = (sock, buf) =>
  new Promise((resolve, reject) => {
    if (sock.write(buf)) resolve();
    else {
      const onError = (e) => reject(e);
      sock.once('error', onError);
      sock.once('drain', () => {
        sock.off('error', onError);
        resolve();
      });
    }
  });

/** Peak and current resident memory of a process, in bytes, from /proc. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

/**
 * Flood the server with `bytes` bytes without a newline, in `stages` parts;
 * after each part the second client sends a line and waits for its echo.
 */
export async function lineFlood({ bytes = 1 << 30, stages = 16 } = {}) {
  const server = spawn(process.execPath, [join(root, 'bin', 'min-ts'), 'eval', SERVER], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  server.stderr.on('data', (d) => (err += d));
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = /^(\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${err}`)));
    });
    const flooder = await connect(port);
    const flooderLine = lineReader(flooder);
    const talker = await connect(port);
    const talkerLine = lineReader(talker);
    const chunk = Buffer.alloc(1 << 20, 'a');
    const answers = [];
    const started = performance.now();
    let sent = 0;
    for (let stage = 1; stage <= stages; stage++) {
      const until = Math.floor((bytes * stage) / stages);
      while (sent < until) {
        const n = Math.min(chunk.length, until - sent);
        await write(flooder, n === chunk.length ? chunk : chunk.subarray(0, n));
        sent += n;
      }
      talker.write(`stage ${stage}\n`);
      answers.push(await talkerLine());
    }
    // The end of the long line, then a line of its own: the connection still works.
    flooder.write('\nafter the flood\n');
    const flooderAnswers = [await flooderLine(), await flooderLine()];
    const ms = performance.now() - started;
    const memory = memoryOf(server.pid);
    flooder.destroy();
    talker.destroy();
    return { bytes: sent, ms, peakRss: memory.peak, rss: memory.now, answers, flooderAnswers, stderr: err };
  } finally {
    server.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mib = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 1024);
  const r = await lineFlood({ bytes: mib * 2 ** 20 });
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  }
  const mb = (n) => (n / 2 ** 20).toFixed(1);
  process.stdout.write(
    `flooded ${mb(r.bytes)} MiB without a newline in ${(r.ms / 1000).toFixed(1)} s (${mb((r.bytes / r.ms) * 1000)} MiB/s)\n` +
      `server peak RSS (VmHWM) ${mb(r.peakRss)} MiB, RSS at the end ${mb(r.rss)} MiB\n` +
      `second client answered at each of ${r.answers.length} stages: ${r.answers.every((a, k) => a === `stage ${k + 1}`)}\n` +
      `flooder after the flood: ${JSON.stringify(r.flooderAnswers)}\n`,
  );
}
