// Line reading from standard input for `gets`, `ask` and friends, without
// keeping the process alive when nobody reads.
import type { Interface } from 'node:readline';
import { readline } from './builtins.js';

export function stdinLines(): () => Promise<string | null> {
  let rl: Interface | null = null;
  const queue: string[] = [];
  const waiters: ((l: string | null) => void)[] = [];
  let ended = false;
  const start = () => {
    rl = readline().createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (l) => {
      const w = waiters.shift();
      if (w) w(l);
      else queue.push(l);
      if (waiters.length === 0) rl?.pause();
    });
    rl.on('close', () => {
      ended = true;
      for (const w of waiters.splice(0)) w(null);
    });
  };
  return () => {
    if (queue.length) return Promise.resolve(queue.shift()!);
    if (ended) return Promise.resolve(null);
    if (!rl) start();
    else rl.resume();
    return new Promise((res) => waiters.push(res));
  };
}
