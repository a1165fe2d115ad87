// Cooperative tasks on top of the async interpreter. A task is a Machine with
// its own stack sharing the runtime; it runs until it waits (socket I/O,
// sleep, wait), then other tasks run. The task module (ops/task.ts) and the
// http server (ops/http-server.ts) start tasks here.
import { Machine } from './machine.js';
import { MinError, toMinError } from './errors.js';
import { ExitSignal, type Runtime } from './runtime.js';
import { describeUncaught } from './uncaught.js';
import type { OpContext } from './context.js';
import type { Dict, Value } from './values.js';
import { makeDict } from './dict.js';
import type { Entry } from './scope.js';
import { cancelledError } from './interrupts.js';
import { whenIdle } from './idle.js';

export type TaskState = 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';

export class Task {
  /** The error that ended the task, if one did. */
  failure: MinError | null = null;
  /** Whether someone took the task's failure (`wait`, the http server): an untaken one makes the program exit with 1. */
  handled = false;
  /** Settles when the task has finished, however it ended. */
  readonly done: Promise<void>;
  /** Whether the task has started running. */
  started = false;
  ended = false;
  /** The task dict (`spawn`, `tasks`): its `state` key follows the task. */
  readonly dict: Dict;
  /**
   * The dict's `state` entry, given the new state in place as `bind` does
   * (a task changes state on every wait: making a new dict version each
   * time cost a fifth of a yield).
   */
  private readonly stateEntry: Entry;
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly id: number,
    readonly machine: Machine,
    /** What the task runs, as the dict shows it. */
    readonly quotation: Value[],
    run: (task: Task) => Promise<void>,
  ) {
    this.dict = makeDict([['id', id], ['state', 'running'], ['quotation', quotation]], 'task', this);
    this.stateEntry = this.dict.scope.get('state')!;
    this.done = run(this);
  }

  /** What the task left on its stack. */
  get stack(): readonly Value[] {
    return this.machine.stack;
  }

  get state(): TaskState {
    if (!this.ended) return this.machine.interrupts.waiting ? 'waiting' : 'running';
    if (this.cancelled) return 'cancelled';
    return this.failure ? 'failed' : 'done';
  }

  /** Whether the task ended because it was cancelled (the CancelledError was raised in it, or it never started). */
  get cancelled(): boolean {
    const i = this.machine.interrupts;
    return i.cancelled && (i.delivered || !this.started);
  }

  /** `cancel`: its current or next wait raises CancelledError; nothing once it has ended. */
  cancel(): void {
    if (this.ended) return;
    this.machine.interrupts.cancel();
  }

  /** The task's state changed: the dict shows it. */
  changed(): void {
    this.stateEntry.val = this.state;
  }

  /** Call `notify` once the task has ended (at once if it has); returns how to stop watching. */
  whenEnded(notify: () => void): () => void {
    if (this.ended) {
      notify();
      return () => {};
    }
    this.watchers.add(notify);
    return () => this.watchers.delete(notify);
  }

  end(): void {
    this.ended = true;
    this.changed();
    for (const w of [...this.watchers]) w();
    this.watchers.clear();
  }

  /** The task's failure, raised again for whoever waits for it (a fresh error at the same place). */
  rethrow(): void {
    if (this.cancelled) throw cancelledError();
    const f = this.failure;
    if (!f) return;
    this.handled = true;
    const e = MinError.named(f.message, f.kind);
    Object.assign(e, { symbol: f.symbol, filename: f.filename, line: f.line, column: f.column, located: true, dict: f.dict });
    throw e;
  }
}

/**
 * Print an error that ended task `id` the way an uncaught error is printed;
 * with `what`, the error came from that part of the task's work.
 */
export function reportTaskError(rt: Runtime, id: number, e: unknown, what = ''): void {
  const text = describeUncaught(toMinError(e));
  rt.out.flush?.();
  rt.err.write(`(task ${id}) ${what ? `${what}: ${text}` : text}\n`);
  rt.err.flush?.();
}

/** Start `q` as a task in the current scope with `stack` as its initial stack; it runs once the caller waits. */
export function startTask(parent: OpContext, q: Value[], stack: Value[] = []): Task {
  // The scope is taken now: by the time the task starts, the spawning frame
  // may have moved on (a loop's next pass, or gone).
  const scope = parent.scope;
  const rt = parent.rt;
  const m = new Machine(rt, scope);
  m.stack = stack;
  const task = new Task(rt.nextTaskId++, m, q, (t) => new Promise<void>((resolve) => {
    setImmediate(async () => {
      try {
        // Cancelled before it ever ran: it never does.
        if (m.interrupts.cancelled) return;
        t.started = true;
        m.interrupts.onWait = () => t.changed();
        const r = m.execute(q, scope, false);
        if (r) await r;
      } catch (e) {
        if (e instanceof ExitSignal) rt.requestExit(e.code);
        // A task given up with the program (see idle.ts) fails as its sockets close: not news.
        else if (!rt.abandoned) {
          t.failure = toMinError(e);
          // A cancelled task ending with the CancelledError did what it was asked.
          if (!t.cancelled) reportTaskError(rt, t.id, t.failure);
        }
      } finally {
        m.interrupts.onWait = null;
        rt.tasks.delete(t);
        t.end();
        if (t.failure && !t.cancelled) rt.failedTasks.add(t);
        rt.flush(); // what the task printed shows now, not when another task next waits
        resolve();
      }
    });
  }));
  rt.tasks.add(task);
  return task;
}

/**
 * Wait until every spawned task has finished (tasks may spawn more), or
 * until only tasks remain that wait on sockets nobody else will ever use
 * (idle.ts): those are given up, and the program ends.
 */
export async function waitForTasks(rt: Runtime): Promise<void> {
  const watch = whenIdle(rt);
  rt.onWait = watch.look;
  try {
    while (rt.tasks.size > 0) {
      const pending = [...rt.tasks].map((t) => t.done);
      watch.look();
      const idle = await Promise.race([Promise.allSettled(pending).then(() => false), watch.idle.then(() => true)]);
      if (idle) {
        rt.abandoned = true;
        return;
      }
    }
  } finally {
    watch.stop();
    rt.onWait = null;
  }
}

/** Whether a task ended with an error nobody took (by `wait`): the program then exits with 1. */
export function taskFailed(rt: Runtime): boolean {
  for (const t of rt.failedTasks) if (!t.handled) return true;
  return false;
}
