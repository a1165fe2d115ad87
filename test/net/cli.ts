// Running min-ts scripts as child processes for the example tests: the
// output so far, a wait for a line to appear, the exit code, and cleanup.
import { afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForText } from '../wait.js';

export const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'min-ts');
export const example = (name: string): string => join(root, 'examples', name);

export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the first stdout match of `re`, once it is there (fails if the program exits first). */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  /** The same for stderr. */
  waitForErr(re: RegExp): Promise<RegExpMatchArray>;
  exit: Promise<number>;
}

/** Every program started, so none outlives its test, and the directories made for them. */
const started: ChildProcess[] = [];
const scratch: string[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill();
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function run(args: string[]): Proc {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  let closed = false;
  // Decoded as streams: where chunks are cut depends on timing, and may fall inside a character.
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  // 'close' comes after the last output, so a wait that has not matched by then never will.
  const exit = new Promise<number>((res) => child.on('close', (code) => ((closed = true), res(code ?? -1))));
  const both = () => `${out}\n--- stderr:\n${err}`;
  const hopeless = () => closed && `${args.join(' ')} exited`;
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    waitFor: (re) => waitForText(() => out, re, { state: both, hopeless }),
    waitForErr: (re) => waitForText(() => err, re, { state: both, hopeless }),
  };
}

/** Runs `code` from a file of its own and waits for the port it prints on its first line. */
export async function startServerScript(code: string): Promise<{ proc: Proc; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'min-ts-server-'));
  scratch.push(dir);
  const file = join(dir, 'server.min');
  writeFileSync(file, code);
  const proc = run([file]);
  return { proc, port: Number((await proc.waitFor(/^(\d+)\n/))[1]) };
}
