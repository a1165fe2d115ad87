// start-server and stop-server. start-server makes the calling task wait (on
// a Promise: the interpreter never spins) while a Node HTTP server runs; each
// request runs the handler as its own task, with the request dict on its
// stack, so slow handlers do not hold up other clients. A handler that fails
// or leaves no dict is reported like an uncaught task error and its client
// gets a 500; the server carries on. stop-server stops accepting, lets the
// requests in progress finish, and then start-server returns.
//
// A request body over the server's `max-body` is never buffered: a declared
// Content-Length over it is refused before any of the body is read (also when
// the client asks `Expect: 100-continue`), and a chunked body is counted as it
// streams. Either way the client gets 413 and the connection is closed, and
// the handler does not run.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { http as loadHttp } from '../lang/builtins.js';
import { Machine } from '../lang/machine.js';
import { toMinError } from '../lang/errors.js';
import type { Runtime } from '../lang/runtime.js';
import { EntryKind, Scope, valueEntry } from '../lang/scope.js';
import { show } from '../lang/printer.js';
import { Dict, Flt, Sym, isStringLike, strOf, type Value } from '../lang/values.js';
import { keyOf, portKey, resolved, setKey } from '../net/keys.js';
import { netError } from '../net/errors.js';
import { reportTaskError, startTask } from '../ops/task.js';
import { badKey, httpError } from './errors.js';
import { DEFAULT_MAX_REQUEST_BODY } from './limits.js';
import { byteLimit } from '../net/limits.js';
import { copyHeaders, hasHeader, headersDict, headersFrom } from './headers.js';

interface Running {
  server: Server;
  stopping: boolean;
  /** The largest request body taken, in bytes (`max-body`). */
  maxBody: number;
  stop(): void;
}


/** The server a task belongs to: a handler's, or the `started` task's. */
const serverOfTask = new WeakMap<Machine, Running>();
/** Servers running in each runtime, latest last (for stop-server outside a handler). */
const running = new WeakMap<Runtime, Running[]>();

/**
 * A quotation to run. A dict literal keeps symbols as they are: one bound
 * with `:` to a quotation stands for that quotation, any other for the
 * operator it names.
 */
function quotationKey(i: Machine, d: Dict, key: string, required: boolean): Value[] | null {
  const v = keyOf(d, key);
  if (v === undefined || v === null) {
    if (required) throw httpError(`The server's ${key} is missing: give it a quotation taking a request dict and leaving a response dict`);
    return null;
  }
  if (Array.isArray(v)) return v;
  if (v instanceof Sym) {
    // A symbol read from JSON is data: it never picks one of the script's quotations.
    if (v.inert) return [v];
    const e = i.lookup(v.name) ?? (v.name.includes('.') ? i.resolvePath(v.name) : undefined);
    return e?.kind === EntryKind.Quoted && Array.isArray(e.val) ? e.val : [v];
  }
  throw badKey('server', key, 'a quotation', v);
}

function maxBodyOf(d: Dict): number {
  const v = keyOf(d, 'max-body');
  return byteLimit(v, DEFAULT_MAX_REQUEST_BODY, (want) => badKey('server', 'max-body', want, v!), 0);
}

/** The declared body length when it is over the limit (Node has already refused malformed ones). */
function declaredTooBig(req: IncomingMessage, max: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > max;
}

/** The whole body, or null as soon as it grows past `max` bytes (what came is dropped). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      req.off('close', onClose);
    };
    const onData = (b: Buffer) => {
      size += b.length;
      if (size > max) {
        done();
        parts.length = 0;
        // Flowing with no listener: the rest is dropped as it comes.
        req.resume();
        resolve(null);
      } else parts.push(b);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(parts, size));
    };
    // Closed before the end: the client went away in the middle of its request.
    const onClose = () => {
      done();
      reject(new Error('the client went away'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
    req.on('close', onClose);
  });
}

const TOO_LARGE = 'Request body too large\n';
/** How long a refused client may go on sending (what it sends is dropped) before its connection is cut. */
const LINGER_MS = 2000;

/**
 * Close a connection whose client may still be sending. Closing at once
 * with its data unread would make the kernel reset the connection, and the
 * client could lose the 413 before reading it; so our side ends, what still
 * comes is dropped, and the connection goes when the client ends or after
 * LINGER_MS (nginx's lingering close).
 */
function lingerAndClose(socket: Socket): void {
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', () => socket.destroy());
}

/** 413, and the connection closed: the rest of the body is never buffered. */
function refuseBody(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  const socket = req.socket;
  // Node ends a Connection: close response's socket with destroySoon.
  (socket as Socket & { destroySoon(): void }).destroySoon = () => lingerAndClose(socket);
  res.writeHead(413, 'Payload Too Large', {
    'Content-Type': 'text/plain',
    'Content-Length': String(TOO_LARGE.length),
    Connection: 'close',
  });
  res.end(TOO_LARGE);
}

function requestDict(req: IncomingMessage, body: string): Dict {
  const s = new Scope(null);
  s.set('method', valueEntry(req.method ?? 'GET'));
  s.set('url', valueEntry(req.url ?? '/'));
  s.set('version', valueEntry(req.httpVersion));
  s.set('headers', valueEntry(headersDict(req.rawHeaders)));
  s.set('body', valueEntry(body));
  s.set('hostname', valueEntry(req.socket.remoteAddress ?? ''));
  s.set('port', valueEntry(req.socket.remotePort ?? 0));
  return new Dict(s, 'http-request');
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Read what the handler left on its stack as a response. */
function answerOf(i: Machine, top: Value | undefined): Answer {
  if (!(top instanceof Dict)) {
    throw httpError(`The handler must leave a response dict on the stack, got ${top === undefined ? 'nothing' : show(top)}`);
  }
  const d = resolved(i, top);
  const st = keyOf(d, 'status');
  let status = 200;
  if (st !== undefined && st !== null) {
    const n = typeof st === 'number' ? st : st instanceof Flt && Number.isInteger(st.v) ? st.v : NaN;
    if (!(n >= 100 && n <= 599)) throw badKey('response', 'status', 'an int from 100 to 599', st);
    status = n;
  }
  const b = keyOf(d, 'body');
  if (b !== undefined && b !== null && !isStringLike(b)) throw badKey('response', 'body', 'a string', b);
  const hv = keyOf(d, 'headers');
  return {
    status,
    headers: headersFrom(hv instanceof Dict ? resolved(i, hv) : hv, 'response'),
    body: b === undefined || b === null ? '' : strOf(b),
  };
}

const report = (rt: Runtime, task: Dict, e: unknown): void =>
  reportTaskError(rt, Number(keyOf(task, 'id') ?? 0), e, 'start-server handler');

function send(res: ServerResponse, srv: Running, a: Answer): void {
  if (res.headersSent || res.destroyed) return;
  // After stop-server, say so, so that clients do not keep the connection.
  if (srv.stopping) res.setHeader('Connection', 'close');
  const body = Buffer.from(a.body, 'utf8');
  const headers = copyHeaders(a.headers);
  // A length rather than chunks, as Nim's server sends; bodiless statuses get neither.
  const bodiless = a.status < 200 || a.status === 204 || a.status === 304;
  if (!bodiless && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers['Content-Length'] = String(body.length);
  }
  // The reason phrase is always the status's own: a failed first attempt
  // must not leave its phrase on the 500 that replaces it.
  res.writeHead(a.status, loadHttp().STATUS_CODES[a.status] ?? 'Unknown', headers);
  res.end(bodiless ? undefined : body);
}

const FAILED: Answer = { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'Internal Server Error' };

async function handle(i: Machine, srv: Running, handler: Value[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = declaredTooBig(req, srv.maxBody) ? null : await readBody(req, srv.maxBody);
    if (body === null) return refuseBody(req, res);
    const task = startTask(i, handler, [requestDict(req, body.toString('utf8'))]);
    const m = task.handle as Machine;
    serverOfTask.set(m, srv);
    await m.done;
    // A failed task has already been reported by startTask.
    if (m.failure) return send(res, srv, FAILED);
    let answer: Answer;
    try {
      answer = answerOf(i, m.stack[m.stack.length - 1]);
    } catch (e) {
      report(i.rt, task, e);
      return send(res, srv, FAILED);
    }
    try {
      send(res, srv, answer);
    } catch (e) {
      // Checked headers should leave nothing for Node to refuse; if it does, still a 500.
      report(i.rt, task, httpError(`The handler's response cannot be sent: ${toMinError(e).message}`));
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      send(res, srv, FAILED);
    }
  } catch {
    // The client went away while its request was being read.
    res.destroy();
  } finally {
    // Once stopped, the server closes when its last connection does.
    if (srv.stopping) srv.server.closeIdleConnections();
  }
}

export function startServer(i: Machine, cfg: Dict): Promise<void> {
  const d = resolved(i, cfg);
  const av = keyOf(d, 'address');
  if (av !== undefined && av !== null && !isStringLike(av)) throw badKey('server', 'address', 'a string', av);
  const address = av === undefined || av === null ? '127.0.0.1' : strOf(av);
  const port = portKey(d, 80);
  const handler = quotationKey(i, d, 'handler', true)!;
  const started = quotationKey(i, d, 'started', false);
  const maxBody = maxBodyOf(d);
  const rt = i.rt;
  const server = loadHttp().createServer();
  return new Promise<void>((resolve, reject) => {
    const list = running.get(rt) ?? [];
    running.set(rt, list);
    const resource = { destroy: () => (server.closeAllConnections(), server.close()) };
    const srv: Running = {
      server,
      stopping: false,
      maxBody,
      stop() {
        if (srv.stopping) return;
        srv.stopping = true;
        list.splice(list.indexOf(srv), 1);
        server.close(() => {
          rt.resources.delete(resource);
          resolve();
        });
        server.closeIdleConnections();
      },
    };
    server.on('request', (req, res) => void handle(i, srv, handler, req, res));
    // A client that waits for 100 Continue before sending a body too big is told 413 instead.
    server.on('checkContinue', (req, res) => {
      if (declaredTooBig(req, srv.maxBody)) return refuseBody(req, res);
      res.writeContinue();
      void handle(i, srv, handler, req, res);
    });
    server.once('error', (e) => {
      rt.resources.delete(resource);
      reject(netError(`cannot listen on ${address}:${port}`, e));
    });
    server.listen(port, address, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      list.push(srv);
      rt.resources.add(resource);
      const a = server.address();
      // Port 0 picks a free port: the script finds out which in its dict.
      setKey(cfg, 'port', typeof a === 'object' && a ? a.port : port);
      if (started) {
        const t = startTask(i, started, [cfg]);
        serverOfTask.set(t.handle as Machine, srv);
      }
    });
  });
}

export function stopServer(i: Machine): void {
  const srv = serverOfTask.get(i) ?? running.get(i.rt)?.at(-1);
  if (!srv) throw httpError('stop-server: no HTTP server is running');
  srv.stop();
}
