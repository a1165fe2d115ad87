// The task module: spawn, wait, serve, tasks and yield, on the scheduler of
// core/tasks.ts.
import { op, type ModuleDef } from '../core/registry.js';
import { MinError } from '../core/errors.js';
import type { OpContext } from '../core/context.js';
import { startTask, Task } from '../core/tasks.js';
import { makeDict } from '../core/dict.js';
import { Dict, type Value } from '../core/values.js';

import { TIMEOUT_ERROR, concernsOneClient } from '../net/errors.js';
import * as verbs from './adapt/socket-dict.js';

/** `serve`: accept clients until the server socket is closed, one task each. */
async function serve(i: OpContext, srv: Dict, q: Value[]): Promise<void> {
  for (;;) {
    const cli = verbs.clientLike(i, srv);
    try {
      await verbs.accept(srv, cli);
    } catch (e) {
      if (verbs.socketOf(srv).closed) return;
      // A client whose TLS handshake failed is that client's problem only.
      if (concernsOneClient(e) || (e instanceof MinError && e.kind === TIMEOUT_ERROR)) continue;
      throw e;
    }
    // The connection lives as long as its handler: closed when the task ends,
    // even by an error, so a failing handler never leaves a client hanging.
    const t = startTask(i, q, [cli]);
    void t.done.then(() => verbs.close(cli)).catch(() => {});
  }
}

/** The dict `spawn` pushes: the task's id, and the task itself as its handle. */
function taskDict(t: Task): Dict {
  return makeDict([['id', t.id]], 'task', t);
}

export const taskModule: ModuleDef = {
  name: 'task',
  ops: [
    op('spawn', 'quot ==> dict:task', 'Runs quot as a new task with its own empty stack and returns at once; the task runs whenever the others wait.', (i, q: Value[]) =>
      taskDict(startTask(i, q)),
    ),
    op('wait', 'dict:task ==> quot', "Waits for a task to end and pushes its final stack as a quotation; re-raises the task's error if it failed.", (_i, d: Dict) => {
      const t = d.handle;
      if (!(t instanceof Task)) throw new MinError('Not a task', 'MinInvalidError');
      return t.done.then(() => {
        t.rethrow();
        return t.stack.slice();
      });
    }),
    op('serve', 'dict:socket quot ==>', 'Accepts clients on the listening socket forever, running quot in a new task for each with the client socket on its stack (closed when that task ends); ends when the server socket is closed.', (i, srv: Dict, q: Value[]) =>
      serve(i, srv, q),
    ),
    op('tasks', '==> int', 'The number of tasks still running (the main program not counted).', (i) => i.rt.tasks.size),
    op('yield', '==>', 'Lets the other tasks run before carrying on.', () => new Promise<void>((r) => setImmediate(r))),
  ],
};
