// One shell session: the runtime and the stack that persist between entries,
// and the evaluation of one entry. Nothing here needs a terminal, so the
// shell's behaviour is tested through this class.
import { Machine } from '../core/machine.js';
import { ExitSignal, type Runtime } from '../core/runtime.js';
import { read, newSource } from '../core/reader.js';
import { MinError, toMinError } from '../core/errors.js';
import { describeUncaught } from '../core/uncaught.js';
import { Sym, type Value } from '../core/values.js';
import { formatResult } from './result.js';

export type EntryKind = 'value' | 'empty' | 'error' | 'interrupted' | 'exit';

export interface EntryResult {
  kind: EntryKind;
  /** What the shell prints after the entry (no trailing newline; '' for nothing). */
  output: string;
  /** The exit code, when the entry ended the session. */
  exit?: number;
  error?: MinError;
}

type Outcome = { kind: 'done' } | { kind: 'interrupted' } | { kind: 'exit'; code: number } | { kind: 'error'; error: MinError };

/**
 * `help NAME` typed on its own asks for help on NAME, as on the command line;
 * after it, and after `?NAME`, the stack is not shown again.
 */
const HELP_ENTRY = /^\s*(?:help\s+([^\s()[\]{}"]+)|\?[^\s()[\]{}"]+)\s*$/;

/** How long the prompt program may take before the plain prompt is used. */
const PROMPT_TIMEOUT_MS = 2000;

export class Session {
  /** The stack entries work on; it survives errors as it was before the failing item. */
  stack: Value[] = [];
  private stop: (() => void) | null = null;
  /** The machine of the item running, whose wait an interrupt gives up. */
  private running: Machine | null = null;
  /** Settles when a task calls `exit`: the running entry is then given up. */
  private readonly exited: Promise<Outcome>;

  constructor(readonly rt: Runtime) {
    this.exited = rt.exited.then((code): Outcome => ({ kind: 'exit', code }));
  }

  /** Whether an entry is running (possibly waiting on an operator). */
  get busy(): boolean {
    return this.stop !== null;
  }

  /** Abandon the running entry, if one is waiting. Returns whether there was one. */
  interrupt(): boolean {
    if (!this.stop) return false;
    // The wait is withdrawn, as cancel and within withdraw it (see
    // core/interrupts.ts), so the next recv-line gets the next line, the next
    // accept the next client, and a connect gives up its attempt.
    this.running?.interrupts.interrupt(new MinError('the wait was interrupted', 'NetError'));
    this.stop();
    return true;
  }

  /** Run one entry and say what to print: the top of the stack, or the error. */
  async evalEntry(text: string, file = '<repl>'): Promise<EntryResult> {
    const help = HELP_ENTRY.exec(text);
    const o = await this.run(help?.[1] ? `'${help[1]} help` : text, file);
    switch (o.kind) {
      case 'exit':
        return { kind: 'exit', output: '', exit: o.code };
      case 'interrupted':
        return { kind: 'interrupted', output: 'Interrupted' };
      case 'error':
        return { kind: 'error', output: describeUncaught(o.error), error: o.error };
    }
    if (help || this.stack.length === 0) return { kind: 'empty', output: '' };
    return { kind: 'value', output: formatResult(this.stack[this.stack.length - 1]!, this.rt.print) };
  }

  /**
   * Run source one top-level item at a time, as min's shell does: when an item
   * fails, the stack goes back to what it was before that item, and the
   * rest of the entry is skipped.
   */
  async run(text: string, file = '<repl>'): Promise<Outcome> {
    try {
      let items: Value[];
      try {
        items = read(text, newSource(file));
      } catch (e) {
        return { kind: 'error', error: toMinError(e) };
      }
      for (const item of items) {
        const o = await this.runItem(item);
        if (o.kind !== 'done') return o;
      }
      return { kind: 'done' };
    } finally {
      this.rt.flush();
    }
  }

  private async runItem(item: Value): Promise<Outcome> {
    const before = this.stack.slice();
    // A machine per item: an abandoned one may still wake up later, and must
    // then find neither frames to run nor the session's stack to push onto.
    const m = new Machine(this.rt);
    m.stack = this.stack;
    this.running = m;
    try {
      const r = m.execute([item], this.rt.global, true);
      if (r) {
        const o = await this.wait(r);
        if (o.kind !== 'done') {
          m.frames.length = 0;
          m.stack = [];
          this.stack = before;
          return o;
        }
      }
      this.stack = m.stack;
      return { kind: 'done' };
    } catch (e) {
      this.stack = before;
      if (e instanceof ExitSignal) return { kind: 'exit', code: e.code };
      return { kind: 'error', error: toMinError(e) };
    }
  }

  /** Wait for a suspended item, unless it is interrupted or a task ends the program first. */
  private async wait(r: Promise<void>): Promise<Outcome> {
    r.catch(() => {}); // settled through the race, or abandoned
    const stopped = new Promise<Outcome>((res) => (this.stop = () => res({ kind: 'interrupted' })));
    try {
      return await Promise.race([r.then((): Outcome => ({ kind: 'done' })), stopped, this.exited]);
    } finally {
      this.stop = null;
    }
  }

  /** The prompt: the string the global `prompt` program leaves, or `[cwd]$ ` if it fails. */
  async prompt(): Promise<string> {
    const m = new Machine(this.rt);
    let timer: NodeJS.Timeout | undefined;
    try {
      const r = m.execute([new Sym('prompt')], this.rt.global, true);
      if (r) {
        r.catch(() => {});
        const late = new Promise<boolean>((res) => (timer = setTimeout(() => res(false), PROMPT_TIMEOUT_MS)));
        if (!(await Promise.race([r.then(() => true), late]))) return fallbackPrompt();
      }
      const top = m.stack[m.stack.length - 1];
      if (typeof top === 'string') return top;
    } catch {
      /* fall back below */
    } finally {
      clearTimeout(timer);
      m.frames.length = 0;
      this.rt.flush();
    }
    return fallbackPrompt();
  }
}

export function fallbackPrompt(): string {
  let cwd = '?';
  try {
    cwd = process.cwd();
  } catch {
    /* the directory was removed */
  }
  return `[${cwd}]$ `;
}
