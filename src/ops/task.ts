// The task module: spawn, wait, serve, tasks and yield, on the scheduler of
// core/tasks.ts.
import { op, type ModuleDef } from '../core/registry.js';
import { MinError } from '../core/errors.js';
import type { OpContext } from '../core/context.js';
import { startTask, Task } from '../core/tasks.js';
import { makeDict, storedValue } from '../core/dict.js';
import { showShort } from '../core/printer.js';
import { Dict, type Value } from '../core/values.js';

import { NET_ERROR, TIMEOUT_ERROR, concernsOneClient } from '../net/errors.js';
import { watchWaits } from '../net/bounded.js';
import { noteWait, withdrawable } from '../core/interrupts.js';
import { Channel } from '../core/channel.js';
import * as verbs from './adapt/socket-dict.js';
import { selectReady } from './adapt/select.js';
import { onNewStack, type Run } from '../core/control.js';

// Socket waits can be ended early by `cancel` and `within` like the others.
watchWaits(noteWait);

/** The largest capacity a channel may be given (its buffer grows only as values are put). */
const MAX_CAPACITY = 2 ** 31 - 1;

/** The Channel behind a channel dict. */
export function channelOf(d: Dict): Channel {
  const h = d.handle;
  if (h instanceof Channel) return h;
  throw new MinError('Not a channel made by `channel`', 'MinInvalidError');
}

/** `max-clients` on a server socket dict: how many client tasks `serve` runs at once (null: no limit). */
function maxClientsOf(srv: Dict): number | null {
  const v = storedValue(srv, 'max-clients');
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new MinError(`The socket's max-clients must be a whole number of at least 1, got ${showShort(v)}`, NET_ERROR);
  }
  return v;
}

/**
 * `serve`: accept clients until the server socket is closed, one task each,
 * at most `max-clients` at a time (the next clients wait in the accept
 * queue); then wait for the running client tasks to end. Each wait is the
 * machine's (a generator yields it), so cancel and within reach it; a serve
 * ended so cancels its client tasks too.
 */
function* serve(i: OpContext, srv: Dict, q: Value[]): Run<void> {
  const running = new Set<Task>();
  const ended = () => withdrawable(Promise.race([...running].map((t) => t.done)));
  try {
    for (;;) {
      const max = maxClientsOf(srv);
      while (max !== null && running.size >= max) yield ended();
      const cli = verbs.clientLike(i, srv);
      try {
        yield verbs.accept(srv, cli);
      } catch (e) {
        if (verbs.socketOf(srv).closed) break;
        // A client whose TLS handshake failed is that client's problem only.
        if (concernsOneClient(e)) continue;
        // The socket's own timeout only bounds one accept; a `within` deadline ends serve.
        if (e instanceof MinError && e.kind === TIMEOUT_ERROR && !i.interrupts.overdue()) continue;
        throw e;
      }
      // The connection lives as long as its handler: closed when the task ends,
      // even by an error, so a failing handler never leaves a client hanging.
      const t = startTask(i, q, [cli]);
      running.add(t);
      void t.done.then(() => {
        running.delete(t);
        verbs.close(cli);
      });
    }
    // Graceful shutdown: no new clients, and the running ones finish.
    while (running.size > 0) yield ended();
  } catch (e) {
    for (const t of running) t.cancel();
    throw e;
  }
}

/** The Task behind a task dict. */
function taskOf(d: Dict): Task {
  const t = d.handle;
  if (t instanceof Task) return t;
  throw new MinError('Not a task made by `spawn`', 'MinInvalidError');
}

export const taskModule: ModuleDef = {
  name: 'task',
  ops: [
    op('spawn', 'quot ==> dict:task', 'Runs quot as a new task with its own empty stack and returns at once; the task runs whenever the others wait. The task dict shows its id, state (running, waiting, done, failed, cancelled) and quotation.', (i, q: Value[]) =>
      startTask(i, q).dict,
    ),
    op('wait', 'dict:task ==> quot', "Waits for a task to end and pushes its final stack as a quotation; re-raises the task's error if it failed, and a CancelledError if it was cancelled.", (_i, d: Dict) => {
      const t = taskOf(d);
      const result = (): Value[] => {
        t.rethrow();
        return t.stack.slice();
      };
      return t.ended ? result() : withdrawable(t.done).then(result);
    }),
    op('cancel', 'dict:task ==>', "Cancels a task: the wait it is in (or its next one) raises CancelledError inside it, and so do its later waits, so it ends; a task that has not started never runs. Cancelling an ended task does nothing.", (_i, d: Dict) =>
      taskOf(d).cancel(),
    ),
    op('serve', 'dict:socket quot ==>', "Accepts clients on the listening socket, running quot in a new task for each with the client socket on its stack (closed when that task ends), at most the server dict's max-clients at a time; once the server socket is closed, stops accepting and returns when the running client tasks have ended.", function* (i: OpContext, srv: Dict, q: Value[]) {
      yield* serve(i, srv, q);
    }),
    op('tasks', '==> quot', 'The tasks still running (the main program not counted), as task dicts, oldest first.', (i) => [...i.rt.tasks].map((t) => t.dict)),
    op('channel', 'int ==> dict:channel', 'A channel holding up to int values: chan-put waits while it is full, chan-get while it is empty; with 0, each chan-put waits for a chan-get to take its value.', (_i, n: number) => {
      if (n < 0 || n > MAX_CAPACITY) throw new MinError(`A channel holds 0 to ${MAX_CAPACITY} values, not ${n}`, 'MinInvalidError');
      return makeDict([['capacity', n]], 'channel', new Channel(n));
    }),
    op('chan-put', 'dict:channel a ==>', 'Puts a value (of any kind) into the channel, waiting while it is full; a closed channel raises an error.', (_i, d: Dict, v: Value) =>
      channelOf(d).put(v),
    ),
    op('chan-get', 'dict:channel ==> a', 'Takes the next value out of the channel, waiting while it is empty; once the channel is closed and empty, pushes null.', (_i, d: Dict) =>
      channelOf(d).get(),
    ),
    op('select', 'quot ==> a', 'Runs quot on a new stack and waits until one of the sockets, channels and tasks it left is ready, and pushes that one: a socket with data, whose peer has closed, or (listening) with a client waiting; a channel with a value or closed; a task that has ended. Nothing is taken from it. When several are ready, the earliest in quot wins; a `(500 sleep) spawn` among them is a timeout.', function* (i: OpContext, q: Value[]) {
      const items = (yield* onNewStack(i, q)).slice();
      const ready = selectReady(items);
      return ready instanceof Promise ? ((yield ready) as Value) : ready;
    }),
    op('within', 'quot int ==>', 'Runs quot with a deadline int milliseconds away: if it has not finished by then, the wait it is in (or its next one, or its next time slice) raises a TimeoutError, as a socket timeout does; what quot did to the stack until then stays. Nested deadlines all hold.', function* (i: OpContext, q: Value[], ms: number) {
      const deadline = i.interrupts.enter(ms);
      try {
        yield q;
      } finally {
        i.interrupts.leave(deadline);
      }
    }),
    op('yield', '==>', 'Lets the other tasks run before carrying on.', () => new Promise<void>((r) => setImmediate(r))),
  ],
};
