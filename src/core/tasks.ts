// Cooperative tasks on top of the async interpreter. A task is a Machine with
// its own stack sharing the runtime; it runs until it waits (socket I/O,
// sleep, wait), then other tasks run. The task module (ops/task.ts) and the
// http server (ops/http-server.ts) start tasks here.
import { Machine } from './machine.js';
import { MinError, toMinError } from './errors.js';
import { ExitSignal, type Runtime } from './runtime.js';
import { describeUncaught } from './uncaught.js';
import type { OpContext } from './context.js';
import type { Value } from './values.js';
import { whenIdle } from './idle.js';

export class Task {
  /** The error that ended the task, if one did. */
  failure: MinError | null = null;
  /** Settles when the task has finished, however it ended. */
  readonly done: Promise<void>;

  constructor(
    readonly id: number,
    readonly machine: Machine,
    run: (task: Task) => Promise<void>,
  ) {
    this.done = run(this);
  }

  /** What the task left on its stack. */
  get stack(): readonly Value[] {
    return this.machine.stack;
  }

  /** The task's failure, raised again for whoever waits for it (a fresh error at the same place). */
  rethrow(): void {
    const f = this.failure;
    if (!f) return;
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
  const task = new Task(rt.nextTaskId++, m, (t) => new Promise<void>((resolve) => {
    setImmediate(async () => {
      try {
        const r = m.execute(q, scope, false);
        if (r) await r;
      } catch (e) {
        if (e instanceof ExitSignal) rt.requestExit(e.code);
        // A task given up with the program (see idle.ts) fails as its sockets close: not news.
        else if (!rt.abandoned) {
          t.failure = toMinError(e);
          reportTaskError(rt, t.id, t.failure);
        }
      } finally {
        rt.tasks.delete(t);
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
