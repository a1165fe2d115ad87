// The task module: cooperative tasks on top of the async interpreter. A task
// is a Machine with its own stack sharing the runtime; it runs until it waits
// (socket I/O, sleep, wait), then other tasks run.
import { op, type ModuleDef } from '../core/registry.js';
import { Machine } from '../core/machine.js';
import { MinError, toMinError } from '../core/errors.js';
import { ExitSignal, type Runtime } from '../core/runtime.js';
import { describeUncaught } from '../core/errordict.js';
import { Dict, type Value } from '../core/values.js';
import { Scope, valueEntry } from '../core/scope.js';

import * as verbs from '../net/verbs.js';
import { handleOf } from '../net/handle.js';
import { TIMEOUT_ERROR } from '../net/errors.js';
import { EntryKind } from '../core/scope.js';


/** A fresh client socket dict like the server's (same domain, type, protocol, timeout...). */
function clientLike(i: Machine, srv: Dict): Dict {
  const s = new Scope(null);
  for (const k of srv.scope.names()) {
    const e = srv.scope.get(k)!;
    if (k === 'address' || k === 'port' || e.kind === EntryKind.Native) continue;
    s.set(k, valueEntry(e.val));
  }
  return verbs.createSocket(i, new Dict(s));
}

/** `serve`: accept clients until the server socket is closed, one task each. */
async function serve(i: Machine, srv: Dict, q: Value[]): Promise<void> {
  for (;;) {
    const cli = clientLike(i, srv);
    try {
      await verbs.accept(i.rt, srv, cli);
    } catch (e) {
      if (handleOf(srv).closed) return;
      if (e instanceof MinError && e.kind === TIMEOUT_ERROR) continue;
      throw e;
    }
    // The connection lives as long as its handler: closed when the task ends,
    // even by an error, so a failing handler never leaves a client hanging.
    const t = startTask(i, q, [cli]);
    void (t.handle as Machine).done.then(() => verbs.close(i.rt, cli)).catch(() => {});
  }
}

/**
 * Print an error that ended task `id` the way an uncaught error is printed;
 * with `what`, the error came from that part of the task's work.
 */
export function reportTaskError(rt: Runtime, id: number, e: unknown, what = ''): void {
  const text = describeUncaught(toMinError(e));
  rt.out.flush?.();
  rt.err.write(`(task ${id}) ${what ? `${what}: ${text.replace(/^<min>: /, '')}` : text}\n`);
  rt.err.flush?.();
}

/** Start `q` as a task in the current scope with `stack` as its initial stack. */
export function startTask(parent: Machine, q: Value[], stack: Value[] = []): Dict {
  // The scope is taken now: by the time the task starts, the spawning frame
  // may have moved on (a loop's next pass, or gone).
  const scope = parent.scope;
  const m = new Machine(parent.rt, scope);
  m.stack = stack;
  const rt = parent.rt;
  const id = rt.nextTaskId++;
  rt.tasks.add(m);
  m.done = new Promise<void>((resolve) => {
    setImmediate(async () => {
      try {
        const r = m.execute(q, scope, false);
        if (r) await r;
      } catch (e) {
        if (e instanceof ExitSignal) rt.requestExit(e.code);
        else {
          m.failure = toMinError(e);
          reportTaskError(rt, id, m.failure);
        }
      } finally {
        rt.tasks.delete(m);
        rt.flush(); // what the task printed shows now, not when another task next waits
        resolve();
      }
    });
  });
  const s = new Scope(null);
  s.set('id', valueEntry(id));
  return new Dict(s, 'task', m);
}

export const taskModule: ModuleDef = {
  name: 'task',
  ops: [
    op('spawn', 'quot ==> dict:task', 'Runs quot as a new task with its own empty stack and returns at once; the task runs whenever the others wait.', (i, q: Value[]) =>
      startTask(i, q),
    ),
    op('wait', 'dict:task ==> quot', "Waits for a task to end and pushes its final stack as a quotation; re-raises the task's error if it failed.", (_i, t: Dict) => {
      const m = t.handle as Machine | undefined;
      if (!(m instanceof Machine)) throw new MinError('Not a task', 'MinInvalidError');
      return m.done.then(() => {
        if (m.failure) {
          const e = new MinError(m.failure.message, m.failure.kind);
          Object.assign(e, { symbol: m.failure.symbol, filename: m.failure.filename, line: m.failure.line, column: m.failure.column, located: true, dict: m.failure.dict });
          throw e;
        }
        return m.stack.slice();
      });
    }),
    op('serve', 'dict:socket quot ==>', 'Accepts clients on the listening socket forever, running quot in a new task for each with the client socket on its stack (closed when that task ends); ends when the server socket is closed.', (i, srv: Dict, q: Value[]) =>
      serve(i, srv, q),
    ),
    op('tasks', '==> int', 'The number of tasks still running (the main program not counted).', (i) => i.rt.tasks.size),
    op('yield', '==>', 'Lets the other tasks run before carrying on.', () => new Promise<void>((r) => setImmediate(r))),
  ],
};
