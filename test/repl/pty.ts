// Drives the shell through a real pseudo-terminal: util-linux `script` gives
// the child a pty and relays our pipe to it, so no native module is needed.
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT_TIMEOUT_MS, waitFor } from '../wait.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r/g;

/** Whether util-linux `script` is there to give a pty (tests of the shell skip without it). */
export const hasScript = ((): boolean => {
  try {
    execSync('command -v script', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const root = join(import.meta.dirname, '..', '..');

/**
 * The shell (bin/min-ts with `args`, started in the checkout) on a 200x50
 * terminal without colours, with HOME at `home` so that no user file is read.
 */
export function shellSession(home: string, args = '', extraEnv: NodeJS.ProcessEnv = {}): PtySession {
  return new PtySession(`${join(root, 'bin', 'min-ts')}${args === '' ? '' : ` ${args}`}`, {
    cwd: root,
    env: { ...process.env, HOME: home, NO_COLOR: '1', TERM: 'xterm', COLUMNS: '200', LINES: '50', ...extraEnv },
  });
}

/** Terminal output with escape sequences and carriage returns removed. */
export const clean = (s: string): string => s.replace(ANSI, '');

export class PtySession {
  readonly child: ChildProcess;
  raw = '';
  /** Offset in the cleaned output where the next expect() starts looking. */
  private mark = 0;
  readonly exited: Promise<number | null>;
  private closed = false;

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
    // Decoded as streams: where chunks are cut depends on timing, and may fall inside a character.
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.raw += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.raw += d));
    this.child.on('close', () => (this.closed = true));
    this.exited = new Promise((res) => this.child.on('exit', (code) => res(code)));
  }

  get text(): string {
    return clean(this.raw);
  }

  send(s: string): void {
    this.child.stdin!.write(s);
  }

  /**
   * Sends `s` and waits until the shell has read it, so that what is sent next reaches the
   * shell as a chunk of its own: readline takes a Tab that arrives in one chunk with other
   * keys as pasted text, not as a completion request. The shell's reads are seen in the
   * rchar count of /proc/PID/io; without /proc this falls back to a pause.
   */
  async sendApart(s: string): Promise<void> {
    const pid = this.shellPid();
    const before = pid === null ? null : bytesRead(pid);
    this.send(s);
    if (pid === null || before === null) return void (await new Promise((r) => setTimeout(r, 200)));
    await waitFor(() => (bytesRead(pid) ?? Infinity) >= before + Buffer.byteLength(s), {
      what: `the shell to read ${JSON.stringify(s)}`,
      state: () => this.text,
    });
  }

  /** The command's process: `script` forks it, and the shell it runs gives way to it with exec. */
  private shellPid(): number | null {
    let dirs: string[];
    try {
      dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    } catch {
      return null;
    }
    for (const d of dirs) {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent === this.child.pid) return Number(d);
      } catch {
        // the process ended meanwhile
      }
    }
    return null;
  }

  /** Wait until the output after the last match contains `what`; returns the text up to and including it. */
  async expect(what: string | RegExp, timeoutMs = WAIT_TIMEOUT_MS): Promise<string> {
    const found = await waitFor(
      () => {
        const t = this.text.slice(this.mark);
        const m = typeof what === 'string' ? (t.includes(what) ? { index: t.indexOf(what), 0: what } : null) : what.exec(t);
        return m && t.slice(0, m.index! + m[0].length);
      },
      { timeout: timeoutMs, what: String(what), state: () => this.text, hopeless: () => this.closed && 'the terminal closed' },
    );
    this.mark += found.length;
    return found;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Bytes the process has read so far (Linux), or null. */
function bytesRead(pid: number): number | null {
  try {
    const m = /^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
