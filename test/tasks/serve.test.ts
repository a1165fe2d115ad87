// Many clients at once: a min echo server written with `serve` against real
// Node clients on loopback, plus the lifetime rules of tasks.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../../src/run.js';
import { startServerScript } from '../net/cli.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'min-ts');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')]);
});

const ECHO_SERVER = `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget puts!
(
  :cli "" :line
  (cli recv-line @line line "" !=)
  (
    (line "boom" ==) ({"handler failed on purpose" :message} raise) when
    cli line "\\n" suffix send
  ) while
  cli close
) ^handle
srv 'handle serve
`;

/** A client that sends `lines` lines one at a time and collects the echoes. */
function echoClient(port: number, id: number, lines: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect(port, '127.0.0.1');
    const got: string[] = [];
    let buf = '';
    let sent = 0;
    const next = () => sock.write(`client ${id} line ${sent++} ${'x'.repeat(id % 50)}\n`);
    sock.on('connect', next);
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        got.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (sent < lines) next();
        else sock.end();
      }
    });
    sock.on('close', () => resolve(got));
    sock.on('error', reject);
  });
}

describe('serve', () => {
  it('answers 200 concurrent clients, 100 lines each, byte-exact', async () => {
    const { proc, port } = await startServerScript(ECHO_SERVER);
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, id) => echoClient(port, id, 100)));
      results.forEach((got, id) => {
        expect(got).toHaveLength(100);
        got.forEach((l, k) => expect(l).toBe(`client ${id} line ${k} ${'x'.repeat(id % 50)}`));
      });
    } finally {
      proc.child.kill();
    }
  }, 120_000);

  it('keeps serving after a handler task fails', async () => {
    const { proc, port } = await startServerScript(ECHO_SERVER);
    try {
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.write('boom\n'));
        s.on('close', () => resolve());
        s.on('error', () => resolve());
        s.resume();
      });
      const got = await echoClient(port, 1, 3);
      expect(got).toHaveLength(3);
      // The failed task's report reaches stderr in its own time.
      await proc.waitForErr(/handler failed on purpose/);
      expect(proc.child.exitCode).toBe(null);
    } finally {
      proc.child.kill();
    }
  });
});

describe('task lifetime', () => {
  it('the process exits once the main program and every task have ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'min-ts-tasks-'));
    const file = join(dir, 'tasks.min');
    writeFileSync(file, '(50 sleep "late" puts!) spawn pop (10 sleep "early" puts!) spawn pop "main done" puts!\n');
    // The tasks sleep 50 ms; the upper bound is loose (a busy machine starts Node slowly) and
    // only tells an exit from a hang.
    const t0 = Date.now();
    const out = execFileSync(process.execPath, [bin, file], { encoding: 'utf8', timeout: 40_000 });
    expect(out).toBe('main done\nearly\nlate\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('two tasks exchange data through a socket pair', async () => {
    const r = await runCaptured(`
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv {} socket accept :c c recv-line :l c l " pong" suffix "\\n" suffix send c close) spawn :peer
      {} socket "127.0.0.1" srv 'port dget connect :me
      me "ping\\n" send me recv-line puts!
      peer wait puts!
      srv close
    `);
    expect(r.err).toBe('');
    expect(r.out).toBe('ping pong\n()\n');
  });

  it('serve ends when its server socket is closed', async () => {
    const r = await runCaptured(`
      {} socket {"127.0.0.1" :address 0 :port} listen :srv
      (srv (close) serve "serve ended" puts!) spawn :t
      {} socket "127.0.0.1" srv 'port dget connect close
      20 sleep srv close
      t wait pop
    `);
    expect(r.err).toBe('');
    expect(r.out).toBe('serve ended\n');
  });
});
