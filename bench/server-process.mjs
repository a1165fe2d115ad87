// A server the benchmarks start as a process of its own: it prints the port it
// listens on as its first line, and the row waits for that line. One place for
// it, so that every row starts and stops its servers the same way.
import { spawn } from 'node:child_process';

/** Starts `cmd args` and resolves with `{ port, stop, pid }` once it has printed its port. */
export function serverProcess(cmd, args, what = 'server') {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve({ port: Number(m[1]), stop: () => proc.kill(), pid: proc.pid });
    });
    proc.on('error', reject);
    proc.on('exit', (c) => reject(new Error(`${what} exited (${c}) before listening`)));
  });
}
