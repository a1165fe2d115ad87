// State shared by every task of one program: the global scope, standard
// streams, command-line arguments and the set of running tasks.
import { writeSync } from 'node:fs';
import { Scope, SymbolCaches } from './scope.js';
import type { Task } from './tasks.js';
import type { NativeOp } from './registry.js';
import type { Dict } from './values.js';
import { CodeCache, type CompileMode } from './compile.js';
import { ProgramInput } from './input.js';
import { DECIMAL, type PrintOptions } from './printer.js';

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
  /** When quotations are compiled to JavaScript (see compile.ts). */
  compile?: CompileMode;
}

/**
 * State an operator module keeps for one program (num's random generator,
 * io's key map, the http servers it started), declared next to the
 * operators that use it and made on first use. It lives in the Runtime, so
 * it ends with the program and never leaks into the next one.
 */
export class ProgramState<T> {
  constructor(private readonly make: () => T) {}

  of(rt: Runtime): T {
    let v = rt.moduleState.get(this) as T | undefined;
    if (v === undefined) rt.moduleState.set(this, (v = this.make()));
    return v;
  }
}

export class Runtime {
  /** The epochs and local names that keep symbol caches right (see scope.ts). */
  readonly caches = new SymbolCaches();
  readonly global = new Scope(null);
  out: Writer & { flush?(): void };
  err: Writer & { flush?(): void };
  args: string[];
  rawArgs: string[];
  opts: Record<string, string | boolean>;
  dev: boolean;
  readLine: () => Promise<string | null>;
  /** Standard input as the prompting operators read it. */
  readonly input: ProgramInput;
  /** How ints print (num's `base`). */
  readonly print: PrintOptions = { ...DECIMAL };
  /** This program's compiled quotations. */
  readonly codeCache: CodeCache;
  /** The id the next task gets. */
  nextTaskId = 1;
  /** What operator modules keep per program (see ProgramState). */
  readonly moduleState = new Map<ProgramState<unknown>, unknown>();
  /** System sigils: character -> the symbol it stands for (filled by ops/modules.ts). */
  readonly sigils = new Map<string, string>();
  /** What a command literal `[ls]` runs with its text pushed (sys's system-output, set by ops/modules.ts). */
  commandOp: NativeOp | null = null;
  /** Module dicts by name (`net`, `str`...): reachable as `net.socket`. */
  readonly modules = new Map<string, Dict>();
  /** Tasks started by `spawn`/`serve` that have not finished. */
  readonly tasks = new Set<Task>();
  /** Tasks that ended with an uncaught error (see taskFailed). */
  readonly failedTasks = new Set<Task>();
  /** Called when a task starts waiting on an operator, while the program waits for its tasks (see idle.ts). */
  onWait: (() => void) | null = null;
  /** The tasks still waiting were given up when the program ended (idle.ts): their errors are not reported. */
  abandoned = false;
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
    this.global.caches = this.caches;
    this.out = o.out ?? new BufferedWriter(1);
    this.err = o.err ?? new BufferedWriter(2);
    this.args = o.args ?? [];
    this.rawArgs = o.rawArgs ?? this.args;
    this.opts = o.opts ?? {};
    this.dev = o.dev ?? false;
    this.readLine = o.readLine ?? (async () => null);
    this.input = new ProgramInput(() => this.readLine());
    this.codeCache = new CodeCache(o.compile);
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
