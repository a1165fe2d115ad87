// Fair time slices: a task that computes for seconds lets the event loop in
// every few milliseconds, so the other clients of a `serve` server are
// answered and socket timeouts fire on time.
import { describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { runCaptured } from '../../src/run.js';
import { startServerScript } from '../net/cli.js';

// A line echo server whose handler computes for 5 s (never waiting) when it
// reads "busy", then answers "done".
const BUSY_SERVER = `
{} socket {"127.0.0.1" :address 0 :port} listen :srv
srv 'port dget puts!
(
  :cli "" :line
  (cli recv-line @line line "" !=)
  (
    (line "busy" ==)
    (now :start 0 :n (now start - 5 <) (n 1 + @n) while cli "done\\n" send)
    (cli line "\\n" suffix send)
    if
  ) while
) ^handle
srv 'handle serve
`;

/** A connected client reading whole lines. */
async function lineClient(port: number): Promise<{ sock: Socket; nextLine: () => Promise<string> }> {
  const sock = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  let buf = '';
  const lines: string[] = [];
  let waiting: ((l: string) => void) | null = null;
  sock.on('data', (d) => {
    buf += d.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(line);
      } else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => {
      const l = lines.shift();
      if (l !== undefined) resolve(l);
      else waiting = resolve;
    });
  return { sock, nextLine };
}

describe('fair time slices', () => {
  it('while one client of a serve server computes for 5 s, another is answered at once', async () => {
    const { proc, port } = await startServerScript(BUSY_SERVER);
    try {
      const busy = await lineClient(port);
      busy.sock.write('busy\n');
      let done = false;
      const finished = busy.nextLine().then((l) => {
        done = true;
        return l;
      });
      const other = await lineClient(port);
      const trips: number[] = [];
      // Round trips for as long as the computation lasts.
      while (!done) {
        const started = performance.now();
        other.sock.write(`ping ${trips.length}\n`);
        expect(await other.nextLine()).toBe(`ping ${trips.length}`);
        trips.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await finished).toBe('done');
      // Without slices the first round trip would wait for the whole 5 s. Loosely, for a busy
      // machine: a few trips, none taking half the computation.
      expect(trips.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...trips)).toBeLessThan(2500);
      busy.sock.destroy();
      other.sock.destroy();
    } finally {
      proc.child.kill();
    }
  }, 60_000);

  it('a socket timeout fires on time while another task computes', async () => {
    // A peer that accepts and never sends.
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const r = await runCaptured(`
        (
          {} socket "127.0.0.1" ${port} connect :c c 200 %timeout @c
          now :t0
          ((c recv-line pop) ('error dget " after " suffix now t0 - 1000 * trunc integer string suffix " ms" suffix puts!)) try
        ) spawn :waiter
        now :start 0 :n (now start - 3 <) (n 1 + @n) while
        "computed for 3 s" puts!
        waiter wait pop
      `);
      expect(r.err).toBe('');
      const [first, second] = r.out.trim().split('\n');
      // The timeout fired during the computation, not after it.
      expect(second).toBe('computed for 3 s');
      const m = /^TimeoutError after (\d+) ms$/.exec(first!);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(195);
      expect(Number(m![1])).toBeLessThan(2900);
    } finally {
      silent.close();
    }
  }, 30_000);

  it('tasks that all compute take turns', async () => {
    // Each of two tasks counts for 1 s and notes, every 100 steps, whether the
    // other one has counted since: both see the other make progress.
    const r = await runCaptured(`
      0 :a 0 :b 0 :sawb 0 :sawa 0 :lastb 0 :lasta
      ; Tasks share the scope they start in: each uses names of its own.
      (now :ta-start (now ta-start - 1 <) (a 1 + @a (a 100 mod 0 ==) (b lastb != (sawb 1 + @sawb b @lastb) when) when) while) spawn :ta
      (now :tb-start (now tb-start - 1 <) (b 1 + @b (b 100 mod 0 ==) (a lasta != (sawa 1 + @sawa a @lasta) when) when) while) spawn :tb
      ta wait pop tb wait pop
      sawa 2 > puts! sawb 2 > puts!
    `);
    expect(r.err).toBe('');
    expect(r.out).toBe('true\ntrue\n');
  }, 30_000);
});
