// Running min-ts scripts as child processes for the example tests: the
// output so far, a wait for a line to appear, the exit code, and cleanup.
import { afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'min-ts');
export const example = (name: string): string => join(root, 'examples', name);

export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the first stdout match of `re` (waits for it). */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  exit: Promise<number>;
}

/** Every program started, so none outlives its test. */
const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill();
});

export function run(args: string[]): Proc {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  const watchers: (() => void)[] = [];
  child.stdout!.on('data', (b) => {
    out += b;
    for (const w of watchers.slice()) w();
  });
  child.stderr!.on('data', (b) => (err += b));
  const exit = new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            watchers.splice(watchers.indexOf(check), 1);
            resolve(m);
          }
        };
        watchers.push(check);
        check();
        void exit.then(() => setTimeout(() => reject(new Error(`exited before ${re}: ${out}\n${err}`)), 50));
      }),
  };
}
