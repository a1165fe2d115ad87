// State shared by every task of one program: the global scope, standard
// streams, command-line arguments and the set of running tasks.
import { writeSync } from 'node:fs';
import { NameSet, Scope } from './scope.js';
import type { Machine } from './machine.js';
import type { Dict } from './values.js';

export interface Writer {
  write(s: string): void;
}

/** Buffers small writes; flushed before the interpreter waits and at exit. */
export class BufferedWriter implements Writer {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly fd: 1 | 2 | NodeJS.WritableStream) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.size === 0 && this.buf.length === 0) return;
    const s = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (typeof this.fd === 'number') writeAllSync(this.fd, s);
    else this.fd.write(s);
  }
}

function writeAllSync(fd: number, s: string): void {
  const b = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off, b.length - off);
    } catch (e) {
      // A non-blocking pipe that is full: try again (stdout must not lose data).
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw e;
    }
  }
}

export interface RuntimeOptions {
  out?: Writer & { flush?(): void };
  err?: Writer & { flush?(): void };
  args?: string[];
  rawArgs?: string[];
  opts?: Record<string, string | boolean>;
  dev?: boolean;
  /** Read one line of standard input (null at end of input). */
  readLine?: () => Promise<string | null>;
}

export class Runtime {
  readonly global = new Scope(null);
  /** Names ever defined outside the global scope: others resolve straight from global. */
  readonly localNames = new NameSet();
  out: Writer & { flush?(): void };
  err: Writer & { flush?(): void };
  args: string[];
  rawArgs: string[];
  opts: Record<string, string | boolean>;
  dev: boolean;
  readLine: () => Promise<string | null>;
  /** System sigils: character -> the symbol it stands for (filled by core.ts). */
  readonly sigils = new Map<string, string>();
  /** Module dicts by name (`net`, `str`...): reachable as `net.socket`. */
  readonly modules = new Map<string, Dict>();
  /** Tasks started by `spawn`/`serve` that have not finished. */
  readonly tasks = new Set<Machine>();
  /** Resources (sockets...) to release when the program ends. */
  readonly resources = new Set<{ destroy(): void }>();
  exitCode: number | null = null;
  /**
   * A running task lets the event loop in every this many milliseconds even
   * if it never waits, so one task computing for seconds never freezes the
   * others: their sockets are served, their timeouts fire on time (and in the
   * shell, Ctrl-C gets through). null: a task runs until it waits.
   */
  sliceMs: number | null = 5;
  /** Resolves with the exit code when any task calls `exit`. */
  readonly exited: Promise<number>;
  requestExit: (code: number) => void = () => {};
  logLevel = 'notice';
  /** Loaded module files, so `require` of the same file is done once. */
  readonly required = new Map<string, Dict>();

  constructor(o: RuntimeOptions = {}) {
    this.global.isRoot = true;
    this.out = o.out ?? new BufferedWriter(1);
    this.err = o.err ?? new BufferedWriter(2);
    this.args = o.args ?? [];
    this.rawArgs = o.rawArgs ?? this.args;
    this.opts = o.opts ?? {};
    this.dev = o.dev ?? false;
    this.readLine = o.readLine ?? (async () => null);
    this.exited = new Promise<number>((res) => {
      this.requestExit = (code) => {
        if (this.exitCode === null) this.exitCode = code;
        res(this.exitCode);
      };
    });
  }

  flush(): void {
    this.out.flush?.();
    this.err.flush?.();
  }

  /** Close every socket and handle still open, so nothing keeps the process alive. */
  releaseAll(): void {
    for (const r of this.resources) {
      try {
        r.destroy();
      } catch {
        /* already gone */
      }
    }
    this.resources.clear();
  }
}

/** Thrown by `exit`/`quit`: unwinds everything, not catchable by `try`. */
export class ExitSignal {
  constructor(public readonly code: number) {}
}
