// start-server and stop-server: min handlers behind the HTTP server of
// http/server.ts. Each request runs its route's handler (or the `handler`
// key's) as its own task, with the request dict on its stack; a handler
// that fails or leaves no response dict is reported like an uncaught task
// error and its client gets a 500. A response whose body is a quotation
// runs it as a task with a writer socket dict on its stack; a WS route runs
// its handler as a task with the WebSocket's socket dict, closed when the
// task ends.
import type { OpContext } from '../../core/context.js';
import { dictSet, storedValue } from '../../core/dict.js';
import { EntryKind } from '../../core/scope.js';
import { ProgramState, type Runtime } from '../../core/runtime.js';
import { reportTaskError, startTask, type Task } from '../../core/tasks.js';
import { Dict, Sym, isStringLike, strOf, type Value } from '../../core/values.js';
import { showShort } from '../../core/printer.js';
import { httpError } from '../../http/errors.js';
import { writerTransport, type ResponseWriter } from '../../http/response-writer.js';
import { parseRoute, type Route } from '../../http/routes.js';
import { serveHttp, type HttpAnswer, type HttpRequest, type RunningServer } from '../../http/server.js';
import { staticDir, type StaticDir } from '../../http/static.js';
import { Socket } from '../../net/socket.js';
import type { Address, Detail } from '../../net/transport.js';
import type { WsConn } from '../../net/ws-conn.js';
import { DEFAULT_MAX_MESSAGE, normalOrigin } from '../../net/ws-keys.js';
import { answerOf, badKey, maxBodyOf, requestDict } from './http-dicts.js';
import { DEFAULT_MAX_REQUEST_BODY } from '../../http/limits.js';
import { attachedSocketDict } from './socket-dict.js';
import { byteLimitKey, millis, portKey, resolved } from './socket-keys.js';

/** The servers a program runs: latest last (for stop-server outside a handler), and the server of each task it started. */
const serversOf = new ProgramState(() => ({
  running: [] as RunningServer[],
  ofTask: new WeakMap<OpContext, RunningServer>(),
}));

/**
 * A quotation to run. A dict literal keeps symbols as they are: one bound
 * with `:` to a quotation stands for that quotation, any other for the
 * operator it names. Null when `v` is neither.
 */
function quotationOf(i: OpContext, v: Value | undefined): Value[] | null {
  if (Array.isArray(v)) return v;
  if (v instanceof Sym) {
    // A symbol read from JSON is data: it never picks one of the script's quotations.
    if (v.inert) return [v];
    const e = i.resolve(v.name);
    return e?.kind === EntryKind.Quoted && Array.isArray(e.val) ? e.val : [v];
  }
  return null;
}

function quotationKey(i: OpContext, d: Dict, key: string): Value[] | null {
  const v = storedValue(d, key);
  if (v === undefined || v === null) return null;
  const q = quotationOf(i, v);
  if (q === null) throw badKey('server', key, 'a quotation', v);
  return q;
}

/** A quotation of pairs (as `routes` and `static` are), each checked by `item`. */
function pairsKey<T>(d: Dict, key: string, want: string, item: (a: Value, b: Value) => T | null): T[] {
  const v = storedValue(d, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badKey('server', key, `a quotation of ${want}`, v);
  return v.map((pair) => {
    const got = Array.isArray(pair) && pair.length === 2 ? item(pair[0]!, pair[1]!) : null;
    if (got === null) throw httpError(`The server's ${key} must hold ${want}, got ${showShort(pair)}`);
    return got;
  });
}

/** `routes`: ("METHOD /path" (handler)) pairs, in the order they are tried. */
const routesKey = (i: OpContext, d: Dict): Route<Value[]>[] =>
  pairsKey(d, 'routes', 'routes such as ("GET /users/:id" (handler))', (spec, h) => {
    const q = quotationOf(i, h);
    return isStringLike(spec) && q !== null ? parseRoute(strOf(spec), q) : null;
  });

/** `static`: ("/prefix" "directory") pairs. */
const staticKey = (d: Dict): Promise<StaticDir[]> =>
  Promise.all(
    pairsKey(d, 'static', 'pairs such as ("/files" "public")', (prefix, dir) =>
      isStringLike(prefix) && isStringLike(dir) ? [strOf(prefix), strOf(dir)] : null,
    ).map(([prefix, dir]) => staticDir(prefix!, dir!)),
  );

function originsKey(d: Dict): Set<string> | null {
  const v = storedValue(d, 'origins');
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every(isStringLike)) throw badKey('server', 'origins', 'a quotation of strings such as ("http://127.0.0.1:8080")', v);
  return new Set(v.map((o) => normalOrigin(strOf(o))));
}

function timeoutKey(d: Dict): number | null {
  const v = storedValue(d, 'timeout');
  if (v === undefined || v === null) return null;
  const ms = millis(v);
  if (ms === undefined) throw badKey('server', 'timeout', 'a number of milliseconds', v);
  return ms;
}

const report = (rt: Runtime, task: Task, e: unknown): void => reportTaskError(rt, task.id, e, 'start-server handler');

const domainOf = (a: Address): 'ipv4' | 'ipv6' => (a.address.includes(':') && !a.address.startsWith('::ffff:') ? 'ipv6' : 'ipv4');

export async function startServer(i: OpContext, given: Dict): Promise<void> {
  // The port is filled into a copy, which rebinds the name the dict came from.
  const cfg = given.filled();
  const d = resolved(i, cfg);
  const av = storedValue(d, 'address');
  if (av !== undefined && av !== null && !isStringLike(av)) throw badKey('server', 'address', 'a string', av);
  const address = av === undefined || av === null ? '127.0.0.1' : strOf(av);
  const port = portKey(d, 80);
  const handler = quotationKey(i, d, 'handler');
  const routes = routesKey(i, d);
  const statics = await staticKey(d);
  if (handler === null && routes.length === 0 && statics.length === 0) {
    throw httpError("The server's handler is missing: give it a quotation taking a request dict and leaving a response dict (or routes, or static directories)");
  }
  const started = quotationKey(i, d, 'started');
  const maxBody = maxBodyOf(d, 'server', DEFAULT_MAX_REQUEST_BODY);
  const maxMessage = byteLimitKey(d, 'max-message', DEFAULT_MAX_MESSAGE, (want, v) => badKey('server', 'max-message', want, v));
  const origins = originsKey(d);
  const timeout = timeoutKey(d);
  const rt = i.rt;
  const servers = serversOf.of(rt);
  /** The task that answered each request, to report a response Node refused. */
  const taskOf = new WeakMap<HttpRequest, Task>();
  let self: RunningServer | null = null;

  /** A task of the server's, so stop-server inside it stops this server. */
  const run = (q: Value[], stack: Value[]): Task => {
    const task = startTask(i, q, stack);
    servers.ofTask.set(task.machine, self!);
    return task;
  };

  /** A streaming body: the quotation runs with a writer on its stack until it ends. */
  const stream = (body: Value[]) => async (writer: ResponseWriter) => {
    const socket = new Socket({ domain: domainOf(writer.peer), type: 'stream', protocol: 'http' }, writerTransport, rt.resources);
    socket.adopt(writer);
    const task = run(body, [attachedSocketDict(socket, writer.peer, [])]);
    await task.done;
    // Reported already (as any failed task); the server cuts the response off.
    if (task.failure) throw task.failure;
  };

  const answer = async (req: HttpRequest, target: Value[]): Promise<HttpAnswer | null> => {
    const task = run(target, [requestDict(req)]);
    taskOf.set(req, task);
    await task.done;
    // A failed task has already been reported by startTask, and answered 500.
    if (task.failure) {
      task.handled = true;
      return null;
    }
    try {
      return answerOf(i, task.stack[task.stack.length - 1], stream);
    } catch (e) {
      report(rt, task, e);
      return null;
    }
  };

  const webSocket = (conn: WsConn, details: [string, Detail][], target: Value[]): void => {
    const peer = conn.peer;
    const socket = Socket.open({ domain: domainOf(peer), type: null, protocol: 'ws' }, rt.resources);
    socket.adopt(conn);
    const task = run(target, [attachedSocketDict(socket, peer, details)]);
    void task.done.then(() => socket.close());
  };

  return serveHttp<Value[]>({
    address,
    port,
    maxBody,
    maxMessage,
    origins,
    timeout,
    routes,
    statics,
    fallback: handler,
    resources: rt.resources,
    handler: {
      answer,
      unsendable(req, e) {
        const task = taskOf.get(req);
        if (task) report(rt, task, e);
      },
      socket: (conn, _req, target) => webSocket(conn, conn.details(), target),
    },
    started(srv, actualPort) {
      self = srv;
      servers.running.push(srv);
      // Port 0 picks a free port: the script finds out which in its dict.
      dictSet(cfg, 'port', actualPort);
      if (started) run(started, [cfg]);
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
