// Drives the shell through a real pseudo-terminal: util-linux `script` gives
// the child a pty and relays our pipe to it, so no native module is needed.
import { spawn, type ChildProcess } from 'node:child_process';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r/g;

/** Terminal output with escape sequences and carriage returns removed. */
export const clean = (s: string): string => s.replace(ANSI, '');

export class PtySession {
  readonly child: ChildProcess;
  raw = '';
  /** Offset in the cleaned output where the next expect() starts looking. */
  private mark = 0;
  readonly exited: Promise<number | null>;

  constructor(command: string, opts: { cwd: string; env: NodeJS.ProcessEnv }) {
    // script runs the command through $SHELL -c. `exec` makes the shell give
    // way to the command: otherwise a shell such as dash stays in the pty's
    // foreground group, dies of the Ctrl-C meant for the command, and script
    // reports 130 whatever the command's own exit code.
    this.child = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], {
      ...opts,
      env: { ...opts.env, SHELL: '/bin/sh' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.child.stderr!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exited = new Promise((res) => this.child.on('exit', (code) => res(code)));
  }

  get text(): string {
    return clean(this.raw);
  }

  send(s: string): void {
    this.child.stdin!.write(s);
  }

  /** Wait until the output after the last match contains `what`; returns the text up to and including it. */
  async expect(what: string | RegExp, timeoutMs = 8000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const t = this.text.slice(this.mark);
      const m = typeof what === 'string' ? (t.includes(what) ? { index: t.indexOf(what), 0: what } : null) : what.exec(t);
      if (m) {
        const upto = m.index + m[0].length;
        this.mark += upto;
        return t.slice(0, upto);
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)}; output so far:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
