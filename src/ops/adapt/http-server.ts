// start-server and stop-server: min handlers behind the HTTP server of
// http/server.ts. Each request runs the handler as its own task, with the
// request dict on its stack; a handler that fails or leaves no response
// dict is reported like an uncaught task error and its client gets a 500.
import type { OpContext } from '../../core/context.js';
import { dictSet, storedValue } from '../../core/dict.js';
import { EntryKind } from '../../core/scope.js';
import { ProgramState, type Runtime } from '../../core/runtime.js';
import { reportTaskError, startTask, type Task } from '../../core/tasks.js';
import { Dict, Sym, isStringLike, strOf, type Value } from '../../core/values.js';
import { httpError } from '../../http/errors.js';
import { serveHttp, type HttpRequest, type RunningServer } from '../../http/server.js';
import { answerOf, badKey, maxBodyOf, requestDict } from './http-dicts.js';
import { DEFAULT_MAX_REQUEST_BODY } from '../../http/limits.js';
import { portKey, resolved } from './socket-keys.js';

/** The servers a program runs: latest last (for stop-server outside a handler), and the server of each task it started. */
const serversOf = new ProgramState(() => ({
  running: [] as RunningServer[],
  ofTask: new WeakMap<OpContext, RunningServer>(),
}));

/**
 * A quotation to run. A dict literal keeps symbols as they are: one bound
 * with `:` to a quotation stands for that quotation, any other for the
 * operator it names.
 */
function quotationKey(i: OpContext, d: Dict, key: string, required: boolean): Value[] | null {
  const v = storedValue(d, key);
  if (v === undefined || v === null) {
    if (required) throw httpError(`The server's ${key} is missing: give it a quotation taking a request dict and leaving a response dict`);
    return null;
  }
  if (Array.isArray(v)) return v;
  if (v instanceof Sym) {
    // A symbol read from JSON is data: it never picks one of the script's quotations.
    if (v.inert) return [v];
    const e = i.resolve(v.name);
    return e?.kind === EntryKind.Quoted && Array.isArray(e.val) ? e.val : [v];
  }
  throw badKey('server', key, 'a quotation', v);
}

const report = (rt: Runtime, task: Task, e: unknown): void => reportTaskError(rt, task.id, e, 'start-server handler');

export function startServer(i: OpContext, cfg: Dict): Promise<void> {
  const d = resolved(i, cfg);
  const av = storedValue(d, 'address');
  if (av !== undefined && av !== null && !isStringLike(av)) throw badKey('server', 'address', 'a string', av);
  const address = av === undefined || av === null ? '127.0.0.1' : strOf(av);
  const port = portKey(d, 80);
  const handler = quotationKey(i, d, 'handler', true)!;
  const started = quotationKey(i, d, 'started', false);
  const maxBody = maxBodyOf(d, 'server', DEFAULT_MAX_REQUEST_BODY);
  const rt = i.rt;
  const servers = serversOf.of(rt);
  /** The task that answered each request, to report a response Node refused. */
  const taskOf = new WeakMap<HttpRequest, Task>();
  let self: RunningServer | null = null;
  return serveHttp({
    address,
    port,
    maxBody,
    resources: rt.resources,
    handler: {
      async answer(req) {
        const task = startTask(i, handler, [requestDict(req)]);
        taskOf.set(req, task);
        servers.ofTask.set(task.machine, self!);
        await task.done;
        // A failed task has already been reported by startTask, and answered 500.
        if (task.failure) {
          task.handled = true;
          return null;
        }
        try {
          return answerOf(i, task.stack[task.stack.length - 1]);
        } catch (e) {
          report(rt, task, e);
          return null;
        }
      },
      unsendable(req, e) {
        const task = taskOf.get(req);
        if (task) report(rt, task, e);
      },
    },
    started(srv, actualPort) {
      self = srv;
      servers.running.push(srv);
      // Port 0 picks a free port: the script finds out which in its dict.
      dictSet(cfg, 'port', actualPort);
      if (started) servers.ofTask.set(startTask(i, started, [cfg]).machine, srv);
    },
  });
}

/** stop-server: the server of the task that calls it, or the program's latest. */
export function stopServer(i: OpContext): void {
  const servers = serversOf.of(i.rt);
  const srv = servers.ofTask.get(i) ?? servers.running.at(-1);
  if (!srv) throw httpError('stop-server: no HTTP server is running');
  if (!srv.stopping) servers.running.splice(servers.running.indexOf(srv), 1);
  srv.stop();
}
